//! What a `replay` run takes, beyond `check`'s inputs.

use std::path::PathBuf;

/// A `replay` run's options.
#[derive(Debug, Clone)]
pub struct Options {
    /// `check`'s inputs: `sqlite_dir` is the database file, `only` the
    /// tables reported (their parents are loaded too).
    pub run: crate::build::RunOptions,
    /// `--no-values`: examples name keys only.
    pub no_values: bool,
    /// `--sqlite-migrations DIR`: compare the file's schema with what
    /// this chain builds.
    pub sqlite_migrations: Option<PathBuf>,
    /// Rows per `COPY` batch.
    pub batch_rows: usize,
}

/// Rows per `COPY` batch by default: large enough that a round trip is
/// cheap against the rows it carries, small enough that a batch (held
/// for bisection and read-back) stays a few megabytes.
pub const BATCH_ROWS: usize = 20000;
