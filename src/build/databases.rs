//! Both databases built from their folders and introspected
//! ([`Databases`]), and how: a server obtained ([`obtain`]), both chains
//! applied on it ([`build`], [`build_from`], [`build_in_place`]), the
//! config checked against what they hold ([`Configured`]).

use std::path::PathBuf;

use crate::config::Config;
use crate::engine::{postgres, sqlite};
use crate::error::{Error, Result};
use crate::mapping::Probed;
use crate::migrations::MigrationSet;
use crate::model::Engine;
use crate::model::schema::Schema;
use crate::progress::Progress;
use crate::provision;

use super::inputs::{Prepared, prepare};
use super::options::RunOptions;
use super::probe::probe_pairings;

/// Both databases built from their folders and introspected.
pub struct Databases {
    pub sqlite_set: MigrationSet,
    pub pg_set: MigrationSet,
    pub sqlite_conn: sqlite::Database,
    pub sqlite: Schema,
    pub pg: Schema,
    pub backend: String,
    pub database: provision::ScratchDatabase,
    pub postgres_version: String,
    pub server_encoding: String,
    pub collation: String,
    pub timezone: String,
    /// The schema the PostgreSQL side was read from (`current_schema()`).
    pub pg_schema: String,
    /// The pairings of column types no mapping rule covers, probed on both
    /// engines once the two were built.
    pub probed: Probed,
}

impl Databases {
    /// Whether either database has a table (or a view, a PostgreSQL type,
    /// sequence, domain or function) of this name: what a parity.toml rule
    /// may name.
    pub fn has(&self, name: &str) -> bool {
        [&self.sqlite, &self.pg]
            .iter()
            .any(|s| s.tables.contains_key(name) || s.object_names().any(|n| n == name))
    }
}

/// Obtains PostgreSQL as the options say (after [`prepare`]: inputs are
/// validated before a server is paid for).
pub fn obtain(opts: &RunOptions, progress: &dyn Progress) -> Result<provision::Server> {
    progress.phase("obtaining PostgreSQL");
    let server = provision::obtain(opts.backend, opts.pg_url.as_deref())?;
    progress.phase(&format!("using {}", server.description));
    if let Some(secs) = std::env::var("PARITY_DEBUG_HOLD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        // Test hook: keep the server up so a test can interrupt the run.
        std::thread::sleep(std::time::Duration::from_secs(secs));
    }
    Ok(server)
}

/// Reads the inputs ([`prepare`]) and builds both databases from them
/// ([`build_from`]); the config is read only to validate it.
pub fn build(
    opts: &RunOptions,
    server: &provision::Server,
    progress: &dyn Progress,
) -> Result<Databases> {
    build_from(opts, prepare(opts)?, server, progress).map(|(built, _)| built)
}

/// The config a run applies, checked against both built databases.
pub struct Configured {
    pub config: Config,
    /// The file it was read from (`None`: the built-in mappings alone).
    pub path: Option<PathBuf>,
}

/// Applies both chains, already read, introspects both databases, and
/// checks the config's rules against the tables they have (a rule naming a
/// table neither has is bad input). `progress` gets one line per step.
pub fn build_from(
    opts: &RunOptions,
    prepared: Prepared,
    server: &provision::Server,
    progress: &dyn Progress,
) -> Result<(Databases, Configured)> {
    configure(opts, prepared, server, progress, false)
}

/// [`build_from`] for `replay`: a SQLite side that is a database file is
/// read in place (read-only, never copied into memory: the file may be
/// larger than memory).
pub fn build_in_place(
    opts: &RunOptions,
    prepared: Prepared,
    server: &provision::Server,
    progress: &dyn Progress,
) -> Result<(Databases, Configured)> {
    configure(opts, prepared, server, progress, true)
}

fn configure(
    opts: &RunOptions,
    prepared: Prepared,
    server: &provision::Server,
    progress: &dyn Progress,
    in_place: bool,
) -> Result<(Databases, Configured)> {
    let Prepared {
        sqlite_set,
        pg_set,
        config,
        config_path,
    } = prepared;
    let built = build_sets(opts, sqlite_set, pg_set, server, progress, in_place)?;
    if let Some(path) = &config_path {
        config.check_tables(path, |t| built.has(t))?;
    }
    Ok((
        built,
        Configured {
            config,
            path: config_path,
        },
    ))
}

