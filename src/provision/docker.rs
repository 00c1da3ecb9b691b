//! A PostgreSQL container via testcontainers, on the host network with its
//! own free port (container traffic stays on loopback; the engine needs no
//! bridge). The engine is checked first (a socket that accepts and never
//! answers would hang for minutes), and the container is removed on drop, on
//! Ctrl-C/SIGTERM (testcontainers does not handle signals itself) and when
//! it fails to start.
//!
//! Each container gets a unique name, `schema-parity-<pid>-<n>-<nonce>`, and
//! the label `schema-parity.pid=<pid>`; the server's description names it.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sqlx::postgres::PgConnectOptions;
use testcontainers::core::WaitFor;
use testcontainers::runners::SyncRunner;
use testcontainers::{GenericImage, ImageExt};

use crate::engine::postgres::Session;
use crate::error::{Error, Result};

use super::{Guard, Server, cleanup};

/// The image used unless `PARITY_PG_IMAGE` says otherwise.
pub const DEFAULT_IMAGE: &str = "postgres:15";

/// How long the server in the container may take to accept connections.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Container {
    inner: Option<testcontainers::Container<GenericImage>>,
    name: String,
    cleanup_id: u64,
}

impl Drop for Container {
    fn drop(&mut self) {
        cleanup::unregister(self.cleanup_id);
        if let Some(c) = self.inner.take()
            && c.rm().is_err()
        {
            // The engine API directly, in case testcontainers' client failed.
            remove_container(&self.name);
        }
    }
}

fn socket_path() -> String {
    std::env::var("DOCKER_HOST")
        .ok()
        .and_then(|h| h.strip_prefix("unix://").map(str::to_string))
        .unwrap_or_else(|| "/var/run/docker.sock".to_string())
}

/// One HTTP/1.0 request to the engine's unix socket, with short timeouts.
fn engine_request(method: &str, path: &str) -> std::io::Result<String> {
    let mut s = UnixStream::connect(socket_path())?;
    s.set_read_timeout(Some(Duration::from_secs(3)))?;
    s.set_write_timeout(Some(Duration::from_secs(3)))?;
    write!(s, "{method} {path} HTTP/1.0\r\nHost: docker\r\n\r\n")?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out)
}

/// Force-removes a container (and its anonymous volumes) by name or id;
/// a container that does not exist is fine. Never panics, never blocks long.
fn remove_container(name_or_id: &str) {
    let _ = engine_request(
        "DELETE",
        &format!("/containers/{name_or_id}?force=true&v=true"),
    );
}

fn check_engine() -> Result<()> {
    if std::env::var("DOCKER_HOST").is_ok_and(|h| !h.starts_with("unix://")) {
        return Ok(()); // a TCP engine: let testcontainers report on it
    }
    let socket = socket_path();
    match engine_request("GET", "/_ping") {
        Ok(r) if r.contains(" 200 ") => Ok(()),
        Ok(r) => Err(Error::Provision(format!(
            "the Docker engine at {socket} answered `{}` to a ping; check that dockerd is healthy, or choose another backend (--pg-backend embedded|url)",
            r.lines().next().unwrap_or_default()
        ))),
        Err(e) => {
            let why = if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) {
                "it accepts connections but did not answer a ping within 3 s".to_string()
            } else {
                e.to_string()
            };
            Err(Error::Provision(format!(
                "no Docker engine answers at {socket} ({why}); start one (`dockerd &`, or ci/start-docker.sh), point DOCKER_HOST at a running one, or choose another backend (--pg-backend embedded|url)"
            )))
        }
    }
}

/// A name no other container has: this process, a counter and a nonce.
fn container_name() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nonce = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("schema-parity-{}-{n}-{nonce:08x}", std::process::id())
}

