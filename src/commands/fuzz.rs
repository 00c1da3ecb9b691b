//! `schema-parity fuzz`: the behavioural properties, round after round with
//! fresh seeds, until a time or case budget is spent — weighted toward
//! constraint edges (each round runs the constraint property a second time
//! on its own seed). Each new root cause's witness is saved once, as
//! `<finding id>.sql` in a regressions folder (what `check
//! --save-regressions` writes and `tests/regressions/` replays); a finding
//! whose file exists is known and never written again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::build::{self, RunOptions};
use crate::check::{self, Budget, Plan};
use crate::error::{Error, Result};
use crate::model::finding::{CheckKind, Finding};
use crate::progress::Progress;

/// What a fuzzing run is asked for.
#[derive(Debug, Clone)]
pub struct FuzzOptions {
    /// Inputs, config and where PostgreSQL comes from; `seed` is the first
    /// round's, `cases` each round's per (table, property).
    pub run: RunOptions,
    /// Stop starting new work after this long.
    pub duration: Duration,
    /// Stop after this many cases in all (whichever comes first).
    pub max_cases: Option<u64>,
    /// Where witnesses are saved, one file per finding id.
    pub regressions: PathBuf,
}

/// How a fuzzing run went.
#[derive(Debug, Clone, Default)]
pub struct FuzzSummary {
    pub rounds: u64,
    pub cases: u64,
    pub elapsed: Duration,
    /// Every seed a round used, in order.
    pub seeds: Vec<u64>,
    /// Root causes seen for the first time: id → the file written.
    pub new: Vec<(String, PathBuf)>,
    /// Root causes seen whose witness file already existed.
    pub known: Vec<String>,
    /// The unaccepted findings with a witness, one per id (first seen).
    pub findings: Vec<Finding>,
    /// Differences that did not reproduce on replay.
    pub flaky: Vec<String>,
}

impl FuzzSummary {
    pub fn cases_per_second(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 {
            #[expect(clippy::cast_precision_loss, reason = "a rate to print")]
            let cases = self.cases as f64;
            cases / s
        } else {
            0.0
        }
    }

    /// The summary as text, for the end of a run.
    pub fn render(&self, regressions: &Path) -> String {
        let mut s = format!(
            "FUZZ: {} round(s), {} cases in {:.1} s ({:.0} cases/s), seeds {}\n",
            self.rounds,
            self.cases,
            self.elapsed.as_secs_f64(),
            self.cases_per_second(),
            seed_list(&self.seeds)
        );
        s.push_str(&format!(
            "new root causes: {} (witness saved in {})\n",
            self.new.len(),
            regressions.display()
        ));
        for (id, path) in &self.new {
            let message = self
                .findings
                .iter()
                .find(|f| &f.id == id)
                .map(|f| f.message.as_str())
                .unwrap_or_default();
            s.push_str(&format!("  {id}: {message}\n    -> {}\n", path.display()));
        }
        if !self.known.is_empty() {
            s.push_str(&format!(
                "seen again (witness already saved): {}\n",
                self.known.len()
            ));
            for id in &self.known {
                s.push_str(&format!("  {id}\n"));
            }
        }
        if !self.flaky.is_empty() {
            s.push_str(&format!(
                "flaky (did not reproduce on replay): {}\n",
                self.flaky.len()
            ));
            for why in &self.flaky {
                s.push_str(&format!("  {why}\n"));
            }
        }
        s
    }
}

