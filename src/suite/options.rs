//! What a suite runs on: the project's pair and files, as its `tests/parity.rs`
//! names them, and the environment knobs that override them for one run.

use std::path::{Path, PathBuf};

use crate::provision::Backend;

/// Cases per (table, property) when neither the code nor `PARITY_CASES` says.
pub const DEFAULT_CASES: u32 = 256;
/// The seed when neither the code nor `PARITY_SEED` says.
pub const DEFAULT_SEED: u64 = 20_261_125;

/// The suite's inputs. The builder methods set the project's own values;
/// the environment variables [`Options::from_env`] reads win over them, so a
/// CI job or a person can point the same test binary at another pair, seed
/// or server without editing code.
///
/// Relative paths given here are taken from the package root (cargo's
/// `CARGO_MANIFEST_DIR` when it runs the tests, else the current directory);
/// paths from the environment as they are (cargo runs tests in the package
/// root, so both mean the same there).
#[derive(Debug, Clone, Default)]
pub struct Options {
    sqlite: Option<PathBuf>,
    pg: Option<PathBuf>,
    config: Option<PathBuf>,
    regressions: Option<PathBuf>,
    proptest_regressions: Option<PathBuf>,
    cases: Option<u32>,
    seed: Option<u64>,
    pg_schema: Option<String>,
    knobs: Knobs,
}

/// The environment's overrides (`PARITY_*`), read once.
#[derive(Debug, Clone, Default)]
struct Knobs {
    sqlite: Option<PathBuf>,
    pg: Option<PathBuf>,
    config: Option<PathBuf>,
    proptest_regressions: Option<PathBuf>,
    save_regressions: Option<PathBuf>,
    cases: Option<u32>,
    seed: Option<u64>,
    pg_url: Option<String>,
    backend: Option<Backend>,
    pg_schema: Option<String>,
}

/// [`Options`] with every default and override applied: what a run uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub sqlite: PathBuf,
    pub pg: PathBuf,
    /// The config named by `PARITY_CONFIG` or `.config(FILE)`; `None`: the
    /// `parity.toml` that belongs to the inputs, found as `check` finds it
    /// (`build::RunOptions::config_path`), or none.
    pub config: Option<PathBuf>,
    /// Saved witnesses (`*.sql`) replayed as `regressions::<file>` tests.
    pub regressions: PathBuf,
    /// Where proptest keeps the seeds of failing cases.
    pub proptest_regressions: PathBuf,
    /// Where each failing test's witness is written as SQL, if anywhere.
    pub save_regressions: Option<PathBuf>,
    pub cases: u32,
    pub seed: u64,
    pub pg_url: Option<String>,
    pub backend: Backend,
    /// The PostgreSQL schema the tables live in (default: the first of the
    /// search_path that has tables, as `check --pg-schema` does).
    pub pg_schema: Option<String>,
}

