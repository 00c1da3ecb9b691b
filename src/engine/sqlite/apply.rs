//! Applies a migration chain to an in-memory SQLite database the way an
//! application would: statement by statement in autocommit mode, so that a
//! `PRAGMA foreign_keys=OFF/ON` around a table rebuild takes effect (it is a
//! no-op inside a transaction: <https://sqlite.org/pragma.html#pragma_foreign_keys>).

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::migrations::{Dialect, MigrationSet, split};

/// Opens a fresh in-memory database with foreign keys enforced.
pub fn open_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory().map_err(Error::sqlite)?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")
        .map_err(Error::sqlite)?;
    Ok(conn)
}

/// Runs every migration in order; stops at the first failing statement with
/// its file, number and line. Afterwards foreign keys are switched back on and
/// `PRAGMA foreign_key_check` must report nothing.
pub fn apply(conn: &Connection, set: &MigrationSet) -> Result<()> {
    for m in &set.migrations {
        let text = std::fs::read_to_string(&m.path).map_err(|source| Error::Read {
            path: m.path.clone(),
            source,
        })?;
        for stmt in split(&text, Dialect::Sqlite) {
            conn.execute_batch(&stmt.sql)
                .map_err(|e| Error::Migration {
                    engine: "SQLite",
                    file: m.path.clone(),
                    statement: stmt.number,
                    line: stmt.line,
                    message: e.to_string(),
                })?;
        }
    }
    if !conn.is_autocommit() {
        return Err(Error::MigrationDir {
            dir: set
                .migrations
                .last()
                .map(|m| m.path.clone())
                .unwrap_or_default(),
            reason: "the chain leaves a transaction open (BEGIN without COMMIT)".into(),
        });
    }
    conn.execute_batch("PRAGMA foreign_keys = ON;")
        .map_err(Error::sqlite)?;
    let mut stmt = conn
        .prepare("PRAGMA foreign_key_check")
        .map_err(Error::sqlite)?;
    let problems: Vec<String> = stmt
        .query_map([], |r| {
            Ok(format!(
                "row {} of {} references a missing row in {}",
                r.get::<_, Option<i64>>(1)?
                    .map_or_else(|| "?".to_string(), |v| v.to_string()),
                r.get::<_, String>(0)?,
                r.get::<_, String>(2)?
            ))
        })
        .map_err(Error::sqlite)?
        .collect::<Result<_, _>>()
        .map_err(Error::sqlite)?;
    if !problems.is_empty() {
        return Err(Error::ForeignKeyCheck(format!(
            "PRAGMA foreign_key_check after the last migration reports {} violation(s): {}",
            problems.len(),
            problems.into_iter().take(5).collect::<Vec<_>>().join("; ")
        )));
    }
    Ok(())
}
