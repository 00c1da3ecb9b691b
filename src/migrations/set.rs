//! Loading one side: its layout (detected or forced), its migrations in the
//! order its tool applies them, and the files left out.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::layout::{self, Layout, Marker, Placement};
use super::split::{FileStatement, split};
use super::version::Version;
use super::{dump, sections};
use crate::engine::Step;
use crate::error::{Error, Result};
use crate::model::Engine;

/// One migration file to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The version as the layout's tool reads it; the set is sorted by it.
    pub version: Version,
    pub name: String,
    pub path: PathBuf,
    /// Which part of the file is applied, and how it is cut into statements.
    pub body: Body,
}

/// How a migration file's text becomes statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// The whole file.
    Plain,
    /// The `-- +goose Up` section, `StatementBegin`/`End` blocks kept whole.
    GooseUp,
    /// The `-- migrate:up` section.
    DbmateUp,
    /// `pg_dump` output: session settings, owners, grants and psql
    /// meta-commands skipped; `COPY … FROM stdin` data turned into `INSERT`s.
    PgDump,
}

impl Migration {
    /// The statements to run, each with its line in the file.
    pub fn statements(&self, engine: Engine) -> Result<Vec<FileStatement>> {
        let text = std::fs::read_to_string(&self.path).map_err(|source| Error::Read {
            path: self.path.clone(),
            source,
        })?;
        let bad = |reason: String| Error::MigrationDir {
            dir: self.path.clone(),
            reason,
        };
        match self.body {
            Body::Plain => Ok(split(&text, engine)),
            Body::GooseUp => sections::goose_up(&text, engine).map_err(bad),
            Body::DbmateUp => sections::dbmate_up(&text, engine).map_err(bad),
            Body::PgDump => Ok(dump::statements(&text)),
        }
    }
}

/// A side's migrations in apply order plus the files left out.
#[derive(Debug, Clone)]
pub struct MigrationSet {
    pub layout: Layout,
    /// The folder or file read (a per-engine subfolder when the given folder
    /// holds one, e.g. authelia's `migrations/sqlite/`).
    pub source: PathBuf,
    /// SQL the layout's tool runs before the first migration (its own
    /// bookkeeping table, when migrations refer to it).
    pub preamble: Vec<&'static str>,
    pub migrations: Vec<Migration>,
    /// Files not applied that the user should know of: SQL without a
    /// version (e.g. validate_schema.sql), migrations written as code or in
    /// pop's fizz (`layout::is_unrun_migration`).
    pub skipped: Vec<PathBuf>,
    /// What the user should know about how the side was read (one line each).
    pub notes: Vec<String>,
}

