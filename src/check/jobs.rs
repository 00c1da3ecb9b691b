//! The suite's jobs, one per (table, check): whether a check applies,
//! which property runs it (the registry, [`super::properties`]), all of
//! them over a pool of workers ([`Plan::run_all`] → [`RunTotals`]).

use std::sync::atomic::{AtomicBool, Ordering};

use crate::build::Databases;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::finding::{CheckKind, Finding};
use crate::progress::Progress;

use super::plan::Plan;
use super::property::PropertyReport;
use super::worker::Worker;

/// What a whole behavioural run produced.
#[derive(Debug, Default)]
pub struct RunTotals {
    pub findings: Vec<Finding>,
    pub quirks: Vec<Finding>,
    pub cases_run: u64,
    pub discarded: u64,
    pub round_trips: u64,
    /// Time the workers spent in each engine's calls (see [`Worker::time`]).
    pub postgres_time: std::time::Duration,
    pub sqlite_time: std::time::Duration,
    /// The same per property, with the time its jobs took (for the benchmark).
    pub per_check: std::collections::BTreeMap<CheckKind, CheckTotals>,
    /// Cases each (table, check) ran that were not discarded: how much
    /// behaviour stands behind a structural difference no case showed.
    pub agreed_cases: std::collections::BTreeMap<(String, CheckKind), u64>,
    pub done: usize,
    pub not_applicable: Vec<String>,
    /// `table::check: why` for properties that applied but tested nothing.
    pub not_exercised: Vec<String>,
    /// `table::check: blocked by trigger …` for properties a trigger of the
    /// schema refused every case of, on both engines.
    pub blocked_by_trigger: Vec<String>,
    /// Differences that did not reproduce on replay, with both runs.
    pub flaky: Vec<String>,
    /// `not_applicable` while the jobs run, each with its job's place in
    /// name order (the jobs run costliest first).
    not_applicable_by_job: Vec<(usize, String)>,
}

impl RunTotals {
    /// Adds what the job at `index` (in name order), `check` on `table`,
    /// reported, and what it cost.
    fn add(
        &mut self,
        index: usize,
        table: &str,
        check: CheckKind,
        r: PropertyReport,
        cost: CheckTotals,
    ) {
        *self
            .agreed_cases
            .entry((table.to_string(), check))
            .or_default() += r.cases_run.saturating_sub(r.discarded);
        let c = self.per_check.entry(check).or_default();
        c.cases_run += cost.cases_run;
        c.time += cost.time;
        c.round_trips += cost.round_trips;
        c.postgres_time += cost.postgres_time;
        c.sqlite_time += cost.sqlite_time;
        self.done += 1;
        self.cases_run += r.cases_run;
        self.discarded += r.discarded;
        let job = |why: &str| format!("{table}::{}: {why}", check.name());
        if let Some(why) = &r.flaky {
            self.flaky.push(why.clone());
        }
        if let Some(why) = r.not_exercised() {
            self.not_exercised.push(job(&why));
        }
        if let Some(why) = r.blocked_by_trigger() {
            self.blocked_by_trigger.push(job(&why));
        }
        if let Some(why) = &r.not_applicable {
            self.not_applicable_by_job.push((index, job(why)));
        }
        self.findings.extend(r.findings);
        for q in r.quirks {
            keep_first_of_quirk(&mut self.quirks, q);
        }
    }
}

/// What the jobs of one property cost, summed over tables and workers.
#[derive(Debug, Default, Clone, Copy)]
pub struct CheckTotals {
    pub cases_run: u64,
    pub round_trips: u64,
    pub time: std::time::Duration,
    pub postgres_time: std::time::Duration,
    pub sqlite_time: std::time::Duration,
}

impl Plan {
    /// Why `check` cannot apply to `table`, decided from the schema alone.
    pub fn not_applicable(&self, table: &str, check: CheckKind) -> Option<String> {
        let Some(info) = self.tables.get(table) else {
            return match check {
                CheckKind::Structure => None,
                _ => Some("the table is not on both sides (see the structure check)".into()),
            };
        };
        // A virtual table stores and finds what its module says (an FTS
        // index searches by its tokenizer): compared by its structure and
        // seed rows only (`diff`: one finding for the table).
        if !matches!(check, CheckKind::Structure | CheckKind::SeedData)
            && let Some(module) = &info.sqlite_table.virtual_module
        {
            return Some(format!(
                "a SQLite {} virtual table, compared by its structure only",
                module.to_uppercase()
            ));
        }
        if check != CheckKind::Structure
            && check != CheckKind::SeedData
            && !self.freed.contains_key(table)
            && let Some(why) = super::lookup::why_not_applicable(&self.sqlite, info)
        {
            return Some(why);
        }
        super::properties::property(check).and_then(|p| p.not_applicable(self, info))
    }

