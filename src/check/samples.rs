//! The user's own values (`check --values-from FILE.db`): up to N distinct
//! values per column read from an existing SQLite database, drawn by the
//! strategies beside their own so the properties also run on the shapes of
//! the user's data. Only values the column's agreed domain holds are kept
//! (a value the engines already disagree on is `replay`'s to report, and a
//! probe aimed at a difference makes its own).

use super::Plan;
use crate::engine::sqlite;
use crate::error::Result;

/// Distinct values read per column when `--values-per-column` is not given.
pub const PER_COLUMN: usize = 32;

/// What a run took from the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sampled {
    /// Columns that got at least one value.
    pub columns: usize,
    /// Values kept, over all columns.
    pub values: usize,
    /// Values read but left out: outside their column's agreed domain, or
    /// of a kind the domain cannot judge (a pattern, JSON, a uuid column).
    pub outside: usize,
}

impl Plan {
    /// Reads up to `per_column` distinct values of every checked column
    /// from `db` (tables and columns matched by name) into the columns'
    /// strategies.
    pub fn sample_values(&mut self, db: &sqlite::Database, per_column: usize) -> Result<Sampled> {
        let mut sampled = Sampled::default();
        for (table, info) in &mut self.tables {
            let names: Vec<String> = info.columns.iter().map(|c| c.name.clone()).collect();
            for (column, values) in db.distinct_values(table, &names, per_column)? {
                let Some(c) = info.columns.iter_mut().find(|c| c.name == column) else {
                    continue;
                };
                let (held, outside): (Vec<_>, Vec<_>) = values
                    .iter()
                    .map(crate::model::schema::Value::lit)
                    .partition(|v| c.spec.domain.holds(v));
                sampled.outside += outside.len();
                if held.is_empty() {
                    continue;
                }
                sampled.columns += 1;
                sampled.values += held.len();
                c.sqlite_spec.samples.clone_from(&held);
                c.spec.samples = held;
            }
        }
        Ok(sampled)
    }
}
