//! Error types for the library. A difference between the engines is a
//! [`crate::model::finding::Finding`], never an `Err`: an `Err` means the run could not
//! be completed, and the CLI maps its [`ErrorClass`] to an exit code.

use std::path::PathBuf;

use crate::model::Engine;

/// What kind of failure an error is, which decides the CLI exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Paths, migrations or configuration the user gave us are wrong (exit 2).
    Input,
    /// No PostgreSQL could be had, or an engine failed under us (exit 3).
    Environment,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("failed to read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("failed to load migrations from {dir}: {reason}")]
    MigrationDir { dir: PathBuf, reason: String },
    #[error(
        "failed to apply {engine} migration {file}, statement {statement} (line {line}): {message}"
    )]
    Migration {
        engine: Engine,
        file: PathBuf,
        statement: usize,
        line: usize,
        message: String,
    },
    #[error("failed to validate the SQLite chain: {0}")]
    ForeignKeyCheck(String),
    #[error("failed to read config {path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("failed to read baseline {path}, line {line}: {message}")]
    Baseline {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("failed to use the arguments: {0}")]
    Usage(String),
    #[error("failed to obtain PostgreSQL: {0}")]
    Provision(String),
    #[error("failed to finish the run: PostgreSQL went away: {0}")]
    ServerLost(String),
    #[error("failed to run SQL on {engine}: {message}")]
    Database { engine: Engine, message: String },
    #[error("failed to write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::Read { .. }
            | Error::MigrationDir { .. }
            | Error::Migration { .. }
            | Error::ForeignKeyCheck(_)
            | Error::Config { .. }
            | Error::Baseline { .. }
            | Error::Usage(_)
            | Error::Write { .. } => ErrorClass::Input,
            Error::Provision(_) | Error::ServerLost(_) | Error::Database { .. } => {
                ErrorClass::Environment
            }
        }
    }

    pub fn sqlite(e: impl std::fmt::Display) -> Self {
        Error::Database {
            engine: Engine::Sqlite,
            message: e.to_string(),
        }
    }

    pub fn postgres(e: impl std::fmt::Display) -> Self {
        Error::Database {
            engine: Engine::Postgres,
            message: e.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
