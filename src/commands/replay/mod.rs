//! `replay`: a user's SQLite database file loaded, row by row, through the
//! mapping into the PostgreSQL schema built as `check` builds it, and read
//! back. `options` (what a run takes), `rows` (a row of the file: its key,
//! its cells, its COPY line and its INSERT), `tally` (what happened to
//! rows, grouped by root cause into findings with `rows` and `examples`),
//! `load` (one table: COPY in batches, a refused batch bisected, a refused
//! row tried alone as an INSERT, every loaded row read back), `sequences`
//! (the `setval` a sequence overtaken by explicit ids needs), `drift` (the
//! file's schema against what `--sqlite-migrations` builds), `run` (the
//! command).

mod drift;
mod load;
mod options;
mod rows;
mod run;
mod sequences;
mod tally;

pub use options::{BATCH_ROWS, Options};
pub use run::{replay, replay_on};
