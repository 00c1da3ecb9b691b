//! A worker: its own copy of each database (SQLite: a copy of the pristine
//! in-memory database; PostgreSQL: a database cloned from the migrated one by
//! `CREATE DATABASE … TEMPLATE`), a committed FK-consistent set of parent
//! rows, and a case at a time run on both, inside a transaction that is
//! always rolled back. How each engine runs a case is the engine's
//! ([`engine::Connection`]); the worker decides which statements to run.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config as PtConfig, RngAlgorithm, TestRng, TestRunner};
use schema_parity_strategies::{Lit, plain_row};

use crate::domain::TableInfo;
use crate::engine::{self, Both, postgres, sqlite};
use crate::error::{Error, Result};
use crate::provision::ScratchDatabase;
use crate::schema::Value;

use super::lookup::FreedSeed;
use super::outcome::Outcome;
use super::sql::{self, Statement, lit_postgres, lit_sqlite};

/// The automatic-id state of one table on both engines.
#[derive(Debug, Clone)]
pub struct SequenceState {
    pub statement: Statement,
    pub outcome: Both<Outcome>,
}

impl SequenceState {
    /// `(largest id, next automatic id)` from one engine's outcome.
    pub fn read(o: &Outcome) -> Option<(i64, i64)> {
        match o.rows().first().map(Vec::as_slice) {
            Some([Value::Integer(max), Value::Integer(next)]) => Some((*max, *next)),
            _ => None,
        }
    }
}

/// A row committed in both databases that children may reference.
#[derive(Debug, Clone)]
pub struct ParentRow {
    pub sqlite: BTreeMap<String, Value>,
    pub postgres: BTreeMap<String, Value>,
    /// One-to-one foreign keys `(child table, fk index)` that a committed
    /// child row already uses this row for: a case must pick another.
    pub claimed: BTreeSet<(String, usize)>,
}

pub struct Worker {
    /// Each engine's copy of the database.
    db: Both<Box<dyn engine::Connection>>,
    _scratch: ScratchDatabase,
    pub parents: BTreeMap<String, Vec<ParentRow>>,
    /// Per auto-increment table, right after the migrations: the largest id
    /// and the next automatic id on each engine, and how that was read.
    pub sequence_probe: BTreeMap<String, SequenceState>,
    /// Time spent in each engine's calls so far (for the benchmark):
    /// PostgreSQL's is the driver's and the server's together.
    pub time: Both<std::time::Duration>,
    /// Statements a case announced ([`Self::ahead`]) that both engines
    /// have run, with their outcomes, in order: [`Self::run_sql`] hands
    /// them out as the case gets to them.
    ahead: VecDeque<(Both<String>, Both<Outcome>)>,
}

impl Worker {
    /// Clones both pristine databases for worker `index`.
    pub fn new(
        pristine: &sqlite::Database,
        template: &ScratchDatabase,
        index: usize,
    ) -> Result<Self> {
        let db = template.copy(&format!("{}_w{index}", template.name))?;
        Self::on(pristine, db)
    }

    /// A worker on a copy of `pristine` and on `db` itself (which it owns
    /// and drops), e.g. a mutant's database used once.
    pub fn on(pristine: &sqlite::Database, db: ScratchDatabase) -> Result<Self> {
        let sqlite = sqlite::Connection::new(pristine.copy()?)?;
        let postgres = postgres::Connection::new(db.connect()?);
        Ok(Worker {
            db: Both {
                sqlite: Box::new(sqlite),
                postgres: Box::new(postgres),
            },
            _scratch: db,
            parents: BTreeMap::new(),
            sequence_probe: BTreeMap::new(),
            time: Both::default(),
            ahead: VecDeque::new(),
        })
    }

    /// Starts a case on both engines.
    pub fn begin(&mut self) -> Result<()> {
        self.ahead.clear();
        self.db.sqlite.begin()?;
        self.db.postgres.begin()
    }

