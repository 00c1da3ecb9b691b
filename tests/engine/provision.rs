//! Provisioning leaves nothing behind and never touches what it did not create.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use libtest_mimic::{Failed, Trial};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use schema_parity::engine::postgres::Session;
use schema_parity::finding::CheckKind;
use schema_parity::provision::{self, Backend, Cluster};
use schema_parity::run::{self, Options};

use crate::common::fixtures_dir;

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "provision::embedded_cluster_leaves_nothing_behind",
            embedded_cleanup,
        ),
        Trial::test(
            "provision::ctrl_c_stops_the_cluster_and_removes_its_dir",
            ctrl_c_cleanup,
        ),
        Trial::test(
            "provision::url_backend_never_touches_the_named_database",
            url_untouched,
        ),
        Trial::test(
            "provision::serve_shares_one_cluster_until_the_runner_exits",
            serve_until_runner_exits,
        ),
    ]
}

fn alive(pid: u32) -> bool {
    i32::try_from(pid).is_ok_and(|p| kill(Pid::from_raw(p), None).is_ok())
}

/// Processes whose command line mentions `dir` (a postmaster and its children).
fn processes_using(dir: &Path) -> Vec<String> {
    let needle = dir.to_string_lossy().into_owned();
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if let Ok(cmd) = std::fs::read(e.path().join("cmdline")) {
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if cmd.contains(&needle) {
                out.push(cmd);
            }
        }
    }
    out
}

fn embedded_cleanup() -> Result<(), Failed> {
    let server = provision::obtain(Backend::Embedded, None)?;
    let (pid, dir) = server
        .cluster_info()
        .ok_or("embedded backend reported no cluster")?;
    if !alive(pid) || !dir.is_dir() {
        return Err("cluster should be running while the server is held".into());
    }
    {
        let db = server.scratch("leak_test")?;
        let mut s = db.connect()?;
        s.execute("CREATE TABLE t (x int)")
            .map_err(|e| e.to_string())?;
        s.close();
    }
    drop(server);
    if alive(pid) {
        return Err(format!("postmaster {pid} still running after drop").into());
    }
    if dir.exists() {
        return Err(format!("{} still exists after drop", dir.display()).into());
    }
    let left = processes_using(&dir);
    if !left.is_empty() {
        return Err(format!("processes left: {left:?}").into());
    }
    Ok(())
}

fn ctrl_c_cleanup() -> Result<(), Failed> {
    let eq = fixtures_dir().join("equivalent");
    let mut child = Command::new(env!("CARGO_BIN_EXE_schema-parity"))
        .args(["check", "--pg-backend", "embedded", "--sqlite"])
        .arg(eq.join("sqlite"))
        .arg("--pg")
        .arg(eq.join("pg"))
        .env("PARITY_DEBUG_HOLD_SECS", "60")
        .env_remove("PARITY_PG_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let mut dir: Option<PathBuf> = None;
    let mut lines = BufReader::new(stderr).lines();
    for line in lines.by_ref() {
        let line = line?;
        if let Some(d) = line.strip_prefix("schema-parity: using throwaway cluster in ") {
            dir = Some(PathBuf::from(d.trim()));
            break;
        }
    }
    // Keep draining stderr so the child never writes into a closed pipe.
    let drain = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>());
    let dir = dir.ok_or("the run never reported its cluster")?;
    let pid = i32::try_from(child.id())?;
    kill(Pid::from_raw(pid), Signal::SIGINT)?;
    let status = child.wait()?;
    let rest = drain.join().unwrap_or_default();
    if status.code() != Some(130) {
        return Err(format!("expected exit 130 after Ctrl-C, got {status}: {rest:?}").into());
    }
    if dir.exists() {
        return Err(format!("{} left behind after Ctrl-C", dir.display()).into());
    }
    let left = processes_using(&dir);
    if !left.is_empty() {
        return Err(format!("processes left after Ctrl-C: {left:?}").into());
    }
    Ok(())
}

fn databases(s: &mut Session) -> Result<Vec<String>, Failed> {
    let (_, rows) = s
        .query_text("SELECT datname FROM pg_database ORDER BY datname")
        .map_err(|e| e.to_string())?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect())
}

