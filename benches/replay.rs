//! `cargo bench --bench replay`: `replay` of a generated 1,000,000-row
//! SQLite database (three tables, parents before children), end to end —
//! the PostgreSQL side built, every row loaded with COPY and read back —
//! against the floor measured in the same run: a plain CSV export of the
//! same tables with `sqlite3 -csv` piped into `\copy` with `psql`, into
//! the same PostgreSQL schema in a database of its own on the same server.
//! Prints rows/s for both, their ratio and the peak RSS of the replay
//! (VmHWM, reset before it starts). Targets (issue 26): ≥ 100,000 rows/s,
//! within 2× of the floor, ≤ 200 MB.
//!
//! Needs `sqlite3` and `psql` on PATH (the floor) and a PostgreSQL the
//! tool can start or reach (`PARITY_PG_URL` / `PARITY_PG_BACKEND`; the
//! floor's psql needs the embedded cluster's socket, so the bench uses the
//! embedded backend unless `PARITY_PG_URL` is set). `PARITY_BENCH_ROWS`
//! changes the row count (default 1,000,000).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use schema_parity::build;
use schema_parity::commands::replay;
use schema_parity::provision::{self, Backend};

const SQLITE_SCHEMA: &str = "
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at DATETIME NOT NULL
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    total REAL NOT NULL,
    note TEXT
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    kind TEXT NOT NULL,
    payload BLOB NOT NULL
);";

const PG_SCHEMA: &str = "
CREATE TABLE accounts (
    id BIGINT PRIMARY KEY,
    email TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE orders (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    total DOUBLE PRECISION NOT NULL,
    note TEXT
);
CREATE TABLE events (
    id BIGINT PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id),
    kind TEXT NOT NULL,
    payload BYTEA NOT NULL
);
";

/// The floor's export of each table, in load order: what `sqlite3 -csv`
/// prints and PostgreSQL's CSV COPY reads (a blob as `\x` hex).
const FLOOR: [(&str, &str); 3] = [
    (
        "accounts",
        "SELECT id, email, active, created_at FROM accounts",
    ),
    ("orders", "SELECT id, account_id, total, note FROM orders"),
    (
        "events",
        "SELECT id, order_id, kind, '\\x' || hex(payload) FROM events",
    ),
];

fn generate(path: &Path, rows: u64) -> rusqlite::Result<()> {
    let rows = i64::try_from(rows).unwrap_or(i64::MAX);
    let accounts = rows / 10;
    let orders = rows * 4 / 10;
    let events = rows - accounts - orders;
    let mut conn = rusqlite::Connection::open(path)?;
    conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    conn.execute_batch(SQLITE_SCHEMA)?;
    let tx = conn.transaction()?;
    {
        let mut a = tx.prepare("INSERT INTO accounts VALUES (?1, ?2, ?3, ?4)")?;
        for i in 1..=accounts {
            a.execute(rusqlite::params![
                i,
                format!("user{i}@example.com"),
                i % 2,
                format!(
                    "2024-{:02}-{:02} 10:{:02}:00",
                    i % 12 + 1,
                    i % 28 + 1,
                    i % 60
                )
            ])?;
        }
        let mut o = tx.prepare("INSERT INTO orders VALUES (?1, ?2, ?3, ?4)")?;
        for i in 1..=orders {
            let note = (i % 3 != 0).then(|| format!("order note {i}"));
            #[expect(clippy::cast_precision_loss, reason = "a price from a counter")]
            let total = (i % 10_000) as f64 / 4.0;
            o.execute(rusqlite::params![i, i % accounts + 1, total, note])?;
        }
        let mut e = tx.prepare("INSERT INTO events VALUES (?1, ?2, ?3, ?4)")?;
        for i in 1..=events {
            let payload = i.to_le_bytes();
            e.execute(rusqlite::params![
                i,
                i % orders + 1,
                ["created", "paid", "shipped"][usize::try_from(i % 3).unwrap_or(0)],
                &payload[..]
            ])?;
        }
    }
    tx.commit()
}

