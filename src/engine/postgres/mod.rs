//! PostgreSQL through sqlx, behind a small blocking session so the rest of
//! the engine stays synchronous (each worker owns one session and runtime).

mod apply;
mod attribute;
mod exec;
mod introspect;

pub use apply::apply;
pub use attribute::{attribute, trigger_of};
pub use exec::{ErrorFields, PgFailure, Session};
pub use introspect::introspect;