impl MigrationSet {
    fn new(layout: Layout, source: &Path) -> Self {
        MigrationSet {
            layout,
            source: source.to_path_buf(),
            preamble: Vec::new(),
            migrations: Vec::new(),
            skipped: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The existing SQLite database this side is, if it is one.
    pub fn database(&self) -> Option<&Path> {
        (self.layout == Layout::SqliteDatabase).then_some(self.source.as_path())
    }

    /// Every statement the `engine` runs, in order: the layout tool's own
    /// bookkeeping first, then each migration's statements (every file is
    /// read here, so a file that cannot be read or cut stops the run before
    /// anything is applied).
    pub fn steps(&self, engine: Engine) -> Result<Vec<Step>> {
        let bookkeeping = self.source.join(format!("({} bookkeeping)", self.layout));
        let mut steps: Vec<Step> = (self.preamble.iter().enumerate())
            .map(|(i, sql)| Step {
                file: bookkeeping.clone(),
                statement: i + 1,
                line: 1,
                sql: (*sql).to_string(),
            })
            .collect();
        for m in &self.migrations {
            steps.extend(m.statements(engine)?.into_iter().map(|s| Step {
                file: m.path.clone(),
                statement: s.number,
                line: s.line,
                sql: s.sql,
            }));
        }
        Ok(steps)
    }

    /// One line for stderr: layout, count and source.
    pub fn describe(&self) -> String {
        match self.layout {
            Layout::SqliteDatabase => format!(
                "existing SQLite database {} (read from a copy)",
                self.source.display()
            ),
            l if l.is_single_file() => format!("{l} {}", self.source.display()),
            l => format!(
                "{} migrations ({l} layout) from {}",
                self.migrations.len(),
                self.source.display()
            ),
        }
    }
}

/// Which side a set is for, as the CLI names it (for hints in errors).
fn side_flag(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "--sqlite-layout",
        Engine::Postgres => "--pg-layout",
    }
}

/// Reads `path` for the `engine` side: a migration folder in any layout, one
/// schema file, or (SQLite side) an existing database file. `forced` skips
/// detection.
pub fn load(path: &Path, engine: Engine, forced: Option<Layout>) -> Result<MigrationSet> {
    let bad = |reason: String| Error::MigrationDir {
        dir: path.to_path_buf(),
        reason,
    };
    if path.is_file() {
        return load_file(path, engine, forced);
    }
    if !path.is_dir() {
        return Err(bad(
            "no such file or directory: pass a migration folder, a schema file or (for --sqlite) a SQLite database file".into(),
        ));
    }
    if forced.is_some_and(Layout::is_single_file) {
        return Err(bad(format!(
            "{} {} reads one file, but this is a folder",
            side_flag(engine),
            forced.map_or("", Layout::name)
        )));
    }
    let listing = Listing::read(path)?;
    let layout = match forced.or_else(|| detect(&listing)) {
        Some(l) => l,
        None => {
            // A folder holding one subfolder per engine (authelia's
            // `migrations/{mysql,postgres,sqlite}`): read this engine's.
            if let Some(sub) = listing
                .dirs
                .iter()
                .find(|d| layout::engine_folder(&file_name(d), engine))
            {
                return load(sub, engine, forced);
            }
            return Err(bad(
                "no versioned migration files (expected e.g. 001_init.sql, 20230101120000_init.up.sql, V1__init.sql, 2023-01-01-120000_init/up.sql, or a sqlite/ or postgres/ subfolder)".into(),
            ));
        }
    };
    let mut set = MigrationSet::new(layout, path);
    collect(&mut set, &listing, engine)?;
    set.skipped.extend(
        (listing.files.iter())
            .filter(|f| layout::is_unrun_migration(&file_name(f)))
            .cloned(),
    );
    set.skipped.sort();
    set.migrations.sort_by(|a, b| {
        a.version
            .cmp(&b.version)
            .then_with(|| file_name(&a.path).cmp(&file_name(&b.path)))
    });
    check_versions(&set, engine)?;
    if set.migrations.is_empty() {
        return Err(bad(format!(
            "no migration files in the {layout} layout{}",
            if forced.is_some() {
                format!(" (forced by {}): check the flag", side_flag(engine))
            } else {
                String::new()
            }
        )));
    }
    Ok(set)
}

fn load_file(path: &Path, engine: Engine, forced: Option<Layout>) -> Result<MigrationSet> {
    let bad = |reason: String| Error::MigrationDir {
        dir: path.to_path_buf(),
        reason,
    };
    let is_db = layout::is_sqlite_database(path);
    let layout = match forced {
        Some(l) => l,
        None if is_db => Layout::SqliteDatabase,
        None => match layout::marker(path) {
            Some(Marker::PgDump) => Layout::PgDump,
            Some(Marker::Goose) => Layout::Goose,
            Some(Marker::Dbmate) => Layout::Dbmate,
            None => Layout::SchemaFile,
        },
    };
    let mut set = MigrationSet::new(layout, path);
    let body = match layout {
        Layout::SqliteDatabase => {
            if engine != Engine::Sqlite {
                return Err(bad(
                    "this is a SQLite database file: pass it as --sqlite, and the PostgreSQL schema (folder or file) as --pg".into(),
                ));
            }
            if !is_db {
                return Err(bad(
                    "not a SQLite database file (no `SQLite format 3` header)".into(),
                ));
            }
            return Ok(set);
        }
        _ if is_db => {
            return Err(bad(format!(
                "this is a SQLite database file, not SQL text{}",
                match engine {
                    Engine::Sqlite => " (leave out --sqlite-layout to read it as a database)",
                    Engine::Postgres => ": pass it as --sqlite",
                }
            )));
        }
        Layout::SchemaFile => Body::Plain,
        Layout::PgDump => Body::PgDump,
        Layout::Goose => Body::GooseUp,
        Layout::Dbmate => Body::DbmateUp,
        other => {
            return Err(bad(format!(
                "{} {other} reads a folder, but this is a file",
                side_flag(engine)
            )));
        }
    };
    set.migrations.push(Migration {
        version: Version::Number(1),
        name: file_name(path),
        path: path.to_path_buf(),
        body,
    });
    Ok(set)
}

/// A folder's entries, sorted by name.
struct Listing {
    dir: PathBuf,
    dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

impl Listing {
    fn read(dir: &Path) -> Result<Self> {
        let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let (dirs, files) = paths.into_iter().partition(|p| p.is_dir());
        Ok(Listing {
            dir: dir.to_path_buf(),
            dirs,
            files,
        })
    }

