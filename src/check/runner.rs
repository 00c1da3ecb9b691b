//! Runs one property on one table with proptest: draws cases, replays each
//! on both engines inside a rolled-back transaction, shrinks a mismatch to a
//! minimal case and turns it into a [`Finding`] with its witness.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use proptest::strategy::Strategy;
use proptest::test_runner::{
    Config as PtConfig, FailurePersistence, FileFailurePersistence, RngAlgorithm, TestCaseError,
    TestError, TestRng, TestRunner,
};

use crate::built::Built;
use crate::config::Config;
use crate::domain::{self, TableInfo};
use crate::error::{Error, Result};
use crate::finding::{Category, CheckKind, Finding, Witness};
use crate::progress::Progress;
use crate::schema::Schema;

use super::lookup::FreedSeed;
use super::outcome::{Outcome, RejectionKind};
use super::quirks::Quirk;
use super::sql::Statement;
use super::worker::{Worker, seed_bytes};

/// What one case showed.
pub enum Verdict {
    Same,
    /// Neither engine accepted the generated data: not a test of anything.
    Discard,
    Quirk(Quirk),
    Differ(Difference),
}

pub struct Difference {
    /// The view the difference shows through, when not the case's table.
    pub on: Option<String>,
    pub category: Category,
    pub columns: Vec<String>,
    pub message: String,
    pub sqlite: String,
    pub postgres: String,
}

/// The statements of a case and what each engine did.
#[derive(Default)]
pub struct Transcript {
    pub steps: Vec<(Statement, Outcome, Outcome)>,
}

impl Transcript {
    pub fn run(&mut self, w: &mut Worker, stmt: Statement) -> (Outcome, Outcome) {
        let crate::engine::Both {
            sqlite: s,
            postgres: p,
        } = w.run(&stmt);
        self.steps.push((stmt, s.clone(), p.clone()));
        (s, p)
    }

    /// The last step's outcomes, in one line.
    pub fn summary(&self) -> String {
        let Some((_, s, p)) = self.steps.last() else {
            return "no statement could be built (a required parent row is missing)".into();
        };
        let cut = |o: &Outcome| o.describe().chars().take(160).collect::<String>();
        format!("SQLite: {}; PostgreSQL: {}", cut(s), cut(p))
    }

    pub fn witness(&self) -> Witness {
        self.witness_with(Vec::new(), Vec::new())
    }

    /// The witness preceded by `freed` (the seed rows a worker deleted to
    /// make room, see [`super::lookup`]) and the committed `parents` rows
    /// it references (see [`Worker::parent_inserts`]), so that it replays
    /// on fresh databases; the outcomes are the case's own steps, numbered
    /// after them.
    pub fn witness_with(&self, freed: Vec<Statement>, parents: Vec<Statement>) -> Witness {
        let skip = freed.len() + parents.len();
        let span = |from: usize, n: usize| match n {
            1 => format!("{from}"),
            n => format!("{from}-{}", from + n - 1),
        };
        let mut lead = Vec::new();
        if !freed.is_empty() {
            lead.push(format!(
                "{}: seed rows deleted to make room",
                span(1, freed.len())
            ));
        }
        match parents.len() {
            0 => {}
            1 => lead.push(format!("{}: the parent row", span(freed.len() + 1, 1))),
            n => lead.push(format!("{}: the parent rows", span(freed.len() + 1, n))),
        }
        let outcome = |f: &dyn Fn(&(Statement, Outcome, Outcome)) -> &Outcome| {
            let steps = self
                .steps
                .iter()
                .enumerate()
                .map(|(i, st)| format!("{}: {}", skip + i + 1, f(st).describe()));
            lead.iter()
                .cloned()
                .chain(steps)
                .collect::<Vec<_>>()
                .join("; ")
        };
        let all = || {
            freed
                .iter()
                .chain(&parents)
                .chain(self.steps.iter().map(|(s, _, _)| s))
        };
        Witness {
            sqlite_sql: all().map(|s| format!("{};", s.sqlite)).collect(),
            postgres_sql: all().map(|s| format!("{};", s.postgres)).collect(),
            sqlite_outcome: outcome(&|st| &st.1),
            postgres_outcome: outcome(&|st| &st.2),
        }
    }
}

/// The category a rejection reason points at.
pub fn category_of(kind: RejectionKind) -> Category {
    match kind {
        RejectionKind::NotNull => Category::Nullability,
        RejectionKind::Unique => Category::Unique,
        RejectionKind::ForeignKey => Category::ForeignKey,
        RejectionKind::Check => Category::Check,
        RejectionKind::TypeRange | RejectionKind::Length | RejectionKind::Encoding => {
            Category::Type
        }
        RejectionKind::MissingColumn => Category::MissingColumn,
        RejectionKind::Other => Category::Other,
    }
}

