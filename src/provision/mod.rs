//! How a run gets a PostgreSQL server: an existing one by URL, a throwaway
//! cluster from local server binaries, or a container — and the scratch
//! databases the run works in, which are always dropped afterwards.

mod cleanup;
mod cluster_paths;
#[cfg(feature = "docker")]
mod docker;
mod embedded;
mod postmaster;
mod pristine;
mod scratch;
mod url;
mod watchdog;

pub use cleanup::{install_signal_handlers, register, unregister};
pub use embedded::{Cluster, find_bin_dir};
pub use scratch::ScratchDatabase;
pub use url::redact;

use sqlx::postgres::PgConnectOptions;

use crate::error::{Error, Result};

/// Which backend to use (`--pg-backend`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Auto,
    Url,
    Embedded,
    Docker,
}

/// A server the run may create scratch databases on. Dropping it stops and
/// removes whatever this run started (never a server given by URL).
pub struct Server {
    /// Options for the maintenance database used to create scratch databases.
    pub admin: PgConnectOptions,
    /// `url`, `embedded` or `docker`.
    pub backend: &'static str,
    /// Where the server is, safe to print (no password).
    pub description: String,
    _guard: Guard,
}

enum Guard {
    None,
    Cluster(Cluster),
    #[cfg(feature = "docker")]
    Container(#[expect(dead_code, reason = "held for its Drop")] Box<docker::Container>),
}

impl Server {
    /// The embedded cluster's postmaster pid and directory, if this server is one.
    pub fn cluster_info(&self) -> Option<(u32, std::path::PathBuf)> {
        match &self._guard {
            Guard::Cluster(c) => c.pid().map(|p| (p, c.dir().to_path_buf())),
            _ => None,
        }
    }

    /// A URL other processes can reach this embedded cluster by (its unix
    /// socket); `None` for other backends.
    pub fn cluster_url(&self) -> Option<String> {
        match &self._guard {
            Guard::Cluster(c) => Some(format!(
                "postgres://postgres@localhost/postgres?host={}",
                c.dir().display()
            )),
            _ => None,
        }
    }

    /// Why the server this run started is gone, if it died during the run
    /// (an embedded cluster killed from outside); `None` while it runs and
    /// for servers this run did not start.
    pub fn lost(&self) -> Option<String> {
        match &self._guard {
            Guard::Cluster(c) => c.lost(),
            _ => None,
        }
    }

    /// `result` if the server lived through the run that produced it; an
    /// environment error naming what happened if it died meanwhile (what
    /// the run saw of a dead server — broken connections, statements
    /// "rejected" — says nothing about the schemas).
    pub fn outlived<T>(&self, result: Result<T>) -> Result<T> {
        match self.lost() {
            Some(why) => Err(Error::ServerLost(why)),
            None => result,
        }
    }

    pub fn scratch(&self, label: &str) -> Result<ScratchDatabase> {
        ScratchDatabase::create(&self.admin, label)
    }
}

/// Obtains a server in the documented order, or the one `backend` forces.
pub fn obtain(backend: Backend, url: Option<&str>) -> Result<Server> {
    install_signal_handlers();
    let url = url.filter(|u| !u.trim().is_empty());
    match backend {
        Backend::Url => {
            let url = url.ok_or_else(|| {
                Error::Provision("--pg-backend url needs --pg-url URL or PARITY_PG_URL".into())
            })?;
            url::server(url)
        }
        Backend::Embedded => embedded::server(),
        Backend::Docker => docker_server(),
        Backend::Auto => {
            if let Some(url) = url {
                return url::server(url);
            }
            let embedded_err = match embedded::server() {
                Ok(s) => return Ok(s),
                Err(e) => e,
            };
            let docker_err = match docker_server() {
                Ok(s) => return Ok(s),
                Err(e) => e,
            };
            Err(Error::Provision(format!(
                "no PostgreSQL could be had. Options, in the order tried:\n  \
                 1. an existing server: --pg-url postgres://user@host/db (or PARITY_PG_URL); the tool works in a scratch database it creates and drops\n  \
                 2. local server binaries (initdb, postgres): {embedded_err}\n     install them, e.g. `apt-get install postgresql` or `brew install postgresql@15`, or point PG_BIN at their directory\n  \
                 3. a Docker engine: {docker_err}"
            )))
        }
    }
}

#[cfg(feature = "docker")]
fn docker_server() -> Result<Server> {
    docker::server()
}

#[cfg(not(feature = "docker"))]
fn docker_server() -> Result<Server> {
    Err(Error::Provision(
        "this build has no container support (built with --no-default-features; rebuild with the `docker` feature)".into(),
    ))
}