fn build_sets(
    opts: &RunOptions,
    sqlite_set: MigrationSet,
    pg_set: MigrationSet,
    server: &provision::Server,
    progress: &dyn Progress,
    in_place: bool,
) -> Result<Databases> {
    match sqlite_set.database() {
        Some(path) if in_place => progress.phase(&format!(
            "SQLite: the database file {} (read in place, read-only)",
            path.display()
        )),
        _ => progress.phase(&format!("SQLite: {}", sqlite_set.describe())),
    }
    for note in &sqlite_set.notes {
        progress.phase(&format!("SQLite: {note}"));
    }
    // The SQLite chain runs in this process while PostgreSQL runs its own
    // in the server: side by side, each on its own core. A SQLite error
    // comes first, as when the chains ran one after the other.
    let (sqlite_side, pg_side) = std::thread::scope(|scope| {
        let sqlite_side = scope.spawn(|| sqlite_side(&sqlite_set, in_place));
        let pg_side = pg_side(opts, &pg_set, server, progress);
        let sqlite_side = sqlite_side
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (sqlite_side, pg_side)
    });
    let SqliteSide {
        conn,
        stand_ins,
        schema: sqlite_schema,
    } = sqlite_side?;
    if !stand_ins.is_empty() {
        progress.phase(&format!(
            "SQLite: functions the application registers itself, replaced by stand-ins that fail if called: {}",
            stand_ins.join(", ")
        ));
    }
    let PgSide {
        database,
        schema: pg_schema,
        postgres_version,
        server_encoding,
        collation,
        timezone,
        schema_name,
    } = pg_side?;
    let probed = probe_pairings(&sqlite_schema, &pg_schema, &database, progress)?;
    if let Some(wanted) = &opts.pg_schema
        && *wanted != schema_name
    {
        return Err(Error::Usage(format!(
            "--pg-schema {wanted}: the PostgreSQL side created no schema of that name (its tables are in {})",
            if schema_name.is_empty() {
                "no schema on the search path"
            } else {
                &schema_name
            }
        )));
    }
    Ok(Databases {
        sqlite_set,
        pg_set,
        sqlite_conn: conn,
        sqlite: sqlite_schema,
        pg: pg_schema,
        backend: server.backend.to_string(),
        database,
        postgres_version,
        server_encoding,
        collation,
        timezone,
        pg_schema: schema_name,
        probed,
    })
}

/// The SQLite side, built and introspected.
struct SqliteSide {
    conn: sqlite::Database,
    /// Functions the chain calls that the application registers itself,
    /// replaced by stand-ins.
    stand_ins: Vec<String>,
    schema: Schema,
}

/// Applies the SQLite chain (or opens its database file) and reads the
/// schema.
fn sqlite_side(set: &MigrationSet, in_place: bool) -> Result<SqliteSide> {
    let (conn, stand_ins) = match set.database() {
        Some(path) if in_place => (sqlite::open_read_only(path)?, Vec::new()),
        Some(path) => (sqlite::open_copy(path)?, Vec::new()),
        None => {
            let conn = sqlite::open_memory()?;
            let stand_ins = sqlite::apply(
                &conn,
                &set.steps(Engine::Sqlite)?,
                set.layout.sqlite_foreign_keys_during_chain(),
            )?;
            (conn, stand_ins)
        }
    };
    let schema = if in_place {
        sqlite::introspect_structure(&conn)?
    } else {
        sqlite::introspect(&conn)?
    };
    Ok(SqliteSide {
        conn,
        stand_ins,
        schema,
    })
}

/// The PostgreSQL side, built in its scratch database and introspected.
struct PgSide {
    database: provision::ScratchDatabase,
    schema: Schema,
    postgres_version: String,
    server_encoding: String,
    collation: String,
    timezone: String,
    /// `current_schema()`.
    schema_name: String,
}

/// Applies the PostgreSQL chain in a new scratch database and reads the
/// schema and the server's settings.
fn pg_side(
    opts: &RunOptions,
    set: &MigrationSet,
    server: &provision::Server,
    progress: &dyn Progress,
) -> Result<PgSide> {
    let mut database = server.scratch("main")?;
    database.set_search_path(opts.pg_schema.as_deref());
    let mut session = database.connect()?;
    progress.phase(&format!("PostgreSQL: {}", set.describe()));
    for note in &set.notes {
        progress.phase(&format!("PostgreSQL: {note}"));
    }
    postgres::apply(&mut session, &set.steps(Engine::Postgres)?)?;
    let schema = postgres::introspect(&mut session)?;
    let setting = |s: &mut postgres::Session, n: &str| s.server_setting(n).map_err(Error::postgres);
    let postgres_version = setting(&mut session, "server_version")?;
    let server_encoding = setting(&mut session, "server_encoding")?;
    let collation = setting(&mut session, "lc_collate")?;
    let timezone = setting(&mut session, "TimeZone")?;
    let schema_name = session
        .current_schema()
        .map_err(|e| Error::postgres(format!("failed to read the schema: {e}")))?;
    session.close();
    Ok(PgSide {
        database,
        schema,
        postgres_version,
        server_encoding,
        collation,
        timezone,
        schema_name,
    })
}

/// Builds both databases as `check` does and hands them, with the config,
/// to `f` — for commands that need the models but run no checks
/// (`emit-validate`). The databases and the server are released afterwards.
pub fn with_built<T>(
    opts: &RunOptions,
    progress: &dyn Progress,
    f: impl FnOnce(&Databases, &Configured) -> T,
) -> Result<T> {
    let prepared = prepare(opts)?;
    let server = obtain(opts, progress)?;
    server.outlived(with_prepared(opts, prepared, &server, progress, f))
}

/// [`with_built`] on an existing server.
pub fn with_built_on<T>(
    opts: &RunOptions,
    server: &provision::Server,
    progress: &dyn Progress,
    f: impl FnOnce(&Databases, &Configured) -> T,
) -> Result<T> {
    with_prepared(opts, prepare(opts)?, server, progress, f)
}

fn with_prepared<T>(
    opts: &RunOptions,
    prepared: Prepared,
    server: &provision::Server,
    progress: &dyn Progress,
    f: impl FnOnce(&Databases, &Configured) -> T,
) -> Result<T> {
    let (built, configured) = build_from(opts, prepared, server, progress)?;
    Ok(f(&built, &configured))
}
