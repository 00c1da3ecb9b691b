//! `cargo bench`: the bundled suite at 256 cases per (table, property), and
//! the cost of one case three ways, measured side by side in one run so the
//! ratios hold on a shared, noisy machine:
//! - a long-lived worker (what the suite does: one database copy per worker,
//!   each case a rolled-back transaction);
//! - a fresh database per case: a `CREATE DATABASE … TEMPLATE` copy of the
//!   migrated database whose parent rows cover only the case's table and
//!   the tables it references, directly or not;
//! - the `sqlx::test` way: a new database with the PostgreSQL migrations
//!   applied (and the SQLite chain applied to a new in-memory database) per
//!   case, seeded the same way.
//!
//! The three are interleaved per sampled table, so all see the same load.
//!
//! Environment: `PARITY_CASES` (default 256), `PARITY_SQLITE_DIR`,
//! `PARITY_PG_DIR`, `PARITY_CONFIG`, `PARITY_PG_URL`/`PARITY_PG_BACKEND`,
//! `PARITY_BENCH_SAMPLE` (fresh-database cases per sampled table, default
//! 10), `PARITY_BENCH_MIGRATE_SAMPLE` (migrated-database cases per sampled
//! table, default 2), `PARITY_BENCH_WORKERS` (default: cores, at most 4).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use schema_parity::build::{self, Databases, RunOptions};
use schema_parity::check::{self, Plan, Worker};
use schema_parity::config::Config;
use schema_parity::engine::{Step, postgres, sqlite};
use schema_parity::model::Engine;
use schema_parity::model::finding::CheckKind;
use schema_parity::provision::{self, Backend, ScratchDatabase};

fn env_path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(default))
}

