//! The two sides every comparison has: which engine ([`Engine`], its one
//! spelling everywhere) and a value per engine ([`Both`]). Part of the
//! model, below every layer: errors, expressions and migrations name an
//! engine without importing `engine/`. Named `crate::model::Engine` and
//! `crate::model::Both` (this module is private).

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

/// One `T` for SQLite and one for PostgreSQL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Both<T> {
    pub sqlite: T,
    pub postgres: T,
}