/// The last lines of the container's output, for an error message.
fn log_tail(c: &testcontainers::Container<GenericImage>) -> String {
    let mut out = c.stdout_to_vec().unwrap_or_default();
    out.extend(c.stderr_to_vec().unwrap_or_default());
    let text = String::from_utf8_lossy(&out);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = lines[lines.len().saturating_sub(8)..].join("\n    ");
    if tail.is_empty() {
        "(no output)".to_string()
    } else {
        format!("\n    {tail}")
    }
}

pub(super) fn server() -> Result<Server> {
    check_engine()?;
    let image = std::env::var("PARITY_PG_IMAGE")
        .ok()
        .filter(|i| !i.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_IMAGE.to_string());
    // A registry port (`host:5000/pg`) is not a tag: split at the last `:`
    // only when no `/` follows it.
    let (repo, tag) = match image.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, t),
        _ => (image.as_str(), "latest"),
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| Error::Provision(format!("failed to find a free port: {e}")))?;
    let name = container_name();
    // Registered before the container exists, so that Ctrl-C while it is
    // being created or started removes it too.
    let cleanup_name = name.clone();
    let cleanup_id = cleanup::register(move || remove_container(&cleanup_name));
    let request = GenericImage::new(repo, tag)
        .with_wait_for(WaitFor::Nothing)
        .with_container_name(name.clone())
        .with_label("schema-parity.pid", std::process::id().to_string())
        .with_network("host")
        .with_startup_timeout(READY_TIMEOUT)
        // The official image wants a password or this; other images ignore it.
        .with_env_var("POSTGRES_HOST_AUTH_METHOD", "trust")
        .with_cmd([
            "postgres".to_string(),
            "-c".into(),
            format!("port={port}"),
            "-c".into(),
            "listen_addresses=127.0.0.1".into(),
            "-c".into(),
            "fsync=off".into(),
        ]);
    let container = match request.start() {
        Ok(c) => c,
        Err(e) => {
            // testcontainers leaves a container that was created but failed
            // to start (e.g. a bad entrypoint) behind.
            remove_container(&name);
            cleanup::unregister(cleanup_id);
            let e = e.to_string();
            let hint = if e.contains("pull") {
                format!(
                    "no registry is reachable? build the image locally (ci/build-pg-image.sh) and set PARITY_PG_IMAGE, or `docker pull {image}` where a registry is"
                )
            } else {
                "is it a PostgreSQL image whose command accepts `postgres -c ...` (like the official one)?".to_string()
            };
            return Err(Error::Provision(format!(
                "failed to start container {image}: {e} ({hint})"
            )));
        }
    };
    let guard = Container {
        inner: Some(container),
        name: name.clone(),
        cleanup_id,
    };
    let admin = PgConnectOptions::new()
        .host("127.0.0.1")
        .port(port)
        .username("postgres")
        .database("postgres");
    let deadline = Instant::now() + READY_TIMEOUT;
    loop {
        let err = match Session::connect(&admin) {
            Ok(s) => {
                s.close();
                break;
            }
            Err(e) => e,
        };
        let c = guard
            .inner
            .as_ref()
            .ok_or_else(|| Error::Provision(format!("container {name} vanished while starting")))?;
        if !c.is_running().unwrap_or(true) {
            let code = c
                .exit_code()
                .ok()
                .flatten()
                .map_or_else(|| "?".to_string(), |c| c.to_string());
            return Err(Error::Provision(format!(
                "container {name} ({image}) exited with code {code} before accepting connections; its output: {}",
                log_tail(c)
            )));
        }
        if Instant::now() > deadline {
            return Err(Error::Provision(format!(
                "container {name} ({image}) did not accept connections on 127.0.0.1:{port} within {} s: {err}; its output: {}",
                READY_TIMEOUT.as_secs(),
                log_tail(c)
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(Server {
        admin,
        backend: "docker",
        description: format!("container {name} ({image}) on 127.0.0.1:{port}"),
        _guard: Guard::Container(Box::new(guard)),
    })
}
