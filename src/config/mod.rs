//! `parity.toml`: the raw serde form and its validation into [`Config`].

mod raw;

pub use raw::{AcceptRule, ColumnRule, Config};

/// The config file's name: what `check` reads from the working directory
/// when no `--config` is given, what `init` writes, and what the test suite
/// reads from the package root.
pub const FILE_NAME: &str = "parity.toml";
