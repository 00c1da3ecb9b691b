//! Everything engine-specific, and the only code that runs SQL (with
//! `provision/`, which creates and drops databases through it): one module
//! per engine with the same file names for the same jobs — `apply` a
//! migration chain's [`Step`]s (read from folders by `migrations/`), `introspect` catalogs, `exec` queries, `connection` (the
//! [`Connection`] cases run on: begin, savepoint, rollback, run a
//! statement), `classify` an error as a [`RejectionKind`], `attribute` it
//! to columns; and `probe` ([`store_and_read`]): the same values stored
//! in a column of each engine's type and read back, for pairings no
//! mapping rule covers. Only these modules and `provision/` name a driver
//! (`rusqlite`, `sqlx`); `tests/architecture.rs` is the test that says so.

pub mod attribution;
mod connection;
mod outcome;
pub mod postgres;
mod probe;
mod sql;
pub mod sqlite;
mod step;

pub use connection::Connection;
pub use outcome::{ErrorFields, Outcome, RejectionKind};
pub use probe::{Probe, store_and_read};
pub use sql::{Shape, Sql, insert_spans};
pub use step::Step;
