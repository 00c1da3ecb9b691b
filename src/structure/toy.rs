//! A toy category (to show what adding one takes): a table PostgreSQL has
//! without any column while SQLite's has some.

use crate::finding::{Category, CheckKind, Finding};

use super::category::{Psql, StructureCategory, TablePair};

pub struct Toy;

impl StructureCategory for Toy {
    fn name(&self) -> &'static str {
        "toy"
    }

    // Its assertion would be "every table has a column", which the
    // columns' checks already make.
    fn psql(&self) -> Psql {
        Psql::Checked
    }

    fn compare_table(&self, t: &TablePair, out: &mut Vec<Finding>) {
        if t.pt.columns.is_empty() && !t.et.columns.is_empty() {
            out.push(
                Finding::new(CheckKind::Structure, Category::Other, t.name(), &[], "toy")
                    .message(format!("Table {} has no columns in PostgreSQL.", t.name()))
                    .sides("columns", "no columns"),
            );
        }
    }
}
