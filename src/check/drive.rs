//! Driving a property with proptest: the runner of a (table, check, part),
//! deterministic from the seed; each drawn case run on both engines inside
//! a rolled-back transaction and judged; a mismatch shrunk to a minimal
//! case, its INSERTs trimmed to the columns the difference needs, and made
//! a finding with its witness.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use proptest::strategy::Strategy;
use proptest::test_runner::{RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use crate::error::{Error, Result};
use crate::model::finding::{Category, CheckKind, Finding, Witness};

use super::plan::Plan;
use super::property::PropertyReport;
use super::quiet::{self, ShrinkLimit};
use super::seed_file::{self, SeedFile};
use super::sql::Statement;
use super::tables::TableInfo;
use super::verdict::{Transcript, Verdict, explain_by_quirk, finding_of};
use super::worker::{Worker, seed_bytes};
use crate::engine::Outcome;

/// The part name (`salt`) of a round-trip probe starts with this.
pub const PROBE_SALT: &str = "probe.";

/// The part name of a round-trip view comparison starts with this.
pub const VIEW_SALT: &str = "view.";

/// A (table, check, part)'s proptest runner with what goes with it.
pub struct Runner {
    pub runner: TestRunner,
    /// When shrinking a failing case stops (proptest's own limit prints).
    pub shrink: ShrinkLimit,
    /// Where failing seeds are kept, if anywhere (the suite).
    pub seeds: Option<SeedFile>,
}

impl Plan {
    /// The proptest runner for (table, check): deterministic from the seed,
    /// silent (see `quiet.rs`).
    pub fn runner(&self, table: &str, check: CheckKind, cases: u32, salt: &str) -> Runner {
        let mut h: u64 = self.seed ^ 0xcbf2_9ce4_8422_2325;
        for b in table
            .bytes()
            .chain(check.name().bytes())
            .chain(salt.bytes())
        {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        let seeds = self
            .failure_seeds
            .as_ref()
            .map(|dir| SeedFile::new(seed_file::path(dir, table, check.name(), salt)));
        // Which row a sequence case or a difference probe inserts does not
        // matter (its rows are tame, the probed value is shrunk first, and
        // the witness's columns are trimmed after): shrinking wide rows value
        // by value cost most of a real schema's run, for no smaller witness.
        let few = check == CheckKind::Sequence
            || (check == CheckKind::RoundTrip
                && (salt.starts_with(PROBE_SALT) || salt.starts_with(VIEW_SALT)));
        let shrink = ShrinkLimit::new(&self.config, few);
        let config = quiet::config(
            cases,
            cases.saturating_mul(4),
            seeds.clone().map(|s| Box::new(s) as _),
            self.shrink && shrink.iters() > 0,
        );
        Runner {
            runner: TestRunner::new_with_rng(
                config,
                TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes(h)),
            ),
            shrink,
            seeds,
        }
    }
}

/// Drives a property: runs `case` on every drawn value and, on a mismatch,
/// shrinks it and builds the finding from the minimal case.
pub fn drive<S, F>(
    plan: &Plan,
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
    drive_part(plan, worker, table, check, plan.cases, "", strategy, case)
}

/// Splits a property's case budget over `parts` (constraint attempts, child tables) so
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
        out.trigger_discards += p.trigger_discards;
        if out.first_trigger_discard.is_none() {
            out.first_trigger_discard = p.first_trigger_discard;
        }
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
    plan: &Plan,
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
    let Runner {
        mut runner,
        shrink,
        seeds,
    } = plan.runner(table, check, cases, salt);
    let part = Part {
        plan,
        table,
        check,
        case,
        shrink,
        worker: RefCell::new(worker),
        report: RefCell::new(PropertyReport::default()),
        failure: RefCell::new(None),
        quirks: RefCell::new(BTreeMap::new()),
        accepted: RefCell::new(BTreeMap::new()),
    };
    let result = runner.run(&strategy, |value| {
        if part.failure.borrow().is_some() || part.shrink.spent() {
            return Ok(());
        }
        let (verdict, transcript) = match part.one(&value) {
            Ok(x) => x,
            Err(e) => {
                *part.failure.borrow_mut() = Some(e);
                return Ok(());
            }
        };
        part.report.borrow_mut().cases_run += 1;
        plan.counter.fetch_add(1, Ordering::Relaxed);
        part.judged(verdict, transcript)
    });
    if let Some(e) = part.failure.take() {
        return Err(e);
    }
    if let Some(e) = seeds.as_ref().and_then(SeedFile::error) {
        return Err(e);
    }
    let mut report = part.report.take();
    report.quirks = part.quirks.take().into_values().collect();
    report.findings.extend(part.accepted.take().into_values());
    match result {
        Err(TestError::Fail(why, shrunk)) => part.failed(&mut report, &why, &shrunk)?,
        Err(TestError::Abort(why)) => {
            report.blocked = Some(format!("the case generator gave up: {why}"));
        }
        Ok(()) => {}
    }
    Ok(report)
}

