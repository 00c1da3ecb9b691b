//! A migration chain as an engine applies it: statements in order, each with
//! the file, statement number and line an error names. `migrations/` reads
//! folders into steps; the engines only run them, so the engine layer does
//! not import `migrations` (which asks the SQLite engine where a statement
//! ends).

use std::path::PathBuf;

/// One statement of a chain, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The file the statement is in (for the layout's own bookkeeping, the
    /// source with `(LAYOUT bookkeeping)` appended).
    pub file: PathBuf,
    /// 1-based number of the statement within its file.
    pub statement: usize,
    /// 1-based line of the statement's first non-blank character.
    pub line: usize,
    pub sql: String,
}