impl Options {
    /// No project values and no environment: every input must be given.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the knobs: `PARITY_SQLITE_DIR`, `PARITY_PG_DIR`,
    /// `PARITY_CONFIG`, `PARITY_CASES` (or proptest's `PROPTEST_CASES`),
    /// `PARITY_SEED`, `PARITY_SAVE_REGRESSIONS`,
    /// `PARITY_PROPTEST_REGRESSIONS`, `PARITY_PG_URL`, `PARITY_PG_BACKEND`,
    /// `PARITY_PG_SCHEMA`.
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Options::from_env`] over any source of variables.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let path = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let knobs = Knobs {
            sqlite: path("PARITY_SQLITE_DIR"),
            pg: path("PARITY_PG_DIR"),
            config: path("PARITY_CONFIG"),
            proptest_regressions: path("PARITY_PROPTEST_REGRESSIONS"),
            save_regressions: path("PARITY_SAVE_REGRESSIONS"),
            cases: ["PARITY_CASES", "PROPTEST_CASES"]
                .iter()
                .find_map(|v| var(v).and_then(|s| s.parse().ok())),
            seed: var("PARITY_SEED").and_then(|s| s.parse().ok()),
            pg_url: var("PARITY_PG_URL"),
            backend: var("PARITY_PG_BACKEND")
                .and_then(|b| <Backend as clap::ValueEnum>::from_str(&b, true).ok()),
            pg_schema: var("PARITY_PG_SCHEMA").filter(|v| !v.is_empty()),
        };
        Options {
            knobs,
            ..Self::default()
        }
    }

    /// The SQLite side: a migration folder, a schema file or a database file.
    pub fn sqlite(mut self, path: impl Into<PathBuf>) -> Self {
        self.sqlite = Some(path.into());
        self
    }

    /// The PostgreSQL side: a migration folder or a schema file.
    pub fn pg(mut self, path: impl Into<PathBuf>) -> Self {
        self.pg = Some(path.into());
        self
    }

    /// The `parity.toml` to read (default: the one nearest above both
    /// sides' folders, up to the repository root, as `check` finds it).
    pub fn config(mut self, path: impl Into<PathBuf>) -> Self {
        self.config = Some(path.into());
        self
    }

    /// The folder of saved witnesses (default `tests/regressions`).
    pub fn regressions(mut self, dir: impl Into<PathBuf>) -> Self {
        self.regressions = Some(dir.into());
        self
    }

    /// Where proptest keeps failing seeds (default `proptest-regressions/parity`).
    pub fn proptest_regressions(mut self, dir: impl Into<PathBuf>) -> Self {
        self.proptest_regressions = Some(dir.into());
        self
    }

    /// Cases per (table, property) (default 256).
    pub fn cases(mut self, cases: u32) -> Self {
        self.cases = Some(cases);
        self
    }

    /// The seed (default fixed, so runs repeat).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The PostgreSQL schema the project's tables live in (`--pg-schema`).
    pub fn pg_schema(mut self, schema: impl Into<String>) -> Self {
        self.pg_schema = Some(schema.into());
        self
    }

    /// Every input, the environment winning over the code; `root` is where
    /// the code's relative paths start.
    pub fn resolve(&self, root: &Path) -> Result<Resolved, String> {
        let from_code = |p: &Option<PathBuf>, default: &str| {
            root.join(p.as_deref().unwrap_or(Path::new(default)))
        };
        let side = |knob: &Option<PathBuf>, code: &Option<PathBuf>, what: &str, var: &str| {
            knob.clone()
                .or_else(|| code.as_ref().map(|p| root.join(p)))
                .ok_or_else(|| {
                    format!(
                        "no {what} side: call `.{}(PATH)` on the suite's Options or set {var}",
                        what.to_lowercase()
                    )
                })
        };
        let k = &self.knobs;
        Ok(Resolved {
            sqlite: side(&k.sqlite, &self.sqlite, "SQLite", "PARITY_SQLITE_DIR")?,
            pg: side(&k.pg, &self.pg, "PG", "PARITY_PG_DIR")?,
            config: k
                .config
                .clone()
                .or_else(|| self.config.as_ref().map(|p| root.join(p))),
            regressions: from_code(&self.regressions, "tests/regressions"),
            proptest_regressions: k.proptest_regressions.clone().unwrap_or_else(|| {
                from_code(&self.proptest_regressions, "proptest-regressions/parity")
            }),
            save_regressions: k.save_regressions.clone(),
            cases: k.cases.or(self.cases).unwrap_or(DEFAULT_CASES),
            seed: k.seed.or(self.seed).unwrap_or(DEFAULT_SEED),
            pg_url: k.pg_url.clone(),
            backend: k.backend.unwrap_or(Backend::Auto),
            pg_schema: k.pg_schema.clone().or_else(|| self.pg_schema.clone()),
        })
    }
}

/// Where a test binary's relative paths start: the package root cargo names
/// when it runs the tests, else the current directory.
pub fn package_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn code_values_start_at_the_root_and_defaults_fill_the_rest() {
        let r = Options::from_vars(vars(&[]))
            .sqlite("migrations/sqlite")
            .pg("migrations/pg")
            .resolve(Path::new("/proj"))
            .unwrap();
        assert_eq!(r.sqlite, Path::new("/proj/migrations/sqlite"));
        assert_eq!(r.pg, Path::new("/proj/migrations/pg"));
        assert_eq!(r.config, None);
        assert_eq!(r.regressions, Path::new("/proj/tests/regressions"));
        assert_eq!(
            r.proptest_regressions,
            Path::new("/proj/proptest-regressions/parity")
        );
        assert_eq!((r.cases, r.seed), (DEFAULT_CASES, DEFAULT_SEED));
        assert_eq!((r.save_regressions, r.pg_url), (None, None));
        assert_eq!(r.backend, Backend::Auto);
    }

    #[test]
    fn the_environment_wins_over_the_code() {
        let r = Options::from_vars(vars(&[
            ("PARITY_SQLITE_DIR", "other/sqlite"),
            ("PARITY_PG_DIR", "other/pg"),
            ("PARITY_CONFIG", "other.toml"),
            ("PARITY_CASES", "16"),
            ("PARITY_SEED", "7"),
            ("PARITY_SAVE_REGRESSIONS", "saved"),
            ("PARITY_PROPTEST_REGRESSIONS", "seeds"),
            ("PARITY_PG_URL", "postgres://u@h/db"),
            ("PARITY_PG_BACKEND", "embedded"),
        ]))
        .sqlite("migrations/sqlite")
        .pg("migrations/pg")
        .cases(64)
        .seed(1)
        .resolve(Path::new("/proj"))
        .unwrap();
        assert_eq!(r.sqlite, Path::new("other/sqlite"));
        assert_eq!(r.pg, Path::new("other/pg"));
        assert_eq!(r.config.as_deref(), Some(Path::new("other.toml")));
        assert_eq!((r.cases, r.seed), (16, 7));
        assert_eq!(r.save_regressions.as_deref(), Some(Path::new("saved")));
        assert_eq!(r.proptest_regressions, Path::new("seeds"));
        assert_eq!(r.pg_url.as_deref(), Some("postgres://u@h/db"));
        assert_eq!(r.backend, Backend::Embedded);
    }

    #[test]
    fn proptest_cases_counts_when_parity_cases_is_unset() {
        let opts = Options::from_vars(vars(&[("PROPTEST_CASES", "8")]))
            .sqlite("s")
            .pg("p")
            .cases(64);
        assert_eq!(opts.resolve(Path::new("/")).unwrap().cases, 8);
    }

    #[test]
    fn a_missing_side_names_both_ways_to_give_it() {
        let err = Options::new()
            .sqlite("s")
            .resolve(Path::new("/"))
            .unwrap_err();
        assert!(
            err.contains(".pg(PATH)") && err.contains("PARITY_PG_DIR"),
            "{err}"
        );
    }
}
