//! `replay` on database files the tests build from our own SQL
//! (tests/fixtures/replay_data/): each hazard a real database holds —
//! text in an INTEGER column, 1.5 in INTEGER, a NUL and bytes that are not
//! UTF-8 in TEXT, a dangling reference written with foreign keys off,
//! dates in four formats, a string that passed `CHECK (price >= 0)`, a
//! seed row that differs — planted in known rows of its own column, with
//! clean rows around. Each is exactly one finding with the planted rows;
//! the same file without them replays clean; the file is never changed.
//! Every detector (refused, altered, seed, lost column, setval, drift)
//! fires on a planted difference and stays quiet without it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use libtest_mimic::{Failed, Trial};
use schema_parity::commands::replay;
use schema_parity::model::finding::{Finding, Severity};
use schema_parity::report::Report;

use crate::common::{Shared, fixtures_dir, options, said};

fn dir() -> PathBuf {
    fixtures_dir().join("replay_data")
}

/// The hazards, each `(table, column, category, id slug, planted keys)`.
const HAZARDS: [(&str, &str, &str, &str, &[i64]); 8] = [
    ("customers", "age", "type", "refused-22p02", &[3, 7]),
    ("customers", "born", "type", "altered", &[13, 15]),
    ("customers", "note", "type", "refused-54000", &[10]),
    ("customers", "raw", "type", "refused-22021", &[11, 12]),
    ("customers", "score", "type", "altered", &[4, 8, 9]),
    ("kinds", "label", "seed_data", "seed-differs", &[2]),
    (
        "orders",
        "customer_id",
        "foreign_key",
        "refused-23503",
        &[100],
    ),
    ("orders", "price", "type", "refused-22p02", &[5, 6]),
];

/// Builds the fixture database at `path`: 100 customers, 50 orders, 3
/// kinds (two of them seeded by the PostgreSQL side), clean — and with
/// the hazards planted when `hazards`.
fn build(path: &Path, hazards: bool) -> Result<(), Failed> {
    let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
    let schema =
        std::fs::read_to_string(dir().join("chain/001_schema.sql")).map_err(|e| e.to_string())?;
    conn.execute_batch(&schema).map_err(|e| e.to_string())?;
    conn.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
         INSERT INTO customers SELECT i, 'customer ' || i, 20 + i % 50, i % 7, 'note', 'raw',
             '2024-01-02 03:04:05', 'clean' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
         INSERT INTO orders SELECT i, 20 + i, 9.99 FROM n;
         INSERT INTO kinds VALUES (1, 'one'), (2, 'two'), (3, 'three');
         -- A tree whose first row names a parent in a later batch (16 rows).
         WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
         INSERT INTO categories SELECT i, CASE WHEN i > 2 THEN 2 END, 'node' FROM n;
         INSERT INTO categories VALUES (1, 20, 'leaf');
         -- Dates in the formats that read back the same.
         UPDATE customers SET born = '2024-01-02T03:04:05Z' WHERE id = 14;
         UPDATE customers SET born = '2024-01-02 03:04' WHERE id = 16;",
    )
    .map_err(|e| e.to_string())?;
    if hazards {
        conn.execute_batch(
            "UPDATE customers SET age = 'old' WHERE id IN (3, 7);
             UPDATE customers SET score = 1.5 WHERE id IN (4, 8, 9);
             UPDATE customers SET note = 'a' || char(0) || 'b' WHERE id = 10;
             UPDATE customers SET raw = CAST(X'fffe41' AS TEXT) WHERE id IN (11, 12);
             -- The other two of four date formats: PostgreSQL reads them
             -- (as a relative day, as midnight) but not back the same.
             UPDATE customers SET born = 'yesterday' WHERE id = 13;
             UPDATE customers SET born = '2024-01-02' WHERE id = 15;
             -- Text sorts above every number: the CHECK lets it in.
             UPDATE orders SET price = '12.50 EUR' WHERE id IN (5, 6);
             UPDATE kinds SET label = 'TWO' WHERE id = 2;
             PRAGMA foreign_keys = OFF;
             INSERT INTO orders VALUES (100, 9999, 1);",
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A file's bytes and modification time.
fn fingerprint(path: &Path) -> Result<(Vec<u8>, std::time::SystemTime), Failed> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let mtime = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|e| e.to_string())?;
    Ok((bytes, mtime))
}

