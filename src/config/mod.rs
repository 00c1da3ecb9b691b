//! `parity.toml`: the raw serde form and its validation into [`Config`]
//! (`raw.rs`), and which file a run reads when none is named (`lookup.rs`).

mod lookup;
mod raw;

pub use lookup::find;
pub use raw::{AcceptRule, ColumnRule, Config};

/// The config file's name: what `check` looks for from its inputs' folders
/// upward when no `--config` is given ([`find`]), and what `init` writes.
pub const FILE_NAME: &str = "parity.toml";
