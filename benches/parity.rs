//! `cargo bench`: the bundled suite at 256 cases per (table, property), and
//! the same round_trip cases against a fresh database per case (what
//! `sqlx::test` does), measured side by side in one run so the ratio holds
//! on a shared, noisy machine.
//!
//! Environment: `PARITY_CASES` (default 256), `PARITY_SQLITE_DIR`,
//! `PARITY_PG_DIR`, `PARITY_CONFIG`, `PARITY_PG_URL`/`PARITY_PG_BACKEND`,
//! `PARITY_BENCH_SAMPLE` (fresh-database cases per sampled table, default 10).

use std::path::{Path, PathBuf};
use std::time::Instant;

use schema_parity::check::{self, Suite};
use schema_parity::config::Config;
use schema_parity::finding::CheckKind;
use schema_parity::provision::{self, Backend};
use schema_parity::run::{self, Options};

fn env_path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(default))
}

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let cases: u32 = std::env::var("PARITY_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256);
    let sample: u32 = std::env::var("PARITY_BENCH_SAMPLE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let checks: Vec<CheckKind> = check::PROPERTIES.iter().map(|p| p.kind()).collect();
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
        checks: checks.clone(),
        only: Vec::new(),
        cases,
        seed: 7,
        pg_schema: None,
        config_search: true,
    };
    let config = match opts.config.as_deref().filter(|p| p.is_file()) {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    let server = provision::obtain(opts.backend, opts.pg_url.as_deref())?;
    let t0 = Instant::now();
    let built = run::build(&opts, &server, &|_: &str| {})?;
    let build_time = t0.elapsed();
    let suite = Suite::new(&built, &config, cases, opts.seed);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);

    // 1. The whole behavioural suite.
    let t1 = Instant::now();
    let totals = suite.run_all(&built, &checks, workers, &|_: &str| {})?;
    let wall = t1.elapsed().as_secs_f64();
    #[expect(clippy::cast_precision_loss, reason = "reporting")]
    let (cases_run, trips) = (totals.cases_run as f64, totals.round_trips as f64);

    // 2. Per-case cost on a sample of tables: long-lived worker vs a fresh
    //    database per case, interleaved so both see the same machine load.
    let mut sample_tables: Vec<&String> = suite.tables.keys().collect();
    sample_tables.truncate(5);
    let mut ours = 0.0f64;
    let mut ours_cases = 0u64;
    let mut fresh = 0.0f64;
    let mut fresh_cases = 0u64;
    let one_case = Suite::new(&built, &config, 1, opts.seed);
    let mut worker = suite.worker(&built, 90)?;
    for (i, table) in sample_tables.iter().enumerate() {
        let t = Instant::now();
        let r = suite.run(&mut worker, table, CheckKind::RoundTrip)?;
        ours += t.elapsed().as_secs_f64();
        ours_cases += r.cases_run;
        for k in 0..sample {
            let t = Instant::now();
            let mut w = one_case.worker(&built, 100 + i * 1000 + usize::try_from(k)?)?;
            let r = one_case.run(&mut w, table, CheckKind::RoundTrip)?;
            drop(w);
            fresh += t.elapsed().as_secs_f64();
            fresh_cases += r.cases_run.max(1);
        }
    }
    #[expect(clippy::cast_precision_loss, reason = "reporting")]
    let (ours_per, fresh_per) = (
        ours / ours_cases.max(1) as f64,
        fresh / fresh_cases.max(1) as f64,
    );

    println!(
        "schema-parity benchmark ({} tables, {cases} cases per (table, property), {workers} workers)",
        suite.tables.len()
    );
    println!(
        "  build both databases:        {:.2} s",
        build_time.as_secs_f64()
    );
    println!("  behavioural suite wall time: {wall:.2} s");
    println!(
        "  cases run:                   {cases_run:.0} ({:.0} cases/s)",
        cases_run / wall.max(1e-9)
    );
    println!(
        "  PostgreSQL round trips/case: {:.2}",
        trips / cases_run.max(1.0)
    );
    println!("  per case, reused worker:     {:.3} ms", ours_per * 1e3);
    println!(
        "  per case, fresh database:    {:.3} ms (sample of {} tables x {sample})",
        fresh_per * 1e3,
        sample_tables.len()
    );
    println!(
        "  speed-up vs fresh database:  {:.0}x",
        fresh_per / ours_per.max(1e-12)
    );
    drop(worker);
    drop(built);
    drop(server);
    Ok(())
}
