//! The container backend (`--pg-backend docker`): a run on a container gives
//! the same answer as on any other server, and leaves no container behind —
//! after a normal run and after Ctrl-C. Without an engine it fails at once,
//! saying what to do.
//!
//! The trials that need an engine run when `PARITY_TEST_DOCKER=1` (CI: see
//! ci/start-docker.sh and .ci/run; they fail loudly when no engine answers),
//! or when an engine answers and the image (`PARITY_PG_IMAGE`, default the
//! official `postgres:15`) is present locally. Otherwise they are ignored,
//! with the reason printed.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use libtest_mimic::{Failed, Trial};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use schema_parity::build::RunOptions;
use schema_parity::commands;
use schema_parity::model::finding::CheckKind;
use schema_parity::provision::{self, Backend};

use crate::common::fixtures_dir;

const DEFAULT_IMAGE: &str = "postgres:15";

pub fn trials() -> Vec<Trial> {
    let skip = skip_reason();
    if let Some(reason) = &skip {
        eprintln!("docker trials ignored: {reason}");
    }
    vec![
        Trial::test(
            "provision::docker_backend_runs_and_removes_its_container",
            runs_and_removes_its_container,
        )
        .with_ignored_flag(skip.is_some()),
        Trial::test(
            "provision::docker_backend_ctrl_c_removes_its_container",
            ctrl_c_removes_its_container,
        )
        .with_ignored_flag(skip.is_some()),
        Trial::test(
            "provision::docker_backend_without_an_engine_fails_at_once_saying_what_to_do",
            no_engine_fails_at_once,
        )
        .with_ignored_flag(!cfg!(feature = "docker")),
    ]
}

fn image() -> String {
    std::env::var("PARITY_PG_IMAGE")
        .ok()
        .filter(|i| !i.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_IMAGE.to_string())
}

/// Why the trials that need an engine cannot run here, or `None` to run them.
fn skip_reason() -> Option<String> {
    if !cfg!(feature = "docker") {
        return Some("built without the `docker` feature".into());
    }
    if std::env::var("PARITY_TEST_DOCKER").is_ok_and(|v| !v.is_empty() && v != "0") {
        return None; // required: any problem is a failure
    }
    let unset = "(set PARITY_TEST_DOCKER=1 to require them)";
    let socket = match socket_path() {
        Ok(s) => s,
        Err(e) => return Some(format!("{e} {unset}")),
    };
    match engine_get(&format!("/images/{}/json", image())) {
        Ok((200, _)) => None,
        Ok((status, _)) => Some(format!(
            "the engine at {socket} has no image {} (HTTP {status}; build one with ci/build-pg-image.sh and set PARITY_PG_IMAGE) {unset}",
            image()
        )),
        Err(e) => Some(format!(
            "no Docker engine answers at {socket} ({e}) {unset}"
        )),
    }
}

fn socket_path() -> Result<String, String> {
    match std::env::var("DOCKER_HOST") {
        Ok(h) => h
            .strip_prefix("unix://")
            .map(str::to_string)
            .ok_or_else(|| {
                format!("DOCKER_HOST={h} is not a unix socket, which these tests inspect")
            }),
        Err(_) => Ok("/var/run/docker.sock".to_string()),
    }
}

/// `GET path` on the engine's API: (HTTP status, body).
fn engine_get(path: &str) -> Result<(u16, String), String> {
    let mut s = UnixStream::connect(socket_path()?).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: docker\r\n\r\n").map_err(|e| e.to_string())?;
    let mut out = String::new();
    s.read_to_string(&mut out).map_err(|e| e.to_string())?;
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("unexpected answer from the engine: {out:.200}"))?;
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// Every container's names (`docker ps -a`), without the leading `/`.
fn all_container_names() -> Result<Vec<String>, Failed> {
    let (status, body) = engine_get("/containers/json?all=1")?;
    if status != 200 {
        return Err(format!("listing containers: HTTP {status}: {body}").into());
    }
    let list: serde_json::Value = serde_json::from_str(&body)?;
    Ok(list
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["Names"].as_array().cloned().unwrap_or_default())
        .filter_map(|n| n.as_str().map(|n| n.trim_start_matches('/').to_string()))
        .collect())
}

/// The container a server description (or progress line) names.
fn container_in(description: &str) -> Option<String> {
    description
        .split_whitespace()
        .find(|w| w.starts_with("schema-parity-"))
        .map(str::to_string)
}

