//! Behavioural checks: the same generated data run on both engines, outcomes
//! compared under the type mapping. Generators (`strategies/`) never judge;
//! checks never generate beyond choosing which strategy to draw from.
//!
//! The framework every property uses — `tables` (each table as the
//! checks see it: its columns' value domains, keys and references),
//! `plan` (what a build gives the checks: the tables in order, the
//! schemas, the config and the knobs), `worker` (the databases a case
//! runs on), `verdict` (judging a case), `drive` (proptest driving and
//! shrinking; `quiet` keeps proptest off stderr, `seed_file` keeps the
//! failing seeds), `case` (pieces the properties share), `property` (the
//! trait) — is imported by the
//! properties under `properties/`, never the other way round; the registry
//! (`properties.rs`) lists them, and `jobs` runs them from it.

mod breakers;
mod case;
mod drive;
mod jobs;
mod lookup;
mod parents;
mod plan;
mod properties;
mod property;
mod quiet;
mod quirks;
mod root_cause;
mod samples;
mod seed_file;
mod seeding;
mod sql;
mod tables;
mod trigger_rows;
mod verdict;
mod worker;

pub use case::same_stored;
pub use jobs::{CheckTotals, RunTotals};
pub use plan::{Budget, PARENTS_PER_TABLE, Plan};
pub use properties::{PROPERTIES, checks, property};
pub use property::{Property, PropertyReport};
pub use quirks::{QUIRKS, Quirk};
pub use root_cause::{brings, contradicted, merge};
pub use samples::{PER_COLUMN, Sampled};
pub use tables::{ColumnInfo, TableInfo, tables, topological};
pub use verdict::category_of;
pub use worker::Worker;
