//! A throwaway PostgreSQL cluster from local server binaries: `initdb` into a
//! temp dir (tmpfs when there is one), `postgres` on a unix socket only, fsync
//! off, trust auth for the local user. Stopped and deleted on drop and on
//! Ctrl-C; swept away at once if the server is killed (see [`super::postmaster`]),
//! and by a [`Watchdog`] if this process is. Nothing lives outside the temp
//! dir: dynamic shared memory is mmap'd files in the data dir, and the SysV
//! interlock segment is marked for removal once the server is up.
//! initdb and postgres refuse to run as root, so as root the data and
//! socket dirs are handed to an unprivileged account that runs the server.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::postgres::PgConnectOptions;

use crate::engine::postgres::Session;
use crate::error::{Error, Result};

use super::cluster_paths::ClusterPaths;
use super::postmaster::{self, Postmaster};
use super::pristine;
use super::watchdog::Watchdog;
use super::{Guard, Server, cleanup};

/// Finds a directory holding `initdb` and `postgres`: `PG_BIN`, then `PATH`,
/// then the usual Debian and Homebrew locations (newest major first).
pub fn find_bin_dir() -> Option<PathBuf> {
    let has = |d: &Path| d.join("initdb").is_file() && d.join("postgres").is_file();
    if let Some(d) = std::env::var_os("PG_BIN").map(PathBuf::from) {
        return has(&d).then_some(d);
    }
    if let Some(path) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&path) {
            if has(&d) {
                // Resolve Debian's symlinks so share/ and lib/ are found.
                let real = std::fs::canonicalize(d.join("initdb"))
                    .ok()
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                    .filter(|p| has(p));
                return Some(real.unwrap_or(d));
            }
        }
    }
    let mut candidates: Vec<(u32, PathBuf)> = Vec::new();
    for root in ["/usr/lib/postgresql", "/opt/homebrew/opt", "/usr/local/opt"] {
        let Ok(rd) = std::fs::read_dir(root) else {
            continue;
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let major: u32 = name
                .trim_start_matches("postgresql@")
                .trim_start_matches("postgresql")
                .parse()
                .unwrap_or(0);
            let bin = e.path().join("bin");
            if (root == "/usr/lib/postgresql" || name.starts_with("postgresql")) && has(&bin) {
                candidates.push((major, bin));
            }
        }
    }
    candidates.sort();
    candidates.pop().map(|(_, d)| d)
}

/// A running throwaway cluster.
pub struct Cluster {
    postmaster: Arc<Postmaster>,
    dir: Option<tempfile::TempDir>,
    pub socket_dir: PathBuf,
    cleanup_id: u64,
    /// The data directory is a copy of the pristine cache's.
    from_cache: bool,
}

/// The account that runs the server when we are root.
struct RunAs {
    uid: u32,
    gid: u32,
    name: String,
}

fn run_as() -> Option<RunAs> {
    if !nix::unistd::geteuid().is_root() {
        return None;
    }
    for name in ["postgres", "nobody"] {
        if let Ok(Some(u)) = nix::unistd::User::from_name(name) {
            return Some(RunAs {
                uid: u.uid.as_raw(),
                gid: u.gid.as_raw(),
                name: name.to_string(),
            });
        }
    }
    None
}

fn command(bin: &Path, who: Option<&RunAs>, cwd: &Path) -> Command {
    let mut c = Command::new(bin);
    c.current_dir(cwd)
        .env_remove("PGDATA")
        .env("LC_ALL", "C.UTF-8");
    if let Some(r) = who {
        c.uid(r.uid)
            .gid(r.gid)
            .env("HOME", cwd)
            .env("USER", &r.name);
    }
    c
}

/// `initdb`'s arguments besides the data directory (part of the name of
/// the cached pristine directory).
const INITDB_ARGS: &[&str] = &[
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
    "--no-sync",
    "--no-instructions",
    "-A",
    "trust",
    "-U",
    "postgres",
];