    /// File names, sorted.
    fn names(&self) -> Vec<String> {
        self.files.iter().map(|p| file_name(p)).collect()
    }

    /// `.sql` file names, sorted.
    fn sql_names(&self) -> Vec<String> {
        let mut names = self.names();
        names.retain(|n| n.ends_with(".sql"));
        names
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

static FLYWAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^V([0-9][0-9._]*?)__(.*)\.sql$").expect("valid regex"));
static AUTHELIA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^V([0-9]+)\.([^.]+)\.(up|down)\.sql$").expect("valid regex"));
// maragudk/migrate's own matchers: the `.` before `up` is a regex wildcard
// there, so `0021_x_up.sql` is a migration too (harness has such files).
static NAME_UP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9A-Za-z_-]+).up\.sql$").expect("valid regex"));
static NAME_DOWN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9A-Za-z_-]+).down\.sql").expect("valid regex"));
// gobuffalo pop's own pattern (`mrx` in its migrator.go), with the
// `.autocommit` segment ory's fork of it adds.
static POP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]+)_([^.]+)(?:\.([A-Za-z0-9]+))?(?:\.autocommit)?\.(up|down)\.(sql|fizz)$")
        .expect("valid regex")
});

/// The layout a folder's names (and, for goose/dbmate, contents) show.
fn detect(listing: &Listing) -> Option<Layout> {
    if listing.dirs.iter().any(|d| d.join("up.sql").is_file()) {
        return Some(Layout::Diesel);
    }
    if listing
        .dirs
        .iter()
        .any(|d| layout::is_semver(&file_name(d)))
    {
        return Some(if listing.dir.join("LATEST.sql").is_file() {
            Layout::Memos
        } else {
            Layout::SemverFolders
        });
    }
    let names = listing.sql_names();
    if names.is_empty() {
        return None;
    }
    if is_pop(&listing.names()) {
        return Some(Layout::Pop);
    }
    if names_engines(&names) {
        return Some(Layout::EngineSuffixed);
    }
    if names.iter().any(|n| n.starts_with("R__")) {
        return Some(Layout::Flyway);
    }
    let flyway: Vec<String> = names
        .iter()
        .filter_map(|n| FLYWAY.captures(n).map(|c| c[1].to_string()))
        .collect();
    if !flyway.is_empty() {
        let plain = flyway.iter().all(|v| v.bytes().all(|b| b.is_ascii_digit()));
        return Some(if plain {
            Layout::Refinery
        } else {
            Layout::Flyway
        });
    }
    if names.iter().any(|n| AUTHELIA.is_match(n)) {
        return Some(Layout::Authelia);
    }
    let ups: Vec<&String> = names.iter().filter(|n| n.ends_with(".up.sql")).collect();
    let odd_ups = names
        .iter()
        .any(|n| !n.ends_with(".up.sql") && n.ends_with("_up.sql") && NAME_UP.is_match(n));
    if !ups.is_empty() || odd_ups {
        return Some(if odd_ups || shared_fixed_width_versions(&ups) {
            Layout::NameOrdered
        } else {
            Layout::GolangMigrate
        });
    }
    for f in &listing.files {
        match layout::marker(f) {
            Some(Marker::Goose) => return Some(Layout::Goose),
            Some(Marker::Dbmate) => return Some(Layout::Dbmate),
            _ => {}
        }
    }
    names
        .iter()
        .any(|n| leading_digits(n).is_some())
        .then_some(Layout::Sqlx)
}

