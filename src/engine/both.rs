//! A value per engine: the pair of same-typed things the tool carries for
//! SQLite and PostgreSQL alike (a worker's connections, the texts a
//! statement sends, its two outcomes).

/// One `T` for SQLite and one for PostgreSQL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Both<T> {
    pub sqlite: T,
    pub postgres: T,
}
