//! A worker's SQLite copy, where its cases run. SQLite undoes a refused
//! statement by itself and leaves the transaction going (the default
//! `ABORT` conflict resolution, <https://sqlite.org/lang_conflict.html>),
//! so no savepoint is needed around each statement.

use crate::engine::{self, Outcome, Sql};
use crate::error::{Error, Result};
use crate::model::schema::Value;
use crate::sql::text::{quote_ident, quote_literal};

use super::Database;
use super::bind;
use super::classify::{classify_error, error_fields};
use super::exec::to_value;

/// Every row `stmt` gives (its parameters bound), as engine-neutral values.
fn rows(stmt: &mut rusqlite::Statement<'_>) -> rusqlite::Result<Vec<Vec<Value>>> {
    let n = stmt.column_count();
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut v = Vec::with_capacity(n);
        for i in 0..n {
            v.push(to_value(r.get_ref(i)?));
        }
        out.push(v);
    }
    Ok(out)
}

/// What a statement did: its rows, or why SQLite refused it.
fn outcome(result: rusqlite::Result<Vec<Vec<Value>>>) -> Outcome {
    match result {
        Ok(rows) => Outcome::Ok(rows),
        Err(e) => Outcome::Rejected {
            kind: classify_error(&e),
            message: e.to_string(),
            fields: Box::new(error_fields(&e)),
        },
    }
}

/// Runs one of the statements that frame a case (`BEGIN`, `ROLLBACK`, a
/// savepoint): the same text every case, so prepared once per connection.
fn framing(conn: &rusqlite::Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(|_| ())
}

pub struct Connection {
    db: Database,
    in_case: bool,
    /// Statements the last [`engine::Connection::run_ahead`] ran.
    ahead: usize,
    prepared_runs: u64,
}

impl Connection {
    /// Cases on `db` (a copy: they commit nothing, but parent rows do),
    /// refused when foreign keys are not enforced on it.
    pub fn new(db: Database) -> Result<Self> {
        let on: i64 = db
            .conn()
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .map_err(Error::sqlite)?;
        if on != 1 {
            return Err(Error::sqlite(
                "foreign keys are not enforced on the SQLite copy; FK checks cannot run",
            ));
        }
        // The statements that frame a case (BEGIN, ROLLBACK, a savepoint per
        // statement run ahead) are the same text every case, and a table's
        // INSERTs a few shapes: each prepared once.
        db.conn().set_prepared_statement_cache_capacity(256);
        Ok(Connection {
            db,
            in_case: false,
            ahead: 0,
            prepared_runs: 0,
        })
    }
}

impl engine::Connection for Connection {
    fn begin(&mut self) -> Result<()> {
        framing(self.db.conn(), "BEGIN").map_err(Error::sqlite)?;
        self.in_case = true;
        Ok(())
    }

    fn rollback(&mut self) -> Result<()> {
        if std::mem::take(&mut self.in_case) {
            let _ = framing(self.db.conn(), "ROLLBACK");
        }
        Ok(())
    }

    /// Prepared for this one run: a text with a case's literals in it is
    /// met once, and kept in the statement cache it would push out the
    /// statements that are met again (a shape, a case's framing).
    fn run(&mut self, sql: &str) -> Outcome {
        let conn = self.db.conn();
        outcome(conn.prepare(sql).and_then(|mut stmt| rows(&mut stmt)))
    }

    /// A shaped statement whose literals are all simple values
    /// ([`bind::value`]) runs as its template, prepared once per
    /// connection, with the values bound; one SQLite cannot prepare (a
    /// column it lacks) runs as its text, whose error names what the
    /// statement said.
    fn run_sql(&mut self, sql: Sql<'_>) -> Outcome {
        let bound = sql.shape.and_then(|shape| {
            let values = shape
                .literals(sql.text)
                .map(bind::value)
                .collect::<Option<Vec<_>>>()?;
            let mut stmt = self
                .db
                .conn()
                .prepare_cached(&shape.template(sql.text, '?'))
                .ok()?;
            for (i, v) in values.iter().enumerate() {
                stmt.raw_bind_parameter(i + 1, v).ok()?;
            }
            Some(outcome(rows(&mut stmt)))
        });
        self.prepared_runs += u64::from(bound.is_some());
        bound.unwrap_or_else(|| {
            if sql.repeats {
                // The same text every case: compiled once.
                let conn = self.db.conn();
                outcome(
                    conn.prepare_cached(sql.text)
                        .and_then(|mut stmt| rows(&mut stmt)),
                )
            } else {
                engine::Connection::run(self, sql.text)
            }
        })
    }

    /// Each statement after the first under its own savepoint, so that
    /// [`engine::Connection::keep_ahead`] can undo from any of them on.
    fn run_ahead(&mut self, sql: &[Sql<'_>]) -> Vec<Outcome> {
        let mut out = Vec::with_capacity(sql.len());
        for (i, s) in sql.iter().enumerate() {
            if i > 0 && framing(self.db.conn(), &format!("SAVEPOINT ahead_{i}")).is_err() {
                break;
            }
            let outcome = engine::Connection::run_sql(self, *s);
            let refused = !outcome.is_ok();
            out.push(outcome);
            if refused {
                break;
            }
        }
        self.ahead = out.len();
        out
    }

    fn keep_ahead(&mut self, kept: usize) -> bool {
        let ran = std::mem::take(&mut self.ahead);
        if ran < 2 {
            return kept >= ran;
        }
        let conn = self.db.conn();
        let undone =
            kept >= ran || kept > 0 && framing(conn, &format!("ROLLBACK TO ahead_{kept}")).is_ok();
        let _ = framing(conn, "RELEASE ahead_1");
        undone
    }

    fn undo_last_insert(&mut self, table: &str) -> Result<()> {
        self.db
            .conn()
            .execute_batch(&format!(
                "DELETE FROM {} WHERE rowid = last_insert_rowid()",
                quote_ident(table)
            ))
            .map_err(Error::sqlite)
    }

    /// max(id)+1, or past the `sqlite_sequence` entry of an AUTOINCREMENT
    /// table (<https://sqlite.org/autoinc.html>).
    fn next_id_query(&mut self, table: &str, column: &str) -> Option<String> {
        let (t, c) = (quote_ident(table), quote_ident(column));
        let has_sequence = self.run("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'");
        Some(if has_sequence.rows().is_empty() {
            format!("SELECT coalesce(max({c}), 0), coalesce(max({c}), 0) + 1 FROM {t}")
        } else {
            format!(
                "SELECT coalesce(max({c}), 0), max(coalesce(max({c}), 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = {}), 0)) + 1 FROM {t}",
                quote_literal(table)
            )
        })
    }

    fn prepared_runs(&self) -> u64 {
        self.prepared_runs
    }

    fn round_trips(&self) -> u64 {
        0
    }
}