/// One (table, check, part)'s run: what its cases share, and what they
/// found so far (in cells: proptest's runner takes the case as `Fn`).
struct Part<'a, 'w, F> {
    plan: &'a Plan,
    table: &'a str,
    check: CheckKind,
    case: F,
    shrink: ShrinkLimit,
    worker: RefCell<&'w mut Worker>,
    report: RefCell<PropertyReport>,
    /// An error a case ran into, kept for after the run.
    failure: RefCell<Option<Error>>,
    quirks: RefCell<BTreeMap<&'static str, Finding>>,
    /// The differences parity.toml accepts, each once.
    accepted: RefCell<BTreeMap<String, Finding>>,
}

impl<F> Part<'_, '_, F> {
    /// Runs `value`'s case in a rolled-back transaction; its verdict, with
    /// a difference an inherent quirk explains turned into that quirk.
    fn one<V>(&self, value: &V) -> Result<(Verdict, Transcript)>
    where
        F: Fn(&mut Worker, &V, &mut Transcript) -> Result<Verdict>,
    {
        let plan = self.plan;
        let mut w = self.worker.borrow_mut();
        let mut t = Transcript::default();
        w.begin()?;
        let verdict = (self.case)(&mut w, value, &mut t);
        w.rollback()?;
        // The columns each engine's refusal names (attribution).
        let named = |st: &Statement, s: &Outcome, p: &Outcome| -> Vec<String> {
            use crate::model::Engine;
            let Some(info) = plan.tables.get(&st.table) else {
                return Vec::new();
            };
            [
                super::case::culprit(info, st, Engine::Sqlite, s),
                super::case::culprit(info, st, Engine::Postgres, p),
            ]
            .concat()
        };
        Ok((explain_by_quirk(verdict?, &t, &named), t))
    }

    /// Witnesses carry the committed parent rows they reference.
    fn witness(&self, t: &Transcript) -> Witness {
        let plan = self.plan;
        let steps: Vec<&Statement> = t.steps.iter().map(|(s, _, _)| s).collect();
        let parents = self
            .worker
            .borrow()
            .parent_inserts(&steps, &plan.tables, &plan.order);
        t.witness_with(plan.room_for(&parents, &steps), parents)
    }

    /// The minimal witness of an accepted case; None (the error kept for
    /// after the run) when the replays could not run.
    fn shrunk(&self, t: Transcript, keep: &[String]) -> Option<Transcript> {
        // Without shrinking (a mutant's run: a kill needs one failing
        // case, not its shortest witness) the case stands as it ran.
        if !self.plan.shrink {
            return Some(t);
        }
        match minimal(self.plan, &mut self.worker.borrow_mut(), t, keep) {
            Ok(t) => Some(t),
            Err(e) => {
                *self.failure.borrow_mut() = Some(e);
                None
            }
        }
    }

