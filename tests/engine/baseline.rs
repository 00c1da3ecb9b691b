//! `baseline` and `check --baseline`, through the CLI (the exit codes are
//! the contract): a baseline of a pair's current findings passes it; a new
//! difference — a new finding, or a new member of a grouped one — fails it
//! naming only what is new; a fixed one is reported as gone; a bad file is
//! exit 2 naming the file and line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use libtest_mimic::{Failed, Trial};

use crate::common::{fixtures_dir, planted_pair, said};

/// Known differences: a narrowed integer on two columns (one grouped
/// finding) and a dropped column.
const KNOWN: &str = "\
ALTER TABLE accounts ALTER COLUMN created_ns TYPE INTEGER;
ALTER TABLE notes ALTER COLUMN order_id TYPE INTEGER;
ALTER TABLE orders DROP COLUMN meta_json;
";

/// Later: the dropped column is back (fixed), the narrowing reached a
/// third column (a new member of the group), and a NOT NULL went missing
/// (a new finding).
const LATER: &str = "\
ALTER TABLE accounts ALTER COLUMN created_ns TYPE INTEGER;
ALTER TABLE notes ALTER COLUMN order_id TYPE INTEGER;
ALTER TABLE orders ALTER COLUMN account_id TYPE INTEGER;
ALTER TABLE notes ALTER COLUMN body DROP NOT NULL;
";

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "baseline::passes_its_own_pair_then_fails_only_on_what_is_new_and_names_what_is_gone",
            known_new_and_gone,
        ),
        Trial::test(
            "baseline::a_bad_file_is_exit_2_naming_file_and_line",
            bad_file,
        ),
    ]
}

/// A pair in a temp dir: the equivalent pair plus `pg_sql` on the
/// PostgreSQL side.
fn pair(pg_sql: &str) -> Result<(tempfile::TempDir, PathBuf, PathBuf), Failed> {
    let planted = tempfile::tempdir()?;
    std::fs::write(planted.path().join("pg.sql"), pg_sql)?;
    Ok(planted_pair(planted.path())?)
}

fn cli(
    command: &str,
    sqlite: &Path,
    pg: &Path,
    rest: &[&std::ffi::OsStr],
) -> Result<Output, Failed> {
    Ok(Command::new(env!("CARGO_BIN_EXE_schema-parity"))
        .args([command, "--checks", "structure,seed_data", "--sqlite"])
        .arg(sqlite)
        .arg("--pg")
        .arg(pg)
        .arg("--config")
        .arg(fixtures_dir().join("empty.toml"))
        .args(rest)
        .output()?)
}

