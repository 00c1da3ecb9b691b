//! `parity.toml`: the raw serde form and its validation into [`Config`].

mod raw;

pub use raw::{AcceptRule, ColumnRule, Config};
