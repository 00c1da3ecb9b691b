//! Running queries and reading values back from SQLite.

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use crate::error::{Error, Result};
use crate::model::schema::Value;

/// Runs a query and returns every row as engine-neutral values.
pub(super) fn query_values(conn: &Connection, sql: &str) -> Result<Vec<Vec<Value>>> {
    let mut stmt = conn.prepare(sql).map_err(Error::sqlite)?;
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |r| {
            (0..n)
                .map(|i| Ok(to_value(r.get_ref(i)?)))
                .collect::<rusqlite::Result<Vec<Value>>>()
        })
        .map_err(Error::sqlite)?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(Error::sqlite)
}

pub(super) fn to_value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// The SQLite library version, e.g. `3.46.0`.
pub fn version() -> String {
    rusqlite::version().to_string()
}
