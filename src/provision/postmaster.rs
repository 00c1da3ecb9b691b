//! The server process of an embedded cluster and what becomes of it. A
//! watcher thread notices when it dies without being asked to (SIGKILL from
//! outside, the OOM killer) and at once ends what is left of the cluster:
//! its other processes, then its temp dir. [`Postmaster::stop`] is the
//! orderly end; [`Postmaster::lost`] tells a run its server went away, so
//! that the run fails as an environment error instead of reporting what a
//! dead server's broken connections looked like.
//!
//! PostgreSQL calls `setsid()` in every child of the postmaster, so its
//! backends and auxiliary processes are each in a session and process group
//! of their own (measured: `ps -o pgid` shows every child leading its own
//! group): signalling the postmaster's group does not reach them. They are
//! found instead by what marks them as this cluster's: their working
//! directory is its data dir and their executable its `postgres`.

use std::path::Path;
use std::process::Child;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use super::cluster_paths::ClusterPaths;
use super::watchdog::Watchdog;

/// A running postmaster, shared by its cluster, the watcher thread and the
/// Ctrl-C cleanup.
pub struct Postmaster {
    pid: u32,
    paths: ClusterPaths,
    state: Mutex<State>,
    watchdog: Mutex<Option<Watchdog>>,
}

struct State {
    child: Child,
    /// Set by [`Postmaster::stop`] before it signals the server.
    stopping: bool,
    exit: Option<Exit>,
}

#[derive(Clone)]
struct Exit {
    status: String,
    /// The server was asked to stop (an exit during a run is not expected).
    expected: bool,
}

/// How long a fast shutdown may take before the server is killed.
const STOP_GRACE: Duration = Duration::from_secs(10);
/// How long killed processes may take to disappear.
const KILL_GRACE: Duration = Duration::from_secs(5);
/// How often the watcher looks at the server.
const WATCH_EVERY: Duration = Duration::from_millis(50);

impl Postmaster {
    /// Takes charge of the spawned server.
    pub fn new(child: Child, paths: ClusterPaths, watchdog: Watchdog) -> Arc<Self> {
        let pid = child.id();
        watchdog.server_started(pid);
        Arc::new(Postmaster {
            pid,
            paths,
            state: Mutex::new(State {
                child,
                stopping: false,
                exit: None,
            }),
            watchdog: Mutex::new(Some(watchdog)),
        })
    }

