//! SQLite, embedded through rusqlite (bundled, so nothing to install).

mod apply;
mod attribute;
mod bind;
mod classify;
mod complete;
mod connection;
mod database;
mod exec;
mod introspect;
mod read;

pub use apply::apply;
pub use attribute::{ROWS as ATTRIBUTION, attribute};
pub use classify::classify;
pub use complete::is_complete;
pub use connection::Connection;
pub use database::Database;
pub use exec::version;
pub use introspect::{introspect, introspect_structure};
pub use read::Cell;

/// [`Database::open_memory`].
pub fn open_memory() -> crate::error::Result<Database> {
    Database::open_memory()
}

/// [`Database::open_copy`].
pub fn open_copy(path: &std::path::Path) -> crate::error::Result<Database> {
    Database::open_copy(path)
}

/// [`Database::open_read_only`].
pub fn open_read_only(path: &std::path::Path) -> crate::error::Result<Database> {
    Database::open_read_only(path)
}
