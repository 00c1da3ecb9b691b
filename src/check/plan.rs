//! What the behavioural checks need from a build: the [`Plan`] of a run
//! (the tables with their value domains, their order and references, the
//! two schemas, the config and the run's knobs), its [`Budget`], and the
//! workers it prepares. (The `suite` module at the crate's root is the
//! libtest-mimic suite that runs a plan as tests.) The jobs it runs are in `jobs.rs`, how a property is driven in
//! `drive.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use crate::build::Databases;
use crate::config::Config;
use crate::error::Result;
use crate::mapping::Probed;
use crate::model::schema::Schema;

use super::lookup::FreedSeed;
use super::sql::Statement;
use super::tables::{self, TableInfo};
use super::worker::Worker;

/// Everything the behavioural checks need from a build, without the connections.
pub struct Plan {
    pub tables: BTreeMap<String, TableInfo>,
    pub order: Vec<String>,
    /// parent table → (child table, index of the FK in the child's SQLite FKs).
    pub children: BTreeMap<String, Vec<(String, usize)>>,
    pub cases: u32,
    pub seed: u64,
    pub sqlite: Schema,
    pub pg: Schema,
    /// The pairings no mapping rule covers, as the build probed them.
    pub probed: Probed,
    pub config: Config,
    /// Shrink a failing case to a minimal witness (mutation testing only
    /// needs to know that a case fails, and turns this off).
    pub shrink: bool,
    /// The tables [`Self::run_all`] checks (`--only`); all when `None`. The
    /// others still provide parent and child rows.
    pub checked: Option<BTreeSet<String>>,
    /// Where proptest keeps the seeds of failing cases, one file per
    /// property (`<dir>/<table>.<check>[.<part>].txt`), and replays them
    /// before any new case; `None` keeps no seeds (the CLI, mutation runs).
    pub failure_seeds: Option<std::path::PathBuf>,
    /// Lookup tables whose seed rows each worker deletes to make room for
    /// new rows (see [`super::lookup`]).
    pub freed: BTreeMap<String, FreedSeed>,
    /// Cases run so far, counted as they run (shared with whoever reports
    /// progress: `fuzz` shares one counter over its rounds).
    pub counter: Arc<AtomicU64>,
    /// When to stop starting new (table, property) jobs; `None`: run all.
    pub budget: Option<Budget>,
}

/// A limit on a run: no new job starts past the deadline or once the
/// counter has reached `max_cases`.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub deadline: Option<std::time::Instant>,
    pub max_cases: Option<u64>,
}

impl Budget {
    /// Whether the budget is spent, `cases` having run.
    pub fn spent(&self, cases: u64) -> bool {
        self.deadline
            .is_some_and(|d| std::time::Instant::now() >= d)
            || self.max_cases.is_some_and(|m| cases >= m)
    }
}

/// Rows of parent data each worker commits per table.
pub const PARENTS_PER_TABLE: usize = 3;

impl Plan {
    pub fn new(built: &Databases, config: &Config, cases: u32, seed: u64) -> Self {
        Self::from_schemas(&built.sqlite, &built.pg, &built.probed, config, cases, seed)
    }

    /// A suite over two introspected schemas, the pairings no mapping rule
    /// covers judged by `probed`.
    pub fn from_schemas(
        sqlite: &Schema,
        pg: &Schema,
        probed: &Probed,
        config: &Config,
        cases: u32,
        seed: u64,
    ) -> Self {
        let mut tables = tables::tables(sqlite, pg, probed, config);
        let freed = super::lookup::free(sqlite, &mut tables);
        super::trigger_rows::read(&mut tables);
        let order = tables::topological(&tables);
        let mut children: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
        for (name, t) in &tables {
            for (i, fk) in t.foreign_keys.iter().enumerate() {
                if tables.contains_key(&fk.target_table) && fk.target_table != *name {
                    children
                        .entry(fk.target_table.clone())
                        .or_default()
                        .push((name.clone(), i));
                }
            }
        }
        Plan {
            tables,
            order,
            children,
            cases,
            seed,
            sqlite: sqlite.clone(),
            pg: pg.clone(),
            probed: probed.clone(),
            config: config.clone(),
            shrink: true,
            checked: None,
            failure_seeds: None,
            freed,
            counter: Arc::new(AtomicU64::new(0)),
            budget: None,
        }
    }

    /// The `DELETE`s of seed rows a witness made of `parents` and `steps`
    /// needs first: those of every lookup table it writes (see
    /// [`super::lookup`]).
    pub fn room_for(&self, parents: &[Statement], steps: &[&Statement]) -> Vec<Statement> {
        self.freed
            .iter()
            .filter(|(t, _)| {
                parents
                    .iter()
                    .chain(steps.iter().copied())
                    .any(|s| &s.table == *t)
            })
            .filter_map(|(_, f)| f.delete.clone())
            .collect()
    }

    /// The type SQLite declares for `table.column` (empty when unknown).
    pub fn sqlite_type(&self, table: &str, column: &str) -> String {
        (self.sqlite.tables.get(table))
            .and_then(|t| t.column(column))
            .map(|c| c.declared_type.clone())
            .unwrap_or_default()
    }

    /// `tables` and every table they reference, directly or not: where a
    /// check on them needs parent rows.
    pub fn with_ancestors(&self, tables: &BTreeSet<String>) -> BTreeSet<String> {
        let mut needed = tables.clone();
        let mut stack: Vec<String> = tables.iter().cloned().collect();
        while let Some(t) = stack.pop() {
            for fk in self.tables.get(&t).map_or(&[][..], |i| &i.foreign_keys[..]) {
                if needed.insert(fk.target_table.clone()) {
                    stack.push(fk.target_table.clone());
                }
            }
        }
        needed
    }

    /// A worker with its own database copies and parent rows.
    pub fn worker(&self, built: &Databases, index: usize) -> Result<Worker> {
        let mut w = Worker::new(&built.sqlite_conn, &built.database, index)?;
        self.seed_worker(&mut w)?;
        Ok(w)
    }

    /// Commits the parent rows a new worker ([`Worker::new`]) needs for
    /// the checked tables (all when every table is checked).
    pub fn seed_worker(&self, w: &mut Worker) -> Result<()> {
        // Checked tables, their children (cascade inserts child rows), and
        // every ancestor of those: the tables that need parent rows.
        let needed = self.checked.as_ref().map(|checked| {
            let mut reach = checked.clone();
            for t in checked {
                reach.extend(
                    self.children
                        .get(t)
                        .into_iter()
                        .flatten()
                        .map(|(c, _)| c.clone()),
                );
            }
            self.with_ancestors(&reach)
        });
        self.seed(w, needed.as_ref())
    }

    /// Commits `w`'s parent rows for `only` these tables (all when `None`).
    pub fn seed(&self, w: &mut Worker, only: Option<&BTreeSet<String>>) -> Result<()> {
        w.seed_parents(
            &self.tables,
            &self.order,
            &self.freed,
            self.seed,
            PARENTS_PER_TABLE,
            only,
        )?;
        w.mark_sequences()
    }
}