    /// Ends a case, undoing everything it did; an error when a connection
    /// broke during it.
    pub fn rollback(&mut self) -> Result<()> {
        self.ahead.clear();
        self.db.postgres.rollback()?;
        self.db.sqlite.rollback()
    }

    /// Runs one statement on both engines.
    pub fn run(&mut self, stmt: &Statement) -> Both<Outcome> {
        self.run_sql(Both {
            sqlite: &stmt.sqlite,
            postgres: &stmt.postgres,
        })
    }

    /// Runs each engine's text on it, SQLite's first.
    pub fn run_sql(&mut self, sql: Both<&str>) -> Both<Outcome> {
        if self
            .ahead
            .front()
            .is_some_and(|(texts, _)| texts.sqlite == sql.sqlite && texts.postgres == sql.postgres)
            && let Some((_, outcome)) = self.ahead.pop_front()
        {
            return outcome;
        }
        self.ahead.clear();
        let started = std::time::Instant::now();
        let sqlite = self.db.sqlite.run(sql.sqlite);
        let between = std::time::Instant::now();
        let postgres = self.db.postgres.run(sql.postgres);
        self.time.sqlite += between - started;
        self.time.postgres += between.elapsed();
        Both { sqlite, postgres }
    }

    /// Runs `statements` — what the case runs next, in this order, for as
    /// long as both engines accept each — in as few round trips as the
    /// engines can ([`engine::Connection::run_ahead`]: PostgreSQL's one),
    /// keeping their outcomes for [`Self::run`] to hand out as the case
    /// gets to them. SQLite goes first, up to its first refusal; PostgreSQL
    /// gets those statements and stops at its own first refusal; what
    /// SQLite ran past that is undone. So each engine runs what the case,
    /// one statement at a time, would have — provided the case goes on
    /// while both engines accept: after a step at which it may stop though
    /// both accepted, only reads may follow.
    pub fn ahead(&mut self, statements: &[&Statement]) {
        self.ahead.clear();
        if statements.len() < 2 {
            return;
        }
        let sqlite_sql: Vec<&str> = statements.iter().map(|s| s.sqlite.as_str()).collect();
        let postgres_sql: Vec<&str> = statements.iter().map(|s| s.postgres.as_str()).collect();
        let started = std::time::Instant::now();
        let sqlite = self.db.sqlite.run_ahead(&sqlite_sql);
        let between = std::time::Instant::now();
        let postgres = self.db.postgres.run_ahead(&postgres_sql[..sqlite.len()]);
        let after = std::time::Instant::now();
        // SQLite undoes what it ran past PostgreSQL's refusal (it cannot
        // only when a conflict resolved by ROLLBACK ended its transaction,
        // which the outcomes handed out already show).
        let _ = self.db.sqlite.keep_ahead(postgres.len());
        self.time.sqlite += between - started + after.elapsed();
        self.time.postgres += after - between;
        self.ahead = statements
            .iter()
            .zip(sqlite)
            .zip(postgres)
            .map(|((st, sqlite), postgres)| {
                (
                    Both {
                        sqlite: st.sqlite.clone(),
                        postgres: st.postgres.clone(),
                    },
                    Both { sqlite, postgres },
                )
            })
            .collect();
    }

    /// Messages sent to a server so far (for the benchmark).
    pub fn round_trips(&self) -> u64 {
        self.db.sqlite.round_trips() + self.db.postgres.round_trips()
    }

