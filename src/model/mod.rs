//! The engine-neutral model every layer shares, with no I/O and no rules:
//! which engine, and a value per engine ([`Engine`], [`Both`]: the one
//! home of both), what a database holds (`schema`), and what a difference
//! between the two is (`finding`).

pub mod finding;
pub mod schema;
mod side;

pub use side::{Both, Engine};
