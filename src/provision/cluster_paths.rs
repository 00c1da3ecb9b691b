//! Where an embedded cluster lives and what runs it: what the postmaster's
//! watcher ([`super::postmaster`]) and the watchdog ([`super::watchdog`])
//! both find the cluster's processes and files by.

use std::path::PathBuf;

/// Where a cluster lives and what runs it.
#[derive(Debug, Clone)]
pub struct ClusterPaths {
    /// The temp dir: socket, log, and the data dir.
    pub root: PathBuf,
    /// The data dir, every server process's working directory.
    pub data: PathBuf,
    /// The `postgres` executable, as `/proc/<pid>/exe` names it.
    pub exe: PathBuf,
}
