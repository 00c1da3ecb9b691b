//! Which parity.toml a run reads, and what the report says of it, through
//! the CLI (the exit codes are the contract): without `--config` the
//! inputs' own — from their nearest common folder upward, up to the
//! repository root — never the current directory's; the report names it
//! (or none); a rule naming a table neither schema has is exit 2; an accept
//! that matched nothing is listed as unused.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use libtest_mimic::{Failed, Trial};

use crate::common::{assemble, fixtures_dir, said};

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "config::the_current_directorys_parity_toml_is_not_the_inputs",
            current_directory_plays_no_part,
        ),
        Trial::test(
            "config::the_inputs_common_folder_holds_it_and_the_report_names_it",
            found_in_the_common_folder,
        ),
        Trial::test(
            "config::the_lookup_stops_at_the_repository_root",
            stops_at_git,
        ),
        Trial::test(
            "config::a_rule_naming_a_table_neither_schema_has_is_exit_2",
            unknown_table,
        ),
        Trial::test(
            "config::an_accept_that_matched_nothing_is_listed_as_unused",
            unused_accept,
        ),
    ]
}

/// Another project's accept: a wildcard that would hide the planted
/// missing column.
const WILDCARD: &str = "\
[[accept]]
table = \"*\"
category = \"missing_column\"
reason = \"another project's rule: a missing column is fine there\"
";

/// The equivalent pair with a column dropped on the PostgreSQL side, in
/// `dir/sqlite` and `dir/pg`.
fn pair(dir: &Path) -> Result<(PathBuf, PathBuf), Failed> {
    let eq = fixtures_dir().join("equivalent");
    let (sq, pg) = (dir.join("sqlite"), dir.join("pg"));
    assemble(&eq.join("sqlite"), &sq, None)?;
    assemble(
        &eq.join("pg"),
        &pg,
        Some(&fixtures_dir().join("planted/missing_column/pg.sql")),
    )?;
    Ok((sq, pg))
}

/// What one `check` said: its exit, the JSON report and the text report.
struct Run {
    out: Output,
    json: serde_json::Value,
    text: String,
}

/// `check` on the structure of `sqlite` and `pg`, run in `cwd`, with
/// `rest` added to its arguments.
fn check(cwd: &Path, sqlite: &Path, pg: &Path, rest: &[&str]) -> Result<Run, Failed> {
    let reports = tempfile::tempdir()?;
    let text_file = reports.path().join("report.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_schema-parity"))
        .current_dir(cwd)
        .args(["check", "--checks", "structure,seed_data", "--sqlite"])
        .arg(sqlite)
        .arg("--pg")
        .arg(pg)
        .args(["--format", "json", "--report"])
        .arg(format!("text={}", text_file.display()))
        .args(rest)
        .output()?;
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    let text = std::fs::read_to_string(&text_file).unwrap_or_default();
    Ok(Run { out, json, text })
}

/// Whether the planted missing column is reported, and accepted.
fn missing_column(run: &Run) -> Option<bool> {
    run.json["findings"]
        .as_array()?
        .iter()
        .find(|f| f["id"] == "structure.missing_column.orders.meta_json")
        .map(|f| f["accepted"] == true)
}

fn current_directory_plays_no_part() -> Result<(), Failed> {
    // The current directory holds a parity.toml; the inputs live elsewhere.
    let cwd = tempfile::tempdir()?;
    std::fs::write(cwd.path().join("parity.toml"), WILDCARD)?;
    let inputs = tempfile::tempdir()?;
    let (sq, pg) = pair(inputs.path())?;
    let run = check(cwd.path(), &sq, &pg, &[])?;
    if run.out.status.code() != Some(1)
        || missing_column(&run) != Some(false)
        || !run.json["inputs"]["config"].is_null()
        || !run.text.contains("config: none")
    {
        return Err(format!(
            "the current directory's parity.toml must not apply: expected exit 1, the missing column open, config none; got {}\n{}",
            said(&run.out),
            run.text
        )
        .into());
    }
    Ok(())
}

fn found_in_the_common_folder() -> Result<(), Failed> {
    let inputs = tempfile::tempdir()?;
    let (sq, pg) = pair(inputs.path())?;
    let config = inputs.path().join("parity.toml");
    std::fs::write(&config, WILDCARD)?;
    let cwd = tempfile::tempdir()?;
    let run = check(cwd.path(), &sq, &pg, &[])?;
    let named = std::fs::canonicalize(&config)?.display().to_string();
    if run.out.status.code() != Some(0)
        || missing_column(&run) != Some(true)
        || run.json["inputs"]["config"] != named.as_str()
        || !run.text.contains(&format!("config: {named}"))
    {
        return Err(format!(
            "the parity.toml above both inputs should apply and be named ({named}); got {}\n{}",
            said(&run.out),
            run.text
        )
        .into());
    }
    Ok(())
}