fn replay_options(file: &Path, chain: Option<PathBuf>) -> replay::Options {
    replay::Options {
        run: options(file, &dir().join("pg"), None, Vec::new(), 0),
        no_values: false,
        sqlite_migrations: chain,
        // Small batches: bisection runs on every planted row.
        batch_rows: 16,
    }
}

fn run(shared: &Shared, opts: &replay::Options) -> Result<Report, Failed> {
    let server = shared.server()?;
    replay::replay_on(opts, server, &|_: &str| {}).map_err(|e| e.to_string().into())
}

fn errors(report: &Report) -> Vec<&Finding> {
    (report.findings.iter())
        .filter(|f| f.severity == Severity::Error && !f.accepted)
        .collect()
}

fn keys(f: &Finding) -> Vec<i64> {
    (f.examples.iter())
        .filter_map(|e| e.key.get("id").and_then(serde_json::Value::as_i64))
        .collect()
}

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    let s = shared.clone();
    let hazards = Trial::test(
        "replay_data::each_hazard_is_one_finding_on_its_column",
        move || {
            let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
            let file = tmp.path().join("app.db");
            build(&file, true)?;
            let before = fingerprint(&file)?;
            let report = run(&s, &replay_options(&file, None))?;
            if fingerprint(&file)? != before {
                return Err("the database file changed (bytes or modification time)".into());
            }
            let found = errors(&report);
            let mut problems = Vec::new();
            for (table, column, category, slug, planted) in HAZARDS {
                let matching: Vec<&&Finding> = (found.iter())
                    .filter(|f| f.table == table && f.columns == [column])
                    .collect();
                let [f] = matching.as_slice() else {
                    problems.push(format!(
                        "{table}.{column}: {} findings, not 1",
                        matching.len()
                    ));
                    continue;
                };
                let rows = u64::try_from(planted.len()).unwrap_or(0);
                if f.category.name() != category || !f.id.ends_with(slug) {
                    problems.push(format!(
                        "{table}.{column}: {} ({})",
                        f.id,
                        f.category.name()
                    ));
                }
                if f.rows != Some(rows) || keys(f) != planted {
                    problems.push(format!(
                        "{table}.{column}: rows {:?} keys {:?}, planted {planted:?}",
                        f.rows,
                        keys(f)
                    ));
                }
                if f.examples
                    .iter()
                    .any(|e| e.sqlite.is_none() || e.postgres.is_none())
                {
                    problems.push(format!("{table}.{column}: an example without values"));
                }
            }
            if found.len() != HAZARDS.len() {
                problems.push(format!(
                    "{} error findings, {} hazards: {:?}",
                    found.len(),
                    HAZARDS.len(),
                    found.iter().map(|f| &f.id).collect::<Vec<_>>()
                ));
            }
            // 1.5 in an INTEGER column loads as check's INSERT loads it: rounded.
            let score = found.iter().find(|f| f.columns == ["score"]);
            let shown = score
                .and_then(|f| f.examples.first())
                .and_then(|e| e.postgres.clone());
            if shown.as_deref() != Some("2") {
                problems.push(format!("score's example reads back {shown:?}, not 2"));
            }
            if report.failures() == 0 {
                problems.push("the report does not fail".into());
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("\n").into())
            }
        },
    );
    let s = shared.clone();
    let clean = Trial::test(
        "replay_data::the_clean_file_replays_with_no_finding",
        move || {
            let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
            let file = tmp.path().join("app.db");
            build(&file, false)?;
            let before = fingerprint(&file)?;
            let report = run(&s, &replay_options(&file, None))?;
            if fingerprint(&file)? != before {
                return Err("the database file changed (bytes or modification time)".into());
            }
            let found = errors(&report);
            if !found.is_empty() || report.failures() != 0 {
                return Err(format!(
                    "findings on the clean file: {:?}",
                    found.iter().map(|f| &f.id).collect::<Vec<_>>()
                )
                .into());
            }
            // 173 rows read (100 + 50 + 20 + 3): the two seed rows of kinds among
            // them, matched by key (loaded twice they would be refused).
            if report.summary.cases_run != 173 {
                return Err(format!("{} rows read, not 173", report.summary.cases_run).into());
            }
            // setval: the BIGSERIAL tables' sequences were overtaken; kinds
            // has no sequence.
            let mut setval: Vec<(&str, String)> = (report.findings.iter())
                .filter(|f| f.id.ends_with(".setval"))
                .map(|f| (f.table.as_str(), f.postgres.clone()))
                .collect();
            setval.sort();
            let expected = [("customers", "100"), ("orders", "50")];
            let ok = setval.len() == 2
                && setval.iter().zip(expected).all(|((t, sql), (et, max))| {
                    *t == et && sql.contains(&format!("setval('public.{et}_id_seq', {max});"))
                });
            if !ok {
                return Err(format!("setval notes: {setval:?}").into());
            }
            Ok(())
        },
    );
    let s = shared.clone();
    let lost = Trial::test(
        "replay_data::a_column_postgresql_lacks_loses_its_values",
        move || {
            let mut problems = Vec::new();
            for (filled, expected) in [(true, Some(3)), (false, None)] {
                let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
                let file = tmp.path().join("app.db");
                build(&file, false)?;
                let conn = rusqlite::Connection::open(&file).map_err(|e| e.to_string())?;
                conn.execute_batch("ALTER TABLE kinds ADD COLUMN legacy TEXT;")
                    .map_err(|e| e.to_string())?;
                if filled {
                    conn.execute_batch("UPDATE kinds SET legacy = 'x';")
                        .map_err(|e| e.to_string())?;
                }
                drop(conn);
                let report = run(&s, &replay_options(&file, None))?;
                let got: Vec<Option<u64>> = (errors(&report).iter())
                    .filter(|f| f.id == "replay.missing_column.kinds.legacy.lost")
                    .map(|f| f.rows)
                    .collect();
                let want: Vec<Option<u64>> = expected.map(Some).into_iter().collect();
                if got != want || errors(&report).len() != want.len() {
                    problems.push(format!(
                        "legacy filled={filled}: {:?}",
                        errors(&report)
                            .iter()
                            .map(|f| (&f.id, f.rows))
                            .collect::<Vec<_>>()
                    ));
                }
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("\n").into())
            }
        },
    );
    let s = shared.clone();
    let drift = Trial::test(
        "replay_data::drift_from_the_sqlite_migrations_is_a_finding",
        move || {
            let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
            let file = tmp.path().join("app.db");
            build(&file, false)?;
            let mut problems = Vec::new();
            // The drifted chain: the file's own, then one more step.
            let drifted = tmp.path().join("chain_drifted");
            crate::common::assemble(&dir().join("chain"), &drifted, None)
                .and_then(|()| {
                    std::fs::copy(
                        dir().join("chain_drifted/002_drift.sql"),
                        drifted.join("002_drift.sql"),
                    )
                })
                .map_err(|e| e.to_string())?;
            for (chain, expected) in [
                (dir().join("chain"), Vec::new()),
                (
                    drifted.clone(),
                    vec![
                        "replay.index.customers.drift-extra-index-idx-customers-name",
                        "replay.missing_column.kinds.rank.drift-missing-column",
                    ],
                ),
            ] {
                let report = run(&s, &replay_options(&file, Some(chain.clone())))?;
                let mut got: Vec<&str> = errors(&report).iter().map(|f| f.id.as_str()).collect();
                got.sort_unstable();
                if got != expected {
                    problems.push(format!("{}: {got:?}", chain.display()));
                }
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("\n").into())
            }
        },
    );
    let cli = Trial::test("replay_data::the_command_exits_by_the_contract", || {
        let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
        let (bad, good, other) = (
            tmp.path().join("bad.db"),
            tmp.path().join("good.db"),
            tmp.path().join("notes.txt"),
        );
        build(&bad, true)?;
        build(&good, false)?;
        std::fs::write(&other, "not a database\n").map_err(|e| e.to_string())?;
        let before = fingerprint(&bad)?;
        let replay = |file: &Path, extra: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_schema-parity"))
                .arg("replay")
                .arg("--sqlite")
                .arg(file)
                .arg("--pg")
                .arg(dir().join("pg"))
                .arg("--config")
                .arg(fixtures_dir().join("empty.toml"))
                .args(extra)
                .output()
                .map_err(|e| e.to_string())
        };
        let out = replay(&bad, &["--format", "json", "--no-values"])?;
        if out.status.code() != Some(1) {
            return Err(format!("the hazards: {}", said(&out)).into());
        }
        if fingerprint(&bad)? != before {
            return Err("the database file changed (bytes or modification time)".into());
        }
        let json: serde_json::Value =
            serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
        let findings = json["findings"].as_array().cloned().unwrap_or_default();
        let with_rows: Vec<&serde_json::Value> = findings
            .iter()
            .filter(|f| f.get("rows").is_some())
            .collect();
        if with_rows.len() != HAZARDS.len() {
            return Err(format!("{} findings with rows: {json}", with_rows.len()).into());
        }
        for f in &with_rows {
            for e in f["examples"].as_array().into_iter().flatten() {
                if e.get("sqlite").is_some()
                    || e.get("postgres").is_some()
                    || e.get("key").is_none()
                {
                    return Err(format!("--no-values kept a value: {e}").into());
                }
            }
        }
        let out = replay(&good, &[])?;
        if out.status.code() != Some(0) {
            return Err(format!("the clean file: {}", said(&out)).into());
        }
        let out = replay(&other, &[])?;
        if out.status.code() != Some(2) {
            return Err(format!("a file that is not a database: {}", said(&out)).into());
        }
        Ok(())
    });
    vec![hazards, clean, lost, drift, cli, bundled_trial(shared)]
}