/// The rule that tells a name-ordered folder (maragudk/migrate, harness)
/// from golang-migrate: several `.up.sql` files start with the same number,
/// and every number has the same width. golang-migrate and sqlx refuse a
/// shared version at startup, so no working chain of theirs has one; with
/// equal widths, file-name order is also version order, so the folder reads
/// the same under both readings except for the files that share a number.
fn shared_fixed_width_versions(ups: &[&String]) -> bool {
    let numbers: Vec<&str> = ups.iter().filter_map(|n| leading_digits(n)).collect();
    let Some(width) = numbers.first().map(|n| n.len()) else {
        return false;
    };
    if numbers.len() != ups.len() || numbers.iter().any(|n| n.len() != width) {
        return false;
    }
    let mut seen = std::collections::HashSet::new();
    numbers.iter().any(|n| !seen.insert(*n))
}

fn leading_digits(name: &str) -> Option<&str> {
    let end = name
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(name.len());
    (end > 0).then(|| &name[..end])
}

/// The rule for a folder that serves several engines, each file naming
/// its engine (`layout::engine_in_name`): some name says its engine in a
/// segment of its own (`9_team.postgres.up.sql`), or one version has files
/// naming two engines (`0001_x_sqlite.up.sql` beside
/// `0001_x_postgres.up.sql`). A lone engine word is prose in a one-engine
/// chain (`003_pg_trgm.sql`), and reading it as a tag would drop the file.
fn names_engines(names: &[String]) -> bool {
    let mut by_version: HashMap<&str, HashSet<Option<Engine>>> = HashMap::new();
    for n in names {
        let stem = n.strip_suffix(".sql").unwrap_or(n);
        let Some(named) = layout::engine_in_name(stem) else {
            continue;
        };
        if named.placement == Placement::Segment {
            return true;
        }
        if let Some(v) = leading_digits(n.strip_prefix(['V', 'v']).unwrap_or(n)) {
            by_version.entry(v).or_default().insert(named.engine);
        }
    }
    by_version.values().any(|engines| engines.len() >= 2)
}

/// A file name in pop's pattern: version, name, the engine segment (pop's
/// "dialect"), direction, and whether it is fizz rather than SQL.
struct PopName<'a> {
    version: &'a str,
    name: &'a str,
    dialect: Option<&'a str>,
    up: bool,
    fizz: bool,
}

fn pop_name(name: &str) -> Option<PopName<'_>> {
    let c = POP.captures(name)?;
    let text = |i: usize| c.get(i).map_or("", |m| m.as_str());
    // `x.autocommit.up.sql`: the optional engine group takes `autocommit`.
    let dialect = Some(text(3)).filter(|d| !d.is_empty() && !d.eq_ignore_ascii_case("autocommit"));
    Some(PopName {
        version: text(1),
        name: text(2),
        dialect,
        up: text(4) == "up",
        fizz: text(5) == "fizz",
    })
}

/// The rule that tells a pop folder from an engine-suffixed one (whose
/// names pop's pattern also matches): what only pop reads — `.fizz`
/// files, `.autocommit`, or a version with a generic up file beside an
/// engine's own (pop applies the engine's own and skips the generic one;
/// an engine-suffixed reading would apply both, and refuses the pair).
fn is_pop(names: &[String]) -> bool {
    let mut generic = HashSet::new();
    let mut own = HashSet::new();
    for n in names {
        let Some(p) = pop_name(n) else {
            continue;
        };
        if p.fizz || n.contains(".autocommit.") {
            return true;
        }
        if p.up {
            if p.dialect.and_then(layout::engine_tag).is_some() {
                own.insert(p.version);
            } else {
                generic.insert(p.version);
            }
        }
    }
    generic.intersection(&own).next().is_some()
}

/// What one file name means in a layout.
enum Parsed {
    Migration(Version, String),
    /// The engine's own file of a version, replacing a generic file of the
    /// same version (pop).
    Own(Version, String),
    /// Another engine's file: not applied; named in a note when no side
    /// of a run takes it (`ours`: the other side's engine).
    OtherEngine {
        ours: bool,
    },
    /// Not applied, and not worth listing: down migrations.
    Ignored,
    /// SQL without a version: listed in `inputs.skipped_files`.
    Unversioned,
}

