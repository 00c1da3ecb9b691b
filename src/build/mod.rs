//! From a run's options to both databases built: what the run is asked
//! for ([`RunOptions`]), its inputs read and validated ([`prepare`]), a
//! PostgreSQL server ([`obtain`]), both chains applied and introspected
//! and the pairings no mapping rule covers probed ([`build`] ->
//! [`Databases`]). Every command starts here. It sits below both
//! `check/` (which reads the databases) and `commands/` (which has them
//! built), so those two do not import each other.

mod databases;
mod inputs;
mod options;
mod probe;

pub use databases::{
    Configured, Databases, build, build_from, build_in_place, obtain, with_built, with_built_on,
};
pub use inputs::{Prepared, prepare, resolve_config};
pub use options::{RunOptions, ValuesFrom};
