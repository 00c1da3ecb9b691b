//! The migration layouts we read, and how a side's layout is recognised from
//! its path (a folder, one schema file, or a SQLite database file).
//!
//! Detection looks at names first and reads file contents only to tell goose
//! and dbmate (same file names as sqlx) apart. `--sqlite-layout` /
//! `--pg-layout` skip detection.

use std::path::Path;

use serde::Serialize;

use crate::side::Engine;

/// How a side's migrations are named, ordered and read — one per tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// `<n>_name.sql` (also `.up.sql`; `.down.sql` ignored), numeric order.
    Sqlx,
    /// `V<n>__name.sql`, numeric order.
    Refinery,
    /// `V<n>__name.sql` with dotted or underscored versions (`V1_1__`,
    /// `V1.1__`) compared part by part; repeatables `R__name.sql` last.
    Flyway,
    /// `<n>_title.up.sql` or `<n>.up.sql`, numeric order.
    GolangMigrate,
    /// `*.up.sql` applied in file-name order, as maragudk/migrate (harness)
    /// does: its version is the whole file name, so several files may start
    /// with the same number.
    NameOrdered,
    /// `<n>_name.sql` with `-- +goose Up` / `-- +goose Down` sections.
    Goose,
    /// `<n>_name.sql` with `-- migrate:up` / `-- migrate:down` sections,
    /// file-name order.
    Dbmate,
    /// `YYYY-MM-DD-HHMMSS_name/up.sql` folders; versions compared as text.
    Diesel,
    /// `V<n>.Name.up.sql` (authelia), numeric order.
    Authelia,
    /// `<n>_name.{engine}.up.sql` — one folder for several engines; each
    /// side takes its own engine's files (and files naming no engine).
    EngineSuffixed,
    /// A folder of semver folders `0.22/01__name.sql` beside `LATEST.sql`
    /// (memos): a new database gets `LATEST.sql`, as memos does; the semver
    /// folders upgrade older databases and are not applied.
    Memos,
    /// Semver folders `0.22/01__name.sql` applied in semver order, then by
    /// file name.
    SemverFolders,
    /// One SQL file holding the whole schema.
    SchemaFile,
    /// One `pg_dump` file: `SET` lines, `\` meta-commands, owners and grants
    /// are skipped, `COPY … FROM stdin` data becomes `INSERT`s.
    PgDump,
    /// An existing SQLite database, introspected as it is (a copy in memory).
    SqliteDatabase,
}

impl Layout {
    pub fn name(self) -> &'static str {
        match self {
            Layout::Sqlx => "sqlx",
            Layout::Refinery => "refinery",
            Layout::Flyway => "flyway",
            Layout::GolangMigrate => "golang-migrate",
            Layout::NameOrdered => "name-ordered",
            Layout::Goose => "goose",
            Layout::Dbmate => "dbmate",
            Layout::Diesel => "diesel",
            Layout::Authelia => "authelia",
            Layout::EngineSuffixed => "engine-suffixed",
            Layout::Memos => "memos",
            Layout::SemverFolders => "semver-folders",
            Layout::SchemaFile => "schema-file",
            Layout::PgDump => "pg-dump",
            Layout::SqliteDatabase => "sqlite-database",
        }
    }

    /// Whether the tool's SQLite connection enforces foreign keys while the
    /// chain runs. SQLite's default is off
    /// (<https://sqlite.org/foreignkeys.html#fk_enable>) and most tools keep
    /// it (harness even switches it off around its migrations, whose table
    /// rebuilds need that); sqlx turns it on
    /// (`SqliteConnectOptions::foreign_keys`, default true). A `PRAGMA
    /// foreign_keys` in a file still applies; after the chain they are on
    /// and `foreign_key_check` must be clean either way.
    pub fn sqlite_foreign_keys_during_chain(self) -> bool {
        matches!(self, Layout::Sqlx)
    }

    /// Layouts read from one file rather than a folder.
    pub fn is_single_file(self) -> bool {
        matches!(
            self,
            Layout::SchemaFile | Layout::PgDump | Layout::SqliteDatabase
        )
    }
}

impl std::fmt::Display for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The engine names a file name may carry (`001_init.sqlite.up.sql`), and
/// the engine each stands for (`None`: an engine we do not run, e.g. MySQL).
pub(super) fn engine_tag(segment: &str) -> Option<Option<Engine>> {
    match segment.to_ascii_lowercase().as_str() {
        "sqlite" | "sqlite3" => Some(Some(Engine::Sqlite)),
        "postgres" | "postgresql" | "pg" | "pgsql" => Some(Some(Engine::Postgres)),
        "mysql" | "mariadb" | "mssql" | "sqlserver" | "oracle" | "cockroach" | "cockroachdb" => {
            Some(None)
        }
        _ => None,
    }
}

/// The names a per-engine subfolder may have (authelia keeps
/// `migrations/{sqlite,postgres,mysql}/`).
pub(super) fn engine_folder(name: &str, engine: Engine) -> bool {
    engine_tag(name) == Some(Some(engine))
}

/// `0.22`, `1.2.3`: a memos-style semver folder name.
pub(super) fn is_semver(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// True when the first 16 bytes are SQLite's file header.
pub(super) fn is_sqlite_database(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| &header == b"SQLite format 3\0")
}

/// What a file's text says about its tool, read from its first 64 KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    Goose,
    Dbmate,
    PgDump,
}

pub(super) fn marker(path: &Path) -> Option<Marker> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .ok()?;
    let text = String::from_utf8_lossy(&head);
    text.lines().find_map(|line| {
        let l = line.trim();
        let comment = l.strip_prefix("--")?.trim_start();
        if comment.to_ascii_lowercase().starts_with("+goose up") {
            Some(Marker::Goose)
        } else if comment.starts_with("migrate:up") {
            Some(Marker::Dbmate)
        } else if comment.starts_with("PostgreSQL database dump") {
            Some(Marker::PgDump)
        } else {
            None
        }
    })
}
