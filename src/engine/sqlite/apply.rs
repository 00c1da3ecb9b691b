//! Applies a migration chain to an in-memory SQLite database the way an
//! application would: statement by statement in autocommit mode, so that a
//! `PRAGMA foreign_keys=OFF/ON` around a table rebuild takes effect (it is a
//! no-op inside a transaction: <https://sqlite.org/pragma.html#pragma_foreign_keys>).

use rusqlite::Connection;

use crate::engine::Step;
use crate::error::{Error, Result};
use crate::model::Engine;

use super::Database;

/// Runs every step in order, with foreign keys enforced during the chain
/// only when `foreign_keys_during_chain` (as the layout's tool does:
/// `migrations::Layout::sqlite_foreign_keys_during_chain`); stops at the
/// first failing step with its file, number and line. Afterwards foreign
/// keys are switched on and `PRAGMA foreign_key_check` must report nothing.
/// Returns the functions that had to be stood in for ([`execute`]).
pub fn apply(
    db: &Database,
    steps: &[Step],
    foreign_keys_during_chain: bool,
) -> Result<Vec<String>> {
    let conn = db.conn();
    let mut stand_ins = Vec::new();
    if !foreign_keys_during_chain {
        conn.execute_batch("PRAGMA foreign_keys = OFF;")
            .map_err(Error::sqlite)?;
    }
    for step in steps {
        execute(conn, &step.sql, &mut stand_ins).map_err(|e| Error::Migration {
            engine: Engine::Sqlite,
            file: step.file.clone(),
            statement: step.statement,
            line: step.line,
            message: e.to_string(),
        })?;
    }
    if !conn.is_autocommit() {
        return Err(Error::MigrationDir {
            dir: steps.last().map(|s| s.file.clone()).unwrap_or_default(),
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
    Ok(stand_ins)
}

/// Runs one statement. A function an application registers on its own
/// connection (authelia's `BIN2B64`) does not exist here, and SQLite refuses
/// a statement that names one even when no row would call it (as on a fresh
/// chain's empty tables). Such a function gets a stand-in that fails when
/// called, and the statement is run again; its name goes to `stand_ins`.
fn execute(conn: &Connection, sql: &str, stand_ins: &mut Vec<String>) -> rusqlite::Result<()> {
    loop {
        let Err(e) = conn.execute_batch(sql) else {
            return Ok(());
        };
        let message = e.to_string();
        let name = message
            .strip_prefix("no such function: ")
            .and_then(|rest| rest.split_whitespace().next())
            .map(str::to_string);
        let Some(name) = name.filter(|n| !stand_ins.contains(n) && stand_ins.len() < 32) else {
            return Err(e);
        };
        let called = name.clone();
        conn.create_scalar_function(
            name.as_str(),
            -1,
            rusqlite::functions::FunctionFlags::SQLITE_UTF8,
            move |_| -> rusqlite::Result<rusqlite::types::Value> {
                Err(rusqlite::Error::UserFunctionError(
                    format!("{called}() is registered by the application, not by SQLite; schema-parity cannot run it").into(),
                ))
            },
        )?;
        stand_ins.push(name);
    }
}
