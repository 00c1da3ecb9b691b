//! What removes an embedded cluster when this process is killed. SIGKILL
//! runs no handler and no destructor, so the cleanup must live in another
//! process: a small `/bin/sh` reading a pipe that only this process writes.
//! Standing it down writes `done`; end of file without it means this
//! process died, and the shell kills the cluster's processes (found as
//! [`super::postmaster::processes_of`] finds them: working directory the
//! data dir, executable `postgres`) and removes the temp dir. It runs in a
//! process group of its own, so a terminal's Ctrl-C (which this process
//! handles itself) does not reach it.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};

use crate::error::{Error, Result};

use super::cluster_paths::ClusterPaths;

/// `$1` a find(1) pattern matching exactly the data dir, `$2` the data dir,
/// `$3` the `postgres` executable, `$4` the temp dir. Where there is no
/// `/proc` it kills the postmaster by the pid it was told (its children end
/// themselves when it is gone).
const SCRIPT: &str = r#"
pm=
while read -r word arg; do
  case $word in
    done) exit 0 ;;
    pm) pm=$arg ;;
  esac
done
if [ -d /proc/self ]; then
  n=0
  while [ "$n" -lt 100 ]; do
    found=
    for link in $(find /proc -mindepth 2 -maxdepth 2 -name cwd -lname "$1" 2>/dev/null); do
      pid=${link#/proc/}
      pid=${pid%/cwd}
      [ "$(readlink "$link" 2>/dev/null)" = "$2" ] || continue
      [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$3" ] || continue
      kill -KILL "$pid" 2>/dev/null
      found=1
    done
    [ -n "$found" ] || break
    n=$((n + 1))
    sleep 0.05
  done
elif [ -n "$pm" ]; then
  kill -KILL "$pm" 2>/dev/null
  sleep 1
fi
rm -rf -- "$4"
"#;

/// The watching shell; dropping it stands it down and reaps it.
pub struct Watchdog {
    child: Child,
    stdin: Option<ChildStdin>,
}

impl Watchdog {
    /// Starts watching over the cluster at `paths` (before its server
    /// starts, so that a kill during initdb is covered too).
    pub fn spawn(paths: &ClusterPaths) -> Result<Self> {
        let mut child = Command::new("/bin/sh")
            .arg("-c")
            .arg(SCRIPT)
            .arg("schema-parity-watchdog")
            .arg(find_pattern(&paths.data))
            .arg(&paths.data)
            .arg(&paths.exe)
            .arg(&paths.root)
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| Error::Provision(format!("failed to start the watchdog /bin/sh: {e}")))?;
        let stdin = child.stdin.take();
        Ok(Watchdog { child, stdin })
    }

    /// Tells the watchdog the postmaster's pid (used where there is no
    /// `/proc` to find the cluster's processes by).
    pub fn server_started(&self, pid: u32) {
        if let Some(mut s) = self.stdin.as_ref() {
            let _ = writeln!(s, "pm {pid}");
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(mut s) = self.stdin.take() {
            let _ = s.write_all(b"done\n");
        }
        let _ = self.child.wait();
    }
}

/// `path` as a find(1) `-lname` pattern that matches only itself.
fn find_pattern(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