/// `{n}_name` or `{n}` → number and name.
fn numbered(stem: &str) -> Parsed {
    let (v, n) = stem.split_once('_').unwrap_or((stem, ""));
    match Version::number(v) {
        Some(v) => Parsed::Migration(v, n.to_string()),
        None => Parsed::Unversioned,
    }
}

fn parse_name(layout: Layout, name: &str, engine: Engine) -> Parsed {
    let Some(stem) = name.strip_suffix(".sql") else {
        return Parsed::Ignored;
    };
    match layout {
        Layout::Sqlx => {
            if stem.ends_with(".down") {
                return Parsed::Ignored;
            }
            numbered(stem.strip_suffix(".up").unwrap_or(stem))
        }
        Layout::GolangMigrate => {
            if stem.ends_with(".down") {
                Parsed::Ignored
            } else if let Some(stem) = stem.strip_suffix(".up") {
                numbered(stem)
            } else {
                Parsed::Unversioned
            }
        }
        Layout::NameOrdered => {
            if let Some(c) = NAME_UP.captures(name) {
                Parsed::Migration(Version::Text(c[1].to_string()), c[1].to_string())
            } else if NAME_DOWN.is_match(name) {
                Parsed::Ignored
            } else {
                Parsed::Unversioned
            }
        }
        Layout::Refinery | Layout::Flyway => {
            if let Some(rest) = name.strip_prefix("R__") {
                if layout == Layout::Flyway {
                    let n = rest.trim_end_matches(".sql").to_string();
                    return Parsed::Migration(Version::Repeatable(n.clone()), n);
                }
                return Parsed::Unversioned;
            }
            if name.starts_with('U') && name.contains("__") {
                return Parsed::Ignored; // Flyway undo / refinery unversioned
            }
            let Some(c) = FLYWAY.captures(name) else {
                return Parsed::Unversioned;
            };
            let version = if layout == Layout::Flyway {
                Version::parts(&c[1])
            } else {
                Version::number(&c[1])
            };
            match version {
                Some(v) => Parsed::Migration(v, c[2].to_string()),
                None => Parsed::Unversioned,
            }
        }
        Layout::Authelia => match AUTHELIA.captures(name) {
            Some(c) if &c[3] == "up" => match Version::number(&c[1]) {
                Some(v) => Parsed::Migration(v, c[2].to_string()),
                None => Parsed::Unversioned,
            },
            Some(_) => Parsed::Ignored,
            None => Parsed::Unversioned,
        },
        Layout::Goose => numbered(stem),
        Layout::Dbmate => match leading_digits(stem) {
            // dbmate's version is the leading digits; it applies files in
            // file-name order (the sort below breaks ties by file name).
            Some(d) => Parsed::Migration(Version::Text(stem.to_string()), d.to_string()),
            None => Parsed::Unversioned,
        },
        Layout::EngineSuffixed => {
            let named = layout::engine_in_name(stem);
            let segments: Vec<&str> = stem.split('.').collect();
            if segments[1..].iter().any(|s| s.eq_ignore_ascii_case("down")) {
                return Parsed::Ignored;
            }
            if let Some(other) = named
                .as_ref()
                .map(|n| n.engine)
                .filter(|e| *e != Some(engine))
            {
                return Parsed::OtherEngine {
                    ours: other.is_some(),
                };
            }
            let stem = named.map_or_else(|| stem.to_string(), |n| n.remove_from(stem));
            let kept: Vec<&str> = (stem.split('.').enumerate())
                .filter(|(i, s)| *i == 0 || !s.eq_ignore_ascii_case("up"))
                .map(|(_, s)| s)
                .collect();
            let stem = kept.join(".");
            let stem = stem.strip_prefix(['V', 'v']).unwrap_or(&stem);
            match leading_digits(stem) {
                Some(d) => {
                    let rest = stem[d.len()..].trim_start_matches(['_', '.', '-']);
                    Version::number(d).map_or(Parsed::Unversioned, |v| {
                        Parsed::Migration(v, rest.to_string())
                    })
                }
                None => Parsed::Unversioned,
            }
        }
        Layout::Pop => match pop_name(name) {
            None => Parsed::Unversioned,
            Some(p) if !p.up => Parsed::Ignored,
            Some(p) => {
                // pop compares versions as strings (`Version < Version` on
                // Go strings in its `UpMigrations.Less`).
                let version = Version::Text(p.version.to_string());
                match p.dialect.map(layout::engine_tag) {
                    None => Parsed::Migration(version, p.name.to_string()),
                    Some(Some(Some(e))) if e == engine => Parsed::Own(version, p.name.to_string()),
                    Some(Some(Some(_))) => Parsed::OtherEngine { ours: true },
                    // Another engine, or a dialect pop does not know (it
                    // skips those with a warning).
                    Some(_) => Parsed::OtherEngine { ours: false },
                }
            }
        },
        Layout::Diesel
        | Layout::Memos
        | Layout::SemverFolders
        | Layout::SchemaFile
        | Layout::PgDump
        | Layout::SqliteDatabase => Parsed::Ignored,
    }
}