/// Runs `initdb` for `data` in `root`.
fn initdb(bin: &Path, who: Option<&RunAs>, root: &Path, data: &Path) -> Result<()> {
    let out = command(&bin.join("initdb"), who, root)
        .arg("-D")
        .arg(data)
        .args(INITDB_ARGS)
        .output()
        .map_err(|e| {
            Error::Provision(format!(
                "failed to run {}: {e}",
                bin.join("initdb").display()
            ))
        })?;
    if !out.status.success() {
        return Err(Error::Provision(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

impl Cluster {
    /// Starts a cluster, its data directory copied from the pristine cache
    /// ([`pristine`]) when it has one.
    pub fn start() -> Result<Self> {
        Self::start_with(pristine::root().as_deref())
    }

    /// Starts a cluster with the pristine cache at `cache` (None: none).
    pub fn start_with(cache: Option<&Path>) -> Result<Self> {
        let bin = find_bin_dir().ok_or_else(|| {
            Error::Provision(
                "no initdb/postgres found on PATH, in PG_BIN, or in /usr/lib/postgresql/*/bin"
                    .into(),
            )
        })?;
        let who = run_as();
        if nix::unistd::geteuid().is_root() && who.is_none() {
            return Err(Error::Provision(
                "running as root, and neither a `postgres` nor a `nobody` account exists to run the server; create one (useradd postgres) or run as a normal user".into(),
            ));
        }
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = tempfile::Builder::new()
            .prefix("schema-parity-pg-")
            .tempdir_in(&base)
            .map_err(|e| {
                Error::Provision(format!(
                    "failed to create a temp dir in {}: {e}",
                    base.display()
                ))
            })?;
        // Canonical, as /proc names the server processes' working directory.
        let root = std::fs::canonicalize(dir.path()).unwrap_or_else(|_| dir.path().to_path_buf());
        if let Some(r) = &who {
            nix::unistd::chown(
                &root,
                Some(nix::unistd::Uid::from_raw(r.uid)),
                Some(nix::unistd::Gid::from_raw(r.gid)),
            )
            .map_err(|e| {
                Error::Provision(format!(
                    "failed to hand {} to {}: {e}",
                    root.display(),
                    r.name
                ))
            })?;
        }
        let data = root.join("data");
        let log = root.join("server.log");
        let exe = bin.join("postgres");
        let paths = ClusterPaths {
            root: root.clone(),
            data: data.clone(),
            exe: std::fs::canonicalize(&exe).unwrap_or(exe),
        };
        let watchdog = Watchdog::spawn(&paths)?;
        // A copy of the pristine directory an earlier run's initdb made,
        // when the cache has one for these binaries; else initdb, whose
        // result the cache then keeps (before a server ever runs on it).
        let cached = cache.and_then(|r| pristine::Entry::new(r, &bin, INITDB_ARGS));
        let owner = who.as_ref().map(|r| (r.uid, r.gid));
        let from_cache = cached.as_ref().is_some_and(|e| e.restore(&data, owner));
        if !from_cache {
            initdb(&bin, who.as_ref(), &root, &data)?;
            if let Some(e) = &cached {
                e.store(&data);
            }
        }
        let log_file = std::fs::File::create(&log)
            .map_err(|e| Error::Provision(format!("failed to create {}: {e}", log.display())))?;
        let err_file = log_file
            .try_clone()
            .map_err(|e| Error::Provision(e.to_string()))?;
        let mut cmd = command(&bin.join("postgres"), who.as_ref(), &root);
        cmd.arg("-D")
            .arg(&data)
            .arg("-k")
            .arg(&root)
            .args([
                "-c",
                "listen_addresses=",
                // Segments in the data dir, not /dev/shm/PostgreSQL.*: they
                // go with the dir however the server ends (the default,
                // posix, left two files in /dev/shm per killed server).
                "-c",
                "dynamic_shared_memory_type=mmap",
                "-c",
                "unix_socket_permissions=0700",
                "-F",
                "-c",
                "full_page_writes=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "max_connections=64",
                "-c",
                "TimeZone=UTC",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::from(log_file))
            .stderr(Stdio::from(err_file));
        // Own process group: a terminal's Ctrl-C reaches us, and we stop the
        // server in order instead of it dying under open connections.
        cmd.process_group(0);
        let child = cmd
            .spawn()
            .map_err(|e| Error::Provision(format!("failed to start postgres: {e}")))?;
        let postmaster = Postmaster::new(child, paths, watchdog);
        let stopper = Arc::clone(&postmaster);
        let cleanup_id = cleanup::register(move || stopper.stop());
        let cluster = Cluster {
            postmaster,
            dir: Some(dir),
            socket_dir: root,
            cleanup_id,
            from_cache,
        };
        if let Err(e) = cluster.wait_ready(&log) {
            return Err(match cached.filter(|_| from_cache) {
                Some(entry) => {
                    // Not started on a copy of it: the next run makes it again.
                    entry.forget();
                    Error::Provision(format!(
                        "{e} (the data directory was a copy of the cached {}, now removed: run again)",
                        entry.path().display()
                    ))
                }
                None => e,
            });
        }
        postmaster::release_interlock(&data);
        cluster.postmaster.watch();
        Ok(cluster)
    }

    pub fn options(&self) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .username("postgres")
            .database("postgres")
    }

    fn wait_ready(&self, log: &Path) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let socket = self.socket_dir.join(".s.PGSQL.5432");
        loop {
            if let Some(status) = self.postmaster.exited() {
                let log = std::fs::read_to_string(log).unwrap_or_default();
                return Err(Error::Provision(format!(
                    "postgres exited at start ({status}): {}",
                    log.lines()
                        .rev()
                        .take(5)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect::<Vec<_>>()
                        .join(" | ")
                )));
            }
            if socket.exists()
                && let Ok(s) = Session::connect(&self.options())
            {
                s.close();
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(Error::Provision(
                    "postgres did not accept connections within 30 s".into(),
                ));
            }
            std::thread::sleep(Duration::from_millis(15));
        }
    }

    pub fn pid(&self) -> Option<u32> {
        Some(self.postmaster.pid())
    }

    /// Whether the data directory was copied from the pristine cache
    /// (else `initdb` made it).
    pub fn from_cache(&self) -> bool {
        self.from_cache
    }

    pub fn dir(&self) -> &Path {
        &self.socket_dir
    }

    /// Why the server is gone, if it exited without being asked to.
    pub fn lost(&self) -> Option<String> {
        self.postmaster.lost()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        cleanup::unregister(self.cleanup_id);
        self.postmaster.stop();
        if let Some(dir) = self.dir.take() {
            let path = dir.path().to_path_buf();
            if dir.close().is_err() {
                let _ = std::fs::remove_dir_all(path);
            }
        }
    }
}

pub(super) fn server() -> Result<Server> {
    let cluster = Cluster::start()?;
    Ok(Server {
        admin: cluster.options(),
        backend: "embedded",
        description: format!("throwaway cluster in {}", cluster.dir().display()),
        _guard: Guard::Cluster(cluster),
    })
}
