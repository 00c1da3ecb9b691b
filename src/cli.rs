//! Argument parsing and exit codes (the CLI contract: README.md, "Usage",
//! every option in docs/reference.md).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use schema_parity::build::RunOptions;
use schema_parity::check;
use schema_parity::migrations::Layout;
use schema_parity::model::finding::CheckKind;
use schema_parity::provision::Backend;
use schema_parity::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "schema-parity",
    version,
    about = "Prove a SQLite migration chain and a PostgreSQL schema behave the same"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build both databases from their migration folders and compare them.
    Check(CheckArgs),
    /// Run `check` and write the ids of its current findings to a file, for
    /// `check --baseline FILE`: fail only on new findings while these get fixed.
    Baseline(BaselineArgs),
    /// Adopt schema-parity in a project: run `check` once and write
    /// parity.toml (each current finding as a commented-out accept block),
    /// tests/parity.rs for a Rust crate, and a CI workflow with its scripts.
    Init(InitArgs),
    /// Run the behavioural properties round after round with fresh seeds
    /// until --duration (or --max-cases) is spent, weighted toward
    /// constraint edges; save each new root cause's witness once.
    Fuzz(FuzzArgs),
    /// Mutation-test the checks: mutate the PostgreSQL side one change at a
    /// time and report which mutants the checks kill.
    Mutate(MutateArgs),
    /// Load every row of an existing SQLite database file through the
    /// mapping into the PostgreSQL schema (in a scratch database) and read
    /// it back: what is refused or comes back different, grouped by cause.
    Replay(ReplayArgs),
    /// Write validate_schema.sql: a psql script that checks a PostgreSQL
    /// database's schema against what the SQLite chain requires.
    EmitValidate(EmitValidateArgs),
    /// Start one embedded PostgreSQL for many test processes (a cargo-nextest
    /// setup script, ci/nextest-pg.sh): write PARITY_PG_URL=... to a file and
    /// serve until a process exits or on Ctrl-C/SIGTERM, then remove it.
    #[command(hide = true)]
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Where to write `PARITY_PG_URL=<url>` once the server accepts connections.
    #[arg(long, value_name = "FILE")]
    pub env_file: PathBuf,
    /// Stop when this process exits (the test runner).
    #[arg(long, value_name = "PID")]
    pub until_pid: u32,
}

#[derive(Debug, clap::Args)]
pub struct EmitValidateArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Where to write the script (default: validate_schema.sql in the --pg folder; `-` for stdout).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// --sqlite is the database file to replay (opened read-only, never written).
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    pub out: Outputs,
    /// Only these tables (comma-separated; the tables they reference are loaded too).
    #[arg(long, value_delimiter = ',', value_name = "TABLE,...")]
    pub only: Vec<String>,
    /// Examples name rows by key only, never by value (for data that must not reach a CI log).
    #[arg(long)]
    pub no_values: bool,
    /// The SQLite migration chain the file was built with: the file's own
    /// schema is compared with what it builds (drift is a finding).
    #[arg(long, value_name = "DIR")]
    pub sqlite_migrations: Option<PathBuf>,
    /// Rows per COPY batch.
    #[arg(long, value_name = "N", default_value_t = schema_parity::commands::replay::BATCH_ROWS, hide = true)]
    pub batch_rows: usize,
}

