//! What a run is asked for ([`RunOptions`]: both sides, the config, the
//! server, the checks and their knobs), and the one rule for which
//! parity.toml a run reads ([`RunOptions::config_path`]).

use std::path::PathBuf;

use crate::error::Result;
use crate::migrations::Layout;
use crate::model::finding::CheckKind;
use crate::provision::Backend;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub sqlite_dir: PathBuf,
    pub pg_dir: PathBuf,
    /// `--sqlite-layout`: `None` detects it.
    pub sqlite_layout: Option<Layout>,
    /// `--pg-layout`: `None` detects it.
    pub pg_layout: Option<Layout>,
    /// `--config`. `None`: the `parity.toml` that belongs to the inputs,
    /// when `config_search` (see [`RunOptions::config_path`]).
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
    /// `check --values-from FILE`: the user's own values, drawn beside the
    /// generated ones.
    pub values_from: Option<ValuesFrom>,
}

/// A SQLite database file whose values the strategies draw from (opened
/// read-only), and how many distinct values per column they take.
#[derive(Debug, Clone)]
pub struct ValuesFrom {
    pub path: PathBuf,
    pub per_column: usize,
}

impl RunOptions {
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
