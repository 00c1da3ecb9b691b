//! The commands, each on databases `build/` makes: `check` (every
//! selected check, one report), `fuzz` (the properties round after round
//! on fresh seeds), `init` (the files a project adopts the tool with),
//! `mutate` (what the checks would catch) and `replay` (a SQLite database
//! file loaded into the PostgreSQL schema). `baseline` is `check` read
//! against `report::baseline`; `emit-validate` is `build::with_built` and
//! `structure::validate`.

pub mod check;
pub mod fuzz;
pub mod init;
pub mod mutate;
pub mod replay;