/// `a..b` for a run of consecutive seeds, else the list.
fn seed_list(seeds: &[u64]) -> String {
    match (seeds.first(), seeds.last()) {
        (Some(a), Some(b)) if seeds.windows(2).all(|w| w[1] == w[0].wrapping_add(1)) => {
            if a == b {
                a.to_string()
            } else {
                format!("{a}..={b}")
            }
        }
        _ => seeds
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Fuzzes the pair `opts` names: builds both databases once, then runs
/// rounds until the budget is spent.
pub fn fuzz(opts: &FuzzOptions, progress: &dyn Progress) -> Result<FuzzSummary> {
    let behavioural: Vec<CheckKind> = opts
        .run
        .checks
        .iter()
        .copied()
        .filter(|c| crate::check::property(*c).is_some())
        .collect();
    if behavioural.is_empty() {
        let properties: Vec<&str> = crate::check::PROPERTIES.iter().map(|p| p.name()).collect();
        return Err(Error::Usage(format!(
            "fuzz runs behavioural checks: --checks names none ({})",
            properties.join(", ")
        )));
    }
    build::with_built(&opts.run, progress, |built, configured| {
        let config = &configured.config;
        let started = Instant::now();
        let budget = Budget {
            deadline: Some(started + opts.duration),
            max_cases: opts.max_cases,
        };
        let counter = Arc::new(AtomicU64::new(0));
        let meter = Meter {
            inner: progress,
            counter: counter.clone(),
            started,
            duration: opts.duration,
            max_cases: opts.max_cases,
        };
        // Root causes: behavioural findings are attached to the structural
        // finding that explains them, as `check` does, so ids match its.
        let structural =
            crate::structure::diff::structure(&built.sqlite, &built.pg, &built.probed, config);
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 4);
        let mut summary = FuzzSummary::default();
        let mut seen: BTreeMap<String, Finding> = BTreeMap::new();
        let mut round: u64 = 0;
        while !budget.spent(counter.load(Ordering::Relaxed)) {
            let seed = opts.run.seed.wrapping_add(round);
            summary.seeds.push(seed);
            progress.phase(&format!(
                "round {} (seed {seed}): {} root cause(s) so far, {} new",
                round + 1,
                seen.len(),
                summary.new.len()
            ));
            // Every property, then the constraint property again on a
            // seed of its own: constraint edges get twice the cases.
            let passes: [(&[CheckKind], u64); 2] = [
                (&behavioural, seed),
                (&[CheckKind::Constraint], seed ^ 0x9e37_79b9_7f4a_7c15),
            ];
            let mut found = Vec::new();
            for (checks, seed) in passes {
                let checks: Vec<CheckKind> = checks
                    .iter()
                    .copied()
                    .filter(|c| behavioural.contains(c))
                    .collect();
                if checks.is_empty() || budget.spent(counter.load(Ordering::Relaxed)) {
                    continue;
                }
                let mut plan = Plan::new(built, config, opts.run.cases, seed);
                plan.counter = counter.clone();
                plan.budget = Some(budget);
                let totals = plan.run_all(built, &checks, workers, &meter)?;
                found.extend(totals.findings);
                summary.flaky.extend(totals.flaky);
            }
            round += 1;
            let mut findings = structural.clone();
            check::merge(&mut findings, found);
            config.apply(&mut findings);
            // A pattern is one root cause and one saved witness, as `check`
            // reports it.
            let findings = crate::model::finding::group(findings);
            for f in findings
                .into_iter()
                .filter(|f| !f.accepted && f.witness.is_some())
            {
                if seen.contains_key(&f.id) {
                    continue;
                }
                let path = crate::report::regression_path(&opts.regressions, &f.id);
                if path.exists() {
                    summary.known.push(f.id.clone());
                } else {
                    let written = crate::report::save_regression(&opts.regressions, &f).map_err(
                        |source| Error::Write {
                            path: opts.regressions.clone(),
                            source,
                        },
                    )?;
                    progress.phase(&format!(
                        "new root cause {}: saved {}",
                        f.id,
                        written.display()
                    ));
                    summary.new.push((f.id.clone(), written));
                }
                seen.insert(f.id.clone(), f);
            }
        }
        summary.rounds = round;
        summary.cases = counter.load(Ordering::Relaxed);
        summary.elapsed = started.elapsed();
        summary.findings = seen.into_values().collect();
        summary.flaky.sort();
        summary.flaky.dedup();
        Ok(summary)
    })?
}

/// Progress over the whole run: the rounds' own estimates are replaced by
/// the budget (cases when `--cases` bounds the run, else seconds).
struct Meter<'a> {
    inner: &'a dyn Progress,
    counter: Arc<AtomicU64>,
    started: Instant,
    duration: Duration,
    max_cases: Option<u64>,
}

impl Progress for Meter<'_> {
    /// A round's own phases (workers prepared, jobs done) repeat every
    /// round: the run says which round it is instead.
    fn phase(&self, _msg: &str) {}

    fn advance(&self, _done: u64, _total: u64, what: &str) {
        let cases = self.counter.load(Ordering::Relaxed);
        match self.max_cases {
            Some(max) => self.inner.advance(cases.min(max), max, what),
            None => {
                let elapsed = self.started.elapsed().min(self.duration).as_secs();
                self.inner.advance(
                    elapsed,
                    self.duration.as_secs().max(1),
                    &format!("s ({cases} {what})"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_print_as_a_range_when_consecutive() {
        assert_eq!(seed_list(&[7]), "7");
        assert_eq!(seed_list(&[7, 8, 9]), "7..=9");
        assert_eq!(seed_list(&[7, 9]), "7, 9");
    }
}
