//! `check --values-from FILE.db`: the strategies draw the user's own
//! values beside their own. A difference only a value of the user's data
//! shows (tests/fixtures/values_from: PostgreSQL refuses one legacy code)
//! is found with the flag and not without it; the pair without the planted
//! trigger stays quiet with the flag; the file is opened read-only (bytes
//! and modification time unchanged); a file that is no database is exit 2.

use std::path::{Path, PathBuf};
use std::process::Output;

use libtest_mimic::{Failed, Trial};

use crate::common::{assemble, fixtures_dir, said};

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "values_from::a_difference_only_the_users_values_show_is_found_with_them",
            found_with_the_users_values,
        ),
        Trial::test(
            "values_from::a_file_that_is_no_database_is_exit_2",
            not_a_database,
        ),
    ]
}

/// The fixture pair in `dir`, with the legacy-code trigger on the
/// PostgreSQL side when `planted`.
fn pair(dir: &Path, planted: bool) -> Result<(PathBuf, PathBuf), Failed> {
    let f = fixtures_dir().join("values_from");
    let (sq, pg) = (dir.join("sqlite"), dir.join("pg"));
    assemble(&f.join("sqlite"), &sq, None)?;
    let trigger = f.join("refuse_legacy_code.sql");
    assemble(&f.join("pg"), &pg, planted.then_some(trigger.as_path()))?;
    Ok((sq, pg))
}

/// A database of the SQLite schema holding the user's rows: the legacy
/// code among ordinary ones, and a weight stored as text (outside the
/// INTEGER column's domain: left out).
fn users_database(path: &Path) -> Result<(), Failed> {
    let db = rusqlite::Connection::open(path)?;
    db.execute_batch(
        "CREATE TABLE shipments (id INTEGER PRIMARY KEY, code TEXT NOT NULL, \
                                 weight_grams INTEGER NOT NULL DEFAULT 0);
         INSERT INTO shipments (code, weight_grams) VALUES
             ('SH-1001', 1200), ('LEGACY/7', 80), ('SH-1002', 'heavy');",
    )?;
    Ok(())
}

fn check(sqlite: &Path, pg: &Path, rest: &[&str]) -> Result<(Output, serde_json::Value), Failed> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_schema-parity"))
        .args([
            "check",
            "--checks",
            "round_trip",
            "--cases",
            "64",
            "--seed",
            "3",
        ])
        .arg("--sqlite")
        .arg(sqlite)
        .arg("--pg")
        .arg(pg)
        .args(["--config"])
        .arg(fixtures_dir().join("empty.toml"))
        .args(["--format", "json"])
        .args(rest)
        .output()?;
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    Ok((out, json))
}

fn found_with_the_users_values() -> Result<(), Failed> {
    let tmp = tempfile::tempdir()?;
    let db = tmp.path().join("app.db");
    users_database(&db)?;
    let bytes = std::fs::read(&db)?;
    let mtime = std::fs::metadata(&db)?.modified()?;
    let db_arg = db.display().to_string();
    let with = ["--values-from", db_arg.as_str()];

    // Quiet: the equivalent pair, with the user's values.
    let (sq, pg) = pair(&tmp.path().join("same"), false)?;
    let (out, json) = check(&sq, &pg, &with)?;
    let taken = &json["inputs"]["values_from"];
    if out.status.code() != Some(0) || taken["values"].as_u64().is_none_or(|n| n < 5) {
        return Err(format!(
            "the equivalent pair with the user's values: expected exit 0 and the values counted, got {}\n{taken}",
            said(&out)
        )
        .into());
    }
    // id 1..3, three codes, weights 1200 and 80; 'heavy' is left out.
    if taken["columns"] != 3 || taken["values"] != 8 || taken["outside"] != 1 {
        return Err(format!("expected 8 values in 3 columns and 1 left out, got {taken}").into());
    }

    // Without the user's values, no generated code is the legacy one.
    let (sq, pg) = pair(&tmp.path().join("planted"), true)?;
    let (out, json) = check(&sq, &pg, &[])?;
    if out.status.code() != Some(0) || !json["inputs"]["values_from"].is_null() {
        return Err(format!(
            "without --values-from the planted trigger is out of the generators' reach: expected exit 0, got {}",
            said(&out)
        )
        .into());
    }

    // With them, round_trip meets it, and the witness carries the code.
    let (out, json) = check(&sq, &pg, &with)?;
    let witnessed = json["findings"].as_array().is_some_and(|fs| {
        fs.iter().any(|f| {
            f["check"] == "round_trip"
                && f["witness"]["postgres_sql"].as_array().is_some_and(|s| {
                    s.iter()
                        .any(|s| s.as_str().is_some_and(|s| s.contains("'LEGACY/7'")))
                })
        })
    });
    if out.status.code() != Some(1) || !witnessed {
        return Err(format!(
            "with --values-from: expected exit 1 and a round_trip finding whose witness inserts 'LEGACY/7', got {}\n{:#}",
            said(&out),
            json["findings"]
        )
        .into());
    }

    if std::fs::read(&db)? != bytes || std::fs::metadata(&db)?.modified()? != mtime {
        return Err("the --values-from file changed".into());
    }
    Ok(())
}

fn not_a_database() -> Result<(), Failed> {
    let tmp = tempfile::tempdir()?;
    let (sq, pg) = pair(tmp.path(), false)?;
    let file = tmp.path().join("notes.db");
    std::fs::write(&file, "these are notes, not a database\n")?;
    let (out, _) = check(&sq, &pg, &["--values-from", &file.display().to_string()])?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(2) || !stderr.contains("notes.db") {
        return Err(format!("expected exit 2 naming the file, got {}", said(&out)).into());
    }
    Ok(())
}
