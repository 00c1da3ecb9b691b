//! `schema-parity fuzz`, through the CLI, on a planted pair: a short run
//! saves the difference's witness once (one file, named by the finding id);
//! a second run finds it again and adds no file; the saved file replays as
//! a regression test — failing on the planted pair, passing on the
//! equivalent one.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use libtest_mimic::{Failed, Trial};
use schema_parity::build;
use schema_parity::check::{Plan, Worker};
use schema_parity::config::Config;
use schema_parity::suite::replay;

use crate::common::{Shared, options, planted_pair, said};

/// A narrowed reference: SQLite stores ids PostgreSQL's INTEGER refuses.
const PLANTED: &str = "ALTER TABLE notes ALTER COLUMN order_id TYPE INTEGER;\n";
const ID: &str = "structure.type.notes.order_id";

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    let s = shared.clone();
    vec![Trial::test(
        "fuzz::saves_a_new_root_cause_once_and_its_file_replays_as_a_regression",
        move || saves_once_and_replays(&s),
    )]
}

fn fuzz(sqlite: &Path, pg: &Path, regressions: &Path, seed: &str) -> std::io::Result<Output> {
    Command::new(env!("CARGO_BIN_EXE_schema-parity"))
        .args([
            "fuzz",
            "--checks",
            "round_trip",
            "--duration",
            "4s",
            "--cases",
            "16",
        ])
        .args(["--seed", seed, "--sqlite"])
        .arg(sqlite)
        .arg("--pg")
        .arg(pg)
        .arg("--regressions")
        .arg(regressions)
        .arg("--config")
        .arg(crate::common::fixtures_dir().join("empty.toml"))
        .output()
}

fn files(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<std::io::Result<_>>()?;
    names.sort();
    Ok(names)
}

fn saves_once_and_replays(shared: &Shared) -> Result<(), Failed> {
    let planted = tempfile::tempdir()?;
    std::fs::write(planted.path().join("pg.sql"), PLANTED)?;
    let (_pair, sq, pg) = planted_pair(planted.path())?;
    let tmp = tempfile::tempdir()?;
    let regressions = tmp.path().join("regressions");

    let out = fuzz(&sq, &pg, &regressions, "11")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let expected = [format!("{ID}.sql")];
    if out.status.code() != Some(1)
        || !stdout.contains("new root causes: 1 ")
        || files(&regressions).unwrap_or_default() != expected
    {
        return Err(format!(
            "fuzz should save the one root cause's witness: {}",
            said(&out)
        )
        .into());
    }
    let saved = regressions.join(&expected[0]);
    let first = std::fs::read_to_string(&saved)?;
    if !first.contains("-- sqlite:") || !first.contains("notes") {
        return Err(format!("the saved witness should be a regression file:\n{first}").into());
    }

    // Again, on other seeds: seen again, nothing added or rewritten.
    let out = fuzz(&sq, &pg, &regressions, "500")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() != Some(1)
        || !stdout.contains("new root causes: 0 ")
        || !stdout.contains(&format!("seen again (witness already saved): 1\n  {ID}\n"))
        || files(&regressions)? != expected
        || std::fs::read_to_string(&saved)? != first
    {
        return Err(format!("a second run should add no duplicate: {}", said(&out)).into());
    }

    // The file as a regression test: it fails where the difference is and
    // passes where it is not.
    let equivalent = crate::common::fixtures_dir().join("equivalent");
    for (sqlite, pg, differs) in [
        (sq.clone(), pg.clone(), true),
        (equivalent.join("sqlite"), equivalent.join("pg"), false),
    ] {
        let opts = options(&sqlite, &pg, None, Vec::new(), 1);
        let built = build::build(&opts, shared.server()?, &|_: &str| {})?;
        let plan = Plan::new(&built, &Config::default(), 1, 1);
        let mut worker = Worker::new(&built.sqlite_conn, &built.database, 950)?;
        match (replay(&mut worker, &plan, &saved), differs) {
            (Err(_), true) | (Ok(()), false) => {}
            (Ok(()), true) => {
                return Err("the saved witness replays as equal on the planted pair".into());
            }
            (Err(e), false) => {
                return Err(
                    format!("the saved witness fails on the equivalent pair: {e:?}").into(),
                );
            }
        }
    }
    Ok(())
}
