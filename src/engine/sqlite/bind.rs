//! The value a SQLite literal spells, bound in the literal's place when a
//! shaped INSERT runs as a prepared statement (`connection.rs`). Only the
//! spellings whose bound value SQLite stores exactly as it stores the
//! literal (`NULL`, an integer, a quoted text, `X'…'`) are read; anything
//! else is not, and its statement runs as its text: an expression such as
//! `'a' || char(0)`, and a real — SQLite's own reading of a decimal is not
//! always the nearest double (it reads `-1e-300` as
//! `-9.999999999999999e-301`), so a bound real could differ from the
//! literal a witness shows.

use rusqlite::types::Value;

/// The value `literal` spells, or None when it is not one of the simple
/// spellings.
pub(super) fn value(literal: &str) -> Option<Value> {
    match literal.as_bytes().first()? {
        b'N' => (literal == "NULL").then_some(Value::Null),
        b'\'' => text(literal).map(Value::Text),
        b'X' => blob(literal).map(Value::Blob),
        b'-' | b'0'..=b'9' => number(literal),
        _ => None,
    }
}

/// `'…'` with every quote inside doubled.
fn text(literal: &str) -> Option<String> {
    let inner = literal.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\'' && chars.next()? != '\'' {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

/// `X'…'`: pairs of hex digits.
fn blob(literal: &str) -> Option<Vec<u8>> {
    let hex = literal.strip_prefix("X'")?.strip_suffix('\'')?.as_bytes();
    if hex.len() % 2 != 0 {
        return None;
    }
    hex.chunks(2)
        .map(|pair| {
            let digits = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(digits, 16).ok()
        })
        .collect()
}

/// An integer in i64's range.
fn number(literal: &str) -> Option<Value> {
    let digits = literal.strip_prefix('-').unwrap_or(literal);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    literal.parse().ok().map(Value::Integer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::lit_sqlite;
    use schema_parity_strategies::Lit;

    /// What SQLite makes of `literal` as SQL text, and of the bound value
    /// read from it: the same type and the same bits.
    fn same_in_sqlite(conn: &rusqlite::Connection, literal: &str) {
        let Some(bound) = value(literal) else {
            return;
        };
        let read = |sql: &str, bind: Option<&Value>| -> (String, Value) {
            let mut stmt = conn.prepare(sql).expect("prepare");
            if let Some(v) = bind {
                stmt.raw_bind_parameter(1, v).expect("bind");
            }
            let mut rows = stmt.raw_query();
            let row = rows.next().expect("step").expect("a row");
            (row.get(0).expect("typeof"), row.get(1).expect("value"))
        };
        let as_text = read(&format!("SELECT typeof({literal}), {literal}"), None);
        let as_bound = read("SELECT typeof(?1), ?1", Some(&bound));
        let bits = |v: &Value| match v {
            Value::Real(f) => Some(f.to_bits()),
            _ => None,
        };
        assert_eq!(as_text, as_bound, "{literal}");
        assert_eq!(bits(&as_text.1), bits(&as_bound.1), "{literal}");
    }

    #[test]
    fn a_bound_value_is_what_its_literal_spells() {
        let conn = rusqlite::Connection::open_in_memory().expect("open");
        let mut lits = vec![
            Lit::Null,
            Lit::Int(0),
            Lit::Int(-1),
            Lit::Int(i64::MAX),
            Lit::Int(i64::MIN),
            Lit::Real(0.0),
            Lit::Real(-0.0),
            Lit::Real(1.5),
            Lit::Real(-2.0),
            Lit::Real(1e300),
            Lit::Real(-1e-300),
            Lit::Real(f64::MIN_POSITIVE),
            Lit::Real(5e-324),
            Lit::Real(f64::MAX),
            Lit::Real(0.1),
            Lit::Text(String::new()),
            Lit::Text("it's".into()),
            Lit::Text("''".into()),
            Lit::Text("ünï ☃".into()),
            Lit::Text("a\0b".into()),
            Lit::Blob(Vec::new()),
            Lit::Blob(vec![0, 255, 16]),
        ];
        // Reals from every corner of the bit space (none is bound, see
        // the module's doc; kept so that binding one is caught).
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            lits.push(Lit::Real(f64::from_bits(x)));
        }
        for lit in &lits {
            same_in_sqlite(&conn, &lit_sqlite(lit));
        }
    }

    #[test]
    fn only_the_simple_spellings_are_read() {
        assert_eq!(value("NULL"), Some(Value::Null));
        assert_eq!(value("-12"), Some(Value::Integer(-12)));
        assert_eq!(value("'it''s'"), Some(Value::Text("it's".into())));
        assert_eq!(value("X'00ff'"), Some(Value::Blob(vec![0, 255])));
        for other in [
            "'a' || char(0) || 'b'",
            "(9e999 - 9e999)",
            "9e999",
            "-9e999",
            "1.5",
            "-1e-300",
            "99999999999999999999",
            "'it's'",
            "X'0'",
            "CURRENT_TIMESTAMP",
            "-",
            "",
        ] {
            assert_eq!(value(other), None, "{other}");
        }
    }
}
