//! One `check` run: load both migration folders, build both databases,
//! introspect, compare, and gather the findings into a [`Report`] (the
//! model of which lives in `report/`).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use schema_parity_strategies::Lit;

use crate::config::Config;
use crate::engine::{self, postgres, sqlite};
use crate::error::{Error, Result};
use crate::mapping::{self, Probed, TypeVerdict};
use crate::migrations::{self, Layout, MigrationSet};
use crate::model::finding::{self, CheckKind};
use crate::model::{Both, Engine};
use crate::progress::Progress;
use crate::provision::{self, Backend};
use crate::report::{Inputs, Report, Summary, Tool};

pub use crate::built::Built;

#[derive(Debug, Clone)]
pub struct Options {
    pub sqlite_dir: PathBuf,
    pub pg_dir: PathBuf,
    /// `--sqlite-layout`: `None` detects it.
    pub sqlite_layout: Option<Layout>,
    /// `--pg-layout`: `None` detects it.
    pub pg_layout: Option<Layout>,
    /// `--config`. `None`: the `parity.toml` that belongs to the inputs,
    /// when `config_search` (see [`Options::config_path`]).
    pub config: Option<PathBuf>,
    /// Without `config`, look for the inputs' `parity.toml` (`init` does
    /// not: it writes that file).
    pub config_search: bool,
    pub pg_url: Option<String>,
    pub backend: Backend,
    pub checks: Vec<CheckKind>,
    pub only: Vec<String>,
    pub cases: u32,
    pub seed: u64,
    /// `--pg-schema`: the schema the PostgreSQL side keeps its tables in
    /// (`None`: `public`, the default search path).
    pub pg_schema: Option<String>,
}

/// A run's inputs, read and validated once, before any server is obtained:
/// both migration folders and the config.
pub struct Prepared {
    pub sqlite_set: MigrationSet,
    pub pg_set: MigrationSet,
    pub config: Config,
    /// The config file read (`None`: the built-in mappings alone).
    pub config_path: Option<PathBuf>,
}

/// Reads both sides' migrations, each for its own engine (one folder may
/// serve both, with engine-suffixed files), and the config.
pub fn prepare(opts: &Options) -> Result<Prepared> {
    let sqlite_set = migrations::load(&opts.sqlite_dir, Engine::Sqlite, opts.sqlite_layout)?;
    let pg_set = migrations::load(&opts.pg_dir, Engine::Postgres, opts.pg_layout)?;
    let (config, config_path) = resolve_config(opts)?;
    Ok(Prepared {
        sqlite_set,
        pg_set,
        config,
        config_path,
    })
}

/// Reads the inputs ([`prepare`]) and builds both databases from them
/// ([`build_from`]); the config is read only to validate it.
pub fn build(opts: &Options, server: &provision::Server, progress: &dyn Progress) -> Result<Built> {
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
    opts: &Options,
    prepared: Prepared,
    server: &provision::Server,
    progress: &dyn Progress,
) -> Result<(Built, Configured)> {
    configure(opts, prepared, server, progress, false)
}

/// [`build_from`] for `replay`: a SQLite side that is a database file is
/// read in place (read-only, never copied into memory: the file may be
/// larger than memory).
pub fn build_in_place(
    opts: &Options,
    prepared: Prepared,
    server: &provision::Server,
    progress: &dyn Progress,
) -> Result<(Built, Configured)> {
    configure(opts, prepared, server, progress, true)
}

