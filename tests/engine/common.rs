//! What the engine tests share: one PostgreSQL server (started on first use)
//! and helpers to assemble migration folders from fixtures.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use schema_parity::build::RunOptions;
use schema_parity::commands;
use schema_parity::model::finding::CheckKind;
use schema_parity::provision::{self, Backend, Server};
use schema_parity::report::Report;

pub struct Shared {
    server: OnceLock<Result<Server, String>>,
    lock: Mutex<()>,
}

impl Shared {
    pub fn new() -> Self {
        Shared {
            server: OnceLock::new(),
            lock: Mutex::new(()),
        }
    }

    pub fn server(&self) -> Result<&Server, String> {
        let _g = self.lock.lock().map_err(|e| e.to_string())?;
        self.server
            .get_or_init(|| {
                let backend = std::env::var("PARITY_PG_BACKEND")
                    .ok()
                    .and_then(|b| <Backend as clap::ValueEnum>::from_str(&b, true).ok())
                    .unwrap_or(Backend::Auto);
                provision::obtain(backend, std::env::var("PARITY_PG_URL").ok().as_deref())
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Runs `check` with the structural and seed checks on the shared server.
    pub fn check(
        &self,
        sqlite: &Path,
        pg: &Path,
        config: Option<PathBuf>,
    ) -> Result<Report, String> {
        self.check_with(
            sqlite,
            pg,
            config,
            vec![CheckKind::Structure, CheckKind::SeedData],
            0,
        )
    }

    /// Runs `checks` with `cases` per (table, property) on the shared server.
    pub fn check_with(
        &self,
        sqlite: &Path,
        pg: &Path,
        config: Option<PathBuf>,
        checks: Vec<CheckKind>,
        cases: u32,
    ) -> Result<Report, String> {
        self.check_only(sqlite, pg, config, checks, cases, Vec::new())
    }

    /// [`Self::check_with`] narrowed to `only` these tables (`--only`).
    pub fn check_only(
        &self,
        sqlite: &Path,
        pg: &Path,
        config: Option<PathBuf>,
        checks: Vec<CheckKind>,
        cases: u32,
        only: Vec<String>,
    ) -> Result<Report, String> {
        let server = self.server()?;
        let opts = RunOptions {
            only,
            ..options(sqlite, pg, config, checks, cases)
        };
        commands::check::check_on(&opts, server, &|_: &str| {}).map_err(|e| e.to_string())
    }
}

/// What `check` is given for a pair on the shared server: the config (the
/// empty one when `None`), `checks`, `cases`, and seed 1 unless `PARITY_SEED`.
pub fn options(
    sqlite: &Path,
    pg: &Path,
    config: Option<PathBuf>,
    checks: Vec<CheckKind>,
    cases: u32,
) -> RunOptions {
    RunOptions {
        sqlite_dir: sqlite.to_path_buf(),
        pg_dir: pg.to_path_buf(),
        sqlite_layout: None,
        pg_layout: None,
        config: Some(config.unwrap_or_else(|| fixtures_dir().join("empty.toml"))),
        pg_url: None,
        backend: Backend::Auto,
        checks,
        only: Vec::new(),
        cases,
        seed: std::env::var("PARITY_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1),
        pg_schema: None,
        values_from: None,
        config_search: true,
    }
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies every file of `from` into `to`, then adds `extra` as `900_planted.sql`.
pub fn assemble(from: &Path, to: &Path, extra: Option<&Path>) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name()))?;
        }
    }
    if let Some(x) = extra {
        std::fs::copy(x, to.join("900_planted.sql"))?;
    }
    Ok(())
}

/// `(category, table, first column or "-")` of every unaccepted finding.
pub fn summary(report: &Report) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = report
        .findings
        .iter()
        .filter(|f| !f.accepted)
        .map(|f| {
            (
                f.category.name().to_string(),
                f.table.clone(),
                f.columns.first().cloned().unwrap_or_else(|| "-".into()),
            )
        })
        .collect();
    v.sort();
    v
}

/// The fixture directories under `tests/fixtures/<group>/`, sorted.
pub fn fixture_names(group: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir().join(group))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The equivalent pair plus a planted fixture's `sqlite.sql` / `pg.sql`, in
/// a temp dir: returns the dir (kept alive by the caller) and both folders.
pub fn planted_pair(dir: &Path) -> std::io::Result<(tempfile::TempDir, PathBuf, PathBuf)> {
    let eq = fixtures_dir().join("equivalent");
    let tmp = tempfile::tempdir()?;
    let (sq, pg) = (tmp.path().join("sqlite"), tmp.path().join("pg"));
    let extra = |f: &str| {
        let p = dir.join(f);
        p.is_file().then_some(p)
    };
    assemble(&eq.join("sqlite"), &sq, extra("sqlite.sql").as_deref())?;
    assemble(&eq.join("pg"), &pg, extra("pg.sql").as_deref())?;
    Ok((tmp, sq, pg))
}

/// The config a planted fixture is checked with: the equivalent pair's
/// parity.toml, followed by the fixture's own `parity.toml` when it has one
/// (`[[column]]` and `[[accept]]` tables, appended), written into `tmp`.
pub fn planted_config(dir: &Path, tmp: &Path) -> std::io::Result<PathBuf> {
    let eq = fixtures_dir().join("equivalent").join("parity.toml");
    let own = dir.join("parity.toml");
    if !own.is_file() {
        return Ok(eq);
    }
    let joined = tmp.join("parity.toml");
    let text = std::fs::read_to_string(eq)? + "\n" + &std::fs::read_to_string(own)?;
    std::fs::write(&joined, text)?;
    Ok(joined)
}

/// A finished command as a test failure shows it: exit code, stdout, stderr.
pub fn said(out: &std::process::Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