/// The result of one (table, property).
#[derive(Debug, Default)]
pub struct PropertyReport {
    pub findings: Vec<Finding>,
    /// Inherent quirks seen (accepted findings, one per quirk).
    pub quirks: Vec<Finding>,
    pub cases_run: u64,
    pub discarded: u64,
    /// What the first discarded case ran into (for "not exercised").
    pub first_discard: Option<String>,
    /// Why the property does not apply to the table, when it does not.
    pub not_applicable: Option<String>,
    /// Why the property, though it applies, could not run a single case
    /// (decided at run time, e.g. no parent row both engines accept).
    pub blocked: Option<String>,
    /// A failure proptest found that did not show again when replayed:
    /// reported with both runs, never dropped.
    pub flaky: Option<String>,
}

impl PropertyReport {
    /// Why the property, though it applies, tested nothing: every case was
    /// discarded (refused by both engines, or no row could be made).
    pub fn not_exercised(&self) -> Option<String> {
        if let Some(why) = &self.blocked {
            return Some(format!("no case could run: {why}"));
        }
        (self.not_applicable.is_none() && self.cases_run > 0 && self.discarded == self.cases_run)
            .then(|| {
                format!(
                    "all {} cases were discarded, the first because {}",
                    self.cases_run,
                    self.first_discard
                        .as_deref()
                        .unwrap_or("no row could be built")
                )
            })
    }
}

/// What a whole behavioural run produced.
#[derive(Debug, Default)]
pub struct RunTotals {
    pub findings: Vec<Finding>,
    pub quirks: Vec<Finding>,
    pub cases_run: u64,
    pub discarded: u64,
    pub round_trips: u64,
    pub done: usize,
    pub not_applicable: Vec<String>,
    /// `table::check: why` for properties that applied but tested nothing.
    pub not_exercised: Vec<String>,
    /// Differences that did not reproduce on replay, with both runs.
    pub flaky: Vec<String>,
}

/// Everything the behavioural checks need from a build, without the connections.
pub struct Suite {
    pub tables: BTreeMap<String, TableInfo>,
    pub order: Vec<String>,
    /// parent table → (child table, index of the FK in the child's SQLite FKs).
    pub children: BTreeMap<String, Vec<(String, usize)>>,
    pub cases: u32,
    pub seed: u64,
    pub sqlite: Schema,
    pub pg: Schema,
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

/// Shrinking steps before proptest gives up on a smaller witness: a wide
/// table's row has dozens of values to shrink one by one (512 gave up on
/// real schemas, leaving edge values that were not the cause).
const SHRINK_ITERS: u32 = 4096;

/// Shrinking steps for the sequence property and the round-trip probes
/// (see [`Suite::runner`]).
const FEW_SHRINK_ITERS: u32 = 64;

/// The part name (`salt`) of a round-trip probe starts with this.
pub const PROBE_SALT: &str = "probe.";

/// The part name of a round-trip view comparison starts with this.
pub const VIEW_SALT: &str = "view.";

/// Rows of parent data each worker commits per table.
pub const PARENTS_PER_TABLE: usize = 3;

impl Suite {
    pub fn new(built: &Built, config: &Config, cases: u32, seed: u64) -> Self {
        Self::from_schemas(&built.sqlite, &built.pg, config, cases, seed)
    }

