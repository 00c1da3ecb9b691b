//! Everything engine-specific, and the only code that runs SQL (with
//! `provision/`, which creates and drops databases through it): one module
//! per engine with the same file names for the same jobs — `apply`
//! migrations, `introspect` catalogs, `exec` queries, `connection` (the
//! [`Connection`] cases run on: begin, savepoint, rollback, run a
//! statement), `classify` an error as a [`RejectionKind`], `attribute` it
//! to columns. Only these modules and `provision/` name a driver
//! (`rusqlite`, `sqlx`); `boundary.rs` is the test that says so.

pub mod attribution;
mod both;
#[cfg(test)]
mod boundary;
mod connection;
mod outcome;
pub mod postgres;
pub mod sqlite;

pub use both::Both;
pub use connection::Connection;
pub use outcome::{ErrorFields, Outcome, RejectionKind};

/// Which engine: the one name for it everywhere (parsing, splitting,
/// errors, attribution, reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine's own name, as messages spell it.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }

    /// The engine compared with this one.
    pub fn other(self) -> Engine {
        match self {
            Engine::Sqlite => Engine::Postgres,
            Engine::Postgres => Engine::Sqlite,
        }
    }
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
