//! What a build leaves for the checks: both databases built from their
//! folders and introspected. It sits below both `run` (which builds it) and
//! `check` (which reads it), so the two do not import each other.

use crate::engine::sqlite;
use crate::mapping::Probed;
use crate::migrations::MigrationSet;
use crate::model::schema::Schema;
use crate::provision;

/// Both databases built from their folders and introspected.
pub struct Built {
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

impl Built {
    /// Whether either database has a table (or a view, a PostgreSQL type,
    /// sequence, domain or function) of this name: what a parity.toml rule
    /// may name.
    pub fn has(&self, name: &str) -> bool {
        [&self.sqlite, &self.pg]
            .iter()
            .any(|s| s.tables.contains_key(name) || s.object_names().any(|n| n == name))
    }
}
