//! Collations: a column SQLite compares case- or space-insensitively.

use crate::structure::expected::ExpectedColumn;
use crate::model::finding::{Category, CheckKind, Finding};
use crate::mapping::{self, TypeVerdict};
use crate::model::schema::{Column, Table};

use super::category::{Psql, StructureCategory, TablePair};

const CHECK: CheckKind = CheckKind::Structure;

pub struct Collations;

impl StructureCategory for Collations {
    fn name(&self) -> &'static str {
        "collations"
    }

    fn psql(&self) -> Psql {
        Psql::NotChecked(
            "the script reads no column's collation; a case-insensitive key is asserted as a lower() part of its unique key or index",
        )
    }

    /// A column whose type differs is said by its type's finding.
    fn compare_column(&self, t: &TablePair, ec: &ExpectedColumn, pc: &Column, out: &mut Vec<Finding>) {
        if !matches!(ec.verdict(pc), TypeVerdict::Different(_)) {
            collation(t.name(), ec.source, pc, t.et.source, t.pt, out);
        }
    }
}

/// A column SQLite compares under `COLLATE NOCASE` or `RTRIM` where
/// PostgreSQL compares exactly: equality, uniqueness and ordering differ.
/// NOCASE matches a `citext` column or a `lower(col)` key (the port's usual
/// spelling of it); RTRIM has no PostgreSQL counterpart.
///
/// A NOCASE column in a SQLite unique key is left to the unique-key
/// comparison, which already says "case-insensitive in SQLite but
/// case-sensitive in PostgreSQL" (one root cause, one finding).
fn collation(
    table: &str,
    sc: &Column,
    pc: &Column,
    st: &Table,
    pt: &Table,
    out: &mut Vec<Finding>,
) {
    let what = match mapping::collation_difference(sc, pc, st, pt) {
        Some(mapping::Collation::Nocase) => {
            "ignores letter case (COLLATE NOCASE) in SQLite but not in PostgreSQL, so 'abc' = 'ABC' and a unique key on it differ (fix: citext, or a lower() key)"
        }
        Some(mapping::Collation::Rtrim) => {
            "ignores trailing spaces (COLLATE RTRIM) in SQLite but not in PostgreSQL, so 'abc' = 'abc ' and a unique key on it differ"
        }
        None => return,
    };
    out.push(
        Finding::new(CHECK, Category::Type, table, &[&sc.name], "collation")
            .message(format!("{table}.{} {what}.", sc.name))
            .sides(
                format!(
                    "{} COLLATE {}",
                    sc.declared_type,
                    sc.collation.as_deref().unwrap_or_default()
                ),
                pc.collation.as_ref().map_or(pc.declared_type.clone(), |c| {
                    format!("{} COLLATE {c}", pc.declared_type)
                }),
            ),
    );
}
