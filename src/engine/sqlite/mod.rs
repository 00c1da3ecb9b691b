//! SQLite, embedded through rusqlite (bundled, so nothing to install).

mod apply;
mod attribute;
mod exec;
mod introspect;

pub use apply::{apply, open_copy, open_memory};
pub use attribute::attribute;
pub use exec::{query_values, to_value, version};
pub use introspect::introspect;
