//! proptest strategies for schema-parity, over engine-neutral value
//! *domains*. This crate knows nothing of SQLite or PostgreSQL: the engine
//! crate turns a schema into [`Domain`]s and [`ColumnSpec`]s, these
//! strategies generate values and rows, and the checks judge them.
//!
//! Strategies are weighted toward the edges that break ports: integer
//! bounds, empty and long strings, unicode case pairs, NUL bytes, -0.0, NaN,
//! subnormals, blobs of length 0/1/16. Columns that hold emails, names,
//! URLs and the like (selected in parity.toml or recognised by name) get
//! realistic values from the `fake` crate mixed in, inside their domain.

mod domain;
mod generator;
mod realistic;
mod row;
mod value;

pub use domain::{Domain, Lit};
pub use generator::Generator;
pub use realistic::{Realistic, Share, mixed, realistic, realistic_outside};
pub use row::{ColumnSpec, column_value, plain_row, row, tame_row};
pub use value::{glob_text, plain_value, tame_value, value};
