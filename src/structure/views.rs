//! Views: present on each side, and their columns.

use crate::structure::expected::ExpectedSchema;
use crate::model::finding::{Category, CheckKind, Finding};
use crate::model::schema::Schema;

use super::category::{Psql, StructureCategory};

const CHECK: CheckKind = CheckKind::Structure;

pub struct Views;

impl StructureCategory for Views {
    fn name(&self) -> &'static str {
        "views"
    }

    fn psql(&self) -> Psql {
        Psql::NotChecked(
            "the script asserts tables only; views are compared, by their columns, by `schema-parity check`",
        )
    }

    /// Views present on one side only, and views whose columns differ:
    /// one finding each.
    fn compare_schema(&self, expected: &ExpectedSchema, pg: &Schema, out: &mut Vec<Finding>) {
        let config = expected.config;
        let other = |name: &str, detail: &str| Finding::new(CHECK, Category::Other, name, &[], detail);
        for name in pg
            .views
            .keys()
            .filter(|v| !expected.views.contains_key(v.as_str()) && !config.skips(v))
        {
            out.push(
                other(name, "view")
                    .message(format!(
                        "View {name} exists in PostgreSQL but not in SQLite."
                    ))
                    .sides("no such view", format!("view {name}")),
            );
        }
        for (name, s_cols) in &expected.views {
            let Some(p_view) = pg.views.get(*name) else {
                continue;
            };
            let p_cols = &p_view.column_names();
            if s_cols == p_cols {
                continue;
            }
            let first = s_cols
                .iter()
                .zip(p_cols)
                .find(|(a, b)| a != b)
                .map(|(a, _)| a)
                .or_else(|| s_cols.get(p_cols.len()))
                .or_else(|| p_cols.get(s_cols.len()));
            out.push(
                Finding::new(
                    CHECK,
                    Category::Other,
                    name,
                    &first.map(String::as_str).into_iter().collect::<Vec<_>>(),
                    "view-columns",
                )
                .message(format!(
                    "View {name} has columns ({}) in SQLite but ({}) in PostgreSQL.",
                    s_cols.join(", "),
                    p_cols.join(", ")
                ))
                .sides(
                    format!("view {name} ({})", s_cols.join(", ")),
                    format!("view {name} ({})", p_cols.join(", ")),
                ),
            );
        }
        for name in expected
            .views
            .keys()
            .filter(|v| !pg.views.contains_key(**v))
        {
            out.push(
                other(name, "view")
                    .message(format!(
                        "View {name} exists in SQLite but not in PostgreSQL."
                    ))
                    .sides(format!("view {name}"), "no such view"),
            );
        }
    }
}