    /// Inserts a small committed dataset per table, parents first, reading
    /// back what each engine stored (ids and random keys differ per engine);
    /// for `only` these tables, all when `None`.
    pub fn seed_parents(
        &mut self,
        tables: &BTreeMap<String, TableInfo>,
        order: &[String],
        freed: &BTreeMap<String, FreedSeed>,
        seed: u64,
        per_table: usize,
        only: Option<&BTreeSet<String>>,
    ) -> Result<()> {
        let mut runner = TestRunner::new_with_rng(
            PtConfig::default(),
            TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes(seed)),
        );
        // Lookup tables first make room for new rows (see `lookup`).
        for (name, f) in freed {
            let Both {
                sqlite: s,
                postgres: p,
            } = self.run(&f.delete);
            let why = |o: &Outcome| format!("{} (deleting seed rows of {name})", o.describe());
            if !s.is_ok() {
                return Err(Error::sqlite(why(&s)));
            }
            if !p.is_ok() {
                return Err(Error::postgres(why(&p)));
            }
        }
        self.probe_sequences(tables, only);
        // PARITY_DEBUG_PARENTS=1 says why a table gets no parent rows.
        let debug = std::env::var_os("PARITY_DEBUG_PARENTS").is_some();
        for name in order {
            let Some(info) = tables.get(name) else {
                continue;
            };
            if only.is_some_and(|o| !o.contains(name)) {
                continue;
            }
            // A lookup table's parent rows take the values freed for them.
            let narrowed;
            let info = match freed.get(name) {
                Some(f) if f.parent_values.is_empty() => {
                    self.parents.insert(name.clone(), Vec::new());
                    continue;
                }
                Some(f) => {
                    let mut t = info.clone();
                    if let Some(c) = t.columns.iter_mut().find(|c| c.name == f.column) {
                        c.spec.domain =
                            schema_parity_strategies::Domain::OneOf(f.parent_values.clone());
                    }
                    narrowed = t;
                    &narrowed
                }
                None => info,
            };
            let mut rows = Vec::new();
            let full: Vec<_> = info
                .insertable()
                .filter(|c| !c.from_fk && !c.missing_on_pg)
                .map(|c| c.spec.clone())
                .collect();
            // Rows with only the required columns pass far more multi-column
            // CHECKs (NULL satisfies a CHECK); alternate with full rows.
            let required: Vec<_> = info
                .insertable()
                .filter(|c| !c.from_fk && !c.missing_on_pg)
                // Key columns too: a seeded row holding a key's default
                // would refuse every later row that leaves it out.
                .filter(|c| {
                    c.not_null && !c.has_default
                        || c.default_differs
                        || info
                            .uniques
                            .iter()
                            .any(|u| u.iter().any(|(n, _)| n == &c.name))
                })
                .map(|c| c.spec.clone())
                .collect();
            let (full_s, required_s) = (plain_row(&full), plain_row(&required));
            // A one-to-one child uses up its parent rows: seed it on at most
            // half of the free ones so cases still find a free parent.
            let cap = (0..info.foreign_keys.len())
                .filter(|&k| info.one_to_one(k) && info.foreign_keys[k].target_table != *name)
                .map(|k| free_parents(info, k, &self.parents).len() / 2)
                .fold(per_table, usize::min);
            for attempt in 0..(per_table * 80) {
                if rows.len() >= cap {
                    break;
                }
                let (specs, strategy) = if attempt % 2 == 0 {
                    (&required, &required_s)
                } else {
                    (&full, &full_s)
                };
                let Ok(tree) = strategy.new_tree(&mut runner) else {
                    break;
                };
                let values = tree.current();
                // A committed row holding a unique column's default would
                // refuse every later row that leaves that column out (the
                // default check could then test nothing).
                if specs
                    .iter()
                    .zip(&values)
                    .any(|(spec, v)| holds_unique_default(info, &spec.name, v))
                {
                    continue;
                }
                let pick = rows.len();
                // Every other attempt leaves the optional references NULL.
                let fk_pick = if attempt % 4 >= 2 { NULL_PICK } else { pick };
                let Some(stmt) =
                    insert_statement(info, specs, &values, &self.parents, |_| fk_pick, true)
                else {
                    if debug {
                        eprintln!("no row for {name}: a required parent table has no rows");
                    }
                    break;
                };
                let Both {
                    sqlite: s,
                    postgres: p,
                } = self.run(&stmt);
                if debug && !(s.is_ok() && p.is_ok()) && attempt < 6 {
                    eprintln!(
                        "parent row for {name} refused:\n  {}\n  SQLite: {}\n  PostgreSQL: {}",
                        stmt.sqlite,
                        s.describe(),
                        p.describe()
                    );
                }
                match (s, p) {
                    (Outcome::Ok(srows), Outcome::Ok(prows))
                        if !srows.is_empty() && !prows.is_empty() =>
                    {
                        let cols: Vec<String> =
                            info.columns.iter().map(|c| c.name.clone()).collect();
                        rows.push(ParentRow {
                            sqlite: cols.iter().cloned().zip(srows[0].iter().cloned()).collect(),
                            postgres: cols.iter().cloned().zip(prows[0].iter().cloned()).collect(),
                            claimed: BTreeSet::new(),
                        });
                        self.claim_parents(info, pick);
                    }
                    (Outcome::Ok(_), _) => {
                        // Accepted only by SQLite: undo so both stay in step.
                        let _ = self.db.sqlite.undo_last_insert(&info.name);
                    }
                    (_, Outcome::Ok(_)) => {
                        let _ = self.db.postgres.undo_last_insert(&info.name);
                    }
                    _ => {}
                }
            }
            if debug && rows.is_empty() {
                eprintln!("no parent rows for {name}");
            }
            self.parents.insert(name.clone(), rows);
        }
        Ok(())
    }

    /// Reads, before anything is inserted, the next automatic id each engine
    /// would assign (see [`engine::Connection::next_id_query`]), for `only`
    /// these tables (all when `None`).
    fn probe_sequences(
        &mut self,
        tables: &BTreeMap<String, TableInfo>,
        only: Option<&BTreeSet<String>>,
    ) {
        for (name, info) in tables {
            if only.is_some_and(|o| !o.contains(name)) {
                continue;
            }
            let Some(id) = info.columns.iter().find(|c| c.auto_increment) else {
                continue;
            };
            let Some(sqlite) = self.db.sqlite.next_id_query(name, &id.name) else {
                continue;
            };
            let Some(postgres) = self.db.postgres.next_id_query(name, &id.name) else {
                continue;
            };
            let statement = Statement {
                sqlite,
                postgres,
                ..Statement::default()
            };
            let outcome = self.run(&statement);
            self.sequence_probe
                .insert(name.clone(), SequenceState { statement, outcome });
        }
    }

    /// Marks the parent rows a just-seeded row of `info` took through its
    /// one-to-one foreign keys.
    fn claim_parents(&mut self, info: &TableInfo, pick: usize) {
        for k in 0..info.foreign_keys.len() {
            if !info.one_to_one(k) {
                continue;
            }
            let free = free_parents(info, k, &self.parents);
            if free.is_empty() {
                continue;
            }
            let i = free[pick % free.len()];
            if let Some(row) = self
                .parents
                .get_mut(&info.foreign_keys[k].target_table)
                .and_then(|rows| rows.get_mut(i))
            {
                row.claimed.insert((info.name.clone(), k));
            }
        }
    }
}

