//! Migration folders in every accepted layout, and errors that point at the
//! failing file, statement and line.

use std::path::Path;
use std::sync::Arc;

use libtest_mimic::{Failed, Trial};

use crate::common::{Shared, fixtures_dir, summary};

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    let mut out = Vec::new();
    for layout in ["sqlx", "refinery", "diesel"] {
        let s = shared.clone();
        out.push(Trial::test(
            format!("loading::layout_{layout}_applies_in_version_order"),
            move || layout_case(&s, layout),
        ));
    }
    let s = shared.clone();
    out.push(Trial::test(
        "loading::sqlite_error_names_file_statement_and_line",
        move || error_case(&s),
    ));
    out.push(Trial::test(
        "loading::bad_input_exits_2",
        bad_input_exit_code,
    ));
    out
}

/// Renames the equivalent SQLite chain into `layout`, with versions that sort
/// wrongly as text (9 before 10) to prove numeric ordering.
fn layout_case(shared: &Shared, layout: &str) -> Result<(), Failed> {
    let eq = fixtures_dir().join("equivalent");
    let tmp = tempfile::tempdir()?;
    let sq = tmp.path().join("sqlite");
    std::fs::create_dir_all(&sq)?;
    let mut files: Vec<_> = std::fs::read_dir(eq.join("sqlite"))?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for (i, f) in files.iter().enumerate() {
        let version = 9 + i; // 9, 10, 11, 12
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("m");
        let name = stem.split_once('_').map_or(stem, |(_, n)| n);
        let target = match layout {
            "sqlx" => sq.join(format!("{version}_{name}.up.sql")),
            "refinery" => sq.join(format!("V{version}__{name}.sql")),
            _ => {
                let d = sq.join(format!("2024-01-{version:02}-120000_{name}"));
                std::fs::create_dir_all(&d)?;
                d.join("up.sql")
            }
        };
        std::fs::copy(f, &target)?;
        if layout == "sqlx" {
            std::fs::write(
                sq.join(format!("{version}_{name}.down.sql")),
                "DROP TABLE nonexistent;",
            )?;
        }
    }
    let report = shared.check(&sq, &eq.join("pg"), None)?;
    let found = summary(&report);
    if !found.is_empty() {
        return Err(format!("{layout}: expected parity, got {found:?}").into());
    }
    Ok(())
}

fn error_case(shared: &Shared) -> Result<(), Failed> {
    let tmp = tempfile::tempdir()?;
    let sq = tmp.path().join("sqlite");
    std::fs::create_dir_all(&sq)?;
    std::fs::write(
        sq.join("001_ok.sql"),
        "CREATE TABLE a (id INTEGER PRIMARY KEY);\n",
    )?;
    std::fs::write(
        sq.join("002_bad.sql"),
        "-- second migration\nCREATE TABLE b (id INTEGER);\n\nINSERT INTO missing_table VALUES (1);\n",
    )?;
    let eq = fixtures_dir().join("equivalent");
    let err = match shared.check(&sq, &eq.join("pg"), None) {
        Ok(_) => return Err("a failing migration must stop the run".into()),
        Err(e) => e,
    };
    for needle in [
        "002_bad.sql",
        "statement 2",
        "line 4",
        "no such table: missing_table",
    ] {
        if !err.contains(needle) {
            return Err(format!("error should mention `{needle}`: {err}").into());
        }
    }
    Ok(())
}

fn bad_input_exit_code() -> Result<(), Failed> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_schema-parity"))
        .args(["check", "--sqlite", "/nonexistent/dir", "--pg"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations_pg"))
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(2) || !stderr.contains("/nonexistent/dir") {
        return Err(format!(
            "expected exit 2 naming the path, got {:?}: {stderr}",
            out.status
        )
        .into());
    }
    Ok(())
}
