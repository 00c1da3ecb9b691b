//! `parity.toml`: what it says, parsed and validated into [`Config`]
//! (`parity_toml.rs`), and which file a run reads when none is named (`lookup.rs`).

mod lookup;
mod parity_toml;

pub use lookup::find;
pub use parity_toml::{AcceptRule, ColumnRule, Config};

/// The config file's name: what `check` looks for from its inputs' folders
/// upward when no `--config` is given ([`find`]), and what `init` writes.
pub const FILE_NAME: &str = "parity.toml";