impl Worker {
    /// The committed parent rows a case's statements reference, and the
    /// rows those reference in turn, as INSERTs of every stored value
    /// (automatic ids included), parents first: what a witness needs to
    /// replay on fresh databases. A reference is matched by the literal the
    /// statement sets; a key the case inserts itself is not a seeded row.
    pub fn parent_inserts(
        &self,
        steps: &[&Statement],
        tables: &BTreeMap<String, TableInfo>,
        order: &[String],
    ) -> Vec<Statement> {
        let mut needed: BTreeSet<(String, usize)> = BTreeSet::new();
        let mut stack: Vec<(String, usize)> = Vec::new();
        let find = |target: &str, keys: &[(String, String)]| -> Option<(String, usize)> {
            let rows = self.parents.get(target)?;
            let i = rows.iter().position(|r| {
                keys.iter().all(|(c, lit)| {
                    r.sqlite
                        .get(c)
                        .is_some_and(|v| sql::value_sqlite(v) == *lit)
                })
            })?;
            Some((target.to_string(), i))
        };
        for (at, st) in steps.iter().enumerate() {
            let Some(info) = tables.get(&st.table) else {
                continue;
            };
            for fk in &info.foreign_keys {
                let keys: Option<Vec<(String, String)>> = fk
                    .columns
                    .iter()
                    .zip(&fk.target_columns)
                    .map(|(c, t)| {
                        let lit = st.set.iter().find(|(n, _, _)| n == c)?.1.clone();
                        (lit != "NULL").then_some((t.clone(), lit))
                    })
                    .collect();
                let Some(keys) = keys else { continue };
                // The case's own earlier row with this key is the parent.
                let own = steps[..at].iter().any(|p| {
                    p.table == fk.target_table
                        && keys
                            .iter()
                            .all(|(t, lit)| p.set.iter().any(|(n, s, _)| n == t && s == lit))
                });
                if !own
                    && let Some(hit) = find(&fk.target_table, &keys)
                    && needed.insert(hit.clone())
                {
                    stack.push(hit);
                }
            }
        }
        while let Some((table, i)) = stack.pop() {
            let (Some(info), Some(row)) = (
                tables.get(&table),
                self.parents.get(&table).and_then(|r| r.get(i)),
            ) else {
                continue;
            };
            for fk in info
                .foreign_keys
                .iter()
                .filter(|fk| fk.target_table != table)
            {
                let keys: Option<Vec<(String, String)>> = fk
                    .columns
                    .iter()
                    .zip(&fk.target_columns)
                    .map(|(c, t)| match row.sqlite.get(c) {
                        Some(Value::Null) | None => None,
                        Some(v) => Some((t.clone(), sql::value_sqlite(v))),
                    })
                    .collect();
                if let Some(hit) = keys.and_then(|k| find(&fk.target_table, &k))
                    && needed.insert(hit.clone())
                {
                    stack.push(hit);
                }
            }
        }
        let rank = |t: &str| order.iter().position(|o| o == t).unwrap_or(usize::MAX);
        let mut needed: Vec<(String, usize)> = needed.into_iter().collect();
        needed.sort_by_key(|(t, i)| (rank(t), *i));
        needed
            .iter()
            .filter_map(|(table, i)| {
                let info = tables.get(table)?;
                let row = self.parents.get(table)?.get(*i)?;
                let cols: Vec<(String, String, String)> = info
                    .columns
                    .iter()
                    .filter(|c| !c.missing_on_pg && !c.generated)
                    .map(|c| {
                        let s = row.sqlite.get(&c.name).unwrap_or(&Value::Null);
                        let p = row.postgres.get(&c.name).unwrap_or(&Value::Null);
                        (
                            c.name.clone(),
                            sql::value_sqlite(s),
                            sql::value_postgres(p, &c.pg_kind),
                        )
                    })
                    .collect();
                Some(sql::insert(table, &cols, &[]))
            })
            .collect()
    }
}