fn stops_at_git() -> Result<(), Failed> {
    // outer/parity.toml is above the repository outer/proj: not its config.
    let outer = tempfile::tempdir()?;
    std::fs::write(outer.path().join("parity.toml"), WILDCARD)?;
    let proj = outer.path().join("proj");
    std::fs::create_dir_all(proj.join(".git"))?;
    let (sq, pg) = pair(&proj.join("db"))?;
    let cwd = tempfile::tempdir()?;
    let run = check(cwd.path(), &sq, &pg, &[])?;
    if run.out.status.code() != Some(1)
        || missing_column(&run) != Some(false)
        || !run.json["inputs"]["config"].is_null()
    {
        return Err(format!(
            "a parity.toml above the repository root must not apply; got {}\n{}",
            said(&run.out),
            run.text
        )
        .into());
    }
    // The repository root's own is found (and outer's still not applied).
    let own = proj.join("parity.toml");
    std::fs::write(&own, "strict = false\n")?;
    let run = check(cwd.path(), &sq, &pg, &[])?;
    let named = std::fs::canonicalize(&own)?.display().to_string();
    if run.out.status.code() != Some(1)
        || missing_column(&run) != Some(false)
        || run.json["inputs"]["config"] != named.as_str()
    {
        return Err(format!(
            "the repository root's parity.toml ({named}) should be the one read; got {}\n{}",
            said(&run.out),
            run.text
        )
        .into());
    }
    Ok(())
}

fn unknown_table() -> Result<(), Failed> {
    let inputs = tempfile::tempdir()?;
    let (sq, pg) = pair(inputs.path())?;
    let config = inputs.path().join("other.toml");
    std::fs::write(
        &config,
        format!(
            "{WILDCARD}\n\
             [[column]]\ntable = \"invoices\"\ncolumn = \"total\"\ngenerator = \"email\"\n\n\
             [[accept]]\ntable = \"ghost\"\ncategory = \"type\"\nreason = \"not this pair's\"\n"
        ),
    )?;
    let run = check(
        inputs.path(),
        &sq,
        &pg,
        &["--config", &config.display().to_string()],
    )?;
    let stderr = String::from_utf8_lossy(&run.out.stderr);
    let expected = [
        "other.toml",
        "`invoices.total`",
        "`ghost`",
        "is this parity.toml for another pair? pass --config",
    ];
    if run.out.status.code() != Some(2)
        || !expected.iter().all(|e| stderr.contains(e))
        || stderr.contains("`*`")
    {
        return Err(format!(
            "expected exit 2 naming {expected:?} (and not the wildcard); got {}",
            said(&run.out)
        )
        .into());
    }
    Ok(())
}

fn unused_accept() -> Result<(), Failed> {
    let inputs = tempfile::tempdir()?;
    let (sq, pg) = pair(inputs.path())?;
    std::fs::write(
        inputs.path().join("parity.toml"),
        format!(
            "{WILDCARD}\n\
             [[accept]]\ntable = \"orders\"\ncolumn = \"code\"\ncategory = \"type\"\nreason = \"fixed long ago\"\n\n\
             [[accept]]\ntable = \"*\"\ncheck = \"sequence\"\ncategory = \"other\"\nreason = \"a check this run skips\"\n"
        ),
    )?;
    let run = check(inputs.path(), &sq, &pg, &[])?;
    let unused = &run.json["inputs"]["unused_accepts"];
    let expected = serde_json::json!([{
        "table": "orders",
        "column": "code",
        "check": null,
        "category": "type",
        "reason": "fixed long ago",
    }]);
    if run.out.status.code() != Some(0)
        || missing_column(&run) != Some(true)
        || *unused != expected
        || run.json["summary"]["unused_accepts"] != 1
        || !run.text.contains("unused accepts in")
        || !run.text.contains(
            "[[accept]] table = \"orders\", column = \"code\", category = \"type\" — fixed long ago",
        )
        || run.text.contains("a check this run skips")
    {
        return Err(format!(
            "expected exit 0 with the orders.code accept listed as unused (and only it): {unused}\n{}\n{}",
            said(&run.out),
            run.text
        )
        .into());
    }
    Ok(())
}
