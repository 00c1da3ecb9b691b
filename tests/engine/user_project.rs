//! The suite as a user gets it: `examples/user-project/` depends on this
//! crate by path and its `tests/parity.rs` is the five-line
//! `schema_parity::suite::main`. Its `cargo test` runs here, in the same
//! target directory and profile as this run, so only the project's own test
//! binary is compiled: it must list `parity::<table>::<property>` for its
//! tables and pass on its equivalent pair, and with a planted difference
//! (a copy of its PostgreSQL folder, through `PARITY_PG_DIR`) fail exactly
//! the tests that difference breaks, with the witness, saving it as SQL.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use libtest_mimic::{Failed, Trial};

use crate::common::Shared;

/// The project's tables, each tested for every property.
const TABLES: [&str; 2] = ["bookmarks", "users"];

/// What the planted difference (bookmarks.title TEXT → VARCHAR(16)) fails:
/// the structural type finding, and the round-trip probe that stores a
/// longer title in SQLite than PostgreSQL takes.
const PLANTED_FAILS: [&str; 2] = [
    "parity::bookmarks::round_trip",
    "parity::bookmarks::structure",
];

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    let s = shared.clone();
    let t = shared.clone();
    vec![
        Trial::test(
            "user_project::cargo_test_lists_and_passes_its_parity_tests",
            move || equivalent(&s),
        ),
        Trial::test(
            "user_project::a_planted_difference_fails_exactly_its_tests_with_the_witness",
            move || planted(&t),
        ),
    ]
}

fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/user-project")
}

/// `cargo test --test parity` in the project, in this run's target
/// directory and profile (from where this binary lives:
/// `<target>/<profile>/deps/engine-…`), with `vars` set, the suite's own
/// knobs cleared and 32 cases.
fn cargo_test(shared: &Shared, vars: &[(&str, &Path)]) -> Result<Output, Failed> {
    let exe = std::env::current_exe()?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("this test binary is not in <target>/<profile>/deps")?;
    let target_dir = profile_dir.parent().ok_or("no target directory")?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(project())
        .args(["test", "--test", "parity"])
        .env("PARITY_CASES", "32");
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        cmd.arg("--release");
    }
    // What cargo set for this test process (the outer package's
    // CARGO_PKG_*, CARGO_MANIFEST_DIR, …) is not the project's: the nested
    // cargo sets its own.
    for (var, _) in std::env::vars_os() {
        let name = var.to_string_lossy();
        if name.starts_with("CARGO_") && name != "CARGO_HOME" {
            cmd.env_remove(&var);
        }
    }
    cmd.env("CARGO_TARGET_DIR", target_dir);
    for var in [
        "PARITY_SQLITE_DIR",
        "PARITY_PG_DIR",
        "PARITY_CONFIG",
        "PARITY_PROPTEST_REGRESSIONS",
        "PARITY_SAVE_REGRESSIONS",
        "PARITY_SEED",
        "PROPTEST_CASES",
    ] {
        cmd.env_remove(var);
    }
    // The shared server, when it is ours, rather than one more cluster (a
    // server given by URL is passed on as it is).
    if let Some(url) = shared.server()?.cluster_url() {
        cmd.env("PARITY_PG_URL", url);
    }
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = output_within(cmd, DEADLINE)?;
    let compiled: Vec<&str> = std::str::from_utf8(&out.stderr)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Compiling "))
        .filter(|l| !l.starts_with("user-project "))
        .collect();
    if !compiled.is_empty() {
        // The outer run built these already; compiling them again means the
        // project's build differs (features, profile) and CI pays for it.
        eprintln!("note: the user project recompiled {compiled:?}");
    }
    Ok(out)
}

/// Longer than the nested `cargo test` ever needs with the outer run's
/// artifacts; an older cargo that held the target directory's lock while
/// running tests would block it for good, and CI must fail, not hang.
const DEADLINE: Duration = Duration::from_secs(15 * 60);

