//! Runs every selected mutant: a copy of the base PostgreSQL database with the
//! mutant's statements applied, the structural checks, and the behavioural
//! checks on the tables the change can reach — in parallel over mutants, with
//! both base databases built once.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Instant;

use crate::build::{self, RunOptions};
use crate::check::{Plan, Worker};
use crate::config::Config;
use crate::engine::{postgres, sqlite};
use crate::error::{Error, Result};
use crate::model::finding::Finding;
use crate::model::schema::Schema;
use crate::progress::Progress;
use crate::provision::{self, ScratchDatabase};
use crate::structure::expected::ExpectedSchema;

use super::operators::{Mutant, Operator, mutants};
use super::report::{MutantResult, MutationReport, Status};

pub struct MutateOptions {
    pub run: RunOptions,
    pub operators: Vec<Operator>,
    /// Run only this many mutants, chosen deterministically from the seed.
    pub sample: Option<usize>,
    pub workers: usize,
    /// Check every table again for each mutant, not only those the change
    /// can reach ([`reach`]): the slow reference the reach is proven
    /// against.
    pub recheck_all: bool,
}

/// The tables whose cases can tell mutant `m` apart from the unmutated
/// pair, checked again for it; the rest behave as in the unmutated pair.
///
/// A case writes its own table and reads its parents' keys (the parent
/// rows are seeded); the cascade property of a parent writes its children's
/// rows and deletes or re-keys the parent's; a trigger writes or reads the
/// tables it names. So a change on table T reaches:
/// - T itself;
/// - the tables T references (their cascade writes T's rows);
/// - the tables with a trigger naming T (their cases fire it);
/// - T's descendants, only when the change touches what a child's row
///   relies on in T: a column a foreign key references (its type, its
///   existence, its sequence) or T's seed rows (a child's row may pick
///   one). A unique key a foreign key rests on cannot be dropped or
///   replaced (PostgreSQL refuses: the mutant does not apply), and a
///   change of another column, a CHECK, a default or an index is seen by
///   T's own cases and its parents' cascade, never by a child's.
fn reach(plan: &Plan, m: &Mutant) -> BTreeSet<String> {
    let table = m.table.as_str();
    let mut reach: BTreeSet<String> = BTreeSet::new();
    reach.insert(table.to_string());
    for fk in plan
        .tables
        .get(table)
        .map_or(&[][..], |t| &t.foreign_keys[..])
    {
        reach.insert(fk.target_table.clone());
    }
    for schema in [&plan.sqlite, &plan.pg] {
        for (name, t) in &schema.tables {
            if t.triggers.iter().any(|tr| names(&tr.sql, table)) {
                reach.insert(name.clone());
            }
        }
    }
    if !reaches_children(plan, m) {
        return reach;
    }
    let mut stack = vec![table.to_string()];
    while let Some(t) = stack.pop() {
        for (child, _) in plan.children.get(&t).into_iter().flatten() {
            if reach.insert(child.clone()) {
                stack.push(child.clone());
            }
        }
    }
    reach
}

/// Whether a child's cases can see mutant `m` (see [`reach`]): it changes
/// T's seed rows, or a column of T a foreign key references, or a column
/// it does not name.
fn reaches_children(plan: &Plan, m: &Mutant) -> bool {
    if matches!(m.operator, Operator::DeleteSeedRow | Operator::AlterSeedRow) {
        return true;
    }
    let indexes = matches!(
        m.operator,
        Operator::DropUnique
            | Operator::ToggleUniqueCase
            | Operator::DropIndex
            | Operator::DropIndexPredicate
    );
    if indexes {
        return false;
    }
    let Some(column) = &m.column else {
        return true;
    };
    plan.children
        .get(&m.table)
        .into_iter()
        .flatten()
        .filter_map(|(child, i)| plan.tables.get(child)?.foreign_keys.get(*i))
        .any(|fk| {
            // No columns named: the primary key, whichever it is.
            fk.target_table.eq_ignore_ascii_case(&m.table)
                && (fk.target_columns.is_empty()
                    || fk
                        .target_columns
                        .iter()
                        .any(|c| c.eq_ignore_ascii_case(column)))
        })
}

/// Whether `sql` names `table` (any case; string literals are not names):
/// a trigger that may read or write it.
fn names(sql: &str, table: &str) -> bool {
    crate::engine::attribution::identifiers(sql)
        .iter()
        .any(|name| name.eq_ignore_ascii_case(table))
}

