//! A worker's PostgreSQL copy, where its cases run. A failed statement
//! aborts a PostgreSQL transaction until it is rolled back, so each
//! statement of a case runs under a savepoint. The case's `BEGIN`, the
//! previous case's `ROLLBACK` and the `ROLLBACK TO SAVEPOINT` after a
//! refused statement are not sent alone: each waits for the next statement
//! and travels with it (simple query protocol, several statements in one
//! message), saving a round trip apiece.

use crate::engine::{self, Outcome};
use crate::error::{Error, Result};
use crate::sql::text::{quote_ident, quote_literal};

use crate::model::schema::Value;

use super::{PgFailure, Session, classify};

pub struct Connection {
    session: Session,
    in_case: bool,
    /// Statements waiting to travel with the next one.
    pending_begin: bool,
    pending_rollback: bool,
    pending_restore: bool,
    /// The connection failed (not a statement: no SQLSTATE), e.g. the
    /// server went away: the case ends in this error, not in an outcome.
    broken: Option<String>,
    round_trips: u64,
}

impl Connection {
    pub fn new(session: Session) -> Self {
        Connection {
            session,
            in_case: false,
            pending_begin: false,
            pending_rollback: false,
            pending_restore: false,
            broken: None,
            round_trips: 0,
        }
    }

    /// The session back, for work outside cases (or to close it).
    pub fn into_session(self) -> Session {
        self.session
    }

    /// Sends what still waits for a next statement (the last case's
    /// `ROLLBACK`), before work outside cases.
    /// The commands that take `sql` to the server: those waiting to travel
    /// with the next statement, then in a case a savepoint to restore
    /// should it be refused, then `sql`.
    fn carrying(&mut self, sql: &str) -> Vec<String> {
        let mut commands = Vec::new();
        if std::mem::take(&mut self.pending_rollback) {
            commands.push("ROLLBACK".to_string());
        }
        if std::mem::take(&mut self.pending_begin) {
            commands.push("BEGIN".to_string());
        }
        if self.in_case {
            if std::mem::take(&mut self.pending_restore) {
                commands.push("ROLLBACK TO SAVEPOINT case_step".to_string());
            }
            commands.push("SAVEPOINT case_step".to_string());
        }
        commands.push(sql.to_string());
        commands
    }

    /// The server's answer to a statement as an outcome.
    fn outcome(&mut self, result: std::result::Result<Vec<Vec<Value>>, PgFailure>) -> Outcome {
        match result {
            Ok(rows) => Outcome::Ok(rows),
            Err(f) => {
                // The transaction is aborted until the savepoint is
                // restored: that goes with the next statement.
                self.pending_restore = self.in_case;
                if f.code.is_empty() {
                    self.broken = Some(f.to_string());
                }
                Outcome::Rejected {
                    kind: classify(&f.code),
                    message: f.to_string(),
                    fields: f.fields,
                }
            }
        }
    }

    fn settle(&mut self) -> Result<()> {
        if let Some(why) = &self.broken {
            return Err(Error::postgres(why));
        }
        if self.in_case || !self.pending_rollback {
            return Ok(());
        }
        self.pending_rollback = false;
        self.round_trips += 1;
        self.session.execute("ROLLBACK").map_err(Error::postgres)
    }
}

impl engine::Connection for Connection {
    /// `BEGIN` is sent with the case's first statement.
    fn begin(&mut self) -> Result<()> {
        self.in_case = true;
        self.pending_begin = true;
        Ok(())
    }

    /// `ROLLBACK` is sent with the next statement (or before work outside
    /// cases); a case that sent nothing needs none.
    fn rollback(&mut self) -> Result<()> {
        if let Some(why) = &self.broken {
            return Err(Error::postgres(why));
        }
        if !self.in_case {
            return Ok(());
        }
        self.in_case = false;
        self.pending_restore = false;
        if self.pending_begin {
            self.pending_begin = false;
            return Ok(());
        }
        self.pending_rollback = true;
        Ok(())
    }

    fn run(&mut self, sql: &str) -> Outcome {
        let commands = self.carrying(sql);
        // The server counts an error's position from the start of the
        // whole message; attribution reads it in `sql` alone.
        let before: usize = commands[..commands.len() - 1]
            .iter()
            .map(|c| c.chars().count() + 2)
            .sum();
        let text = commands.join("; ");
        self.round_trips += 1;
        let result = self.session.query_values(&text).map_err(|mut f| {
            let shift = |p: Option<usize>| p.map(|p| if p > before { p - before } else { p });
            f.position = shift(f.position);
            f.fields.position = shift(f.fields.position);
            f
        });
        self.outcome(result)
    }

    /// All in one message: the server runs them in order and skips the
    /// rest after the first it refuses
    /// (<https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT>),
    /// each under its savepoint as [`engine::Connection::run`] sends it.
    fn run_ahead(&mut self, sql: &[&str]) -> Vec<Outcome> {
        // The batch tells statements apart by their completions: one
        // command each (a `;` inside a literal is fine, a trailing one not).
        if !self.in_case || sql.len() < 2 || sql.iter().any(|s| s.trim_end().ends_with(';')) {
            let mut out = Vec::with_capacity(sql.len());
            for s in sql {
                let outcome = engine::Connection::run(self, s);
                let refused = !outcome.is_ok();
                out.push(outcome);
                if refused {
                    break;
                }
            }
            return out;
        }
        let segments: Vec<Vec<String>> = sql
            .iter()
            .enumerate()
            .map(|(i, s)| match i {
                0 => self.carrying(s),
                _ => vec!["SAVEPOINT case_step".to_string(), (*s).to_string()],
            })
            .collect();
        self.round_trips += 1;
        let batch = self.session.query_batch(&segments);
        let mut out: Vec<Outcome> = batch.rows.into_iter().map(Outcome::Ok).collect();
        if let Some(f) = batch.failure {
            out.push(self.outcome(Err(f)));
        }
        out
    }

    /// It sent only what it was given and stopped where the server did: it
    /// keeps what ran; undoing more is not asked of it.
    fn keep_ahead(&mut self, kept: usize) -> bool {
        let _ = kept;
        false
    }

    /// The newest tuple is the row just inserted (nothing else writes here).
    fn undo_last_insert(&mut self, table: &str) -> Result<()> {
        self.settle()?;
        self.session
            .execute(&format!(
                "DELETE FROM {t} WHERE ctid = (SELECT max(ctid) FROM {t})",
                t = quote_ident(table)
            ))
            .map_err(Error::postgres)
    }

    /// The column's sequence (serial or identity), read without advancing it.
    fn next_id_query(&mut self, table: &str, column: &str) -> Option<String> {
        let (t, c) = (quote_ident(table), quote_ident(column));
        let seq = self.run(&format!(
            "SELECT pg_get_serial_sequence({}, {})",
            quote_literal(&t),
            quote_literal(column)
        ));
        let Some(crate::model::schema::Value::Text(seq)) =
            seq.rows().first().and_then(|r| r.first())
        else {
            return None;
        };
        Some(format!(
            "SELECT coalesce(max({c}), 0), (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM {seq}) FROM {t}"
        ))
    }

    fn round_trips(&self) -> u64 {
        self.round_trips
    }
}
