//! Literal rendering per engine: a generated value, or a value read back
//! from one engine, spelled as SQL for SQLite and for PostgreSQL (under the
//! column's PostgreSQL type: 1 is TRUE in a boolean column). Literals, not
//! parameters, so that a witness is SQL a person can paste into either
//! engine.

use schema_parity_strategies::Lit;

use super::kind::{Family, PgKind};
use crate::model::schema::Value;
use crate::sql::text::quote_literal;

fn text_sqlite(s: &str) -> String {
    // A NUL cannot sit inside SQL text; splice it in with char(0).
    text_spliced(s, " || char(0) || ")
}

fn text_postgres(s: &str) -> String {
    text_spliced(s, " || chr(0) || ")
}

/// `s` as quoted text, each NUL spliced in with `nul` between the quoted
/// parts around it.
fn text_spliced(s: &str, nul: &str) -> String {
    if !s.contains('\0') {
        return quote_literal(s);
    }
    s.split('\0')
        .map(quote_literal)
        .collect::<Vec<_>>()
        .join(nul)
}

/// `b` as lowercase hex digits between `open` and `close`.
fn hex(open: &str, b: &[u8], close: &str) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(open.len() + 2 * b.len() + close.len());
    out.push_str(open);
    for x in b {
        out.push(char::from(DIGITS[usize::from(x >> 4)]));
        out.push(char::from(DIGITS[usize::from(x & 15)]));
    }
    out.push_str(close);
    out
}

fn real_sqlite(f: f64) -> String {
    if f.is_nan() {
        "(9e999 - 9e999)".into()
    } else if f == f64::INFINITY {
        "9e999".into()
    } else if f == f64::NEG_INFINITY {
        "-9e999".into()
    } else {
        format!("{f:?}")
    }
}

fn real_postgres(f: f64) -> String {
    if f.is_nan() {
        "'NaN'::float8".into()
    } else if f == f64::INFINITY {
        "'Infinity'::float8".into()
    } else if f == f64::NEG_INFINITY {
        "'-Infinity'::float8".into()
    } else if f == 0.0 && f.is_sign_negative() {
        "'-0'::float8".into()
    } else {
        format!("{f:?}")
    }
}

pub fn lit_sqlite(l: &Lit) -> String {
    match l {
        Lit::Null => "NULL".into(),
        Lit::Int(i) => i.to_string(),
        Lit::Real(f) => real_sqlite(*f),
        Lit::Text(s) => text_sqlite(s),
        Lit::Blob(b) => hex("X'", b, "'"),
    }
}

pub fn lit_postgres(l: &Lit, kind: &PgKind) -> String {
    match (l, kind.family()) {
        (Lit::Null, _) => "NULL".into(),
        (Lit::Int(0), Family::Boolean) => "FALSE".into(),
        (Lit::Int(1), Family::Boolean) => "TRUE".into(),
        (Lit::Int(i), Family::Boolean) => format!("'{i}'::boolean"),
        (Lit::Int(i), _) => i.to_string(),
        (Lit::Real(f), _) => real_postgres(*f),
        (Lit::Text(s), _) => text_postgres(s),
        (Lit::Blob(b), _) => hex("'\\x", b, "'::bytea"),
    }
}

/// The value [`lit_postgres`] spells, as a field of `COPY … FROM STDIN`
/// text format (`replay`'s fast path), appended to `out`: the same
/// booleans (0/1 → f/t, any other integer its digits, which PostgreSQL
/// refuses as a boolean), bytea as `\\x…`, NaN and the infinities by
/// name. A literal and a field differ in one way only: a REAL sent to an
/// integer column is refused by COPY (input syntax) where the literal is
/// rounded by an assignment cast — so a row COPY refuses is tried again
/// alone as an INSERT of [`lit_postgres`] literals, and what the mapping
/// does to it is what that INSERT does.
pub fn copy_postgres(v: &Value, kind: &PgKind, out: &mut Vec<u8>) {
    use std::io::Write as _;
    match (v, kind.family()) {
        (Value::Null, _) => out.extend_from_slice(b"\\N"),
        (Value::Integer(0), Family::Boolean) => out.push(b'f'),
        (Value::Integer(1), Family::Boolean) => out.push(b't'),
        // Writing to a Vec cannot fail.
        (Value::Integer(i), _) => {
            let _ = write!(out, "{i}");
        }
        (Value::Real(f), _) => {
            let spelled = real_postgres(*f);
            let bare = spelled
                .strip_prefix('\'')
                .and_then(|x| x.strip_suffix("'::float8"))
                .unwrap_or(&spelled);
            out.extend_from_slice(bare.as_bytes());
        }
        (Value::Text(s), _) => copy_text(s.as_bytes(), out),
        (Value::Blob(b), _) => {
            out.extend_from_slice(b"\\\\x");
            for byte in b {
                let _ = write!(out, "{byte:02x}");
            }
        }
    }
}