fn configure(
    opts: &Options,
    prepared: Prepared,
    server: &provision::Server,
    progress: &dyn Progress,
    in_place: bool,
) -> Result<(Built, Configured)> {
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
    opts: &Options,
    sqlite_set: MigrationSet,
    pg_set: MigrationSet,
    server: &provision::Server,
    progress: &dyn Progress,
    in_place: bool,
) -> Result<Built> {
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
    let conn = match sqlite_set.database() {
        Some(path) if in_place => sqlite::open_read_only(path)?,
        Some(path) => sqlite::open_copy(path)?,
        None => {
            let conn = sqlite::open_memory()?;
            let stand_ins = sqlite::apply(
                &conn,
                &sqlite_set.steps(Engine::Sqlite)?,
                sqlite_set.layout.sqlite_foreign_keys_during_chain(),
            )?;
            if !stand_ins.is_empty() {
                progress.phase(&format!(
                    "SQLite: functions the application registers itself, replaced by stand-ins that fail if called: {}",
                    stand_ins.join(", ")
                ));
            }
            conn
        }
    };
    let sqlite_schema = if in_place {
        sqlite::introspect_structure(&conn)?
    } else {
        sqlite::introspect(&conn)?
    };
    let mut database = server.scratch("main")?;
    database.set_search_path(opts.pg_schema.as_deref());
    let mut session = database.connect()?;
    progress.phase(&format!("PostgreSQL: {}", pg_set.describe()));
    for note in &pg_set.notes {
        progress.phase(&format!("PostgreSQL: {note}"));
    }
    postgres::apply(&mut session, &pg_set.steps(Engine::Postgres)?)?;
    let pg_schema = postgres::introspect(&mut session)?;
    let setting = |s: &mut postgres::Session, n: &str| s.server_setting(n).map_err(Error::postgres);
    let postgres_version = setting(&mut session, "server_version")?;
    let server_encoding = setting(&mut session, "server_encoding")?;
    let collation = setting(&mut session, "lc_collate")?;
    let timezone = setting(&mut session, "TimeZone")?;
    let schema_name = session
        .current_schema()
        .map_err(|e| Error::postgres(format!("failed to read the schema: {e}")))?;
    session.close();
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
    Ok(Built {
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

/// Probes on both engines every pairing of column types between the two
/// schemas that no mapping rule covers ([`mapping::probe_values`] stored
/// and read back on each, [`mapping::probed`] judging the outcomes), so
/// that no such pairing is reported without saying what it does. The
/// PostgreSQL columns are made in `database`, where the migrations'
/// types are.
fn probe_pairings(
    sqlite: &crate::model::schema::Schema,
    pg: &crate::model::schema::Schema,
    database: &provision::ScratchDatabase,
    progress: &dyn Progress,
) -> Result<Probed> {
    let none = Probed::new();
    let config = Config::default();
    let unknown = crate::structure::expected::schema(sqlite, &config, &none).unknown_pairings(pg);
    let mut probed = Probed::new();
    if unknown.is_empty() {
        return Ok(probed);
    }
    let values: Vec<Vec<Lit>> = unknown
        .iter()
        .map(|(s, p)| mapping::probe_values(s, &mapping::pg_kind(p)))
        .collect();
    let probes: Vec<engine::Probe> = unknown
        .iter()
        .zip(&values)
        .map(|((s, p), values)| {
            let kind = mapping::pg_kind(p);
            engine::Probe {
                types: Both {
                    sqlite: s.clone(),
                    postgres: p.clone(),
                },
                literals: values
                    .iter()
                    .map(|v| Both {
                        sqlite: mapping::lit_sqlite(v),
                        postgres: mapping::lit_postgres(v, &kind),
                    })
                    .collect(),
            }
        })
        .collect();
    let outcomes = engine::store_and_read(database.connect()?, &probes)?;
    for (((s, p), values), outcome) in unknown.iter().zip(&values).zip(outcomes) {
        let shown = if s.is_empty() { "no declared type" } else { s };
        match outcome {
            Ok(outcomes) => {
                let pairing = mapping::probed(s, p, values, &outcomes);
                progress.phase(&format!(
                    "probed SQLite {shown} ↔ PostgreSQL {p}, which no mapping rule covers, with {} values: {}",
                    pairing.probes,
                    if pairing.verdict == TypeVerdict::Equivalent {
                        "stored and read back alike"
                    } else {
                        "they differ"
                    }
                ));
                probed.insert(s, p, pairing);
            }
            Err(why) => progress.phase(&format!(
                "could not probe SQLite {shown} ↔ PostgreSQL {p}: {why}"
            )),
        }
    }
    Ok(probed)
}

/// The config a run reads, and its path (see [`Options::config_path`]).
pub fn resolve_config(opts: &Options) -> Result<(Config, Option<PathBuf>)> {
    match opts.config_path()? {
        Some(p) => Ok((Config::load(&p)?, Some(p))),
        None => Ok((Config::default(), None)),
    }
}

impl Options {
    /// The config file a run reads: `--config`, else (with
    /// `config_search`) the `parity.toml` nearest above both inputs, up to
    /// their repository's root ([`crate::config::find`]); none: the
    /// built-in mappings alone. Every command and the suite library decide
    /// it here.
    pub fn config_path(&self) -> Result<Option<PathBuf>> {
        match &self.config {
            Some(p) => Ok(Some(p.clone())),
            None if self.config_search => {
                crate::config::find(&[self.sqlite_dir.as_path(), self.pg_dir.as_path()])
            }
            None => Ok(None),
        }
    }
}

/// What a report says of a run's inputs: both sides, the config, the
/// server and both engines (no checks listed, nothing untested: the
/// caller says what ran).
pub fn inputs(opts: &Options, built: &Built, configured: &Configured) -> Inputs {
    // Both sides may read one folder (engine in the file names): each file once.
    let mut skipped_files: Vec<String> = Vec::new();
    for p in built.sqlite_set.skipped.iter().chain(&built.pg_set.skipped) {
        let p = p.display().to_string();
        if !skipped_files.contains(&p) {
            skipped_files.push(p);
        }
    }
    Inputs {
        sqlite: opts.sqlite_dir.display().to_string(),
        pg: opts.pg_dir.display().to_string(),
        sqlite_layout: built.sqlite_set.layout,
        pg_layout: built.pg_set.layout,
        config: configured.path.as_ref().map(|p| p.display().to_string()),
        seed: opts.seed,
        cases: opts.cases,
        pg_backend: built.backend.clone(),
        postgres_version: built.postgres_version.clone(),
        sqlite_version: sqlite::version(),
        server_encoding: built.server_encoding.clone(),
        collation: built.collation.clone(),
        timezone: built.timezone.clone(),
        skipped_files,
        pg_extensions: built.pg.pg_objects.extensions.clone(),
        pg_schema: built.pg_schema.clone(),
        checks: Vec::new(),
        not_applicable: Vec::new(),
        not_exercised: Vec::new(),
        flaky: Vec::new(),
        strict: configured.config.strict,
        baseline: None,
        baseline_gone: Vec::new(),
        unused_accepts: Vec::new(),
        sqlite_counts: built.sqlite.counts(built.sqlite_set.migrations.len()),
        pg_counts: built.pg.counts(built.pg_set.migrations.len()),
    }
}

/// Obtains PostgreSQL as the options say (after [`prepare`]: inputs are
/// validated before a server is paid for).
pub fn obtain(opts: &Options, progress: &dyn Progress) -> Result<provision::Server> {
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

/// Obtains PostgreSQL as the options say, runs the checks, and releases it.
pub fn check(opts: &Options, progress: &dyn Progress) -> Result<Report> {
    let prepared = prepare(opts)?;
    let server = obtain(opts, progress)?;
    server.outlived(check_prepared(opts, prepared, &server, progress))
}

/// Builds both databases as `check` does and hands them, with the config,
/// to `f` — for commands that need the models but run no checks
/// (`emit-validate`). The databases and the server are released afterwards.
pub fn with_built<T>(
    opts: &Options,
    progress: &dyn Progress,
    f: impl FnOnce(&Built, &Configured) -> T,
) -> Result<T> {
    let prepared = prepare(opts)?;
    let server = obtain(opts, progress)?;
    server.outlived(with_prepared(opts, prepared, &server, progress, f))
}

/// [`with_built`] on an existing server.
pub fn with_built_on<T>(
    opts: &Options,
    server: &provision::Server,
    progress: &dyn Progress,
    f: impl FnOnce(&Built, &Configured) -> T,
) -> Result<T> {
    with_prepared(opts, prepare(opts)?, server, progress, f)
}

fn with_prepared<T>(
    opts: &Options,
    prepared: Prepared,
    server: &provision::Server,
    progress: &dyn Progress,
    f: impl FnOnce(&Built, &Configured) -> T,
) -> Result<T> {
    let (built, configured) = build_from(opts, prepared, server, progress)?;
    Ok(f(&built, &configured))
}

/// Runs the selected checks on an existing server and returns the report.
pub fn check_on(
    opts: &Options,
    server: &provision::Server,
    progress: &dyn Progress,
) -> Result<Report> {
    check_prepared(opts, prepare(opts)?, server, progress)
}

fn check_prepared(
    opts: &Options,
    prepared: Prepared,
    server: &provision::Server,
    progress: &dyn Progress,
) -> Result<Report> {
    let started = Instant::now();
    let (built, configured) = build_from(opts, prepared, server, progress)?;
    let only: Option<BTreeSet<String>> =
        (!opts.only.is_empty()).then(|| opts.only.iter().map(|t| t.to_lowercase()).collect());
    for t in only.iter().flatten() {
        if !built.sqlite.tables.contains_key(t) && !built.pg.tables.contains_key(t) {
            return Err(Error::Usage(format!(
                "--only names table `{t}`, which neither database has"
            )));
        }
    }
    finish(opts, &configured, only, built, started, progress)
}

fn finish(
    opts: &Options,
    configured: &Configured,
    only: Option<BTreeSet<String>>,
    built: Built,
    started: Instant,
    progress: &dyn Progress,
) -> Result<Report> {
    let config = &configured.config;
    // --only narrows what is compared and reported; the behavioural suite
    // still sees every table, which other tables' rows need as parents.
    let mut narrowed = config.clone();
    let names = (built.sqlite.tables.keys().map(String::as_str))
        .chain(built.pg.tables.keys().map(String::as_str))
        .chain(built.sqlite.object_names())
        .chain(built.pg.object_names());
    for t in names {
        if only.as_ref().is_some_and(|o| !o.contains(t)) && !narrowed.skips(t) {
            narrowed.skip_tables.push(t.to_string());
        }
    }
    let mut findings = Vec::new();
    let mut checks_run = 0;
    if opts.checks.contains(&CheckKind::Structure) {
        progress.phase("comparing structure");
        findings.extend(crate::structure::diff::structure(
            &built.sqlite,
            &built.pg,
            &built.probed,
            &narrowed,
        ));
        checks_run += 1;
    }
    if opts.checks.contains(&CheckKind::SeedData) {
        progress.phase("comparing seed data");
        let missing: Vec<String> = findings
            .iter()
            .filter(|f| f.category == finding::Category::MissingTable)
            .map(|f| f.table.clone())
            .collect();
        findings.extend(
            crate::structure::diff::seed_data(&built.sqlite, &built.pg, &narrowed)
                .into_iter()
                .filter(|f| !missing.contains(&f.table)),
        );
        checks_run += 1;
    }
    let behavioural: Vec<CheckKind> = opts
        .checks
        .iter()
        .copied()
        .filter(|c| !matches!(c, CheckKind::Structure | CheckKind::SeedData))
        .collect();
    let mut cases_run = 0;
    // What the properties saw, for the accept rules that matched nothing.
    let mut seen: Vec<finding::Finding> = Vec::new();
    let mut not_applicable = Vec::new();
    let mut not_exercised = Vec::new();
    let mut flaky = Vec::new();
    if !behavioural.is_empty() {
        progress.phase("running behavioural checks");
        let mut suite = crate::check::Suite::new(&built, config, opts.cases, opts.seed);
        suite.checked = only;
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 4);
        let totals = suite.run_all(&built, &behavioural, workers, progress)?;
        checks_run += behavioural.len();
        cases_run = totals.cases_run;
        not_applicable = totals.not_applicable;
        not_exercised = totals.not_exercised;
        flaky = totals.flaky;
        not_exercised.sort();
        // Before they are attached to structural root causes: an accept
        // rule for what a property saw is used even when the structural
        // finding that explains it is reported instead.
        seen.extend(totals.findings.iter().cloned());
        crate::check::merge(&mut findings, totals.findings);
        crate::check::contradicted(&mut findings, &totals.agreed_cases);
        findings.extend(totals.quirks);
    }
    let unused_accepts = config.unused_accepts(findings.iter().chain(&seen), |a| {
        (a.table == "*" || !narrowed.skips(&a.table))
            && a.check
                .as_deref()
                .is_none_or(|c| CheckKind::parse(c).is_some_and(|c| opts.checks.contains(&c)))
    });
    config.apply(&mut findings);
    let mut findings = finding::group(findings);
    finding::sort(&mut findings);
    let tables = built
        .sqlite
        .tables
        .keys()
        .filter(|t| !narrowed.skips(t))
        .count();
    let inputs = Inputs {
        checks: opts.checks.iter().map(|c| c.name()).collect(),
        not_applicable,
        not_exercised,
        flaky,
        unused_accepts,
        ..inputs(opts, &built, configured)
    };
    drop(built);
    Ok(report(
        inputs, findings, tables, checks_run, cases_run, started,
    ))
}

/// A finished run's report: the summary's counts taken from `findings`.
pub fn report(
    inputs: Inputs,
    findings: Vec<finding::Finding>,
    tables: usize,
    checks_run: usize,
    cases_run: u64,
    started: Instant,
) -> Report {
    let mut report = Report {
        schema_version: 1,
        tool: Tool {
            name: "schema-parity",
            version: env!("CARGO_PKG_VERSION"),
        },
        inputs,
        summary: Summary {
            tables,
            checks_run,
            cases_run,
            // Counted from the findings by `Report::count`, below.
            findings: 0,
            warnings: 0,
            accepted: 0,
            baselined: 0,
            baseline_gone: 0,
            unused_accepts: 0,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        },
        findings,
    };
    report.count();
    report
}