fn body_of(layout: Layout) -> Body {
    match layout {
        Layout::Goose => Body::GooseUp,
        Layout::Dbmate => Body::DbmateUp,
        _ => Body::Plain,
    }
}

fn collect(set: &mut MigrationSet, listing: &Listing, engine: Engine) -> Result<()> {
    match set.layout {
        Layout::Diesel => {
            for d in &listing.dirs {
                let up = d.join("up.sql");
                if !up.is_file() {
                    continue;
                }
                // diesel: the version is the part before the first `_`,
                // dashes removed, compared as a string.
                let folder = file_name(d);
                let (v, n) = folder.split_once('_').unwrap_or((&folder, ""));
                let v = v.replace('-', "");
                if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                    set.skipped.push(up);
                    continue;
                }
                set.migrations.push(Migration {
                    version: Version::Text(v),
                    name: n.to_string(),
                    path: up,
                    body: Body::Plain,
                });
            }
        }
        Layout::Memos => {
            let latest = listing.dir.join("LATEST.sql");
            let upgrades = semver_migrations(listing)?.0.len();
            set.notes.push(format!(
                "applying LATEST.sql, the schema memos gives a new database; the {upgrades} upgrade migrations in its version folders are for older databases and are not applied (--{}-layout semver-folders applies them instead)",
                match engine {
                    Engine::Sqlite => "sqlite",
                    Engine::Postgres => "pg",
                }
            ));
            set.migrations.push(Migration {
                version: Version::Number(1),
                name: "LATEST".into(),
                path: latest,
                body: Body::Plain,
            });
        }
        Layout::SemverFolders => {
            let (migrations, skipped) = semver_migrations(listing)?;
            set.migrations = migrations;
            set.skipped = skipped;
            set.skipped.extend(
                listing
                    .files
                    .iter()
                    .filter(|f| file_name(f).ends_with(".sql"))
                    .cloned(),
            );
        }
        layout => {
            let mut own = Vec::new();
            let mut other_engines = Vec::new();
            for f in &listing.files {
                let (version, name) = match parse_name(layout, &file_name(f), engine) {
                    Parsed::Migration(version, name) => (version, name),
                    Parsed::Own(version, name) => {
                        own.push((version.clone(), f.clone()));
                        (version, name)
                    }
                    Parsed::OtherEngine { ours: true } => continue,
                    Parsed::OtherEngine { ours: false } => {
                        other_engines.push(file_name(f));
                        continue;
                    }
                    Parsed::Ignored => continue,
                    Parsed::Unversioned => {
                        set.skipped.push(f.clone());
                        continue;
                    }
                };
                set.migrations.push(Migration {
                    version,
                    name,
                    path: f.clone(),
                    body: body_of(layout),
                });
            }
            // pop runs the engine's own file of a version and then skips
            // the generic one: the version is recorded as applied.
            set.migrations.retain(|m| {
                !own.iter().any(|(v, _)| *v == m.version) || own.iter().any(|(_, p)| *p == m.path)
            });
            if !other_engines.is_empty() {
                set.notes.push(format!(
                    "not applied, for engines this tool does not run: {}",
                    other_engines.join(", ")
                ));
            }
            if layout == Layout::NameOrdered {
                // maragudk/migrate creates its table before the first
                // migration, and harness's first migration rebuilds it.
                set.preamble = vec![
                    "CREATE TABLE IF NOT EXISTS migrations (version TEXT NOT NULL)",
                    "INSERT INTO migrations VALUES ('')",
                ];
            }
        }
    }
    Ok(())
}

