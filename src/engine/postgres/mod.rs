//! PostgreSQL through sqlx, behind a small blocking session so the rest of
//! the engine stays synchronous (each worker owns one session and runtime).

mod apply;
mod attribute;
mod classify;
mod connection;
mod copy;
mod exec;
mod introspect;

pub use crate::engine::ErrorFields;
pub use apply::apply;
pub use attribute::{ROWS as ATTRIBUTION, attribute, trigger_of};
pub use classify::classify;
pub use connection::Connection;
pub use exec::{PgFailure, Session};
pub use introspect::introspect;
