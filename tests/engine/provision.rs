//! Provisioning leaves nothing behind and never touches what it did not create.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use libtest_mimic::{Failed, Trial};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use schema_parity::build::RunOptions;
use schema_parity::commands;
use schema_parity::engine::postgres::Session;
use schema_parity::model::finding::CheckKind;
use schema_parity::provision::{self, Backend, Cluster};

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
            "provision::killed_postmaster_exits_3_and_leaves_nothing",
            killed_postmaster,
        ),
        Trial::test("provision::killed_run_leaves_no_server_behind", killed_run),
        Trial::test(
            "provision::url_backend_never_touches_the_named_database",
            url_untouched,
        ),
        Trial::test(
            "provision::serve_shares_one_cluster_until_the_runner_exits",
            serve_until_runner_exits,
        ),
        Trial::test(
            "provision::a_cached_initdb_starts_a_cluster_and_a_broken_one_is_dropped",
            pristine_cache,
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

/// A `check` of the bundled pair with a budget that keeps it busy for
/// minutes, its stderr read up to the first finished behavioural job: the
/// cluster is up, workers hold connections, cases are in flight.
struct MidRun {
    child: std::process::Child,
    /// The cluster's temp dir (socket, log, data dir).
    dir: PathBuf,
    /// The rest of stderr, drained so the child never blocks on it.
    drain: std::thread::JoinHandle<Vec<String>>,
}

fn check_mid_run() -> Result<MidRun, Failed> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_schema-parity"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            "--pg-backend",
            "embedded",
            "--sqlite",
            "migrations_sqlite",
            "--pg",
            "migrations_pg",
            "--cases",
            "2000",
            "--seed",
            "1",
        ])
        .env_remove("PARITY_PG_URL")
        .env_remove("PARITY_PG_BACKEND")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let mut dir: Option<PathBuf> = None;
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line?;
        if let Some(d) = line.strip_prefix("schema-parity: using throwaway cluster in ") {
            dir = Some(PathBuf::from(d.trim()));
        }
        let busy = line.starts_with("schema-parity: behaviour ");
        seen.push(line);
        if busy && dir.is_some() {
            break;
        }
    }
    let drain = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>());
    let Some(dir) = dir.filter(|_| seen.last().is_some_and(|l| l.contains("behaviour "))) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("the run never got to its behavioural checks: {seen:?}").into());
    };
    Ok(MidRun { child, dir, drain })
}

/// What a cluster of this run looks like from outside, read before it is
/// killed, to check afterwards that none of it is left.
struct ClusterSeen {
    dir: PathBuf,
    postmaster: u32,
    /// Files in /dev/shm (outside the cluster's dir) its processes mapped.
    shm_files: Vec<PathBuf>,
}

impl ClusterSeen {
    /// Reads the cluster in `dir`, started by process `parent`: refuses a
    /// postmaster that is not `parent`'s child (never kill a server this
    /// test did not start).
    fn read(dir: &Path, parent: u32) -> Result<Self, Failed> {
        let pid_file = std::fs::read_to_string(dir.join("data/postmaster.pid"))?;
        let postmaster: u32 = pid_file
            .lines()
            .next()
            .and_then(|l| l.trim().parse().ok())
            .ok_or(format!("no pid in postmaster.pid: {pid_file:?}"))?;
        if ppid(postmaster) != Some(parent) {
            return Err(
                format!("postmaster {postmaster} is not a child of the run {parent}").into(),
            );
        }
        let mut shm_files = Vec::new();
        for pid in cluster_processes(dir) {
            let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap_or_default();
            for path in maps.lines().filter_map(|l| l.split_whitespace().nth(5)) {
                let path = PathBuf::from(path);
                if path.starts_with("/dev/shm")
                    && !path.starts_with(dir)
                    && !shm_files.contains(&path)
                {
                    shm_files.push(path);
                }
            }
        }
        Ok(ClusterSeen {
            dir: dir.to_path_buf(),
            postmaster,
            shm_files,
        })
    }

    /// What is left of the cluster: processes, files, SysV segments.
    fn leftovers(&self) -> Vec<String> {
        let mut left = Vec::new();
        if self.dir.exists() {
            left.push(format!("its dir {}", self.dir.display()));
        }
        for pid in cluster_processes(&self.dir) {
            left.push(format!("process {pid} working in its dir"));
        }
        for cmd in processes_using(&self.dir) {
            left.push(format!("process naming its dir: {cmd}"));
        }
        for f in self.shm_files.iter().filter(|f| f.exists()) {
            left.push(format!("shared memory file {}", f.display()));
        }
        // Columns: key shmid perms size cpid ...
        let sysv = std::fs::read_to_string("/proc/sysvipc/shm").unwrap_or_default();
        for l in sysv.lines().skip(1) {
            let cols: Vec<&str> = l.split_whitespace().collect();
            if cols.get(4) == Some(&self.postmaster.to_string().as_str()) {
                left.push(format!("SysV shared memory segment {}", cols[1]));
            }
        }
        left
    }
}

fn ppid(pid: u32) -> Option<u32> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("PPid:"))
        .and_then(|p| p.trim().parse().ok())
}