    /// A suite over two introspected schemas.
    pub fn from_schemas(
        sqlite: &Schema,
        pg: &Schema,
        config: &Config,
        cases: u32,
        seed: u64,
    ) -> Self {
        let mut tables = domain::tables(sqlite, pg, config);
        let freed = super::lookup::free(sqlite, &mut tables);
        let order = domain::topological(&tables);
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
        Suite {
            tables,
            order,
            children,
            cases,
            seed,
            sqlite: sqlite.clone(),
            pg: pg.clone(),
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
            .map(|(_, f)| f.delete.clone())
            .collect()
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

    /// Why `check` cannot apply to `table`, decided from the schema alone.
    pub fn not_applicable(&self, table: &str, check: CheckKind) -> Option<String> {
        let Some(info) = self.tables.get(table) else {
            return match check {
                CheckKind::Structure => None,
                _ => Some("the table is not on both sides (see the structure check)".into()),
            };
        };
        if check != CheckKind::Structure
            && check != CheckKind::SeedData
            && !self.freed.contains_key(table)
            && let Some(why) = super::lookup::why_not_applicable(&self.sqlite, info)
        {
            return Some(why);
        }
        match check {
            CheckKind::Cascade if self.children.get(table).is_none_or(Vec::is_empty) => {
                Some("no table references this one".into())
            }
            CheckKind::Sequence if !info.columns.iter().any(|c| c.auto_increment) => {
                Some("no automatic id (INTEGER PRIMARY KEY) in SQLite".into())
            }
            CheckKind::Default
                if !info
                    .columns
                    .iter()
                    .any(|c| c.has_default && !c.auto_increment) =>
            {
                Some("no column has a default in SQLite".into())
            }
            _ => None,
        }
    }

    /// Runs `checks` on every table with `workers` workers in parallel.
    pub fn run_all(
        &self,
        built: &Built,
        checks: &[CheckKind],
        workers: usize,
        progress: &dyn Progress,
    ) -> Result<RunTotals> {
        let mut jobs: Vec<(String, CheckKind)> = Vec::new();
        let checked = |t: &String| self.checked.as_ref().is_none_or(|c| c.contains(t));
        for t in self.tables.keys().filter(|t| checked(t)) {
            for c in checks {
                if matches!(c, CheckKind::Structure | CheckKind::SeedData) {
                    continue;
                }
                jobs.push((t.clone(), *c));
            }
        }
        let total = jobs.len();
        let planned = u64::from(self.cases);
        jobs.reverse();
        let queue = std::sync::Mutex::new(jobs);
        let totals = std::sync::Mutex::new(RunTotals::default());
        let first_error: std::sync::Mutex<Option<Error>> = std::sync::Mutex::new(None);
        let mut pool = Vec::new();
        for index in 0..workers.max(1) {
            progress.phase(&format!("preparing worker {}", index + 1));
            pool.push(self.worker(built, index)?);
        }
        let started_at = self.counter.load(Ordering::Relaxed);
        let running = AtomicBool::new(true);
        std::thread::scope(|scope| {
            // Cases done and the total they head for, a few times a second;
            // woken at once when the workers are done.
            let (totals_ref, running_ref) = (&totals, &running);
            let reporter = scope.spawn(move || {
                let report = || {
                    let done = self.counter.load(Ordering::Relaxed) - started_at;
                    let (jobs_done, jobs_cases) =
                        totals_ref.lock().map_or((0, 0), |t| (t.done, t.cases_run));
                    let estimate =
                        crate::progress::estimate(total, jobs_done, jobs_cases, done, planned);
                    progress.advance(done, estimate, "cases");
                };
                while running_ref.load(Ordering::Relaxed) {
                    report();
                    std::thread::park_timeout(std::time::Duration::from_millis(200));
                }
                report();
            });
            let stop_reporter = || {
                running.store(false, Ordering::Relaxed);
                reporter.thread().unpark();
            };
            let mut handles = Vec::new();
            for mut worker in pool {
                let (queue, totals, first_error) = (&queue, &totals, &first_error);
                handles.push(scope.spawn(move || {
                    loop {
                        if self
                            .budget
                            .is_some_and(|b| b.spent(self.counter.load(Ordering::Relaxed)))
                        {
                            break;
                        }
                        let job = queue.lock().ok().and_then(|mut q| q.pop());
                        let Some((table, check)) = job else { break };
                        if first_error.lock().is_ok_and(|f| f.is_some()) {
                            break;
                        }
                        match self.run(&mut worker, &table, check) {
                            Ok(r) => {
                                if let Ok(mut t) = totals.lock() {
                                    t.done += 1;
                                    t.cases_run += r.cases_run;
                                    t.discarded += r.discarded;
                                    if let Some(why) = &r.flaky {
                                        t.flaky.push(why.clone());
                                    }
                                    if let Some(why) = r.not_exercised() {
                                        t.not_exercised
                                            .push(format!("{table}::{}: {why}", check.name()));
                                    }
                                    if let Some(why) = r.not_applicable {
                                        t.not_applicable
                                            .push(format!("{table}::{}: {why}", check.name()));
                                    }
                                    t.findings.extend(r.findings);
                                    for q in r.quirks {
                                        if !t.quirks.iter().any(|x: &Finding| {
                                            x.id.ends_with(&q.id[q.id.rfind('.').unwrap_or(0)..])
                                        }) {
                                            t.quirks.push(q);
                                        }
                                    }
                                    progress.phase(&format!(
                                        "behaviour {}/{total}: {table}::{}",
                                        t.done,
                                        check.name()
                                    ));
                                }
                            }
                            Err(e) => {
                                if let Ok(mut f) = first_error.lock() {
                                    f.get_or_insert(e);
                                }
                                break;
                            }
                        }
                    }
                    if let Ok(mut t) = totals.lock() {
                        t.round_trips += worker.round_trips();
                    }
                }));
            }
            for h in handles {
                if let Err(panic) = h.join() {
                    stop_reporter();
                    std::panic::resume_unwind(panic);
                }
            }
            stop_reporter();
        });
        if let Some(e) = first_error.into_inner().ok().flatten() {
            return Err(e);
        }
        Ok(totals.into_inner().unwrap_or_default())
    }

    /// A worker with its own database copies and parent rows.
    pub fn worker(&self, built: &Built, index: usize) -> Result<Worker> {
        let mut w = Worker::new(&built.sqlite_conn, &built.database, index)?;
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
        w.seed_parents(
            &self.tables,
            &self.order,
            &self.freed,
            self.seed,
            PARENTS_PER_TABLE,
            needed.as_ref(),
        )?;
        Ok(w)
    }

    /// Runs `check` on `table`.
    pub fn run(
        &self,
        worker: &mut Worker,
        table: &str,
        check: CheckKind,
    ) -> Result<PropertyReport> {
        let Some(info) = self.tables.get(table) else {
            return Ok(PropertyReport {
                not_applicable: Some(
                    "the table is not on both sides (see the structure check)".into(),
                ),
                ..PropertyReport::default()
            });
        };
        if let Some(why) = self.not_applicable(table, check) {
            return Ok(PropertyReport {
                not_applicable: Some(why),
                ..PropertyReport::default()
            });
        }
        match check {
            CheckKind::RoundTrip => super::round_trip::run(self, worker, info),
            CheckKind::Constraint => super::constraint::run(self, worker, info),
            CheckKind::Cascade => super::cascade::run(self, worker, info),
            CheckKind::Default => super::default::run(self, worker, info),
            CheckKind::Sequence => super::sequence::run(self, worker, info),
            CheckKind::SeedData => {
                let mut only = Config {
                    skip_tables: self
                        .tables
                        .keys()
                        .filter(|t| *t != table)
                        .cloned()
                        .collect(),
                    ..self.config.clone()
                };
                only.accepts.clear();
                Ok(PropertyReport {
                    findings: crate::diff::seed_data(&self.sqlite, &self.pg, &only),
                    cases_run: 1,
                    ..PropertyReport::default()
                })
            }
            CheckKind::Structure => {
                let mut only = self.config.clone();
                only.skip_tables = self
                    .sqlite
                    .tables
                    .keys()
                    .chain(self.pg.tables.keys())
                    .filter(|t| *t != table)
                    .cloned()
                    .collect();
                only.accepts.clear();
                Ok(PropertyReport {
                    findings: crate::diff::structure(&self.sqlite, &self.pg, &only),
                    cases_run: 1,
                    ..PropertyReport::default()
                })
            }
        }
    }

    /// The proptest runner for (table, check): deterministic from the seed.
    pub fn runner(&self, table: &str, check: CheckKind, cases: u32, salt: &str) -> TestRunner {
        let mut h: u64 = self.seed ^ 0xcbf2_9ce4_8422_2325;
        for b in table
            .bytes()
            .chain(check.name().bytes())
            .chain(salt.bytes())
        {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        let failure_persistence = self.failure_seeds.as_ref().map(|dir| {
            let file = match salt {
                "" => format!("{table}.{}.txt", check.name()),
                _ => format!("{table}.{}.{salt}.txt", check.name()),
            };
            Box::new(FileFailurePersistence::Direct(static_path(&dir.join(file))))
                as Box<dyn FailurePersistence>
        });
        let config = PtConfig {
            cases,
            max_shrink_iters: match (self.shrink, check) {
                (false, _) => 0,
                // Which row a sequence case or a difference probe inserts
                // does not matter (its rows are tame, the probed value is
                // shrunk first, and the witness's columns are trimmed
                // after): shrinking wide rows value by value cost most of a
                // real schema's run, for no smaller witness.
                (true, CheckKind::Sequence) => FEW_SHRINK_ITERS,
                (true, CheckKind::RoundTrip)
                    if salt.starts_with(PROBE_SALT) || salt.starts_with(VIEW_SALT) =>
                {
                    FEW_SHRINK_ITERS
                }
                (true, _) => SHRINK_ITERS,
            },
            max_global_rejects: cases.saturating_mul(4),
            failure_persistence,
            ..PtConfig::default()
        };
        TestRunner::new_with_rng(
            config,
            TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes(h)),
        )
    }
}

/// `path` as the `&'static str` proptest's file persistence takes, leaked
/// once per distinct path (a run has one per property and part).
fn static_path(path: &std::path::Path) -> &'static str {
    static PATHS: std::sync::Mutex<BTreeSet<&'static str>> = std::sync::Mutex::new(BTreeSet::new());
    let path = path.to_string_lossy();
    let mut paths = PATHS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(p) = paths.get(path.as_ref()) {
        return p;
    }
    let p: &'static str = Box::leak(path.into_owned().into_boxed_str());
    paths.insert(p);
    p
}

/// A difference that an inherent engine quirk explains is that quirk, not a
/// finding: PostgreSQL refusing a NUL character, SQLite turning NaN into NULL.
fn explain_by_quirk(v: Verdict, t: &Transcript) -> Verdict {
    if !matches!(v, Verdict::Differ(_)) {
        return v;
    }
    for (stmt, s, p) in &t.steps {
        // A value inside the column's range cannot overflow bigint on its
        // own: "bigint out of range" comes from arithmetic (in a CHECK).
        if let Outcome::Rejected { message, .. } = p
            && message.contains("bigint out of range")
            && s.kind() != p.kind()
        {
            return Verdict::Quirk(super::quirks::INTEGER_OVERFLOW);
        }
        if p.kind() == Some(RejectionKind::Encoding) && stmt.postgres.contains("chr(0)") {
            return Verdict::Quirk(super::quirks::NUL_IN_TEXT);
        }
        if stmt.sqlite.contains("(9e999 - 9e999)") && s.kind() != p.kind() {
            return Verdict::Quirk(super::quirks::NAN_IS_NULL);
        }
        // A unique key one engine alone enforces on a value with letters
        // whose case folds outside ASCII: SQLite's lower() and NOCASE fold
        // ASCII only, PostgreSQL's lower() all of Unicode (an ASCII case
        // pair shows a real difference, and shrinking goes to ASCII).
        let unique = |o: &Outcome| o.kind() == Some(RejectionKind::Unique);
        if unique(s) != unique(p)
            && (s.is_ok() || p.is_ok())
            && stmt.set.iter().any(|(_, lit, _)| folds_beyond_ascii(lit))
        {
            return Verdict::Quirk(super::quirks::NOCASE_ASCII_ONLY);
        }
    }
    v
}

/// Whether `text` holds a non-ASCII letter with another case.
fn folds_beyond_ascii(text: &str) -> bool {
    text.chars().any(|c| {
        !c.is_ascii()
            && (c.to_lowercase().ne(std::iter::once(c)) || c.to_uppercase().ne(std::iter::once(c)))
    })
}

/// Drives a property: runs `case` on every drawn value and, on a mismatch,
/// shrinks it and builds the finding from the minimal case.
pub fn drive<S, F>(
    suite: &Suite,
    worker: &mut Worker,
    table: &str,
    check: CheckKind,
    strategy: S,
    case: F,
) -> Result<PropertyReport>
where
    S: Strategy,
    S::Value: Clone,
    F: Fn(&mut Worker, &S::Value, &mut Transcript) -> Result<Verdict>,
{
    drive_part(suite, worker, table, check, suite.cases, "", strategy, case)
}

/// Splits a property's case budget over `parts` (mutants, child tables) so
/// every part is exercised, at least `floor` cases each.
pub fn share(total: u32, parts: usize, floor: u32) -> u32 {
    let parts = u32::try_from(parts.max(1)).unwrap_or(u32::MAX);
    (total / parts).max(floor.min(total))
}

/// Merges the reports of a property's parts.
pub fn combine(parts: Vec<PropertyReport>) -> PropertyReport {
    let mut out = PropertyReport::default();
    for p in parts {
        out.cases_run += p.cases_run;
        out.discarded += p.discarded;
        if out.first_discard.is_none() {
            out.first_discard = p.first_discard;
        }
        if out.flaky.is_none() {
            out.flaky = p.flaky;
        }
        for f in p.findings {
            if !out.findings.iter().any(|g| g.id == f.id) {
                out.findings.push(f);
            }
        }
        for q in p.quirks {
            if !out.quirks.iter().any(|g| g.id == q.id) {
                out.quirks.push(q);
            }
        }
    }
    out
}

/// [`drive`] with its own case budget and a salt that varies the draws.
#[expect(clippy::too_many_arguments, reason = "drive plus budget and salt")]
pub fn drive_part<S, F>(
    suite: &Suite,
    worker: &mut Worker,
    table: &str,
    check: CheckKind,
    cases: u32,
    salt: &str,
    strategy: S,
    case: F,
) -> Result<PropertyReport>
where
    S: Strategy,
    S::Value: Clone,
    F: Fn(&mut Worker, &S::Value, &mut Transcript) -> Result<Verdict>,
{
    let mut runner = suite.runner(table, check, cases, salt);
    let worker = RefCell::new(worker);
    let report = RefCell::new(PropertyReport::default());
    let failure: RefCell<Option<Error>> = RefCell::new(None);
    let quirks: RefCell<BTreeMap<&'static str, Finding>> = RefCell::new(BTreeMap::new());
    let accepted: RefCell<BTreeMap<String, Finding>> = RefCell::new(BTreeMap::new());
    let one = |value: &S::Value| -> Result<(Verdict, Transcript)> {
        let mut w = worker.borrow_mut();
        let mut t = Transcript::default();
        w.begin()?;
        let verdict = case(&mut w, value, &mut t);
        w.rollback()?;
        Ok((explain_by_quirk(verdict?, &t), t))
    };
    // Witnesses carry the committed parent rows they reference.
    let witness = |t: &Transcript| -> Witness {
        let steps: Vec<&Statement> = t.steps.iter().map(|(s, _, _)| s).collect();
        let parents = worker
            .borrow()
            .parent_inserts(&steps, &suite.tables, &suite.order);
        t.witness_with(suite.room_for(&parents, &steps), parents)
    };
    let result = runner.run(&strategy, |value| {
        if failure.borrow().is_some() {
            return Ok(());
        }
        let (verdict, transcript) = match one(&value) {
            Ok(x) => x,
            Err(e) => {
                *failure.borrow_mut() = Some(e);
                return Ok(());
            }
        };
        report.borrow_mut().cases_run += 1;
        suite.counter.fetch_add(1, Ordering::Relaxed);
        match verdict {
            Verdict::Same => Ok(()),
            Verdict::Discard => {
                let mut r = report.borrow_mut();
                if r.first_discard.is_none() {
                    r.first_discard = Some(transcript.summary());
                }
                r.discarded += 1;
                Ok(())
            }
            Verdict::Quirk(q) => {
                quirks.borrow_mut().entry(q.id).or_insert_with(|| {
                    let mut f = Finding::new(check, Category::Other, table, &[], q.id)
                        .message(format!(
                            "Inherent engine difference `{}` seen on {table}.",
                            q.id
                        ))
                        .sides("see witness", "see witness");
                    f.witness = Some(witness(&transcript));
                    f.accepted = true;
                    f.reason = Some(q.reason.to_string());
                    f
                });
                Ok(())
            }
            Verdict::Differ(d) => {
                // A difference parity.toml accepts must not blind the
                // property to others: record it once and keep testing.
                let f = finding_of(suite, check, table, &d, &transcript);
                match suite.config.accepting(&f) {
                    Some(rule) => {
                        let reason = rule.reason.clone();
                        accepted
                            .borrow_mut()
                            .entry(f.id.clone())
                            .or_insert_with(|| {
                                let mut f = f;
                                f.witness = Some(witness(&transcript));
                                f.accepted = true;
                                f.reason = Some(reason);
                                f
                            });
                        Ok(())
                    }
                    None => Err(TestCaseError::fail(d.message)),
                }
            }
        }
    });
    if let Some(e) = failure.into_inner() {
        return Err(e);
    }
    let mut report = report.into_inner();
    report.quirks = quirks.into_inner().into_values().collect();
    report.findings.extend(accepted.into_inner().into_values());
    match result {
        Err(TestError::Fail(why, minimal)) => {
            let (verdict, transcript) = one(&minimal)?;
            if let Verdict::Differ(d) = verdict {
                let transcript = fewer_columns(suite, &mut worker.borrow_mut(), transcript, &d)?;
                let mut f = finding_of(suite, check, table, &d, &transcript);
                f.witness = Some(witness(&transcript));
                report.findings.push(f);
            } else {
                // The engines disagreed once and agreed on the replay: say so
                // with both runs rather than drop it.
                report.flaky = Some(format!(
                    "{table}::{}: a difference did not show again on replay (first run: {why}; replay: {})",
                    check.name(),
                    transcript.summary()
                ));
            }
        }
        Err(TestError::Abort(why)) => {
            report.blocked = Some(format!("the case generator gave up: {why}"));
        }
        Ok(()) => {}
    }
    Ok(report)
}

/// The finding a difference makes: about the PostgreSQL trigger whose
/// function refused a step SQLite took, when one did (that trigger is the
/// root cause, not the property that met it), else about the difference's
/// own columns.
fn finding_of(
    suite: &Suite,
    check: CheckKind,
    table: &str,
    d: &Difference,
    t: &Transcript,
) -> Finding {
    let by_trigger = t.steps.iter().find_map(|(_, s, p)| match p {
        Outcome::Rejected { fields, .. } if s.is_ok() => {
            crate::engine::postgres::trigger_of(fields, suite.pg.tables.values())
                .map(|hit| (hit, p.describe()))
        }
        _ => None,
    });
    if let Some(((on, trigger), refusal)) = by_trigger {
        return Finding::new(check, Category::Trigger, &on, &[], &trigger)
            .message(format!(
                "Trigger {trigger} on {on} refuses, on PostgreSQL, a statement SQLite carries out: {}",
                d.message
            ))
            .sides("carries the statement out", refusal);
    }
    let cols: Vec<&str> = d.columns.iter().map(String::as_str).collect();
    Finding::new(
        check,
        d.category,
        d.on.as_deref().unwrap_or(table),
        &cols,
        "",
    )
    .message(d.message.clone())
    .sides(d.sqlite.clone(), d.postgres.clone())
}

/// The witness with only the INSERT columns the difference needs: each
/// column it does not name is left out in turn (its default, or NULL,
/// instead), and the drop kept only when the case, replayed, behaves as
/// before — every step accepted or refused alike by each engine, for the
/// same reason and on the same columns, and the rows it returns differing
/// between the engines in the same columns (or, where the columns are not
/// known, the same rows).
fn fewer_columns(
    suite: &Suite,
    w: &mut Worker,
    mut t: Transcript,
    d: &Difference,
) -> Result<Transcript> {
    // Step `i` replaced by `changed`, kept when the case behaves as before.
    let attempt = |w: &mut Worker, t: Transcript, i: usize, changed: Statement| {
        let mut again = Transcript::default();
        w.begin()?;
        for (at, (st, _, _)) in t.steps.iter().enumerate() {
            let st = if at == i { changed.clone() } else { st.clone() };
            again.run(w, st);
        }
        w.rollback()?;
        Ok::<_, Error>(if behaves_alike(suite, &t, &again) {
            again
        } else {
            t
        })
    };
    for i in 0..t.steps.len() {
        let columns: Vec<String> = t.steps[i].0.set.iter().map(|(c, _, _)| c.clone()).collect();
        for c in columns.iter().filter(|c| !d.columns.contains(c)) {
            if let Some(smaller) = t.steps[i].0.without(c) {
                t = attempt(w, t, i, smaller)?;
            }
        }
        // What must stay gets the plainest value of its domain where the
        // case still behaves the same: no edge value that is not the cause.
        let table = suite.tables.get(&t.steps[i].0.table);
        let columns: Vec<String> = t.steps[i].0.set.iter().map(|(c, _, _)| c.clone()).collect();
        for c in columns.iter().filter(|c| !d.columns.contains(c)) {
            let Some(info) = table.and_then(|ti| ti.column(c)) else {
                continue;
            };
            let Some(plain) = plainest(&info.spec.domain) else {
                continue;
            };
            let (sv, pv) = (
                super::sql::lit_sqlite(&plain),
                super::sql::lit_postgres(&plain, &info.pg_kind),
            );
            if let Some(simpler) = t.steps[i].0.with_value(c, sv, pv)
                && simpler != t.steps[i].0
            {
                t = attempt(w, t, i, simpler)?;
            }
        }
    }
    Ok(t)
}

/// The plainest value of a domain (0, the empty string, an empty blob, the
/// first allowed value), or None where a plain value is not simpler to read.
fn plainest(domain: &schema_parity_strategies::Domain) -> Option<schema_parity_strategies::Lit> {
    use schema_parity_strategies::{Domain, Lit};
    Some(match domain {
        // (`max(min).min(max)`, not `clamp`: a contradictory range must not panic.)
        Domain::Integer { min, max } => Lit::Int(0.max(*min).min(*max)),
        Domain::Flag => Lit::Int(0),
        Domain::Real { min, max } => Lit::Real(
            0f64.max(min.unwrap_or(f64::MIN))
                .min(max.unwrap_or(f64::MAX)),
        ),
        Domain::Text {
            min_chars,
            max_chars,
            ..
        } => Lit::Text("a".repeat((*min_chars).min(max_chars.unwrap_or(usize::MAX)))),
        Domain::Blob { min_len, .. } => Lit::Blob(vec![0; *min_len]),
        Domain::OneOf(values) => values.first()?.clone(),
        Domain::Glob(_) | Domain::Timestamp | Domain::Json | Domain::Generated(_) => return None,
    })
}

/// Whether two runs of a case's steps show the same thing (see
/// [`fewer_columns`]).
fn behaves_alike(suite: &Suite, a: &Transcript, b: &Transcript) -> bool {
    use crate::expr::Engine;
    a.steps.len() == b.steps.len()
        && a.steps
            .iter()
            .zip(&b.steps)
            .all(|((st, s1, p1), (st2, s2, p2))| {
                let info = suite.tables.get(&st.table);
                let same_refusal =
                    |o1: &Outcome, o2: &Outcome, s1: &Statement, s2: &Statement, e| {
                        o1.kind() == o2.kind()
                            && info.is_none_or(|i| {
                                super::case::culprit(i, s1, e, o1)
                                    == super::case::culprit(i, s2, e, o2)
                            })
                    };
                match (s1, p1, s2, p2) {
                    (Outcome::Ok(_), Outcome::Ok(_), Outcome::Ok(_), Outcome::Ok(_)) => {
                        match info.filter(|_| !st.returning.is_empty()) {
                            Some(info) => {
                                differing(info, st, s1, p1) == differing(info, st2, s2, p2)
                            }
                            None => s1.rows() == s2.rows() && p1.rows() == p2.rows(),
                        }
                    }
                    _ => {
                        s1.is_ok() == s2.is_ok()
                            && p1.is_ok() == p2.is_ok()
                            && same_refusal(s1, s2, st, st2, Engine::Sqlite)
                            && same_refusal(p1, p2, st, st2, Engine::Postgres)
                    }
                }
            })
}

/// The returned columns whose values differ between the engines under the
/// mapping ([`TableInfo::per_engine`] columns aside).
fn differing(info: &TableInfo, st: &Statement, s: &Outcome, p: &Outcome) -> Vec<String> {
    let mut out = Vec::new();
    for (sr, pr) in s.rows().iter().zip(p.rows()) {
        for ((c, sv), pv) in st.returning.iter().zip(sr).zip(pr) {
            let Some(ci) = info.column(c) else { continue };
            if !info.per_engine(c) && !crate::mapping::same_value(sv, pv, &ci.pg_kind) {
                out.push(c.clone());
            }
        }
    }
    if s.rows().len() != p.rows().len() {
        out.push("(row count)".into());
    }
    out
}

/// Attaches each behavioural finding to the structural finding with the same
/// root cause: the same table and category, and the columns the engine
/// blamed all within the structural finding's columns (a key is a set: its
/// order does not matter). A behavioural finding the engines did not
/// attribute joins a structural one only when that is the table's only
/// finding of its category. The structural finding is kept and gets the
/// witness; a behavioural finding nothing explains stands on its own.
pub fn merge(structural: &mut Vec<Finding>, behavioural: Vec<Finding>) {
    // The same finding but for the check that saw it (a trigger, by name).
    let same_id = |s: &Finding, b: &Finding| {
        s.id.split_once('.').map(|(_, rest)| rest) == b.id.split_once('.').map(|(_, rest)| rest)
    };
    for b in behavioural {
        if let Some(s) = structural
            .iter_mut()
            .find(|s| s.check == CheckKind::Structure && same_id(s, &b))
        {
            if s.witness.is_none() {
                s.witness = b.witness;
            }
            continue;
        }
        let candidates: Vec<usize> = structural
            .iter()
            .enumerate()
            .filter(|(_, s)| s.check == CheckKind::Structure || s.check == CheckKind::SeedData)
            .filter(|(_, s)| s.table == b.table && s.category == b.category)
            .map(|(i, _)| i)
            .collect();
        let explains =
            |s: &Finding| !b.columns.is_empty() && b.columns.iter().all(|c| s.columns.contains(c));
        let same = candidates
            .iter()
            .copied()
            .find(|&i| explains(&structural[i]))
            .or(match candidates.as_slice() {
                [only] if b.columns.is_empty() => Some(*only),
                _ => None,
            });
        match same {
            Some(i) => {
                let s = &mut structural[i];
                if s.witness.is_none() {
                    s.witness = b.witness;
                }
            }
            None => {
                if !structural.iter().any(|s| s.id == b.id) {
                    structural.push(b);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn letters_folding_beyond_ascii() {
        assert!(super::folds_beyond_ascii("'abc\u{212a}'"));
        assert!(super::folds_beyond_ascii("'É'"));
        assert!(!super::folds_beyond_ascii("'ABC abc 0_%'"));
        assert!(!super::folds_beyond_ascii("'😀 \u{5d0}'"));
    }
}