/// What filling a table needs of the bundled pair: its columns' agreed
/// domains and its references.
struct Fill {
    table: String,
    specs: Vec<schema_parity_strategies::ColumnSpec>,
    /// (column, parent table, parent column) of each single-column reference.
    references: Vec<(String, String, String)>,
}

/// The bundled pair's tables, parents first, with what filling them needs.
fn bundled_fills(shared: &Shared) -> Result<Vec<Fill>, Failed> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let opts = schema_parity::build::RunOptions {
        config: Some(root.join("parity.toml")),
        ..options(
            &root.join("migrations_sqlite"),
            &root.join("migrations_pg"),
            None,
            Vec::new(),
            0,
        )
    };
    let server = shared.server()?;
    schema_parity::build::with_built_on(&opts, server, &|_: &str| {}, |built, configured| {
        let tables = schema_parity::check::tables(
            &built.sqlite,
            &built.pg,
            &built.probed,
            &configured.config,
        );
        schema_parity::check::topological(&tables)
            .into_iter()
            .filter_map(|t| tables.get(&t))
            .filter(|info| info.sqlite_table.virtual_module.is_none())
            .map(|info| Fill {
                table: info.name.clone(),
                specs: info
                    .columns
                    .iter()
                    .filter(|c| !c.generated)
                    .map(|c| c.spec.clone())
                    .collect(),
                references: info
                    .foreign_keys
                    .iter()
                    .filter_map(
                        |fk| match (fk.columns.as_slice(), fk.target_columns.as_slice()) {
                            ([c], [p]) => Some((c.clone(), fk.target_table.clone(), p.clone())),
                            _ => None,
                        },
                    )
                    .collect(),
            })
            .collect()
    })
    .map_err(|e| e.to_string().into())
}