    /// Starts the thread that sweeps the cluster away as soon as the server
    /// dies unasked (once it is up: an exit at start is the starter's to
    /// report, with the log the sweep would remove).
    pub fn watch(self: &Arc<Self>) {
        let watched = Arc::clone(self);
        // Without the thread the run still notices through `lost` and `stop`
        // still ends everything; only the immediate sweep would be missing.
        let _ = std::thread::Builder::new()
            .name("postmaster-watch".into())
            .spawn(move || watched.watch_loop());
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    fn watch_loop(&self) {
        loop {
            let exit = self.reap(&mut self.state());
            if let Some(exit) = exit {
                if !exit.expected {
                    self.sweep();
                }
                return;
            }
            std::thread::sleep(WATCH_EVERY);
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The server's exit, reaping it if it has just exited. Reaping only
    /// happens under the state lock, so a signal sent under it never
    /// reaches a recycled pid.
    fn reap(&self, st: &mut State) -> Option<Exit> {
        if st.exit.is_none() {
            let status = match st.child.try_wait() {
                Ok(None) => return None,
                Ok(Some(status)) => status.to_string(),
                Err(e) => format!("status unknown: {e}"),
            };
            st.exit = Some(Exit {
                status,
                expected: st.stopping,
            });
        }
        st.exit.clone()
    }

    fn signal(&self, st: &mut State, signal: Signal) {
        if self.reap(st).is_none()
            && let Ok(raw) = i32::try_from(self.pid)
        {
            let _ = kill(Pid::from_raw(raw), signal);
        }
    }

    /// How the server exited, if it has.
    pub fn exited(&self) -> Option<String> {
        self.reap(&mut self.state()).map(|e| e.status)
    }

    /// Why the server is gone, when it exited without being asked to.
    pub fn lost(&self) -> Option<String> {
        let exit = self.reap(&mut self.state())?;
        (!exit.expected).then(|| {
            format!(
                "the throwaway cluster in {} exited during the run ({}); its processes and files were removed",
                self.paths.root.display(),
                exit.status
            )
        })
    }

    /// Fast shutdown (SIGINT), SIGKILL if it has not gone within
    /// [`STOP_GRACE`], then [`Self::sweep`]. Safe to call more than once and
    /// after the server died.
    pub fn stop(&self) {
        {
            let mut st = self.state();
            if self.reap(&mut st).is_none() {
                st.stopping = true;
                self.signal(&mut st, Signal::SIGINT);
            }
        }
        let deadline = Instant::now() + STOP_GRACE;
        while self.reap(&mut self.state()).is_none() {
            if Instant::now() > deadline {
                let mut st = self.state();
                self.signal(&mut st, Signal::SIGKILL);
                let _ = st.child.wait();
                let _ = self.reap(&mut st);
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.sweep();
    }

    /// Ends whatever is left of the cluster once the postmaster is gone:
    /// SIGKILL to its remaining processes (until none is left, at most
    /// [`KILL_GRACE`]), removes the temp dir, stands the watchdog down.
    fn sweep(&self) {
        let deadline = Instant::now() + KILL_GRACE;
        loop {
            let left = processes_of(&self.paths);
            if left.is_empty() || Instant::now() > deadline {
                break;
            }
            for pid in left {
                let _ = kill(pid, Signal::SIGKILL);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = std::fs::remove_dir_all(&self.paths.root);
        let watchdog = self
            .watchdog
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        drop(watchdog);
    }
}

/// The live processes of the cluster at `paths`: working directory its data
/// dir, executable its `postgres`. A zombie has neither and is not counted
/// (it is no longer running; its parent, or init, reaps it). Empty where
/// there is no `/proc`: there the server's children end themselves once
/// they see the postmaster gone, as PostgreSQL's children do.
pub fn processes_of(paths: &ClusterPaths) -> Vec<Pid> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let pid: i32 = e.file_name().to_str()?.parse().ok()?;
            let path = e.path();
            // A removed dir reads as "<path> (deleted)".
            let is = |link: &str, want: &Path| {
                std::fs::read_link(path.join(link)).is_ok_and(|p| {
                    p == want || p.as_os_str() == format!("{} (deleted)", want.display()).as_str()
                })
            };
            (is("cwd", &paths.data) && is("exe", &paths.exe)).then(|| Pid::from_raw(pid))
        })
        .collect()
}

/// Marks the cluster's SysV shared memory segment for removal once its last
/// process detaches. Beside its mmap'd shared memory PostgreSQL keeps a
/// small SysV segment only as an interlock against a second postmaster on
/// the same data dir (`src/backend/port/sysv_shmem.c`), and deletes it on a
/// clean shutdown: a killed cluster leaves it behind until reboot
/// (measured: one 56-byte segment, nattch 0, per kill, in `ipcs -m`). A
/// throwaway data dir needs no interlock, so the segment is marked as soon
/// as the server is up and goes with the last process, however the cluster
/// ends. (A clean shutdown then logs that its own removal found nothing.)
pub fn release_interlock(data: &Path) {
    let Ok(text) = std::fs::read_to_string(data.join("postmaster.pid")) else {
        return;
    };
    // Line 7 holds the segment's key and id (LOCK_FILE_LINE_SHMEM_KEY).
    let Some(id) = text
        .lines()
        .nth(6)
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<libc::c_int>().ok())
    else {
        return;
    };
    // SAFETY: IPC_RMID reads and writes no buffer; null is what it takes.
    unsafe {
        libc::shmctl(id, libc::IPC_RMID, std::ptr::null_mut());
    }
}
