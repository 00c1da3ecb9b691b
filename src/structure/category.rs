//! The trait every structural category implements.

use crate::model::finding::{CheckKind, Finding};
use crate::model::schema::{Column, Schema, SeedRows, Table};
use crate::structure::expected::{ExpectedColumn, ExpectedSchema, ExpectedTable};

use super::script::TableScript;

/// One table of both sides: what it must be, and what PostgreSQL has.
#[derive(Clone, Copy)]
pub struct TablePair<'a> {
    pub et: &'a ExpectedTable<'a>,
    pub pt: &'a Table,
    /// The rows PostgreSQL's migrations inserted, if any.
    pub pg_seed: Option<&'a SeedRows>,
}

impl TablePair<'_> {
    pub fn name(&self) -> &str {
        self.et.name
    }
}

/// Whether the validate script checks a category under psql.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Psql {
    /// Its assertions are in the script.
    Checked,
    /// Not checked, and why: the script prints the reason.
    NotChecked(&'static str),
}

/// A structural category: how the expected schema and a live PostgreSQL
/// model differ in it (findings), and what the validate script asserts
/// about it. Every hook has a default that does nothing, so a category
/// writes only the ones it needs.
pub trait StructureCategory: Sync {
    /// How the category is named where the script lists it.
    fn name(&self) -> &'static str;

    /// The check its findings belong to: `structure`, or `seed_data`.
    fn check(&self) -> CheckKind {
        CheckKind::Structure
    }

    /// Whether the validate script checks it, and if not, why.
    fn psql(&self) -> Psql;

    /// A column both sides have.
    fn compare_column(
        &self,
        _t: &TablePair,
        _ec: &ExpectedColumn,
        _pc: &Column,
        _out: &mut Vec<Finding>,
    ) {
    }

    /// A table both sides have (not a virtual table), after its columns.
    fn compare_table(&self, _t: &TablePair, _out: &mut Vec<Finding>) {}

    /// The schema as a whole, after every table.
    fn compare_schema(&self, _expected: &ExpectedSchema, _pg: &Schema, _out: &mut Vec<Finding>) {}

    /// The script's assertions about a column the script checks.
    fn validate_column(&self, _t: &mut TableScript, _ec: &ExpectedColumn) {}

    /// The script's assertions about a table, after its columns.
    fn validate_table(&self, _t: &mut TableScript) {}
}
