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
//! Values a column's rules must refuse, or that one side's wider domain
//! alone holds, are made here too (`invalid.rs`); deciding what the engines
//! should do with them is the checks' business.

mod domain;
mod generator;
mod invalid;
mod realistic;
mod row;
mod value;

pub use domain::{Domain, Lit};
pub use generator::Generator;
pub use invalid::{
    Comparison, PATTERN_BREAKER, Rule, Shape, at_bound, broken_pattern, no_parent, outside,
    outside_values, violating,
};
pub use realistic::{Realistic, Share, mixed, realistic, realistic_outside};
pub use row::{ColumnSpec, column_value, plain_row, plainest_row, row, tame_row};
pub use value::{glob_text, plain_value, plainest, swap_ascii_case, tame_value, value};
