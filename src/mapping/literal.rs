//! Literal rendering per engine: a generated value, or a value read back
//! from one engine, spelled as SQL for SQLite and for PostgreSQL (under the
//! column's PostgreSQL type: 1 is TRUE in a boolean column). Literals, not
//! parameters, so that a witness is SQL a person can paste into either
//! engine.

use schema_parity_strategies::Lit;

use super::kind::{Family, PgKind};
use crate::schema::Value;

fn text_sqlite(s: &str) -> String {
    // A NUL cannot sit inside SQL text; splice it in with char(0).
    s.split('\0')
        .map(|part| format!("'{}'", part.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(" || char(0) || ")
}

fn text_postgres(s: &str) -> String {
    s.split('\0')
        .map(|part| format!("'{}'", part.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(" || chr(0) || ")
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
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
        Lit::Blob(b) => format!("X'{}'", hex(b)),
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
        (Lit::Blob(b), _) => format!("'\\x{}'::bytea", hex(b)),
    }
}

/// A value read back from one engine, as a literal for the same engine.
pub fn value_sqlite(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => real_sqlite(*f),
        Value::Text(s) => text_sqlite(s),
        Value::Blob(b) => format!("X'{}'", hex(b)),
    }
}

pub fn value_postgres(v: &Value, kind: &PgKind) -> String {
    match (v, kind.family()) {
        (Value::Integer(i), Family::Boolean) => if *i != 0 { "TRUE" } else { "FALSE" }.into(),
        (Value::Null, _) => "NULL".into(),
        (Value::Integer(i), _) => i.to_string(),
        (Value::Real(f), _) => real_postgres(*f),
        (Value::Text(s), _) => text_postgres(s),
        (Value::Blob(b), _) => format!("'\\x{}'::bytea", hex(b)),
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
}
