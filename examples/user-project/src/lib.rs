//! A bookmarking app that keeps a SQLite and a PostgreSQL schema
//! (`migrations/`); `tests/parity.rs` proves they behave the same.