    /// Records what a case's verdict says; a difference nothing accepts
    /// fails the case, for proptest to shrink.
    fn judged(&self, verdict: Verdict, transcript: Transcript) -> Result<(), TestCaseError> {
        let (plan, check, table) = (self.plan, self.check, self.table);
        match verdict {
            Verdict::Same => Ok(()),
            Verdict::Discard(why) => {
                let mut r = self.report.borrow_mut();
                if r.first_discard.is_none() {
                    r.first_discard = Some(transcript.summary_with(&why, &plan.pg));
                }
                r.discarded += 1;
                if transcript.blocking_trigger(&plan.pg).is_some() {
                    r.trigger_discards += 1;
                    if r.first_trigger_discard.is_none() {
                        r.first_trigger_discard = Some(transcript.summary_with(&why, &plan.pg));
                    }
                }
                Ok(())
            }
            Verdict::Quirk(q) => {
                if self.quirks.borrow().contains_key(q.id) {
                    return Ok(());
                }
                let Some(transcript) = self.shrunk(transcript, &[]) else {
                    return Ok(());
                };
                let mut f = Finding::new(check, Category::Other, table, &[], q.id)
                    .message(format!(
                        "Inherent engine difference `{}` seen on {table}.",
                        q.id
                    ))
                    .sides("see witness", "see witness");
                f.witness = Some(self.witness(&transcript));
                f.accepted = true;
                f.reason = Some(q.reason.to_string());
                self.quirks.borrow_mut().insert(q.id, f);
                Ok(())
            }
            Verdict::Differ(d) => {
                // A difference parity.toml accepts must not blind the
                // property to others: record it once and keep testing.
                let f = finding_of(&plan.pg, check, table, &d, &transcript);
                match plan.config.accepting(&f) {
                    Some(rule) => {
                        if self.accepted.borrow().contains_key(&f.id) {
                            return Ok(());
                        }
                        let reason = rule.reason.clone();
                        let Some(transcript) = self.shrunk(transcript, &d.columns) else {
                            return Ok(());
                        };
                        let mut f = f;
                        f.witness = Some(self.witness(&transcript));
                        f.accepted = true;
                        f.reason = Some(reason);
                        self.accepted.borrow_mut().insert(f.id.clone(), f);
                        Ok(())
                    }
                    None => {
                        self.shrink.failed();
                        Err(TestCaseError::fail(d.message))
                    }
                }
            }
        }
    }

    /// After proptest shrank a failing case to `shrunk`: the finding from
    /// its replay, minimal; or, when the replay agreed, the flaky note.
    fn failed<V>(
        &self,
        report: &mut PropertyReport,
        why: &impl std::fmt::Display,
        shrunk: &V,
    ) -> Result<()>
    where
        F: Fn(&mut Worker, &V, &mut Transcript) -> Result<Verdict>,
    {
        let (verdict, transcript) = self.one(shrunk)?;
        if let Verdict::Differ(d) = verdict {
            let transcript = minimal(
                self.plan,
                &mut self.worker.borrow_mut(),
                transcript,
                &d.columns,
            )?;
            let mut f = finding_of(&self.plan.pg, self.check, self.table, &d, &transcript);
            f.witness = Some(self.witness(&transcript));
            report.findings.push(f);
        } else {
            // The engines disagreed once and agreed on the replay: say so
            // with both runs rather than drop it.
            report.flaky = Some(format!(
                "{}::{}: a difference did not show again on replay (first run: {why}; replay: {})",
                self.table,
                self.check.name(),
                transcript.summary()
            ));
        }
        Ok(())
    }
}