/// Runs `cmd` to the end, its output in temp files (no pipe to fill), or
/// kills it after `deadline`.
fn output_within(mut cmd: Command, deadline: Duration) -> Result<Output, Failed> {
    let (mut stdout, mut stderr) = (tempfile::tempfile()?, tempfile::tempfile()?);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(stdout.try_clone()?)
        .stderr(stderr.try_clone()?)
        .spawn()?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() > deadline {
            child.kill()?;
            child.wait()?;
            return Err(format!("{cmd:?} still ran after {deadline:?}; killed").into());
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let read = |f: &mut std::fs::File| -> std::io::Result<Vec<u8>> {
        let mut buf = Vec::new();
        f.seek(SeekFrom::Start(0))?;
        f.read_to_end(&mut buf)?;
        Ok(buf)
    };
    Ok(Output {
        status,
        stdout: read(&mut stdout)?,
        stderr: read(&mut stderr)?,
    })
}

/// Each `test NAME ... RESULT` line of libtest's output.
fn results(out: &Output) -> Vec<(String, String)> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let (name, result) = l.strip_prefix("test ")?.split_once(" ... ")?;
            Some((name.trim().to_string(), result.trim().to_string()))
        })
        .collect()
}

fn transcript(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn equivalent(shared: &Shared) -> Result<(), Failed> {
    // A failure here must not write seeds into the project's source tree.
    let tmp = tempfile::tempdir()?;
    let out = cargo_test(shared, &[("PARITY_PROPTEST_REGRESSIONS", tmp.path())])?;
    let results = results(&out);
    let expected: Vec<String> = TABLES
        .iter()
        .flat_map(|t| {
            schema_parity::check::checks()
                .into_iter()
                .map(move |p| format!("parity::{t}::{}", p.name()))
        })
        .collect();
    let missing: Vec<&String> = expected
        .iter()
        .filter(|n| !results.iter().any(|(r, _)| r == *n))
        .collect();
    if !missing.is_empty() {
        return Err(format!("not listed: {missing:?}\n{}", transcript(&out)).into());
    }
    let failed: Vec<&String> = results
        .iter()
        .filter(|(_, r)| r != "ok" && r != "ignored")
        .map(|(n, _)| n)
        .collect();
    if !out.status.success() || !failed.is_empty() {
        return Err(format!(
            "failed on the equivalent pair: {failed:?}\n{}",
            transcript(&out)
        )
        .into());
    }
    Ok(())
}

fn planted(shared: &Shared) -> Result<(), Failed> {
    let tmp = tempfile::tempdir()?;
    let pg = tmp.path().join("pg");
    std::fs::create_dir_all(&pg)?;
    let schema = std::fs::read_to_string(project().join("migrations/pg/001_schema.sql"))?;
    let planted = schema.replace("    title TEXT,", "    title VARCHAR(16),");
    if planted == schema {
        return Err("the planted change no longer applies to 001_schema.sql".into());
    }
    std::fs::write(pg.join("001_schema.sql"), planted)?;
    let (seeds, saved) = (tmp.path().join("seeds"), tmp.path().join("saved"));
    let out = cargo_test(
        shared,
        &[
            ("PARITY_PG_DIR", &pg),
            // The planted side lives outside the project, so its parity.toml
            // is not the inputs' (config lookup starts at their common
            // folder): name it, as a user overriding one side would.
            ("PARITY_CONFIG", &project().join("parity.toml")),
            ("PARITY_PROPTEST_REGRESSIONS", &seeds),
            ("PARITY_SAVE_REGRESSIONS", &saved),
        ],
    )?;
    let mut failed: Vec<String> = results(&out)
        .into_iter()
        .filter(|(_, r)| r == "FAILED")
        .map(|(n, _)| n)
        .collect();
    failed.sort();
    if out.status.success() || failed != PLANTED_FAILS {
        return Err(format!(
            "expected exactly {PLANTED_FAILS:?} to fail, got {failed:?}\n{}",
            transcript(&out)
        )
        .into());
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !stdout.contains("witness, SQLite:") {
        return Err(format!("no witness in the failure\n{}", transcript(&out)).into());
    }
    let saved_files = std::fs::read_dir(&saved).map(|rd| rd.count()).unwrap_or(0);
    if saved_files == 0 {
        return Err(format!(
            "PARITY_SAVE_REGRESSIONS saved no witness\n{}",
            transcript(&out)
        )
        .into());
    }
    Ok(())
}