/// Live processes whose working directory is in `dir` (a cluster's server
/// processes work in its data dir; zombies have none).
fn cluster_processes(dir: &Path) -> Vec<u32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        if std::fs::read_link(e.path().join("cwd")).is_ok_and(|c| c.starts_with(dir)) {
            out.push(pid);
        }
    }
    out
}

/// Waits for `child` at most `secs`, killing it if it is still running.
fn wait_at_most(
    child: &mut std::process::Child,
    secs: u64,
) -> Result<std::process::ExitStatus, Failed> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("the run still going {secs} s later (hung)").into());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// SIGKILL to the postmaster mid-run: the run says so and exits 3, and by
/// then nothing of the cluster is left — no process, no dir, no /dev/shm
/// file, no SysV segment (issue 13, item 7).
fn killed_postmaster() -> Result<(), Failed> {
    let MidRun {
        mut child,
        dir,
        drain,
    } = check_mid_run()?;
    let seen = match ClusterSeen::read(&dir, child.id()) {
        Ok(s) => s,
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(e);
        }
    };
    kill(
        Pid::from_raw(i32::try_from(seen.postmaster)?),
        Signal::SIGKILL,
    )?;
    let status = wait_at_most(&mut child, 60)?;
    let stderr = drain.join().unwrap_or_default().join("\n");
    if status.code() != Some(3) {
        return Err(format!(
            "expected exit 3 after the server was killed, got {status}:\n{stderr}"
        )
        .into());
    }
    if !stderr.contains("PostgreSQL went away") || !stderr.contains("exited during the run") {
        return Err(format!("the run should say its server went away:\n{stderr}").into());
    }
    if !seen.shm_files.is_empty() {
        return Err(format!(
            "the cluster kept shared memory in /dev/shm: {:?}",
            seen.shm_files
        )
        .into());
    }
    let left = seen.leftovers();
    if !left.is_empty() {
        return Err(format!("left after the run exited: {left:?}").into());
    }
    Ok(())
}

/// SIGKILL to `schema-parity` itself mid-run (no handler, no destructor
/// runs): its watchdog ends the cluster and removes its dir.
fn killed_run() -> Result<(), Failed> {
    let MidRun {
        mut child,
        dir,
        drain,
    } = check_mid_run()?;
    let seen = ClusterSeen::read(&dir, child.id());
    child.kill()?;
    child.wait()?;
    let _ = drain.join();
    let seen = seen?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let left = seen.leftovers();
        if left.is_empty() {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("left 30 s after the run was killed: {left:?}").into());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
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
    let opts = RunOptions {
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
        values_from: None,
        config_search: true,
    };
    let lines = std::sync::Mutex::new(Vec::new());
    let report = commands::check::check(&opts, &|m: &str| {
        lines.lock().expect("lock").push(m.to_string())
    })?;
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

/// The first cluster on an installation runs initdb and keeps its pristine
/// directory; the next starts from a copy (no initdb) and works alike; an
/// entry a server will not start on fails that run with a message saying
/// what happened, is dropped, and the run after makes it again.
fn pristine_cache() -> Result<(), Failed> {
    let cache = tempfile::tempdir()?;
    let one = |label: &str| -> Result<bool, Failed> {
        let cluster = Cluster::start_with(Some(cache.path()))?;
        let mut s = Session::connect(&cluster.options())?;
        let (_, rows) = s
            .query_text(
                "SELECT current_setting('server_encoding') || ' ' || current_setting('lc_collate')",
            )
            .map_err(|e| format!("{label}: {e}"))?;
        s.close();
        let got = rows.first().and_then(|r| r.first().cloned().flatten());
        if got.as_deref() != Some("UTF8 C.UTF-8") {
            return Err(format!("{label}: the cluster is {got:?}, not UTF8 C.UTF-8").into());
        }
        Ok(cluster.from_cache())
    };
    let entries = || -> Vec<PathBuf> {
        std::fs::read_dir(cache.path())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect()
    };
    if one("first")? {
        return Err("the first cluster came from an empty cache".into());
    }
    let stored = entries();
    if stored.len() != 1 || !stored[0].join("PG_VERSION").is_file() {
        return Err(format!("the cache holds {stored:?}, not one data directory").into());
    }
    if stored[0].join("postmaster.pid").exists() {
        return Err("the cached directory is a started server's".into());
    }
    if !one("second")? {
        return Err("the second cluster ran initdb again".into());
    }
    // A server cannot start without its control file.
    std::fs::remove_file(stored[0].join("global").join("pg_control"))?;
    match Cluster::start_with(Some(cache.path())) {
        Ok(_) => return Err("a cluster started on a copy without pg_control".into()),
        Err(e) if e.to_string().contains("run again") => {}
        Err(e) => return Err(format!("the failure does not say what to do: {e}").into()),
    }
    if !entries().is_empty() {
        return Err(format!("the broken entry stayed: {:?}", entries()).into());
    }
    if one("after")? {
        return Err("the run after the broken entry did not run initdb".into());
    }
    Ok(())
}