/// The minimal story of a case: each statement the case can do without
/// (one where the engines agree) left out, then each INSERT column the
/// difference does not name (`keep`)
/// left out (its default, or NULL, instead), what must stay given the
/// plainest value of its domain, and each RETURNING narrowed to the columns
/// whose values differ — every change kept only when the case, replayed,
/// behaves as before: every remaining step accepted or refused alike by
/// each engine, for the same reason and on the same columns, and the rows
/// it returns differing between the engines in the same columns (or, where
/// the columns are not known, the same rows). A step where the engines
/// disagree always stays.
fn minimal(plan: &Plan, w: &mut Worker, mut t: Transcript, keep: &[String]) -> Result<Transcript> {
    let restart = restart_sequences(plan, &t);
    // The case with `steps` instead, kept when it behaves as `t` did on the
    // steps `kept` (the indices of `t`'s steps that remain) — and, with
    // `exact_last`, its last step returns exactly the same rows: a
    // difference between steps (an id one engine hands out again) lives in
    // the values, which behaving alike does not compare.
    let attempt = |w: &mut Worker,
                   t: Transcript,
                   steps: Vec<Statement>,
                   kept: &[usize],
                   exact_last: bool| {
        let mut again = Transcript::default();
        w.begin()?;
        for st in &restart {
            w.run(st);
        }
        // Every step runs, whatever the one before did.
        w.ahead(&steps.iter().collect::<Vec<_>>());
        for st in steps {
            again.run(w, st);
        }
        w.rollback()?;
        let before = Transcript {
            steps: kept.iter().map(|&i| t.steps[i].clone()).collect(),
        };
        let last_same = |a: &Transcript, b: &Transcript| match (a.steps.last(), b.steps.last()) {
            (Some((_, s1, p1)), Some((_, s2, p2))) => s1 == s2 && p1 == p2,
            _ => false,
        };
        Ok::<_, Error>(
            if behaves_alike(plan, &before, &again) && (!exact_last || last_same(&before, &again)) {
                again
            } else {
                t
            },
        )
    };
    let statements = |t: &Transcript| -> Vec<Statement> {
        t.steps.iter().map(|(st, _, _)| st.clone()).collect()
    };
    // Step `i` replaced by `changed`.
    let replace = |w: &mut Worker, t: Transcript, i: usize, changed: Statement| {
        let mut steps = statements(&t);
        steps[i] = changed;
        let all: Vec<usize> = (0..steps.len()).collect();
        attempt(w, t, steps, &all, false)
    };
    // Whether the engines disagree on a step. A statement of no known table (a SELECT that looks a row up) is
    // compared row by row, as each engine returned it; an automatic id the
    // engines hand out differently is part of the story (the sequence
    // property's difference is between steps, in those ids).
    let disagrees = |(st, s, p): &(Statement, Outcome, Outcome)| {
        s.kind() != p.kind()
            || match plan.tables.get(&st.table) {
                Some(info) => {
                    !differing(info, st, s, p).is_empty()
                        || st.returning.iter().enumerate().any(|(k, c)| {
                            info.column(c).is_some_and(|ci| ci.auto_increment)
                                && s.rows()
                                    .iter()
                                    .map(|r| r.get(k))
                                    .ne(p.rows().iter().map(|r| r.get(k)))
                        })
                }
                None => s.rows() != p.rows(),
            }
    };
    // 1. Statements: the earliest first; a step where the engines disagree
    // always kept.
    let mut i = 0;
    while i < t.steps.len() {
        let n = t.steps.len();
        if disagrees(&t.steps[i]) {
            i += 1;
            continue;
        }
        let mut steps = statements(&t);
        steps.remove(i);
        let kept: Vec<usize> = (0..n).filter(|&k| k != i).collect();
        t = attempt(w, t, steps, &kept, true)?;
        if t.steps.len() == n {
            i += 1;
        }
    }
    for i in 0..t.steps.len() {
        // 2. Columns.
        let columns: Vec<String> = t.steps[i].0.set.iter().map(|(c, _, _)| c.clone()).collect();
        for c in columns.iter().filter(|c| !keep.contains(c)) {
            if let Some(smaller) = t.steps[i].0.without(c) {
                t = replace(w, t, i, smaller)?;
            }
        }
        // 3. What must stay gets the plainest value of its domain where the
        // case still behaves the same: no edge value that is not the cause.
        let table = plan.tables.get(&t.steps[i].0.table);
        let columns: Vec<String> = t.steps[i].0.set.iter().map(|(c, _, _)| c.clone()).collect();
        for c in columns.iter().filter(|c| !keep.contains(c)) {
            let Some(info) = table.and_then(|ti| ti.column(c)) else {
                continue;
            };
            let Some(plain) = schema_parity_strategies::plainest(&info.spec.domain) else {
                continue;
            };
            let (sv, pv) = (
                super::sql::lit_sqlite(&plain),
                super::sql::lit_postgres(&plain, &info.pg_kind),
            );
            if let Some(simpler) = t.steps[i].0.with_value(c, sv, pv)
                && simpler != t.steps[i].0
            {
                t = replace(w, t, i, simpler)?;
            }
        }
        // 4. RETURNING: only the columns whose values the engines disagree
        // on; none where they agree on every one (or a side refused).
        let (st, s, p) = &t.steps[i];
        if st.returning.is_empty() {
            continue;
        }
        let Some(info) = plan.tables.get(&st.table) else {
            continue;
        };
        // An automatic id stays: a difference between steps (an id handed
        // out again) is in the ids each engine returns.
        let wanted: Vec<String> = if s.is_ok() && p.is_ok() {
            let differ = differing(info, st, s, p);
            st.returning
                .iter()
                .filter(|c| {
                    differ.contains(c) || info.column(c).is_some_and(|ci| ci.auto_increment)
                })
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        if let Some(narrower) = st.returning_only(&wanted)
            && narrower != *st
        {
            t = replace(w, t, i, narrower)?;
        }
    }
    Ok(t)
}

/// PostgreSQL's sequences are not rolled back with the case (SQLite's
/// ids are): before a replay of `t`'s steps, each sequence behind an
/// automatic id the case drew is set back so that it hands out the first
/// id the case got again — otherwise no replay of a case whose story is in
/// its ids (the sequence property's) could behave as the case did.
/// <https://www.postgresql.org/docs/15/functions-sequence.html>
fn restart_sequences(plan: &Plan, t: &Transcript) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for (st, _, p) in &t.steps {
        let Some(info) = plan.tables.get(&st.table) else {
            continue;
        };
        for (k, c) in st.returning.iter().enumerate() {
            let drawn = info.column(c).is_some_and(|ci| ci.auto_increment)
                && !st.set.iter().any(|(n, _, _)| n == c);
            let key = (st.table.clone(), c.clone());
            if !drawn || seen.contains(&key) {
                continue;
            }
            if let Some(crate::model::schema::Value::Integer(first)) =
                p.rows().first().and_then(|r| r.get(k))
            {
                seen.push(key);
                let lit = |x: &str| format!("'{}'", x.replace('\'', "''"));
                out.push(Statement {
                    sqlite: "SELECT 1".into(),
                    postgres: format!(
                        "SELECT setval(pg_get_serial_sequence({}, {}), {first}, false)",
                        lit(&super::sql::quote_ident(&st.table)),
                        lit(c)
                    ),
                    ..Statement::default()
                });
            }
        }
    }
    out
}

/// Whether two runs of a case's steps show the same thing (see
/// [`minimal`]).
fn behaves_alike(plan: &Plan, a: &Transcript, b: &Transcript) -> bool {
    use crate::model::Engine;
    a.steps.len() == b.steps.len()
        && a.steps
            .iter()
            .zip(&b.steps)
            .all(|((st, s1, p1), (st2, s2, p2))| {
                let info = plan.tables.get(&st.table);
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