/// Shuffles deterministically (splitmix64) and keeps `n`.
fn sample(mut v: Vec<Mutant>, n: usize, seed: u64) -> Vec<Mutant> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for i in (1..v.len()).rev() {
        let j = usize::try_from(next() % u64::try_from(i + 1).unwrap_or(1)).unwrap_or(0);
        v.swap(i, j);
    }
    v.truncate(n);
    v
}

pub fn mutate(opts: &MutateOptions, progress: &dyn Progress) -> Result<MutationReport> {
    let started = Instant::now();
    // Inputs are read and validated before a server is paid for.
    let prepared = build::prepare(&opts.run)?;
    let server = build::obtain(&opts.run, progress)?;
    let report = server.outlived(
        build::build_from(&opts.run, prepared, &server, progress).and_then(|(base, configured)| {
            mutate_base(opts, &configured.config, base, progress, started)
        }),
    );
    drop(server);
    report
}

/// Runs the mutants on an existing server.
pub fn mutate_on(
    opts: &MutateOptions,
    config: &Config,
    server: &provision::Server,
    progress: &dyn Progress,
    started: Instant,
) -> Result<MutationReport> {
    let base = build::build(&opts.run, server, progress)?;
    mutate_base(opts, config, base, progress, started)
}

/// Runs the mutants on both base databases, built.
fn mutate_base(
    opts: &MutateOptions,
    config: &Config,
    base: build::Databases,
    progress: &dyn Progress,
    started: Instant,
) -> Result<MutationReport> {
    // Mutation testing needs an equivalent base pair: otherwise every mutant
    // is "killed" by the base's own differences.
    // What PostgreSQL should have, computed once: every mutant's database is
    // compared with it.
    let expected = crate::structure::expected::schema(&base.sqlite, config, &base.probed);
    let mut base_findings = crate::structure::diff::compare(&expected, &base.pg);
    base_findings.extend(crate::structure::diff::seed_data(
        &base.sqlite,
        &base.pg,
        config,
    ));
    config.apply(&mut base_findings);
    let open: Vec<&Finding> = base_findings.iter().filter(|f| !f.accepted).collect();
    if !open.is_empty() {
        return Err(Error::Usage(format!(
            "the base pair is not equivalent ({} structural finding(s), first: {}); run `check` and fix or accept them first",
            open.len(),
            open[0].message
        )));
    }
    for t in &opts.run.only {
        if !base.pg.tables.contains_key(&t.to_lowercase()) {
            return Err(Error::Usage(format!(
                "--only names table `{t}`, which the PostgreSQL side does not have"
            )));
        }
    }
    let mut all: Vec<Mutant> = mutants(&base.pg, &base.sqlite)
        .into_iter()
        .filter(|m| opts.operators.contains(&m.operator) && !config.skips(&m.table))
        .filter(|m| {
            opts.run.only.is_empty()
                || opts
                    .run
                    .only
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(&m.table))
        })
        .collect();
    let total_available = all.len();
    if let Some(n) = opts.sample {
        all = sample(all, n, opts.run.seed);
    }
    let count = all.len();
    progress.phase(&format!("{count} mutants ({total_available} possible)"));
    let threads = opts.workers.clamp(1, 8);
    let mut sqlite_copies = Vec::new();
    for _ in 0..threads {
        sqlite_copies.push(base.sqlite_conn.copy()?);
    }
    let queue = Mutex::new(all.into_iter().enumerate().collect::<Vec<_>>());
    let results = Mutex::new(Vec::new());
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    let shared = Base {
        sqlite: &base.sqlite,
        expected: &expected,
        template: &base.database,
        config,
        opts,
    };
    std::thread::scope(|scope| {
        for pristine in sqlite_copies {
            let (queue, results, failure, shared) = (&queue, &results, &failure, &shared);
            scope.spawn(move || {
                loop {
                    let job = queue.lock().ok().and_then(|mut q| q.pop());
                    let Some((i, m)) = job else { break };
                    match shared.one(&m, i, &pristine) {
                        Ok(r) => {
                            if let Ok(mut rs) = results.lock() {
                                rs.push(r);
                                progress.phase(&format!(
                                    "mutant {}/{count}: {} on {}",
                                    rs.len(),
                                    m.operator.name(),
                                    m.table
                                ));
                            }
                        }
                        Err(e) => {
                            if let Ok(mut f) = failure.lock() {
                                f.get_or_insert(e);
                            }
                            break;
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by(|a, b| {
        (
            a.mutant.operator,
            &a.mutant.table,
            &a.mutant.column,
            &a.mutant.sql,
        )
            .cmp(&(
                b.mutant.operator,
                &b.mutant.table,
                &b.mutant.column,
                &b.mutant.sql,
            ))
    });
    drop(base);
    Ok(MutationReport::new(
        results,
        total_available,
        opts.run.cases,
        started.elapsed(),
    ))
}

/// What every mutant shares: the base pair, built once, and the schema
/// PostgreSQL should have.
struct Base<'a> {
    sqlite: &'a Schema,
    expected: &'a ExpectedSchema<'a>,
    /// The base PostgreSQL database, copied per mutant.
    template: &'a ScratchDatabase,
    config: &'a Config,
    opts: &'a MutateOptions,
}

impl Base<'_> {
    /// Runs mutant `m` (the `index`th) on a copy of the base PostgreSQL
    /// database, with `pristine` as its SQLite side.
    fn one(&self, m: &Mutant, index: usize, pristine: &sqlite::Database) -> Result<MutantResult> {
        let Base {
            sqlite: base_sqlite,
            expected,
            template,
            config,
            opts,
        } = *self;
        let started = Instant::now();
        let db = template.copy(&format!("{}_m{index}", template.name))?;
        let mut s = db.connect()?;
        for sql in &m.sql {
            if let Err(e) = s.execute(sql) {
                s.close();
                return Ok(MutantResult {
                    mutant: m.clone(),
                    status: Status::NotApplicable,
                    killed_by_structure: false,
                    killed_by_behaviour: false,
                    findings: Vec::new(),
                    note: Some(format!("the change does not apply here: {e}")),
                    millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                });
            }
        }
        let pg = postgres::introspect(&mut s)?;
        // Structural checks.
        let mut structural = crate::structure::diff::compare(expected, &pg);
        config.apply(&mut structural);
        structural.retain(|f| !f.accepted);
        // Behavioural checks on the tables the change can reach.
        let mut plan = Plan::from_schemas(
            base_sqlite,
            &pg,
            expected.probed,
            config,
            opts.run.cases,
            opts.run.seed,
        );
        // A kill needs one failing case, not a minimal witness.
        plan.shrink = false;
        let reach = if opts.recheck_all {
            plan.tables.keys().cloned().collect()
        } else {
            reach(&plan, m)
        };
        // seed_data is a behavioural property: rows the migrations inserted.
        let mut behavioural: Vec<Finding> =
            crate::structure::diff::seed_data(base_sqlite, &pg, config);
        if plan.tables.contains_key(&m.table) {
            // Parent rows only where a reached table needs them: its ancestors.
            let needed = plan.with_ancestors(&reach);
            // The mutant's own database serves the worker (no second
            // copy), over the session that applied the change.
            let mut worker = Worker::on_session(pristine, db, s)?;
            plan.seed(&mut worker, Some(&needed))?;
            for table in &reach {
                for check in crate::check::PROPERTIES.iter().map(|p| p.kind()) {
                    if plan.not_applicable(table, check).is_some() {
                        continue;
                    }
                    let r = plan.run(&mut worker, table, check)?;
                    behavioural.extend(r.findings);
                }
            }
            drop(worker);
        } else {
            s.close();
        }
        config.apply(&mut behavioural);
        behavioural.retain(|f| !f.accepted);
        let killed_by_structure = !structural.is_empty();
        let killed_by_behaviour = !behavioural.is_empty();
        let killed = killed_by_structure || killed_by_behaviour;
        let status = match (&m.equivalent, killed) {
            (Some(_), false) => Status::Equivalent,
            (_, true) => Status::Killed,
            (None, false) => Status::Survived,
        };
        Ok(MutantResult {
            mutant: m.clone(),
            status,
            killed_by_structure,
            killed_by_behaviour,
            findings: structural
                .iter()
                .chain(behavioural.iter())
                .map(|f| f.id.clone())
                .collect(),
            note: m.equivalent.clone(),
            millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn a_trigger_names_a_table_as_a_word_in_any_case() {
        let sql = "CREATE TRIGGER t AFTER INSERT ON orders BEGIN INSERT INTO Order_Log (id) VALUES (NEW.id); END";
        assert!(names(sql, "order_log"));
        assert!(names(sql, "orders"));
        assert!(!names(sql, "order"), "a prefix of another name");
        assert!(!names(sql, "log"), "a suffix of another name");
        assert!(names("UPDATE \"stock\" SET n = n - 1", "stock"));
        assert!(
            !names("SELECT RAISE(ABORT, 'orders closed')", "orders"),
            "a word in a string"
        );
    }
}
