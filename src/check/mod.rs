//! Behavioural checks: the same generated data run on both engines, outcomes
//! compared under the type mapping. Generators (`strategies/`) never judge;
//! checks never generate beyond choosing which strategy to draw from.

mod cascade;
mod case;
mod constraint;
mod default;
mod lookup;
mod outcome;
mod quirks;
mod round_trip;
mod runner;
mod sequence;
mod sql;
mod view;
mod worker;

pub use outcome::{Outcome, RejectionKind};
pub use quirks::{QUIRKS, Quirk};
pub use runner::{Budget, PARENTS_PER_TABLE, PropertyReport, RunTotals, Suite, merge};
pub use worker::Worker;
