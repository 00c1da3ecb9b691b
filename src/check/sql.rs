//! Rendering generated values and engine values as SQL literals for each
//! engine, and the statements the checks run. Literals (not parameters) so
//! that a witness is SQL a person can paste into either engine.

use schema_parity_strategies::Lit;

use crate::mapping::PgKind;
use crate::schema::Value;

pub use crate::sqltext::quote_ident;

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
    match (l, kind) {
        (Lit::Null, _) => "NULL".into(),
        (Lit::Int(0), PgKind::Boolean) => "FALSE".into(),
        (Lit::Int(1), PgKind::Boolean) => "TRUE".into(),
        (Lit::Int(i), PgKind::Boolean) => format!("'{i}'::boolean"),
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
    match (v, kind) {
        (Value::Integer(i), PgKind::Boolean) => if *i != 0 { "TRUE" } else { "FALSE" }.into(),
        (Value::Null, _) => "NULL".into(),
        (Value::Integer(i), _) => i.to_string(),
        (Value::Real(f), _) => real_postgres(*f),
        (Value::Text(s), _) => text_postgres(s),
        (Value::Blob(b), _) => format!("'\\x{}'::bytea", hex(b)),
    }
}

/// The same statement for each engine.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statement {
    pub sqlite: String,
    pub postgres: String,
    /// The table an INSERT/UPDATE writes, and the literal each column is
    /// set to per engine `(column, sqlite, postgres)`: what attribution
    /// matches an engine's complaint about a value against.
    pub table: String,
    pub set: Vec<(String, String, String)>,
    /// The columns an INSERT's `RETURNING` lists (empty otherwise).
    pub returning: Vec<String>,
}

impl Statement {
    /// The SQLite side's assignments, for attribution.
    pub fn sqlite_set(&self) -> Vec<crate::engine::attribution::Assignment<'_>> {
        self.set
            .iter()
            .map(|(c, s, _)| crate::engine::attribution::Assignment {
                column: c,
                literal: s,
            })
            .collect()
    }

    /// The PostgreSQL side's assignments, for attribution.
    pub fn postgres_set(&self) -> Vec<crate::engine::attribution::Assignment<'_>> {
        self.set
            .iter()
            .map(|(c, _, p)| crate::engine::attribution::Assignment {
                column: c,
                literal: p,
            })
            .collect()
    }
}

/// `INSERT INTO t (cols) VALUES (...) RETURNING <returning>` for both engines.
pub fn insert(table: &str, cols: &[(String, String, String)], returning: &[String]) -> Statement {
    let ret = returning
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ");
    let ret = if ret.is_empty() {
        String::new()
    } else {
        format!(" RETURNING {ret}")
    };
    if cols.is_empty() {
        return Statement {
            sqlite: format!("INSERT INTO {} DEFAULT VALUES{ret}", quote_ident(table)),
            postgres: format!("INSERT INTO {} DEFAULT VALUES{ret}", quote_ident(table)),
            table: table.to_string(),
            set: Vec::new(),
            returning: returning.to_vec(),
        };
    }
    let names = cols
        .iter()
        .map(|(c, _, _)| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ");
    let sv = cols
        .iter()
        .map(|(_, s, _)| s.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let pv = cols
        .iter()
        .map(|(_, _, p)| p.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    Statement {
        sqlite: format!(
            "INSERT INTO {} ({names}) VALUES ({sv}){ret}",
            quote_ident(table)
        ),
        postgres: format!(
            "INSERT INTO {} ({names}) VALUES ({pv}){ret}",
            quote_ident(table)
        ),
        table: table.to_string(),
        set: cols.to_vec(),
        returning: returning.to_vec(),
    }
}

impl Statement {
    /// An INSERT that [`insert`] built (and so can build again with other
    /// columns or literals).
    fn rebuildable(&self) -> bool {
        !self.table.is_empty()
            && self.sqlite.starts_with("INSERT INTO ")
            && insert(&self.table, &self.set, &self.returning) == *self
    }

    /// The INSERT without `column`, when this is an INSERT [`insert`] built.
    pub fn without(&self, column: &str) -> Option<Statement> {
        if !self.rebuildable() {
            return None;
        }
        let cols: Vec<(String, String, String)> = self
            .set
            .iter()
            .filter(|(c, _, _)| c != column)
            .cloned()
            .collect();
        (cols.len() < self.set.len()).then(|| insert(&self.table, &cols, &self.returning))
    }

    /// This INSERT with `column` set to `literal` on both engines, added
    /// when the INSERT does not name it.
    pub fn setting(self, column: &str, literal: &str) -> Statement {
        if let Some(set) = self.with_value(column, literal.to_string(), literal.to_string()) {
            return set;
        }
        let mut cols = self.set.clone();
        cols.insert(
            0,
            (column.to_string(), literal.to_string(), literal.to_string()),
        );
        insert(&self.table, &cols, &self.returning)
    }

    /// The same INSERT with `column` set to other literals (`sqlite`,
    /// `postgres`); None when this is not an INSERT built by [`insert`] or
    /// does not set the column.
    pub fn with_value(&self, column: &str, sqlite: String, postgres: String) -> Option<Statement> {
        if !self.rebuildable() || !self.set.iter().any(|(c, _, _)| c == column) {
            return None;
        }
        let cols: Vec<(String, String, String)> = self
            .set
            .iter()
            .map(|(c, s, p)| {
                if c == column {
                    (c.clone(), sqlite.clone(), postgres.clone())
                } else {
                    (c.clone(), s.clone(), p.clone())
                }
            })
            .collect();
        Some(insert(&self.table, &cols, &self.returning))
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
