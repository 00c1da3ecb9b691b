//! What a worker's cases run on: a connection to one engine's copy of the
//! database. Both engines implement it alike (`engine/<engine>/connection.rs`),
//! so a worker holds a [`Both`](crate::model::Both) of them and decides nothing
//! about how an engine runs a case.

use crate::error::Result;

use super::{Outcome, Sql};

/// A connection to one engine's copy of the database, where each case runs
/// in a transaction that is always rolled back and each of its statements
/// under a savepoint: a refused statement is undone alone and the case goes
/// on. Every statement of a case goes through [`Connection::run`], so this
/// is where an engine decides how (and in how many round trips) a case's
/// statements are sent.
pub trait Connection: Send {
    /// Starts a case.
    fn begin(&mut self) -> Result<()>;

    /// Ends a case, undoing everything it did; an error only when the
    /// connection broke (the run must fail, not report).
    fn rollback(&mut self) -> Result<()>;

    /// Runs one statement and says what the engine did: its rows, or why it
    /// refused (classified by the engine). Inside a case the statement runs
    /// under a savepoint that is rolled back to when it is refused.
    fn run(&mut self, sql: &str) -> Outcome;

    /// Runs `sql` as [`Connection::run`] runs its text, with the same
    /// outcome to the byte; an engine that keeps prepared statements runs
    /// a shaped INSERT as one. The default runs the text.
    fn run_sql(&mut self, sql: Sql<'_>) -> Outcome {
        self.run(sql.text)
    }

    /// Runs a case's next statements in order, each as
    /// [`Connection::run_sql`] would, up to and including the first the
    /// engine refuses, in as few round trips as the engine can
    /// (PostgreSQL: one message). The default runs them one at a time.
    fn run_ahead(&mut self, sql: &[Sql<'_>]) -> Vec<Outcome> {
        let mut out = Vec::with_capacity(sql.len());
        for s in sql {
            let outcome = self.run_sql(*s);
            let refused = !outcome.is_ok();
            out.push(outcome);
            if refused {
                break;
            }
        }
        out
    }

    /// Ends a [`Connection::run_ahead`], keeping what its first `kept`
    /// statements did and undoing the rest (the other engine refused one
    /// before them, so the case never got there); `false` when the engine
    /// cannot undo them, having kept them. The default undoes nothing.
    fn keep_ahead(&mut self, kept: usize) -> bool {
        let _ = kept;
        false
    }

    /// Deletes the row the last INSERT added (outside a case: a committed
    /// parent row only one engine accepted).
    fn undo_last_insert(&mut self, table: &str) -> Result<()>;

    /// A query returning one row: the largest `column` of `table` and the
    /// automatic id the engine would assign next; `None` when the engine
    /// assigns none.
    fn next_id_query(&mut self, table: &str, column: &str) -> Option<String>;

    /// Statements run as prepared statements so far ([`Sql::insert`]),
    /// for the benchmark and the tests that prove the path is taken.
    fn prepared_runs(&self) -> u64 {
        0
    }

    /// Messages sent to the engine's server so far (none for an engine in
    /// this process): what the benchmark counts per case.
    fn round_trips(&self) -> u64;
}
