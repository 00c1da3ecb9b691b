//! The test binary's `main`: build both databases once, discover the tables,
//! and hand libtest-mimic one trial per (table, property) plus one per saved
//! witness; a failing trial prints its findings with their witnesses.

use std::sync::{Arc, Mutex};

use libtest_mimic::{Arguments, Trial};

use super::options::{Options, Resolved, package_root};
use super::pool::Pool;
use super::regressions;
use crate::build::{self, Databases};
use crate::check::{self, Plan, Worker};
use crate::config::Config;
use crate::model::finding::Finding;
use crate::provision;

/// Runs the suite as a test binary's `main` (a `harness = false` test) and
/// exits: 0 when every test passed, 101 when one failed or the databases
/// could not be built. Arguments are libtest's (`--list`, `--exact NAME`,
/// `--test-threads N`, a filter, …); knobs are environment variables (see
/// [`Options::from_env`]).
pub fn main(options: Options) -> ! {
    let args = Arguments::from_args();
    let opts = options
        .resolve(&package_root())
        .unwrap_or_else(|e| fail_setup("read the suite's options", &e));
    eprintln!(
        "parity suite: {} vs {}, {} cases per (table, property), seed {} (PARITY_SEED to replay)",
        opts.sqlite.display(),
        opts.pg.display(),
        opts.cases,
        opts.seed
    );
    // Both folders and the config read once, before a server is paid for.
    let run_opts = run_options(&opts);
    let prepared = build::prepare(&run_opts).unwrap_or_else(|e| fail_setup("read the inputs", &e));
    eprintln!(
        "parity suite: config {}",
        prepared.config_path.as_ref().map_or_else(
            || "none (the built-in mappings alone)".to_string(),
            |p| p.display().to_string()
        )
    );
    let server = provision::obtain(opts.backend, opts.pg_url.as_deref())
        .unwrap_or_else(|e| fail_setup("obtain PostgreSQL", &e));
    let (built, build::Configured { config, .. }) =
        build::build_from(&run_opts, prepared, &server, &|_: &str| {})
            .unwrap_or_else(|e| fail_setup("build both databases", &e));
    let mut plan = Plan::new(&built, &config, opts.cases, opts.seed);
    // proptest's own regression files: the seed of every failing case, replayed
    // first on the next run (commit them). The literal SQL of each witness goes
    // to the regressions folder too (PARITY_SAVE_REGRESSIONS), as seeds stop
    // reproducing when a strategy changes.
    plan.failure_seeds = Some(opts.proptest_regressions.clone());
    let plan = Arc::new(plan);
    // One test per process (cargo nextest runs `--exact NAME`): one worker.
    let single = args.exact && args.filter.is_some();
    let threads = args
        .test_threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .clamp(1, if single { 1 } else { 4 });
    let mut workers = Vec::new();
    // Listing (`--list`, as cargo nextest does first) runs no test: no workers.
    for i in 0..if args.list { 0 } else { threads } {
        workers.push(
            plan.worker(&built, i)
                .unwrap_or_else(|e| fail_setup("prepare a worker", &e)),
        );
    }
    let pool = Arc::new(Pool::new(workers));

    let mut trials = property_trials(&built, &plan, &pool, &config, &opts);
    let fresh = |i: usize| Worker::new(&built.sqlite_conn, &built.database, i);
    trials.extend(regressions::trials(&fresh, &plan, &opts.regressions));
    let conclusion = libtest_mimic::run(&args, trials);
    drop(pool);
    drop(built);
    drop(server);
    conclusion.exit();
}

/// What `build::build` needs: both sides, every property, the cases and seed.
fn run_options(opts: &Resolved) -> build::RunOptions {
    build::RunOptions {
        sqlite_dir: opts.sqlite.clone(),
        pg_dir: opts.pg.clone(),
        sqlite_layout: None,
        pg_layout: None,
        config: opts.config.clone(),
        pg_url: opts.pg_url.clone(),
        backend: opts.backend,
        checks: check::checks(),
        only: Vec::new(),
        cases: opts.cases,
        seed: opts.seed,
        pg_schema: opts.pg_schema.clone(),
        values_from: None,
        // Without a config named, the one that belongs to the inputs.
        config_search: true,
    }
}