fn url_untouched() -> Result<(), Failed> {
    // A server we own, standing in for the user's: a named database with data.
    let cluster = Cluster::start()?;
    let mut admin = Session::connect(&cluster.options())?;
    admin
        .execute("CREATE DATABASE named_db")
        .map_err(|e| e.to_string())?;
    let named = cluster.options().database("named_db");
    let mut s = Session::connect(&named)?;
    s.execute("CREATE TABLE keep (x int); INSERT INTO keep VALUES (1), (2);")
        .map_err(|e| e.to_string())?;
    let fingerprint = |s: &mut Session| -> Result<String, Failed> {
        let (_, rows) = s
            .query_text(
                "SELECT string_agg(c.relname || ':' || c.relkind::text, ',' ORDER BY c.relname) || '|' || (SELECT count(*) FROM keep) \
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
            )
            .map_err(|e| e.to_string())?;
        Ok(format!("{rows:?}"))
    };
    let before = fingerprint(&mut s)?;
    let dbs_before = databases(&mut admin)?;
    let url = format!(
        "postgres://postgres:not-a-secret@localhost/named_db?host={}",
        cluster.socket_dir.display()
    );
    let eq = fixtures_dir().join("equivalent");
    let opts = Options {
        sqlite_dir: eq.join("sqlite"),
        pg_dir: eq.join("pg"),
        sqlite_layout: None,
        pg_layout: None,
        config: Some(fixtures_dir().join("empty.toml")),
        pg_url: Some(url),
        backend: Backend::Url,
        checks: vec![CheckKind::Structure, CheckKind::SeedData],
        only: Vec::new(),
        cases: 0,
        seed: 1,
        pg_schema: None,
    };
    let lines = std::sync::Mutex::new(Vec::new());
    let report = run::check(&opts, &|m| lines.lock().expect("lock").push(m.to_string()))?;
    if report.failures() != 0 || report.inputs.pg_backend != "url" {
        return Err(format!("expected parity via url, got {:?}", report.findings).into());
    }
    let printed = lines.lock().map_err(|e| e.to_string())?.join("\n");
    if printed.contains("not-a-secret") {
        return Err(format!("password printed: {printed}").into());
    }
    let after = fingerprint(&mut s)?;
    let dbs_after = databases(&mut admin)?;
    s.close();
    admin.close();
    if before != after {
        return Err(format!("named database changed: {before} -> {after}").into());
    }
    if dbs_before != dbs_after {
        return Err(
            format!("scratch database left behind: {dbs_before:?} -> {dbs_after:?}").into(),
        );
    }
    Ok(())
}

/// `schema-parity serve` (the nextest setup script's server): other
/// processes reach it through the URL it writes, and it removes itself
/// once the process it serves exits.
fn serve_until_runner_exits() -> Result<(), Failed> {
    let tmp = tempfile::tempdir()?;
    let env_file = tmp.path().join("env");
    let mut runner = Command::new("sleep").arg("600").spawn()?;
    let mut server = Command::new(env!("CARGO_BIN_EXE_schema-parity"))
        .arg("serve")
        .arg("--env-file")
        .arg(&env_file)
        .arg("--until-pid")
        .arg(runner.id().to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let line = loop {
        if let Ok(l) = std::fs::read_to_string(&env_file) {
            break l;
        }
        if std::time::Instant::now() > deadline || server.try_wait()?.is_some() {
            let _ = runner.kill();
            let _ = server.kill();
            return Err("serve wrote no PARITY_PG_URL".into());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let url = line
        .trim()
        .strip_prefix("PARITY_PG_URL=")
        .ok_or(format!("unexpected env file: {line:?}"))?
        .to_string();
    let socket_dir = PathBuf::from(url.rsplit("host=").next().unwrap_or_default());
    let eq = fixtures_dir().join("equivalent");
    let check = Command::new(env!("CARGO_BIN_EXE_schema-parity"))
        .args(["check", "--checks", "structure", "--sqlite"])
        .arg(eq.join("sqlite"))
        .arg("--pg")
        .arg(eq.join("pg"))
        .arg("--config")
        .arg(eq.join("parity.toml"))
        .args(["--pg-url", &url])
        .output()?;
    runner.kill()?;
    runner.wait()?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(s) = server.try_wait()? {
            break s;
        }
        if std::time::Instant::now() > deadline {
            kill(Pid::from_raw(i32::try_from(server.id())?), Signal::SIGTERM)?;
            server.wait()?;
            return Err("serve still running 30 s after its runner exited".into());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    if check.status.code() != Some(0) {
        return Err(format!(
            "check against the served URL: {}\n{}",
            check.status,
            String::from_utf8_lossy(&check.stderr)
        )
        .into());
    }
    if !String::from_utf8_lossy(&check.stdout).contains("PARITY") {
        return Err("check did not report parity".into());
    }
    if !status.success() {
        return Err(format!("serve exited with {status}").into());
    }
    if socket_dir.exists() || !processes_using(&socket_dir).is_empty() {
        return Err(format!("{} or its server left behind", socket_dir.display()).into());
    }
    Ok(())
}