fn runs_and_removes_its_container() -> Result<(), Failed> {
    let server = provision::obtain(Backend::Docker, None)?;
    if server.backend != "docker" {
        return Err(format!("backend is {}, not docker", server.backend).into());
    }
    let name = container_in(&server.description)
        .ok_or_else(|| format!("no container named in `{}`", server.description))?;
    if !all_container_names()?.contains(&name) {
        return Err(format!("container {name} is not listed while the server is held").into());
    }
    // The equivalent pair, every check, on the container.
    let eq = fixtures_dir().join("equivalent");
    let opts = RunOptions {
        sqlite_dir: eq.join("sqlite"),
        pg_dir: eq.join("pg"),
        sqlite_layout: None,
        pg_layout: None,
        config: Some(eq.join("parity.toml")),
        pg_url: None,
        backend: Backend::Docker,
        checks: CheckKind::ALL.to_vec(),
        only: Vec::new(),
        cases: 32,
        seed: 1,
        pg_schema: None,
        values_from: None,
        config_search: true,
    };
    let report = commands::check::check_on(&opts, &server, &|_: &str| {})?;
    if report.failures() != 0 {
        return Err(format!(
            "expected parity on the container, got:\n{}",
            schema_parity::report::text(&report)
        )
        .into());
    }
    if report.inputs.pg_backend != "docker" {
        return Err(format!("inputs.pg_backend = {}", report.inputs.pg_backend).into());
    }
    drop(server);
    let left: Vec<String> = all_container_names()?
        .into_iter()
        .filter(|n| *n == name)
        .collect();
    if !left.is_empty() {
        return Err(format!("container {name} still exists after the server was dropped").into());
    }
    Ok(())
}

/// Waits for `child` at most `limit`, killing it when it takes longer.
fn wait_at_most(child: &mut Child, limit: Duration) -> Result<std::process::ExitStatus, Failed> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {} s: killed", limit.as_secs()).into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn ctrl_c_removes_its_container() -> Result<(), Failed> {
    let eq = fixtures_dir().join("equivalent");
    let mut child = Command::new(env!("CARGO_BIN_EXE_schema-parity"))
        .args(["check", "--pg-backend", "docker", "--sqlite"])
        .arg(eq.join("sqlite"))
        .arg("--pg")
        .arg(eq.join("pg"))
        .env("PARITY_DEBUG_HOLD_SECS", "60")
        .env_remove("PARITY_PG_URL")
        .env_remove("PARITY_PG_BACKEND")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let mut name: Option<String> = None;
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line?;
        if line.starts_with("schema-parity: using ") {
            name = container_in(&line);
            break;
        }
        seen.push(line);
    }
    // Keep draining stderr so the child never writes into a closed pipe.
    let drain = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>());
    let Some(name) = name else {
        let _ = wait_at_most(&mut child, Duration::from_secs(10));
        return Err(format!("the run never reported its container: {seen:?}").into());
    };
    if !all_container_names()?.contains(&name) {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("container {name} is not listed while the run holds it").into());
    }
    kill(Pid::from_raw(i32::try_from(child.id())?), Signal::SIGINT)?;
    let status = wait_at_most(&mut child, Duration::from_secs(60))?;
    let rest = drain.join().unwrap_or_default();
    if status.code() != Some(130) {
        return Err(format!("expected exit 130 after Ctrl-C, got {status}: {rest:?}").into());
    }
    if all_container_names()?.contains(&name) {
        return Err(format!("container {name} left behind after Ctrl-C").into());
    }
    Ok(())
}

fn no_engine_fails_at_once() -> Result<(), Failed> {
    // In a child process: DOCKER_HOST is process-wide, and the other trials
    // run in parallel threads of this one.
    let socket = "/nonexistent.sock";
    let eq = fixtures_dir().join("equivalent");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_schema-parity"))
        .args(["check", "--pg-backend", "docker", "--sqlite"])
        .arg(eq.join("sqlite"))
        .arg("--pg")
        .arg(eq.join("pg"))
        .env("DOCKER_HOST", format!("unix://{socket}"))
        .env_remove("PARITY_PG_URL")
        .env_remove("PARITY_PG_BACKEND")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut stderr)?;
    }
    // A hang guard, not a timing assertion: the answer comes in milliseconds.
    let status = wait_at_most(&mut child, Duration::from_secs(60))?;
    eprintln!(
        "no engine: exit {:?} after {} ms",
        status.code(),
        started.elapsed().as_millis()
    );
    if status.code() != Some(3) {
        return Err(format!("expected exit 3 (environment), got {status}: {stderr}").into());
    }
    if !stderr.contains(socket) {
        return Err(format!("the error does not name the socket {socket}: {stderr}").into());
    }
    if !stderr.contains("start one") || !stderr.contains("--pg-backend") {
        return Err(format!("the error does not say what to do: {stderr}").into());
    }
    if stderr.contains("panicked") {
        return Err(format!("panicked: {stderr}").into());
    }
    Ok(())
}