/// `parity::<table>::<property>` for every table on either side that the
/// config does not skip; a property that cannot apply is listed as ignored,
/// never as a pass.
fn property_trials(
    built: &Databases,
    plan: &Arc<Plan>,
    pool: &Arc<Pool>,
    config: &Config,
    opts: &Resolved,
) -> Vec<Trial> {
    let mut tables: Vec<String> = built
        .sqlite
        .tables
        .keys()
        .chain(built.pg.tables.keys())
        .cloned()
        .collect();
    tables.sort();
    tables.dedup();
    tables.retain(|t| !config.skips(t));
    let mut trials = Vec::new();
    for table in tables {
        for property in check::checks() {
            let name = format!("parity::{table}::{}", property.name());
            let why_not = plan.not_applicable(&table, property);
            let (plan, pool, config, save, table) = (
                plan.clone(),
                pool.clone(),
                config.clone(),
                opts.save_regressions.clone(),
                table.clone(),
            );
            let trial = Trial::test(name, move || {
                let report = pool.with(|w| plan.run(w, &table, property))??;
                for q in &report.quirks {
                    note_quirk(q);
                }
                let not_exercised = report
                    .not_exercised()
                    .or_else(|| report.blocked_by_trigger())
                    .filter(|_| report.cases_run >= 16);
                let mut findings: Vec<Finding> = report.findings;
                config.apply(&mut findings);
                let open: Vec<&Finding> = findings.iter().filter(|f| !f.accepted).collect();
                if let Some(dir) = &save {
                    for f in &open {
                        crate::report::save_regression(dir, f).map_err(|e| e.to_string())?;
                    }
                }
                if open.is_empty() {
                    // A property that applies but tested nothing is not a pass
                    // (below 16 cases an all-discarded run can be chance).
                    return match not_exercised {
                        Some(why) => Err(format!("not exercised: {why}").into()),
                        None => Ok(()),
                    };
                }
                Err(open
                    .iter()
                    .map(|f| describe(f))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .into())
            });
            trials.push(match why_not {
                Some(_) => trial.with_ignored_flag(true),
                None => trial,
            });
        }
    }
    trials
}

/// Setup that fails (no PostgreSQL, a migration that does not apply) fails
/// the whole binary at once, as a panicking libtest harness would.
fn fail_setup(what: &str, e: &dyn std::fmt::Display) -> ! {
    eprintln!("error: failed to {what}: {e}");
    std::process::exit(101);
}

/// Inherent engine quirks are accepted, never silent: each is printed once.
fn note_quirk(q: &Finding) {
    static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let key = q.id.rsplit('.').next().unwrap_or_default().to_string();
    if let Ok(mut seen) = SEEN.lock()
        && !seen.contains(&key)
    {
        eprintln!(
            "note: accepted engine quirk ({key}) first seen on {}: {}",
            q.table,
            q.reason.as_deref().unwrap_or("")
        );
        seen.push(key);
    }
}

/// A failing test's message: the finding, each side, and the witness.
fn describe(f: &Finding) -> String {
    let mut s = format!(
        "[{}/{}] {}\n  sqlite:   {}\n  postgres: {}",
        f.check.name(),
        f.category.name(),
        f.message,
        f.sqlite,
        f.postgres
    );
    if let Some(w) = &f.witness {
        s.push_str(&format!(
            "\n  witness, SQLite:     {}\n    -> {}\n  witness, PostgreSQL: {}\n    -> {}",
            w.sqlite_sql.join(" "),
            w.sqlite_outcome,
            w.postgres_sql.join(" "),
            w.postgres_outcome
        ));
    }
    s
}