/// Whether `v` is the default of `column`, a column that is a unique key
/// on its own.
fn holds_unique_default(info: &TableInfo, column: &str, v: &Lit) -> bool {
    use crate::expr::DefaultValue;
    let alone = info
        .uniques
        .iter()
        .any(|u| matches!(u.as_slice(), [(n, _)] if n == column));
    let Some(c) = info.column(column).filter(|_| alone) else {
        return false;
    };
    match (&c.default, v) {
        (DefaultValue::Text(d), Lit::Text(t)) => d == t,
        (DefaultValue::Integer(d), Lit::Int(i)) => *d == i128::from(*i),
        (DefaultValue::Bool(d), Lit::Int(i)) => i64::from(*d) == *i,
        (DefaultValue::Blob(d), Lit::Blob(b)) => d == b,
        _ => false,
    }
}

pub fn seed_bytes(seed: u64) -> [u8; 32] {
    let mut b = [0u8; 32];
    for (i, chunk) in b.chunks_mut(8).enumerate() {
        let v = seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(u64::try_from(i).unwrap_or(0));
        chunk.copy_from_slice(&v.to_le_bytes());
    }
    b
}

/// Indices of the parent rows foreign key `k` of `info` may reference: all
/// of them, less those a committed row took for a one-to-one key.
pub fn free_parents(
    info: &TableInfo,
    k: usize,
    parents: &BTreeMap<String, Vec<ParentRow>>,
) -> Vec<usize> {
    let Some(rows) = info
        .foreign_keys
        .get(k)
        .and_then(|fk| parents.get(&fk.target_table))
    else {
        return Vec::new();
    };
    let one_to_one = info.one_to_one(k);
    rows.iter()
        .enumerate()
        .filter(|(_, r)| !one_to_one || !r.claimed.contains(&(info.name.clone(), k)))
        .map(|(i, _)| i)
        .collect()
}