/// A file made by applying `migrations_sqlite` and filling every table
/// with rows drawn from the agreed domains (parents first, references
/// taken from parent rows); rows SQLite refuses are left out. Returns how
/// many rows the file's tables hold.
fn bundled_file(path: &Path, fills: &[Fill]) -> Result<u64, Failed> {
    use proptest::strategy::{Strategy, ValueTree};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("migrations_sqlite"))
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    for f in &files {
        let sql = std::fs::read_to_string(f).map_err(|e| e.to_string())?;
        conn.execute_batch(&sql)
            .map_err(|e| format!("{}: {e}", f.display()))?;
    }
    conn.execute_batch("PRAGMA foreign_keys = ON;")
        .map_err(|e| e.to_string())?;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut inserted = 0;
    for fill in fills {
        let strategy = schema_parity_strategies::plain_row(&fill.specs);
        for n in 0..20 {
            let tree = strategy.new_tree(&mut runner).map_err(|e| e.to_string())?;
            let mut row = tree.current();
            for (column, parent, parent_column) in &fill.references {
                let Some(i) = fill.specs.iter().position(|s| &s.name == column) else {
                    continue;
                };
                if row
                    .get(i)
                    .is_some_and(|v| *v == schema_parity_strategies::Lit::Null)
                {
                    continue;
                }
                let picked: Option<rusqlite::types::Value> = conn
                    .query_row(
                        &format!(
                            "SELECT \"{parent_column}\" FROM \"{parent}\" ORDER BY rowid LIMIT 1 OFFSET {n} % max(1, (SELECT count(*) FROM \"{parent}\"))"
                        ),
                        [],
                        |r| r.get(0),
                    )
                    .ok();
                let lit = match picked {
                    Some(rusqlite::types::Value::Integer(v)) => {
                        schema_parity_strategies::Lit::Int(v)
                    }
                    Some(rusqlite::types::Value::Text(v)) => schema_parity_strategies::Lit::Text(v),
                    Some(rusqlite::types::Value::Blob(v)) => schema_parity_strategies::Lit::Blob(v),
                    Some(rusqlite::types::Value::Real(v)) => schema_parity_strategies::Lit::Real(v),
                    _ => schema_parity_strategies::Lit::Null,
                };
                if let Some(slot) = row.get_mut(i) {
                    *slot = lit;
                }
            }
            let sql = format!(
                "INSERT INTO \"{}\" ({}) VALUES ({})",
                fill.table,
                fill.specs
                    .iter()
                    .map(|s| format!("\"{}\"", s.name))
                    .collect::<Vec<_>>()
                    .join(", "),
                row.iter()
                    .map(schema_parity::mapping::lit_sqlite)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if conn.execute_batch(&sql).is_ok() {
                inserted += 1;
            }
        }
    }
    if inserted < 200 {
        return Err(format!("only {inserted} generated rows went into the bundled file").into());
    }
    // With the rows the SQLite migrations inserted themselves.
    let mut total = 0;
    for fill in fills {
        let n: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM \"{}\"", fill.table),
                [],
                |r| r.get(0),
            )
            .map_err(|e| e.to_string())?;
        total += u64::try_from(n).unwrap_or(0);
    }
    Ok(total)
}

pub fn bundled_trial(shared: &Arc<Shared>) -> Trial {
    let s = shared.clone();
    Trial::test("replay_data::the_bundled_pair_replays_clean", move || {
        let fills = bundled_fills(&s)?;
        let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
        let file = tmp.path().join("bundled.db");
        let inserted = bundled_file(&file, &fills)?;
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let opts = replay::Options {
            run: schema_parity::build::RunOptions {
                config: Some(root.join("parity.toml")),
                ..options(&file, &root.join("migrations_pg"), None, Vec::new(), 0)
            },
            no_values: false,
            sqlite_migrations: Some(root.join("migrations_sqlite")),
            batch_rows: replay::BATCH_ROWS,
        };
        let report = run(&s, &opts)?;
        let found = errors(&report);
        if !found.is_empty() || report.summary.cases_run != inserted {
            return Err(format!(
                "{inserted} rows inserted, {} read; findings: {:#?}",
                report.summary.cases_run,
                found
                    .iter()
                    .map(|f| (&f.id, &f.message, &f.examples))
                    .collect::<Vec<_>>()
            )
            .into());
        }
        Ok(())
    })
}
