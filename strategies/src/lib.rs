//! proptest strategies for schema-parity, over engine-neutral value
//! *domains*. This crate knows nothing of SQLite or PostgreSQL: the engine
//! crate turns a schema into [`Domain`]s and [`ColumnSpec`]s, these
//! strategies generate values and rows, and the checks judge them.
//!
//! Strategies are weighted toward the edges that break ports: integer
//! bounds, empty and long strings, unicode case pairs, NUL bytes, -0.0, NaN,
//! subnormals, blobs of length 0/1/16.

mod domain;
mod row;
mod value;

pub use domain::{Domain, Generator, Lit};
pub use row::{ColumnSpec, plain_row, row, tame_row};
pub use value::{glob_text, plain_value, tame_value, value};