    /// Runs `checks` on every table with `workers` workers in parallel.
    pub fn run_all(
        &self,
        built: &Databases,
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
        // The longest jobs first, so that no worker is left running one
        // long job alone at the end while the others have nothing to do
        // (authelia's cascade job on user_opaque_identifier, a table ten
        // others reference, was a quarter of the run's work and, last in
        // name order, ran alone for its last four seconds). Each job's
        // index in name order goes with it: what the report lists per job
        // is put back in that order, whatever order the jobs ran in.
        let queue = longest_last(jobs, |t, c| self.estimated_cost(t, c));
        let queue = std::sync::Mutex::new(queue);
        let totals = std::sync::Mutex::new(RunTotals::default());
        let first_error: std::sync::Mutex<Option<Error>> = std::sync::Mutex::new(None);
        let mut pool = Vec::new();
        // The copies one after the other (the SQLite one reads the built
        // connection, which one thread at a time may use); each worker
        // commits its parent rows in its own thread, beside the others.
        for index in 0..workers.max(1) {
            progress.phase(&format!("preparing worker {}", index + 1));
            pool.push(Worker::new(&built.sqlite_conn, &built.database, index)?);
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
                    if let Err(e) = self.seed_worker(&mut worker) {
                        if let Ok(mut f) = first_error.lock() {
                            f.get_or_insert(e);
                        }
                        return;
                    }
                    loop {
                        if self
                            .budget
                            .is_some_and(|b| b.spent(self.counter.load(Ordering::Relaxed)))
                        {
                            break;
                        }
                        let job = queue.lock().ok().and_then(|mut q| q.pop());
                        let Some((index, table, check)) = job else {
                            break;
                        };
                        if first_error.lock().is_ok_and(|f| f.is_some()) {
                            break;
                        }
                        let before = (std::time::Instant::now(), worker.round_trips(), worker.time);
                        match self.run(&mut worker, &table, check) {
                            Ok(r) => {
                                let cost = CheckTotals {
                                    cases_run: r.cases_run,
                                    round_trips: worker.round_trips() - before.1,
                                    time: before.0.elapsed(),
                                    postgres_time: worker.time.postgres - before.2.postgres,
                                    sqlite_time: worker.time.sqlite - before.2.sqlite,
                                };
                                if let Ok(mut t) = totals.lock() {
                                    t.add(index, &table, check, r, cost);
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
                        t.postgres_time += worker.time.postgres;
                        t.sqlite_time += worker.time.sqlite;
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
        let mut totals = totals.into_inner().unwrap_or_default();
        let mut by_job = std::mem::take(&mut totals.not_applicable_by_job);
        by_job.sort();
        totals.not_applicable = by_job.into_iter().map(|(_, why)| why).collect();
        totals.flaky.sort();
        Ok(totals)
    }

    /// A job's expected cost, to run the longest first: its cases, times
    /// what a case of its property costs relative to the others (measured
    /// on the bundled pair: a cascade or sequence case about five times a
    /// constraint case, a round trip two), times the table's width. A
    /// cascade job's cases are shared by the table's child references, at
    /// least 8 each. A guess from the schema alone, good enough to order by.
    fn estimated_cost(&self, table: &str, check: CheckKind) -> u64 {
        let Some(info) = self.tables.get(table) else {
            return 0;
        };
        let children = self.children.get(table).map_or(0, Vec::len);
        job_cost(check, self.cases, info.columns.len(), children)
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
        if let Some(property) = super::properties::property(check) {
            // Every property starts from the same sequences, whatever ran
            // before it on this worker.
            worker.restore_sequences()?;
            return property.run(self, worker, info);
        }
        match check {
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
                    findings: crate::structure::diff::seed_data(&self.sqlite, &self.pg, &only),
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
                    findings: crate::structure::diff::structure(
                        &self.sqlite,
                        &self.pg,
                        &self.probed,
                        &only,
                    ),
                    cases_run: 1,
                    ..PropertyReport::default()
                })
            }
            // Every other check is a property of the registry (its test
            // says so): nothing is left to run it.
            _ => Ok(PropertyReport {
                not_applicable: Some(format!("no property runs {}", check.name())),
                ..PropertyReport::default()
            }),
        }
    }
}

/// A (table, check) job's expected cost from its table's width and child
/// references alone: see [`Plan::estimated_cost`].
fn job_cost(check: CheckKind, cases: u32, columns: usize, children: usize) -> u64 {
    let width = columns as u64 + 4;
    let (cases, per_case) = match check {
        CheckKind::Cascade => {
            let shared = super::drive::share(cases, children, 8);
            (u64::from(shared) * children as u64, 5)
        }
        CheckKind::Sequence => (u64::from(cases), 5),
        CheckKind::RoundTrip => (u64::from(cases), 2),
        _ => (u64::from(cases), 1),
    };
    cases * per_case * width
}

/// `jobs` (in name order) as a queue that `pop` takes the costliest first,
/// each with its index in name order; equal costs go in name order.
fn longest_last(
    jobs: Vec<(String, CheckKind)>,
    cost: impl Fn(&str, CheckKind) -> u64,
) -> Vec<(usize, String, CheckKind)> {
    let mut queue: Vec<(usize, String, CheckKind)> = jobs
        .into_iter()
        .enumerate()
        .map(|(i, (t, c))| (i, t, c))
        .collect();
    queue.sort_by_key(|(_, t, c)| std::cmp::Reverse(cost(t, *c)));
    queue.reverse();
    queue
}

/// Keeps one finding per inherent quirk (its id's last part) in `kept`:
/// the one of the first table in name order (then check, then id), not the
/// first job to finish, so that a fixed seed gives the same report however
/// the workers' jobs interleave.
fn keep_first_of_quirk(kept: &mut Vec<Finding>, q: Finding) {
    let quirk = |f: &Finding| f.id[f.id.rfind('.').unwrap_or(0)..].to_string();
    let order = |f: &Finding| (f.table.clone(), f.check, f.id.clone());
    match kept.iter_mut().find(|x| quirk(x) == quirk(&q)) {
        Some(x) if order(&q) < order(x) => *x = q,
        Some(_) => {}
        None => kept.push(q),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::{Category, CheckKind};

    #[test]
    fn the_costliest_job_is_taken_first_and_equal_ones_in_name_order() {
        use CheckKind as K;
        let jobs: Vec<(String, CheckKind)> = [
            ("a", K::Constraint),
            ("a", K::RoundTrip),
            ("b", K::Constraint),
            ("c", K::Cascade),
            ("d", K::Constraint),
        ]
        .into_iter()
        .map(|(t, c)| (t.to_string(), c))
        .collect();
        let cost = |t: &str, c: CheckKind| match (t, c) {
            ("c", K::Cascade) => 90,
            (_, K::RoundTrip) => 20,
            _ => 10,
        };
        let mut queue = longest_last(jobs, cost);
        let mut order = Vec::new();
        while let Some((i, t, c)) = queue.pop() {
            order.push((i, t, c));
        }
        let names: Vec<(usize, &str, CheckKind)> =
            order.iter().map(|(i, t, c)| (*i, t.as_str(), *c)).collect();
        assert_eq!(
            names,
            [
                (3, "c", K::Cascade),
                (1, "a", K::RoundTrip),
                (0, "a", K::Constraint),
                (2, "b", K::Constraint),
                (4, "d", K::Constraint),
            ]
        );
    }

    #[test]
    fn a_cascade_job_over_many_child_references_outweighs_the_rest_of_its_table() {
        use CheckKind as K;
        // A narrow table many others reference.
        let cascade = job_cost(K::Cascade, 256, 4, 40);
        for other in [K::Sequence, K::RoundTrip, K::Constraint, K::Default] {
            assert!(cascade > job_cost(other, 256, 4, 40), "{other:?}");
        }
        // With one child reference, a cascade case costs what a sequence
        // case does; a wider table costs more.
        assert_eq!(
            job_cost(K::Cascade, 256, 4, 1),
            job_cost(K::Sequence, 256, 4, 1)
        );
        assert!(job_cost(K::RoundTrip, 256, 30, 0) > job_cost(K::RoundTrip, 256, 4, 0));
        assert_eq!(job_cost(K::Cascade, 256, 4, 0), 0);
    }

    #[test]
    fn one_finding_per_quirk_whatever_job_finished_first() {
        let quirk = |table: &str| {
            Finding::new(
                CheckKind::RoundTrip,
                Category::Other,
                table,
                &[],
                "postgres-rejects-nul-in-text",
            )
        };
        let kept = |order: [&str; 3]| {
            let mut kept = Vec::new();
            for table in order {
                keep_first_of_quirk(&mut kept, quirk(table));
            }
            kept.iter().map(|f| f.table.clone()).collect::<Vec<_>>()
        };
        assert_eq!(kept(["contacts", "api_tokens", "users"]), ["api_tokens"]);
        assert_eq!(kept(["users", "contacts", "api_tokens"]), ["api_tokens"]);
    }
}
