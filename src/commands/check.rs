//! The `check` command: every selected check on both databases built, and
//! their findings gathered into one [`Report`] (whose model lives in
//! `report/`).

use std::collections::BTreeSet;
use std::time::Instant;

use crate::build::{
    Configured, Databases, Prepared, RunOptions, ValuesFrom, build_from, obtain, prepare,
};
use crate::engine::sqlite;
use crate::error::{Error, Result};
use crate::model::finding::{self, CheckKind};
use crate::progress::Progress;
use crate::provision;
use crate::report::{Inputs, Report, Summary, Tool};

/// Obtains PostgreSQL as the options say, runs the checks, and releases it.
pub fn check(opts: &RunOptions, progress: &dyn Progress) -> Result<Report> {
    let prepared = prepare(opts)?;
    let server = obtain(opts, progress)?;
    server.outlived(check_prepared(opts, prepared, &server, progress))
}

/// Runs the selected checks on an existing server and returns the report.
pub fn check_on(
    opts: &RunOptions,
    server: &provision::Server,
    progress: &dyn Progress,
) -> Result<Report> {
    check_prepared(opts, prepare(opts)?, server, progress)
}

fn check_prepared(
    opts: &RunOptions,
    prepared: Prepared,
    server: &provision::Server,
    progress: &dyn Progress,
) -> Result<Report> {
    let started = Instant::now();
    // Bad input before any database is built.
    let values_from = (opts.values_from.as_ref())
        .map(|v| sqlite::open_read_only(&v.path).map(|db| (db, v)))
        .transpose()?;
    let (built, configured) = build_from(opts, prepared, server, progress)?;
    let only: Option<BTreeSet<String>> =
        (!opts.only.is_empty()).then(|| opts.only.iter().map(|t| t.to_lowercase()).collect());
    for t in only.iter().flatten() {
        if !built.sqlite.tables.contains_key(t) && !built.pg.tables.contains_key(t) {
            return Err(Error::Usage(format!(
                "--only names table `{t}`, which neither database has"
            )));
        }
    }
    finish(
        opts,
        &configured,
        only,
        built,
        values_from,
        started,
        progress,
    )
}

fn finish(
    opts: &RunOptions,
    configured: &Configured,
    only: Option<BTreeSet<String>>,
    built: Databases,
    values_from: Option<(sqlite::Database, &ValuesFrom)>,
    started: Instant,
    progress: &dyn Progress,
) -> Result<Report> {
    let config = &configured.config;
    // --only narrows what is compared and reported; the behavioural suite
    // still sees every table, which other tables' rows need as parents.
    let mut narrowed = config.clone();
    let names = (built.sqlite.tables.keys().map(String::as_str))
        .chain(built.pg.tables.keys().map(String::as_str))
        .chain(built.sqlite.object_names())
        .chain(built.pg.object_names());
    for t in names {
        if only.as_ref().is_some_and(|o| !o.contains(t)) && !narrowed.skips(t) {
            narrowed.skip_tables.push(t.to_string());
        }
    }
    let mut findings = Vec::new();
    let mut checks_run = 0;
    if opts.checks.contains(&CheckKind::Structure) {
        progress.phase("comparing structure");
        findings.extend(crate::structure::diff::structure(
            &built.sqlite,
            &built.pg,
            &built.probed,
            &narrowed,
        ));
        checks_run += 1;
    }
    if opts.checks.contains(&CheckKind::SeedData) {
        progress.phase("comparing seed data");
        let missing: Vec<String> = findings
            .iter()
            .filter(|f| f.category == finding::Category::MissingTable)
            .map(|f| f.table.clone())
            .collect();
        findings.extend(
            crate::structure::diff::seed_data(&built.sqlite, &built.pg, &narrowed)
                .into_iter()
                .filter(|f| !missing.contains(&f.table)),
        );
        checks_run += 1;
    }
    let behavioural: Vec<CheckKind> = opts
        .checks
        .iter()
        .copied()
        .filter(|c| !matches!(c, CheckKind::Structure | CheckKind::SeedData))
        .collect();
    let mut cases_run = 0;
    // What the properties saw, for the accept rules that matched nothing.
    let mut seen: Vec<finding::Finding> = Vec::new();
    let mut not_applicable = Vec::new();
    let mut not_exercised = Vec::new();
    let mut blocked_by_trigger = Vec::new();
    let mut flaky = Vec::new();
    let mut sampled = None;
    if !behavioural.is_empty() {
        progress.phase("running behavioural checks");
        let mut plan = crate::check::Plan::new(&built, config, opts.cases, opts.seed);
        plan.checked = only;
        if let Some((db, v)) = &values_from {
            let taken = plan.sample_values(db, v.per_column)?;
            let file = v.path.display().to_string();
            progress.phase(&format!(
                "values from {file}: {} values in {} columns ({} left out: outside their column's agreed domain)",
                taken.values, taken.columns, taken.outside
            ));
            sampled = Some(crate::report::ValuesFromInput {
                file,
                per_column: v.per_column,
                columns: taken.columns,
                values: taken.values,
                outside: taken.outside,
            });
        }
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 4);
        let totals = plan.run_all(&built, &behavioural, workers, progress)?;
        checks_run += behavioural.len();
        cases_run = totals.cases_run;
        not_applicable = totals.not_applicable;
        not_exercised = totals.not_exercised;
        blocked_by_trigger = totals.blocked_by_trigger;
        flaky = totals.flaky;
        not_exercised.sort();
        blocked_by_trigger.sort();
        // Before they are attached to structural root causes: an accept
        // rule for what a property saw is used even when the structural
        // finding that explains it is reported instead.
        seen.extend(totals.findings.iter().cloned());
        crate::check::merge(&mut findings, totals.findings);
        crate::check::contradicted(&mut findings, &totals.agreed_cases);
        findings.extend(totals.quirks);
    }
    let unused_accepts = config.unused_accepts(findings.iter().chain(&seen), |a| {
        (a.table == "*" || !narrowed.skips(&a.table))
            && a.check
                .as_deref()
                .is_none_or(|c| CheckKind::parse(c).is_some_and(|c| opts.checks.contains(&c)))
    });
    config.apply(&mut findings);
    let mut findings = finding::group(findings);
    finding::sort(&mut findings);
    let tables = built
        .sqlite
        .tables
        .keys()
        .filter(|t| !narrowed.skips(t))
        .count();
    let inputs = Inputs {
        checks: opts.checks.iter().map(|c| c.name()).collect(),
        not_applicable,
        not_exercised,
        blocked_by_trigger,
        flaky,
        unused_accepts,
        values_from: sampled,
        ..inputs(opts, &built, configured)
    };
    drop(built);
    Ok(report(
        inputs, findings, tables, checks_run, cases_run, started,
    ))
}

