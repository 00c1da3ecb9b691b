//! schema-parity: proves that a SQLite migration chain and a PostgreSQL
//! schema behave the same, by building both and comparing them. See
//! ARCHITECTURE.md for the map.

pub mod build;
pub mod check;
pub mod commands;
pub mod config;
pub mod engine;
pub mod error;
pub mod mapping;
pub mod migrations;
pub mod model;
pub mod progress;
pub mod provision;
pub mod report;
pub mod sql;
pub mod structure;
pub mod suite;

pub use error::{Error, ErrorClass, Result};