impl ReplayArgs {
    pub fn options(&self) -> schema_parity::commands::replay::Options {
        schema_parity::commands::replay::Options {
            run: RunOptions {
                only: self.only.clone(),
                ..self.inputs.options(Vec::new(), 0, 0)
            },
            no_values: self.no_values,
            sqlite_migrations: self.sqlite_migrations.clone(),
            batch_rows: self.batch_rows,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct MutateArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Operators to apply (comma-separated; default all).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub operators: Vec<String>,
    /// Run only N mutants, sampled deterministically from --seed.
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,
    /// Mutate only these tables (comma-separated; default all).
    #[arg(long, value_delimiter = ',', value_name = "TABLE,...")]
    pub only: Vec<String>,
    /// Cases per (table, property) for each mutant's behavioural checks.
    #[arg(long, default_value_t = 64)]
    pub cases: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Check the behaviour of every table again for each mutant, not only
    /// the tables the change can reach (slow: the reference the default is
    /// measured against).
    #[arg(long)]
    pub recheck_all: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: schema_parity::commands::mutate::MutateFormat,
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// What every command that builds both databases takes: the two sides,
/// the config, and where PostgreSQL comes from.
#[derive(Debug, clap::Args)]
pub struct Inputs {
    /// SQLite side: a migration folder (sqlx, refinery, Flyway,
    /// golang-migrate, goose, dbmate, diesel, … — detected), one schema
    /// file, or an existing SQLite database file (read from a copy).
    #[arg(long, value_name = "PATH")]
    pub sqlite: PathBuf,
    /// PostgreSQL side: a migration folder (may be the --sqlite folder when
    /// file names carry the engine), one schema file, or pg_dump output.
    #[arg(long, value_name = "PATH")]
    pub pg: PathBuf,
    /// Read the --sqlite side in this layout instead of detecting it.
    #[arg(long, value_enum, value_name = "LAYOUT")]
    pub sqlite_layout: Option<Layout>,
    /// Read the --pg side in this layout instead of detecting it.
    #[arg(long, value_enum, value_name = "LAYOUT")]
    pub pg_layout: Option<Layout>,
    /// parity.toml with mappings and accepted differences (default: the
    /// parity.toml nearest above both inputs' folders, up to the repository
    /// root; never the current directory's unless it is one of those).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// An existing PostgreSQL server; a scratch database is created and dropped there.
    #[arg(
        long,
        value_name = "URL",
        env = "PARITY_PG_URL",
        hide_env_values = true
    )]
    pub pg_url: Option<String>,
    #[arg(long, value_enum, default_value = "auto", env = "PARITY_PG_BACKEND")]
    pub pg_backend: Backend,
    /// The schema the PostgreSQL side creates its tables in (default:
    /// public): every session's search_path is this schema, then public.
    #[arg(long, value_name = "NAME", env = "PARITY_PG_SCHEMA")]
    pub pg_schema: Option<String>,
}

impl Inputs {
    /// The run's options with these checks, cases and seed.
    pub fn options(&self, checks: Vec<CheckKind>, cases: u32, seed: u64) -> RunOptions {
        RunOptions {
            sqlite_dir: self.sqlite.clone(),
            pg_dir: self.pg.clone(),
            sqlite_layout: self.sqlite_layout,
            pg_layout: self.pg_layout,
            config: self.config.clone(),
            pg_url: self.pg_url.clone(),
            backend: self.pg_backend,
            checks,
            only: Vec::new(),
            cases,
            seed,
            pg_schema: self.pg_schema.clone(),
            values_from: None,
            config_search: true,
        }
    }
}

/// What `check` and `baseline` both take: the inputs and how to run.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Cases per (table, property) for behavioural checks.
    #[arg(long, default_value_t = 256, env = "PARITY_CASES")]
    pub cases: u32,
    /// Seed for generated cases (default: random, printed in the report).
    #[arg(long, env = "PARITY_SEED")]
    pub seed: Option<u64>,
    /// Only these tables (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "TABLE,...")]
    pub only: Vec<String>,
    #[arg(long, value_delimiter = ',', value_name = "LIST",
          help = checks_help(), long_help = checks_long_help())]
    pub checks: Vec<String>,
}

/// Where a run's report goes, in which formats (`check`, `replay`).
#[derive(Debug, clap::Args)]
pub struct Outputs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report here instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the report in FORMAT to FILE (repeatable), from the same
    /// run: e.g. `--format junit --output junit.xml --report markdown=summary.md`.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_report)]
    pub report: Vec<(Format, PathBuf)>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub out: Outputs,
    /// Fail only on findings not listed in FILE (written by `baseline`);
    /// listed ones that are gone are named.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Save each finding's witness as a replayable SQL file in DIR
    /// (copy them to tests/regressions/ to keep them as regression tests).
    #[arg(long, value_name = "DIR")]
    pub save_regressions: Option<PathBuf>,
    /// Mapping caveats (warnings) fail the run too.
    #[arg(long)]
    pub strict: bool,
    /// Exit 0 even when a property that applies tested nothing (INCOMPLETE).
    #[arg(long)]
    pub allow_untested: bool,
    /// Also draw values from your own data: up to --values-per-column
    /// distinct values of every column, read from this SQLite database
    /// (opened read-only; tables and columns matched by name). Values
    /// outside a column's agreed domain are left out and counted.
    #[arg(long, value_name = "FILE.db")]
    pub values_from: Option<PathBuf>,
    /// Distinct values per column taken by --values-from.
    #[arg(long, value_name = "N", default_value_t = schema_parity::check::PER_COLUMN,
          requires = "values_from")]
    pub values_per_column: usize,
}

impl CheckArgs {
    /// `--values-from`, as the run options take it.
    pub fn values_from(&self) -> Option<schema_parity::build::ValuesFrom> {
        self.values_from
            .as_ref()
            .map(|path| schema_parity::build::ValuesFrom {
                path: path.clone(),
                per_column: self.values_per_column,
            })
    }
}