/// `0.22/01__name.sql` files: version = folder parts, then the file number.
fn semver_migrations(listing: &Listing) -> Result<(Vec<Migration>, Vec<PathBuf>)> {
    let mut migrations = Vec::new();
    let mut skipped = Vec::new();
    for d in &listing.dirs {
        let folder = file_name(d);
        if !layout::is_semver(&folder) {
            continue;
        }
        for f in Listing::read(d)?.files {
            let name = file_name(&f);
            let Some(stem) = name.strip_suffix(".sql") else {
                continue;
            };
            let version = stem
                .split_once("__")
                .and_then(|(n, _)| Version::parts(&format!("{folder}.{n}")));
            match version {
                Some(v) => migrations.push(Migration {
                    version: v,
                    name: format!("{folder}/{stem}"),
                    path: f,
                    body: Body::Plain,
                }),
                None => skipped.push(f),
            }
        }
    }
    Ok((migrations, skipped))
}

/// Two migrations with one version are an error naming both: the tools
/// refuse them (or, like dbmate, silently skip the second).
fn check_versions(set: &MigrationSet, engine: Engine) -> Result<()> {
    let identity = |m: &Migration| match set.layout {
        Layout::Dbmate => m.name.clone(),
        _ => m.version.to_string(),
    };
    let mut seen: HashMap<String, &Migration> = HashMap::new();
    for m in &set.migrations {
        if let Some(first) = seen.insert(identity(m), m) {
            let hint = match set.layout {
                Layout::Sqlx | Layout::GolangMigrate => format!(
                    " (if your migrator applies files in file-name order, as maragudk/migrate does, pass {} name-ordered)",
                    side_flag(engine)
                ),
                Layout::EngineSuffixed => format!(
                    " (if your migrator applies an engine's own file instead of the generic one of its version, as gobuffalo pop does, pass {} pop)",
                    side_flag(engine)
                ),
                _ => String::new(),
            };
            return Err(Error::MigrationDir {
                dir: set.source.clone(),
                reason: format!(
                    "two migrations share version {} ({} layout): {} and {}; rename one so the order is unambiguous{hint}",
                    identity(m),
                    set.layout,
                    first.path.display(),
                    m.path.display()
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of empty migrations with these names.
    fn folder(names: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temp dir");
        for n in names {
            std::fs::write(dir.path().join(n), "SELECT 1;\n").expect("a file");
        }
        dir
    }

    /// The layout detected, and the file names applied for `engine`.
    fn applied(names: &[&str], engine: Engine) -> (Layout, Vec<String>, Vec<String>) {
        let dir = folder(names);
        let set = load(dir.path(), engine, None).expect("the folder loads");
        let files = |paths: Vec<&PathBuf>| paths.into_iter().map(|p| file_name(p)).collect();
        (
            set.layout,
            files(set.migrations.iter().map(|m| &m.path).collect()),
            files(set.skipped.iter().collect()),
        )
    }

    #[test]
    fn engine_words_that_pair_up_make_an_engine_suffixed_folder() {
        let names = [
            "0001_create_tables_postgres.down.sql",
            "0001_create_tables_postgres.up.sql",
            "0001_create_tables_sqlite.down.sql",
            "0001_create_tables_sqlite.up.sql",
            "0001_create_tables_mysql.up.sql",
            "0001_create_tables.go",
            "0002_webhooks_postgresql.up.sql",
            "0002_webhooks_sqlite3.up.sql",
            "10_later.sqlite.up.sql",
            "10_later.postgres.up.sql",
            "migrate.go",
        ];
        let (layout, sqlite, skipped) = applied(&names, Engine::Sqlite);
        assert_eq!(layout, Layout::EngineSuffixed);
        assert_eq!(
            sqlite,
            [
                "0001_create_tables_sqlite.up.sql",
                "0002_webhooks_sqlite3.up.sql",
                "10_later.sqlite.up.sql"
            ]
        );
        assert_eq!(skipped, ["0001_create_tables.go", "migrate.go"]);
        let (_, pg, _) = applied(&names, Engine::Postgres);
        assert_eq!(
            pg,
            [
                "0001_create_tables_postgres.up.sql",
                "0002_webhooks_postgresql.up.sql",
                "10_later.postgres.up.sql"
            ]
        );
    }

    #[test]
    fn a_lone_engine_word_is_prose_not_a_tag() {
        // One engine named by a word, no pair: a one-engine chain.
        let names = [
            "001_init.sql",
            "003_pg_trgm.sql",
            "004_drop_mysql_leftovers.sql",
        ];
        let (layout, pg, _) = applied(&names, Engine::Postgres);
        assert_eq!(layout, Layout::Sqlx);
        assert_eq!(pg, names);
    }

    #[test]
    fn pop_takes_an_engines_own_file_over_the_generic_one_in_text_order() {
        let names = [
            "20240101120000_team.up.sql",
            "20240101120000_team.sqlite3.up.sql",
            "20240101120000_team.postgres.up.sql",
            "20240101120000_team.mysql.up.sql",
            "20240101120000_team.down.sql",
            "20240102090000_member.up.sql",
            "20240102090000_member.pg.autocommit.up.sql",
            // 12 digits: after every 14-digit version as text, first as a number.
            "202401031200_nickname.up.sql",
            "20240104000000_index.up.fizz",
            "20240104000000_index.down.fizz",
            "schema.sql",
        ];
        let (layout, sqlite, skipped) = applied(&names, Engine::Sqlite);
        assert_eq!(layout, Layout::Pop);
        assert_eq!(
            sqlite,
            [
                "20240101120000_team.sqlite3.up.sql",
                "20240102090000_member.up.sql",
                "202401031200_nickname.up.sql"
            ]
        );
        assert_eq!(skipped, ["20240104000000_index.up.fizz", "schema.sql"]);
        let (_, pg, _) = applied(&names, Engine::Postgres);
        assert_eq!(
            pg,
            [
                "20240101120000_team.postgres.up.sql",
                "20240102090000_member.pg.autocommit.up.sql",
                "202401031200_nickname.up.sql"
            ]
        );
    }

    #[test]
    fn an_engine_suffixed_folder_without_pop_evidence_stays_numeric() {
        // Engine segments, no version with a generic file beside an
        // engine's own: the numeric reading (9 before 10).
        let names = [
            "9_team.sqlite.up.sql",
            "9_team.postgres.up.sql",
            "10_member.sqlite.up.sql",
            "10_member.postgres.up.sql",
            "11_nickname.up.sql",
        ];
        let (layout, sqlite, _) = applied(&names, Engine::Sqlite);
        assert_eq!(layout, Layout::EngineSuffixed);
        assert_eq!(
            sqlite,
            [
                "9_team.sqlite.up.sql",
                "10_member.sqlite.up.sql",
                "11_nickname.up.sql"
            ]
        );
    }

    #[test]
    fn a_generic_file_beside_an_engines_own_is_refused_when_pop_is_not_the_reading() {
        let dir = folder(&[
            "0001_team_sqlite.up.sql",
            "0001_team_postgres.up.sql",
            "0001_team.up.sql",
        ]);
        let err = load(dir.path(), Engine::Sqlite, None)
            .map(|s| s.layout)
            .expect_err("a shared version");
        let text = err.to_string();
        for needle in [
            "0001_team_sqlite.up.sql",
            "0001_team.up.sql",
            "--sqlite-layout pop",
        ] {
            assert!(text.contains(needle), "{needle}: {text}");
        }
    }

    #[test]
    fn code_files_are_listed_in_every_folder_layout() {
        let (layout, _, skipped) = applied(
            &["1_init.up.sql", "2_backfill.go", "env.py"],
            Engine::Sqlite,
        );
        assert_eq!(layout, Layout::GolangMigrate);
        assert_eq!(skipped, ["2_backfill.go", "env.py"]);
    }
}
