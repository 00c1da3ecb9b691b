//! Mutation testing of the parity checks (`schema-parity mutate`): one small
//! change to a freshly built PostgreSQL database per mutant, the full check
//! run on each, and a report of what was killed, what survived, and what the
//! behavioural checks kill on their own.

mod operators;
mod report;
mod runner;

pub use operators::{Mutant, Operator, mutants};
pub use report::{
    MutantResult, MutateFormat, MutationReport, OperatorStats, Status, all_operators, render,
};
pub use runner::{MutateOptions, mutate, mutate_on};
