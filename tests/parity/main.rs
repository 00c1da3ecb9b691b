//! The equivalence suite on the bundled pair: one test per (table, property),
//! discovered at run time, named `parity::<table>::<property>`, plus one
//! replay test per saved witness in tests/regressions/.
//!
//! Knobs (environment; libtest-mimic rejects unknown flags):
//! `PARITY_CASES` (per table and property, default 256), `PARITY_SEED`,
//! `PARITY_SAVE_REGRESSIONS=DIR`, `PARITY_PG_URL`, `PARITY_PG_BACKEND`,
//! and `PARITY_SQLITE_DIR` / `PARITY_PG_DIR` / `PARITY_CONFIG` to point the
//! suite at another pair (with `PARITY_PROPTEST_REGRESSIONS`, where proptest
//! keeps failing seeds; default proptest-regressions/parity/).

mod regressions;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

use libtest_mimic::{Arguments, Failed, Trial};

use schema_parity::check::{Suite, Worker};
use schema_parity::config::Config;
use schema_parity::finding::{CheckKind, Finding};
use schema_parity::provision::{self, Backend};
use schema_parity::run::{self, Options};

/// Workers checked out by tests, one at a time each.
pub struct Pool {
    workers: Mutex<Vec<Worker>>,
    ready: Condvar,
}

impl Pool {
    pub fn with<T>(&self, f: impl FnOnce(&mut Worker) -> T) -> Result<T, Failed> {
        let mut guard = self.workers.lock().map_err(|e| e.to_string())?;
        let mut w = loop {
            if let Some(w) = guard.pop() {
                break w;
            }
            guard = self.ready.wait(guard).map_err(|e| e.to_string())?;
        };
        drop(guard);
        let out = f(&mut w);
        self.workers.lock().map_err(|e| e.to_string())?.push(w);
        self.ready.notify_one();
        Ok(out)
    }
}

fn env_path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(default))
}

const PROPERTIES: [CheckKind; 7] = [
    CheckKind::Structure,
    CheckKind::RoundTrip,
    CheckKind::Constraint,
    CheckKind::Cascade,
    CheckKind::Default,
    CheckKind::Sequence,
    CheckKind::SeedData,
];

fn main() {
    let args = Arguments::from_args();
    // PARITY_CASES, or proptest's own PROPTEST_CASES.
    let cases: u32 = ["PARITY_CASES", "PROPTEST_CASES"]
        .iter()
        .find_map(|v| std::env::var(v).ok().and_then(|s| s.parse().ok()))
        .unwrap_or(256);
    let seed: u64 = std::env::var("PARITY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_125);
    let opts = Options {
        sqlite_dir: env_path("PARITY_SQLITE_DIR", "migrations_sqlite"),
        pg_dir: env_path("PARITY_PG_DIR", "migrations_pg"),
        sqlite_layout: None,
        pg_layout: None,
        config: Some(env_path("PARITY_CONFIG", "parity.toml")),
        pg_url: std::env::var("PARITY_PG_URL").ok(),
        backend: std::env::var("PARITY_PG_BACKEND")
            .ok()
            .and_then(|b| <Backend as clap::ValueEnum>::from_str(&b, true).ok())
            .unwrap_or(Backend::Auto),
        checks: PROPERTIES.to_vec(),
        only: Vec::new(),
        cases,
        seed,
        pg_schema: std::env::var("PARITY_PG_SCHEMA").ok(),
    };
    eprintln!(
        "parity suite: {} vs {}, {cases} cases per (table, property), seed {seed} (PARITY_SEED to replay)",
        opts.sqlite_dir.display(),
        opts.pg_dir.display()
    );
    let fail_setup = |what: &str, e: &dyn std::fmt::Display| -> ! {
        eprintln!("error: failed to {what}: {e}");
        std::process::exit(101);
    };
    let config = match opts.config.as_deref().filter(|p| p.is_file()) {
        Some(p) => Config::load(p).unwrap_or_else(|e| fail_setup("load the config", &e)),
        None => Config::default(),
    };
    let server = provision::obtain(opts.backend, opts.pg_url.as_deref())
        .unwrap_or_else(|e| fail_setup("obtain PostgreSQL", &e));
    let built = run::build(&opts, &server, &|_| {})
        .unwrap_or_else(|e| fail_setup("build both databases", &e));
    let mut suite = Suite::new(&built, &config, cases, seed);
    // proptest's own regression files: the seed of every failing case, replayed
    // first on the next run (commit them). The literal SQL of each witness goes
    // to tests/regressions/ too (PARITY_SAVE_REGRESSIONS), as seeds stop
    // reproducing when a strategy changes.
    suite.failure_seeds = Some(env_path(
        "PARITY_PROPTEST_REGRESSIONS",
        "proptest-regressions/parity",
    ));
    let suite = Arc::new(suite);
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
            suite
                .worker(&built, i)
                .unwrap_or_else(|e| fail_setup("prepare a worker", &e)),
        );
    }
    let pool = Arc::new(Pool {
        workers: Mutex::new(workers),
        ready: Condvar::new(),
    });
    let save = std::env::var_os("PARITY_SAVE_REGRESSIONS").map(PathBuf::from);

    let mut trials = Vec::new();
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
    for table in tables {
        for property in PROPERTIES {
            let name = format!("parity::{table}::{}", property.name());
            let why_not = suite.not_applicable(&table, property);
            let (suite, pool, config, save, table) = (
                suite.clone(),
                pool.clone(),
                config.clone(),
                save.clone(),
                table.clone(),
            );
            let trial = Trial::test(name, move || {
                let report = pool.with(|w| suite.run(w, &table, property))??;
                for q in &report.quirks {
                    note_quirk(q);
                }
                let not_exercised = report.not_exercised().filter(|_| report.cases_run >= 16);
                let mut findings: Vec<Finding> = report.findings;
                config.apply(&mut findings);
                let open: Vec<&Finding> = findings.iter().filter(|f| !f.accepted).collect();
                if let Some(dir) = &save {
                    for f in &open {
                        schema_parity::report::save_regression(dir, f)
                            .map_err(|e| e.to_string())?;
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
                // Not applicable is reported as ignored, never as a pass.
                Some(_) => trial.with_ignored_flag(true),
                None => trial,
            });
        }
    }
    let fresh = |i: usize| Worker::new(&built.sqlite_conn, &built.database, i);
    trials.extend(regressions::trials(&fresh, &suite));
    let conclusion = libtest_mimic::run(&args, trials);
    drop(pool);
    drop(built);
    drop(server);
    conclusion.exit();
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