#[derive(Debug, clap::Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Where to write the baseline (`-` for stdout).
    #[arg(long, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// The project's root: where the files go (paths in them are relative to it).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// The CI the workflow is for.
    #[arg(long, value_enum, default_value = "github")]
    pub ci: schema_parity::commands::init::Ci,
    /// Overwrite files that exist.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct FuzzArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// How long to run: e.g. 90s, 30m, 2h (a round in progress finishes
    /// its current jobs).
    #[arg(long, default_value = "5m", value_parser = parse_duration)]
    pub duration: std::time::Duration,
    /// Stop after this many cases in all, if that comes first.
    #[arg(long, value_name = "N")]
    pub max_cases: Option<u64>,
    /// Cases per (table, property) in each round.
    #[arg(long, default_value_t = 64, env = "PARITY_CASES")]
    pub cases: u32,
    /// The first round's seed; round n uses seed + n (default: random).
    #[arg(long, env = "PARITY_SEED")]
    pub seed: Option<u64>,
    #[arg(long, value_delimiter = ',', value_name = "LIST", help = fuzz_checks_help())]
    pub checks: Vec<String>,
    /// Where each new root cause's witness is saved (`<finding id>.sql`; an
    /// existing file is never rewritten).
    #[arg(long, value_name = "DIR", default_value = "tests/regressions")]
    pub regressions: PathBuf,
}

/// `90s`, `30m`, `2h`, `1h30m`, or plain seconds.
fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let bad = || format!("`{s}` is not a duration (e.g. 90s, 30m, 2h, 1h30m)");
    if let Ok(secs) = s.parse::<u64>() {
        return if secs == 0 {
            Err(bad())
        } else {
            Ok(std::time::Duration::from_secs(secs))
        };
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n: u64 = number.parse().map_err(|_| bad())?;
        total = n
            .checked_mul(unit)
            .and_then(|x| total.checked_add(x))
            .ok_or_else(bad)?;
        number.clear();
    }
    if !number.is_empty() || total == 0 {
        return Err(bad());
    }
    Ok(std::time::Duration::from_secs(total))
}

/// `--report FORMAT=FILE`.
fn parse_report(s: &str) -> Result<(Format, PathBuf), String> {
    let (format, file) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not FORMAT=FILE (e.g. markdown=summary.md)"))?;
    let format = <Format as clap::ValueEnum>::from_str(format, true)
        .map_err(|_| format!("`{format}` is not a format (text, json, junit, markdown)"))?;
    if file.is_empty() {
        return Err(format!("`{s}` names no file"));
    }
    Ok((format, PathBuf::from(file)))
}

/// The names of `checks`, comma-separated.
fn names(checks: impl IntoIterator<Item = CheckKind>) -> String {
    checks
        .into_iter()
        .map(CheckKind::name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `--checks`' help: every check, the behavioural ones from the registry.
fn checks_help() -> String {
    format!(
        "Checks to run (comma-separated; default all): {}",
        names(check::checks())
    )
}

/// `--checks`' long help: every check with what it tests.
fn checks_long_help() -> String {
    let mut help = String::from("Checks to run (comma-separated; default all):");
    for kind in check::checks() {
        let about = match (check::property(kind), kind) {
            (Some(p), _) => p.about(),
            (None, CheckKind::Structure) => "the two schemas compared under the type mapping",
            (None, CheckKind::SeedData) => "rows the migrations inserted match the PostgreSQL seed",
            (None, _) => "",
        };
        help.push_str(&format!("\n  {}: {about}", kind.name()));
    }
    help
}

/// `fuzz --checks`' help: the behavioural properties, from the registry.
fn fuzz_checks_help() -> String {
    format!(
        "Properties to fuzz (comma-separated; default all behavioural ones): {}",
        names(check::PROPERTIES.iter().map(|p| p.kind()))
    )
}

/// `--checks` as check kinds; none named: every check.
pub fn parse_checks(names_given: &[String]) -> Result<Vec<CheckKind>, String> {
    if names_given.is_empty() {
        return Ok(check::checks());
    }
    names_given
        .iter()
        .map(|c| {
            check::checks()
                .into_iter()
                .find(|k| k.name() == c.trim())
                .ok_or_else(|| format!("unknown check `{c}` (one of: {})", names(check::checks())))
        })
        .collect()
}

impl RunArgs {
    /// The run's options; a random seed unless `--seed`.
    pub fn options(&self, random_seed: impl FnOnce() -> u64) -> Result<RunOptions, String> {
        Ok(RunOptions {
            only: self.only.clone(),
            ..self.inputs.options(
                self.checks()?,
                self.cases,
                self.seed.unwrap_or_else(random_seed),
            )
        })
    }

    pub fn checks(&self) -> Result<Vec<CheckKind>, String> {
        parse_checks(&self.checks)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations_parse_in_units_and_refuse_the_rest() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        for bad in ["", "0", "0s", "m", "5x", "30m5", "-1m"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
