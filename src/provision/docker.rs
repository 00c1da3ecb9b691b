//! A PostgreSQL container via testcontainers, on the host network with its
//! own free port. The engine is checked first (a socket that accepts and never
//! answers would hang for minutes), and the container is removed on drop and
//! on Ctrl-C (testcontainers does not handle signals itself).

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use sqlx::postgres::PgConnectOptions;
use testcontainers::core::WaitFor;
use testcontainers::runners::SyncRunner;
use testcontainers::{GenericImage, ImageExt};

use crate::engine::postgres::Session;
use crate::error::{Error, Result};

use super::{Guard, Server, cleanup};

/// The image used unless `PARITY_PG_IMAGE` says otherwise.
pub const DEFAULT_IMAGE: &str = "postgres:15";

pub struct Container {
    inner: Option<testcontainers::Container<GenericImage>>,
    cleanup_id: u64,
}

impl Drop for Container {
    fn drop(&mut self) {
        cleanup::unregister(self.cleanup_id);
        if let Some(c) = self.inner.take() {
            let _ = c.rm();
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

fn check_engine() -> Result<()> {
    if std::env::var("DOCKER_HOST").is_ok_and(|h| !h.starts_with("unix://")) {
        return Ok(()); // a TCP engine: let testcontainers report on it
    }
    match engine_request("GET", "/_ping") {
        Ok(r) if r.contains(" 200 ") => Ok(()),
        Ok(r) => Err(Error::Provision(format!(
            "the Docker engine at {} answered `{}`",
            socket_path(),
            r.lines().next().unwrap_or_default()
        ))),
        Err(e) => Err(Error::Provision(format!(
            "no Docker engine answers at {} ({e}); start one (e.g. `dockerd &`) or choose another backend",
            socket_path()
        ))),
    }
}

pub(super) fn server() -> Result<Server> {
    check_engine()?;
    let image = std::env::var("PARITY_PG_IMAGE").unwrap_or_else(|_| DEFAULT_IMAGE.to_string());
    let (name, tag) = image.rsplit_once(':').unwrap_or((image.as_str(), "latest"));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| Error::Provision(format!("failed to find a free port: {e}")))?;
    let request = GenericImage::new(name, tag)
        .with_wait_for(WaitFor::Nothing)
        .with_network("host")
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
    let container = request.start().map_err(|e| {
        Error::Provision(format!(
            "failed to start container {image}: {e} (no registry is reachable? build the image locally, see ci/build-pg-image.sh, and set PARITY_PG_IMAGE)"
        ))
    })?;
    let id = container.id().to_string();
    let cleanup_id = cleanup::register(move || {
        let _ = engine_request("DELETE", &format!("/containers/{id}?force=true&v=true"));
    });
    let guard = Container {
        inner: Some(container),
        cleanup_id,
    };
    let admin = PgConnectOptions::new()
        .host("127.0.0.1")
        .port(port)
        .username("postgres")
        .database("postgres");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match Session::connect(&admin) {
            Ok(s) => {
                s.close();
                break;
            }
            Err(e) if Instant::now() > deadline => {
                return Err(Error::Provision(format!(
                    "container {image} did not accept connections on 127.0.0.1:{port} within 60 s: {e}"
                )));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    Ok(Server {
        admin,
        backend: "docker",
        description: format!("container {image} on 127.0.0.1:{port}"),
        _guard: Guard::Container(Box::new(guard)),
    })
}