/// What a report says of a run's inputs: both sides, the config, the
/// server and both engines (no checks listed, nothing untested: the
/// caller says what ran).
pub fn inputs(opts: &RunOptions, built: &Databases, configured: &Configured) -> Inputs {
    // Both sides may read one folder (engine in the file names): each file once.
    let mut skipped_files: Vec<String> = Vec::new();
    for p in built.sqlite_set.skipped.iter().chain(&built.pg_set.skipped) {
        let p = p.display().to_string();
        if !skipped_files.contains(&p) {
            skipped_files.push(p);
        }
    }
    Inputs {
        sqlite: opts.sqlite_dir.display().to_string(),
        pg: opts.pg_dir.display().to_string(),
        sqlite_layout: built.sqlite_set.layout,
        pg_layout: built.pg_set.layout,
        config: configured.path.as_ref().map(|p| p.display().to_string()),
        seed: opts.seed,
        cases: opts.cases,
        pg_backend: built.backend.clone(),
        postgres_version: built.postgres_version.clone(),
        sqlite_version: sqlite::version(),
        server_encoding: built.server_encoding.clone(),
        collation: built.collation.clone(),
        timezone: built.timezone.clone(),
        skipped_files,
        pg_extensions: built.pg.pg_objects.extensions.clone(),
        pg_schema: built.pg_schema.clone(),
        checks: Vec::new(),
        not_applicable: Vec::new(),
        not_exercised: Vec::new(),
        values_from: None,
        blocked_by_trigger: Vec::new(),
        flaky: Vec::new(),
        strict: configured.config.strict,
        baseline: None,
        baseline_gone: Vec::new(),
        unused_accepts: Vec::new(),
        sqlite_counts: built.sqlite.counts(built.sqlite_set.migrations.len()),
        pg_counts: built.pg.counts(built.pg_set.migrations.len()),
    }
}

/// A finished run's report: the summary's counts taken from `findings`.
pub fn report(
    inputs: Inputs,
    findings: Vec<finding::Finding>,
    tables: usize,
    checks_run: usize,
    cases_run: u64,
    started: Instant,
) -> Report {
    let mut report = Report {
        schema_version: 1,
        tool: Tool {
            name: "schema-parity",
            version: env!("CARGO_PKG_VERSION"),
        },
        inputs,
        summary: Summary {
            tables,
            checks_run,
            cases_run,
            // Counted from the findings by `Report::count`, below.
            findings: 0,
            warnings: 0,
            accepted: 0,
            baselined: 0,
            baseline_gone: 0,
            unused_accepts: 0,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        },
        findings,
    };
    report.count();
    report
}
