//! A run's inputs, read and validated before any server is obtained:
//! both sides' migrations and the config ([`prepare`] -> [`Prepared`]).

use std::path::PathBuf;

use crate::config::Config;
use crate::error::Result;
use crate::migrations::{self, MigrationSet};
use crate::model::Engine;

use super::options::RunOptions;

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
pub fn prepare(opts: &RunOptions) -> Result<Prepared> {
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

/// The config a run reads, and its path (see [`RunOptions::config_path`]).
pub fn resolve_config(opts: &RunOptions) -> Result<(Config, Option<PathBuf>)> {
    match opts.config_path()? {
        Some(p) => Ok((Config::load(&p)?, Some(p))),
        None => Ok((Config::default(), None)),
    }
}