/// A parent pick at or past this leaves a reference NULL where both engines
/// allow it (picks are drawn from `0..64`: one in eight).
pub const NULL_PICK: usize = 56;

/// Builds the INSERT for a generated row: generated columns from `values`
/// (in `specs` order), foreign-key columns from the parent row `pick(fk)`
/// chooses. `None` when a required parent is missing.
pub fn insert_statement(
    info: &TableInfo,
    specs: &[schema_parity_strategies::ColumnSpec],
    values: &[Lit],
    parents: &BTreeMap<String, Vec<ParentRow>>,
    pick: impl Fn(usize) -> usize,
    returning_all: bool,
) -> Option<Statement> {
    let mut cols: Vec<(String, String, String)> = Vec::new();
    for (spec, v) in specs.iter().zip(values) {
        let kind = &info.column(&spec.name)?.pg_kind;
        cols.push((spec.name.clone(), lit_sqlite(v), lit_postgres(v, kind)));
    }
    for (k, fk) in info.foreign_keys.iter().enumerate() {
        let rows = parents
            .get(&fk.target_table)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let free = free_parents(info, k, parents);
        let nullable = fk
            .columns
            .iter()
            .all(|c| info.column(c).is_some_and(|ci| !ci.not_null));
        // A reference both sides let be NULL is left NULL for a pick past
        // NULL_PICK: a CHECK such as `a_id IS NULL OR b_id IS NULL` needs it.
        let null_on_both = nullable
            && fk
                .columns
                .iter()
                .all(|c| info.column(c).is_some_and(|ci| !ci.pg_not_null));
        if free.is_empty() || fk.target_table == info.name || null_on_both && pick(k) >= NULL_PICK {
            if !nullable {
                if std::env::var_os("PARITY_DEBUG_PARENTS").is_some() {
                    eprintln!(
                        "no row for {}: its reference ({}) to {} is NOT NULL and no parent row is free",
                        info.name,
                        fk.columns.join(", "),
                        fk.target_table
                    );
                }
                return None;
            }
            for c in &fk.columns {
                // Two foreign keys may share a column (a rebuilt table that
                // kept both): it is set once.
                if !cols.iter().any(|(n, _, _)| n == c) {
                    cols.push((c.clone(), "NULL".into(), "NULL".into()));
                }
            }
            continue;
        }
        let parent = &rows[free[pick(k) % free.len()]];
        for (c, t) in fk.columns.iter().zip(&fk.target_columns) {
            if cols.iter().any(|(n, _, _)| n == c) {
                continue;
            }
            let kind = &info.column(c)?.pg_kind;
            let sv = parent
                .sqlite
                .get(t)
                .map_or("NULL".into(), sql::value_sqlite);
            let pv = parent
                .postgres
                .get(t)
                .map_or("NULL".into(), |v| sql::value_postgres(v, kind));
            cols.push((c.clone(), sv, pv));
        }
    }
    let returning: Vec<String> = if returning_all {
        info.columns.iter().map(|c| c.name.clone()).collect()
    } else {
        Vec::new()
    };
    Some(sql::insert(&info.name, &cols, &returning))
}