/// Text bytes as a COPY text-format field (backslash, tab, newline and
/// carriage return escaped; a NUL as `\0`, which PostgreSQL refuses as it
/// refuses a NUL in a literal). Bytes that are not UTF-8 are sent as they
/// are: what the server says of them is the finding.
pub fn copy_text(b: &[u8], out: &mut Vec<u8>) {
    for &c in b {
        match c {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0 => out.extend_from_slice(b"\\0"),
            c => out.push(c),
        }
    }
}

/// A value read back from one engine, as a literal for the same engine.
pub fn value_sqlite(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => real_sqlite(*f),
        Value::Text(s) => text_sqlite(s),
        Value::Blob(b) => hex("X'", b, "'"),
    }
}

pub fn value_postgres(v: &Value, kind: &PgKind) -> String {
    match (v, kind.family()) {
        (Value::Integer(i), Family::Boolean) => if *i != 0 { "TRUE" } else { "FALSE" }.into(),
        (Value::Null, _) => "NULL".into(),
        (Value::Integer(i), _) => i.to_string(),
        (Value::Real(f), _) => real_postgres(*f),
        (Value::Text(s), _) => text_postgres(s),
        (Value::Blob(b), _) => hex("'\\x", b, "'::bytea"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_per_engine() {
        assert_eq!(lit_sqlite(&Lit::Text("it's".into())), "'it''s'");
        assert_eq!(
            lit_sqlite(&Lit::Text("a\0b".into())),
            "'a' || char(0) || 'b'"
        );
        assert_eq!(lit_postgres(&Lit::Int(1), &PgKind::Boolean), "TRUE");
        assert_eq!(
            lit_postgres(&Lit::Blob(vec![1, 255]), &PgKind::Bytea),
            "'\\x01ff'::bytea"
        );
        assert_eq!(lit_sqlite(&Lit::Blob(vec![1, 255])), "X'01ff'");
        assert_eq!(
            lit_postgres(&Lit::Real(f64::NAN), &PgKind::Double),
            "'NaN'::float8"
        );
    }

    #[test]
    fn copy_fields_spell_what_the_literals_spell() {
        let field = |v: Value, k: PgKind| {
            let mut out = Vec::new();
            copy_postgres(&v, &k, &mut out);
            String::from_utf8(out).unwrap_or_default()
        };
        assert_eq!(field(Value::Null, PgKind::Text), "\\N");
        assert_eq!(field(Value::Integer(1), PgKind::Boolean), "t");
        assert_eq!(field(Value::Integer(0), PgKind::Boolean), "f");
        assert_eq!(field(Value::Integer(2), PgKind::Boolean), "2");
        assert_eq!(field(Value::Integer(-42), PgKind::BigInt), "-42");
        assert_eq!(field(Value::Real(f64::NAN), PgKind::Double), "NaN");
        assert_eq!(field(Value::Real(-0.0), PgKind::Double), "-0");
        assert_eq!(field(Value::Real(1.5), PgKind::Double), "1.5");
        assert_eq!(field(Value::Blob(vec![1, 255]), PgKind::Bytea), "\\\\x01ff");
        assert_eq!(
            field(Value::Text("a\tb\\c\nd\0".into()), PgKind::Text),
            "a\\tb\\\\c\\nd\\0"
        );
    }
}