fn known_new_and_gone() -> Result<(), Failed> {
    let (_known_dir, sq, pg) = pair(KNOWN)?;
    let tmp = tempfile::tempdir()?;
    let file = tmp.path().join("parity-baseline.txt");

    let out = cli(
        "baseline",
        &sq,
        &pg,
        &["--output".as_ref(), file.as_os_str()],
    )?;
    if !out.status.success() {
        return Err(format!("baseline should write the file and exit 0: {}", said(&out)).into());
    }
    let written = std::fs::read_to_string(&file)?;
    let ids: Vec<&str> = written
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    // The group is listed member by member, by each member's own id.
    let expected = [
        "structure.type.accounts.created_ns",
        "structure.type.notes.order_id",
        "structure.missing_column.orders.meta_json",
    ];
    if ids != expected {
        return Err(format!("expected {expected:?} in the baseline, got:\n{written}").into());
    }

    // The same pair with its baseline: nothing new.
    let out = cli(
        "check",
        &sq,
        &pg,
        &["--baseline".as_ref(), file.as_os_str()],
    )?;
    let text = String::from_utf8_lossy(&out.stdout);
    if out.status.code() != Some(0)
        || !text.contains("NO NEW DIFFERENCES")
        || !text.contains("2 finding(s) in the baseline")
        || text.contains("error[")
    {
        return Err(format!(
            "a baseline of the current findings should pass: {}",
            said(&out)
        )
        .into());
    }

    // Later: one new finding, one new member, one fixed.
    let (_later_dir, sq, pg) = pair(LATER)?;
    let text_file = tmp.path().join("report.txt");
    let out = cli(
        "check",
        &sq,
        &pg,
        &[
            "--baseline".as_ref(),
            file.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
            "--report".as_ref(),
            format!("text={}", text_file.display()).as_ref(),
        ],
    )?;
    if out.status.code() != Some(1) {
        return Err(format!("new differences should fail the run: {}", said(&out)).into());
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let findings = json["findings"].as_array().ok_or("findings array")?;
    // What fails: the places not in the baseline, and nothing else.
    let mut new_places: Vec<String> = Vec::new();
    for f in findings
        .iter()
        .filter(|f| f["accepted"] == false && f.get("baselined").is_none())
    {
        match f["members"].as_array() {
            Some(members) => new_places.extend(
                members
                    .iter()
                    .filter(|m| m.get("baselined").is_none())
                    .map(|m| m["id"].as_str().unwrap_or_default().to_string()),
            ),
            None => new_places.push(f["id"].as_str().unwrap_or_default().to_string()),
        }
    }
    new_places.sort();
    let expected_new = [
        "structure.nullability.notes.body",
        "structure.type.orders.account_id",
    ];
    if new_places != expected_new {
        return Err(
            format!("only the new differences should fail: {new_places:?}\n{json:#}").into(),
        );
    }
    let gone = &json["inputs"]["baseline_gone"];
    if *gone != serde_json::json!(["structure.missing_column.orders.meta_json"])
        || json["summary"]["baseline_gone"] != 1
        || json["summary"]["findings"] != 2
        || json["inputs"]["baseline"] != serde_json::json!(file.display().to_string())
    {
        return Err(format!("the fixed column should be reported as gone: {json:#}").into());
    }
    let text = std::fs::read_to_string(&text_file)?;
    let failing: Vec<&str> = text.lines().filter(|l| l.starts_with("error[")).collect();
    if failing.len() != 2
        || !text.contains("new on:   orders.account_id (")
        || !text.contains("notes.body is NOT NULL in SQLite")
        || !text.contains("gone from the baseline")
        || !text.contains("  structure.missing_column.orders.meta_json")
    {
        return Err(format!(
            "the text report should name only the new differences and the gone one:\n{text}"
        )
        .into());
    }
    Ok(())
}

fn bad_file() -> Result<(), Failed> {
    let eq = fixtures_dir().join("equivalent");
    let tmp = tempfile::tempdir()?;
    let file = tmp.path().join("baseline.txt");
    std::fs::write(&file, "# known\nstructure.type.a.b\nthis is not an id\n")?;
    let out = cli(
        "check",
        &eq.join("sqlite"),
        &eq.join("pg"),
        &["--baseline".as_ref(), file.as_os_str()],
    )?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(2)
        || !stderr.contains(&file.display().to_string())
        || !stderr.contains("line 3")
    {
        return Err(format!("expected exit 2 naming the file and line 3: {}", said(&out)).into());
    }
    // Checked before a server is started: bad input costs nothing.
    if stderr.contains("obtaining PostgreSQL") {
        return Err(format!(
            "the baseline should be read before PostgreSQL is obtained:\n{stderr}"
        )
        .into());
    }
    let missing = tmp.path().join("absent.txt");
    let out = cli(
        "check",
        &eq.join("sqlite"),
        &eq.join("pg"),
        &["--baseline".as_ref(), missing.as_os_str()],
    )?;
    if out.status.code() != Some(2) || !String::from_utf8_lossy(&out.stderr).contains("absent.txt")
    {
        return Err(format!("a missing baseline is exit 2 naming it: {}", said(&out)).into());
    }
    Ok(())
}