/// Peak resident set size of this process since the last reset, in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let rows: u64 = std::env::var("PARITY_BENCH_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    for tool in ["sqlite3", "psql"] {
        if Command::new(tool).arg("--version").output().is_err() {
            eprintln!("replay bench: needs `{tool}` on PATH for the floor");
            std::process::exit(2);
        }
    }
    let tmp = tempfile::tempdir().expect("a temp dir");
    let file = tmp.path().join("app.db");
    let pg_dir = tmp.path().join("pg");
    std::fs::create_dir_all(&pg_dir).expect("the pg folder");
    std::fs::write(pg_dir.join("001_schema.sql"), PG_SCHEMA).expect("the pg schema");
    let started = Instant::now();
    generate(&file, rows).expect("the generated database");
    let size = std::fs::metadata(&file).map_or(0, |m| m.len());
    println!(
        "generated {rows} rows ({:.0} MB) in {:.1} s",
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    let url = std::env::var("PARITY_PG_URL").ok();
    let backend = if url.is_some() {
        Backend::Url
    } else {
        Backend::Embedded
    };
    let server = provision::obtain(backend, url.as_deref()).expect("a PostgreSQL server");
    let opts = replay::Options {
        run: build::RunOptions {
            sqlite_dir: file.clone(),
            pg_dir: pg_dir.clone(),
            sqlite_layout: None,
            pg_layout: None,
            config: None,
            config_search: false,
            pg_url: url.clone(),
            backend,
            checks: Vec::new(),
            only: Vec::new(),
            cases: 0,
            seed: 0,
            pg_schema: None,
            values_from: None,
        },
        no_values: false,
        sqlite_migrations: None,
        batch_rows: replay::BATCH_ROWS,
    };
    // Peak RSS from here on: the replay's, not the generator's.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    eprintln!(
        "peak RSS after the reset, before the replay: {:.0} MB",
        peak_rss_mb()
    );
    let started = Instant::now();
    let report = replay::replay_on(&opts, &server, &|_: &str| {}).expect("the replay");
    let replay_secs = started.elapsed().as_secs_f64();
    let rss = peak_rss_mb();
    assert_eq!(report.summary.cases_run, rows, "every row read");
    assert_eq!(report.failures(), 0, "the generated rows replay clean");

    // The floor: CSV out of sqlite3, \copy into the same schema.
    let scratch = server.scratch("floor").expect("a scratch database");
    let mut session = scratch.connect().expect("a session");
    session.execute(PG_SCHEMA).expect("the floor's schema");
    session.close();
    let conn_url = match (&url, server.cluster_url()) {
        (Some(u), _) => {
            let base = u.split('?').next().unwrap_or(u);
            let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
            format!("{base}/{}", scratch.name)
        }
        (None, Some(c)) => c.replace("/postgres?", &format!("/{}?", scratch.name)),
        (None, None) => panic!("no URL for psql"),
    };
    let started = Instant::now();
    for (table, select) in FLOOR {
        let script = format!(
            "sqlite3 -csv '{}' \"{select}\" | psql -X -q -v ON_ERROR_STOP=1 '{conn_url}' -c '\\copy {table} FROM STDIN WITH (FORMAT csv)'",
            file.display()
        );
        let out = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .output()
            .expect("the floor's pipeline");
        assert!(
            out.status.success(),
            "floor for {table}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let floor_secs = started.elapsed().as_secs_f64();
    drop(scratch);

    let rate = |secs: f64| rows as f64 / secs.max(1e-9);
    println!(
        "replay: {rows} rows in {replay_secs:.2} s = {:.0} rows/s (end to end: PostgreSQL built, every row loaded and read back)",
        rate(replay_secs)
    );
    println!(
        "floor (sqlite3 -csv | psql \\copy): {rows} rows in {floor_secs:.2} s = {:.0} rows/s",
        rate(floor_secs)
    );
    println!(
        "ratio: replay takes {:.2}x the floor's time; peak RSS of the replay {rss:.0} MB",
        replay_secs / floor_secs.max(1e-9)
    );
    println!(
        "targets: >= 100000 rows/s {}, within 2x of the floor {}, <= 200 MB {}",
        if rate(replay_secs) >= 100_000.0 {
            "met"
        } else {
            "MISSED"
        },
        if replay_secs <= 2.0 * floor_secs {
            "met"
        } else {
            "MISSED"
        },
        if rss <= 200.0 { "met" } else { "MISSED" },
    );
}