fn env_number(var: &str, default: u32) -> u32 {
    std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// CPU seconds (user + system) read from `/proc/<pid>/stat`: the process's
/// own (all its threads), or its reaped children's — for a postmaster, the
/// backends that have ended. Linux only, 100 ticks a second; `None` elsewhere.
fn cpu_seconds(pid: &str, children: bool) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // Fields 14-17 of proc(5) (utime, stime, cutime, cstime); `fields` starts at 3.
    let at = if children { 13 } else { 11 };
    let ticks = fields.get(at)?.parse::<f64>().ok()? + fields.get(at + 1)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Time and cases of one way of running cases.
#[derive(Default)]
struct Side {
    time: Duration,
    cases: u64,
    /// Where the time went, for the ways that make a database per case.
    making: Duration,
    seeding: Duration,
}

impl Side {
    fn per_case(&self) -> f64 {
        #[expect(clippy::cast_precision_loss, reason = "reporting")]
        let cases = self.cases.max(1) as f64;
        self.time.as_secs_f64() / cases
    }
}

/// Both chains' statements, read from their folders once (`sqlx::test`
/// embeds its migrations at compile time: reading files is no part of a
/// test's cost).
struct Chains {
    sqlite: Vec<Step>,
    postgres: Vec<Step>,
    sqlite_foreign_keys_during_chain: bool,
}

impl Chains {
    fn read(built: &Databases) -> anyhow::Result<Self> {
        Ok(Chains {
            sqlite: built.sqlite_set.steps(Engine::Sqlite)?,
            postgres: built.pg_set.steps(Engine::Postgres)?,
            sqlite_foreign_keys_during_chain: built
                .sqlite_set
                .layout
                .sqlite_foreign_keys_during_chain(),
        })
    }
}

/// The `sqlx::test` way: a new database with the PostgreSQL migrations
/// applied, and a new in-memory SQLite database with the chain applied,
/// then parent rows for `tables` and their ancestors.
fn migrated_worker(
    plan: &Plan,
    built: &Databases,
    chains: &Chains,
    tables: &BTreeSet<String>,
    side: &mut Side,
) -> anyhow::Result<Worker> {
    let t = Instant::now();
    let mut db = ScratchDatabase::create(built.database.admin(), "migrated")?;
    db.set_search_path(built.database.search_path());
    let mut session = db.connect()?;
    postgres::apply(&mut session, &chains.postgres)?;
    session.close();
    let conn = sqlite::open_memory()?;
    sqlite::apply(
        &conn,
        &chains.sqlite,
        chains.sqlite_foreign_keys_during_chain,
    )?;
    let mut w = Worker::on(&conn, db)?;
    side.making += t.elapsed();
    let t = Instant::now();
    plan.seed(&mut w, Some(&plan.with_ancestors(tables)))?;
    side.seeding += t.elapsed();
    Ok(w)
}

/// The allocator the `schema-parity` binary uses (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let cases = env_number("PARITY_CASES", 256);
    let sample = env_number("PARITY_BENCH_SAMPLE", 10);
    let migrate_sample = env_number("PARITY_BENCH_MIGRATE_SAMPLE", 2);
    let checks: Vec<CheckKind> = check::PROPERTIES.iter().map(|p| p.kind()).collect();
    let opts = RunOptions {
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
        values_from: None,
        config_search: true,
    };
    let config = match opts.config.as_deref().filter(|p| p.is_file()) {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    let server = provision::obtain(opts.backend, opts.pg_url.as_deref())?;
    let t0 = Instant::now();
    let built = build::build(&opts, &server, &|_: &str| {})?;
    let build_time = t0.elapsed();
    let plan = Plan::new(&built, &config, cases, opts.seed);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let workers = usize::try_from(env_number(
        "PARITY_BENCH_WORKERS",
        u32::try_from(cores.clamp(1, 4))?,
    ))?;

    // 1. The whole behavioural suite, with the CPU both processes spent on
    //    it (the server's only for an embedded cluster: its backends end
    //    with the suite's workers and are reaped by the postmaster).
    let postmaster = server.cluster_info().map(|(pid, _)| pid.to_string());
    let server_cpu = || postmaster.as_deref().and_then(|p| cpu_seconds(p, true));
    let (our_cpu0, server_cpu0) = (cpu_seconds("self", false), server_cpu());
    let t1 = Instant::now();
    let totals = plan.run_all(&built, &checks, workers, &|_: &str| {})?;
    let wall = t1.elapsed().as_secs_f64();
    let our_cpu = cpu_seconds("self", false).zip(our_cpu0).map(|(b, a)| b - a);
    std::thread::sleep(Duration::from_millis(200));
    let server_cpu = server_cpu().zip(server_cpu0).map(|(b, a)| b - a);
    #[expect(clippy::cast_precision_loss, reason = "reporting")]
    let (cases_run, trips) = (totals.cases_run as f64, totals.round_trips as f64);

    // 2. One case three ways on a sample of tables, interleaved so all see
    //    the same machine load: the round_trip property, `cases` cases on
    //    one long-lived worker, and one case (the property at one case per
    //    part) per fresh database.
    let mut sample_tables: Vec<&String> = plan.tables.keys().collect();
    sample_tables.truncate(5);
    let one_case = Plan::new(&built, &config, 1, opts.seed);
    let chains = Chains::read(&built)?;
    let (mut ours, mut fresh, mut migrated) = (Side::default(), Side::default(), Side::default());
    let mut worker = plan.worker(&built, 90)?;
    let mut index = 100;
    for table in &sample_tables {
        let only: BTreeSet<String> = [(*table).clone()].into();
        let t = Instant::now();
        let r = plan.run(&mut worker, table, CheckKind::RoundTrip)?;
        ours.time += t.elapsed();
        ours.cases += r.cases_run;
        for k in 0..sample.max(migrate_sample) {
            if k < sample {
                let t = Instant::now();
                let mut w = Worker::new(&built.sqlite_conn, &built.database, index)?;
                fresh.making += t.elapsed();
                let s = Instant::now();
                one_case.seed(&mut w, Some(&one_case.with_ancestors(&only)))?;
                fresh.seeding += s.elapsed();
                let r = one_case.run(&mut w, table, CheckKind::RoundTrip)?;
                drop(w);
                fresh.time += t.elapsed();
                fresh.cases += r.cases_run.max(1);
                index += 1;
            }
            if k < migrate_sample {
                let t = Instant::now();
                let mut w = migrated_worker(&one_case, &built, &chains, &only, &mut migrated)?;
                let r = one_case.run(&mut w, table, CheckKind::RoundTrip)?;
                drop(w);
                migrated.time += t.elapsed();
                migrated.cases += r.cases_run.max(1);
            }
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    #[expect(clippy::cast_precision_loss, reason = "reporting")]
    let per = |d: Duration, side: &Side| ms(d) / side.cases.max(1) as f64;

    println!(
        "schema-parity benchmark ({} tables, {cases} cases per (table, property), {workers} workers on {cores} cores)",
        plan.tables.len()
    );
    println!(
        "  build both databases:        {:.2} s",
        build_time.as_secs_f64()
    );
    println!("  behavioural suite wall time: {wall:.2} s");
    println!(
        "  cases run:                   {cases_run:.0} ({:.0} cases/s, {:.3} ms wall per case)",
        cases_run / wall.max(1e-9),
        wall * 1e3 / cases_run.max(1.0)
    );
    println!(
        "  PostgreSQL round trips/case: {:.2}",
        trips / cases_run.max(1.0)
    );
    let cpu = |s: Option<f64>| {
        s.map_or("n/a".to_string(), |s| {
            format!("{s:.2} s ({:.0} µs/case)", s * 1e6 / cases_run.max(1.0))
        })
    };
    println!(
        "  CPU: schema-parity {}, PostgreSQL {}; on {cores} idle cores the suite would take ≥ {}",
        cpu(our_cpu),
        cpu(server_cpu),
        our_cpu.zip(server_cpu).map_or("n/a".to_string(), |(a, b)| {
            #[expect(clippy::cast_precision_loss, reason = "reporting")]
            let cores = cores as f64;
            format!("{:.1} s", (a + b) / cores)
        })
    );
    #[expect(clippy::cast_precision_loss, reason = "reporting")]
    let busy = wall * workers as f64;
    let (pg, lite) = (
        totals.postgres_time.as_secs_f64(),
        totals.sqlite_time.as_secs_f64(),
    );
    println!(
        "  worker time {busy:.2} s: PostgreSQL calls {pg:.2} s ({:.0}%, {:.0} µs per round trip), SQLite {lite:.2} s ({:.0}%), the rest (generating, judging, shrinking) {:.2} s ({:.0}%)",
        100.0 * pg / busy.max(1e-9),
        pg * 1e6 / trips.max(1.0),
        100.0 * lite / busy.max(1e-9),
        busy - pg - lite,
        100.0 * (busy - pg - lite) / busy.max(1e-9)
    );
    for (check, c) in &totals.per_check {
        #[expect(clippy::cast_precision_loss, reason = "reporting")]
        let n = c.cases_run.max(1) as f64;
        let time = c.time.as_secs_f64();
        let (pg, lite) = (c.postgres_time.as_secs_f64(), c.sqlite_time.as_secs_f64());
        #[expect(clippy::cast_precision_loss, reason = "reporting")]
        let trips = c.round_trips as f64;
        println!(
            "    {:<11} {:>6} cases, {:.2} round trips/case, {:.3} ms/case: PostgreSQL {:.0}%, SQLite {:.0}%, the rest {:.0}%",
            check.name(),
            c.cases_run,
            trips / n,
            time * 1e3 / n,
            100.0 * pg / time.max(1e-9),
            100.0 * lite / time.max(1e-9),
            100.0 * (time - pg - lite) / time.max(1e-9),
        );
    }
    let (ours_per, fresh_per, migrated_per) =
        (ours.per_case(), fresh.per_case(), migrated.per_case());
    println!(
        "  per case, reused worker:     {:.3} ms (round_trip on {} tables)",
        ours_per * 1e3,
        sample_tables.len()
    );
    println!(
        "  per case, template copy:     {:.3} ms ({} tables x {sample}; copy {:.2} ms, parent rows of the table's ancestors {:.2} ms)",
        fresh_per * 1e3,
        sample_tables.len(),
        per(fresh.making, &fresh),
        per(fresh.seeding, &fresh)
    );
    println!(
        "  per case, migrated database: {:.3} ms ({} tables x {migrate_sample}, the sqlx::test way; migrations {:.2} ms, parent rows {:.2} ms)",
        migrated_per * 1e3,
        sample_tables.len(),
        per(migrated.making, &migrated),
        per(migrated.seeding, &migrated)
    );
    println!(
        "  speed-up vs template copy:   {:.0}x",
        fresh_per / ours_per.max(1e-12)
    );
    println!(
        "  speed-up vs migrated db:     {:.0}x",
        migrated_per / ours_per.max(1e-12)
    );
    drop(worker);
    drop(built);
    drop(server);
    Ok(())
}
