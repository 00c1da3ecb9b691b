//! What only PostgreSQL has and nothing uses: leftover enum types,
//! domains, sequences and functions.

use crate::structure::expected::ExpectedSchema;
use crate::model::finding::{Category, CheckKind, Finding};
use crate::model::schema::Schema;

use super::category::{Psql, StructureCategory};

const CHECK: CheckKind = CheckKind::Structure;

pub struct PgObjects;

impl StructureCategory for PgObjects {
    fn name(&self) -> &'static str {
        "pg_objects"
    }

    fn psql(&self) -> Psql {
        Psql::NotChecked(
            "enum types, domains, sequences and functions nothing uses are leftovers `schema-parity check` reports; a deployed database may hold its own, so the script asserts only what the SQLite chain needs",
        )
    }

    fn compare_schema(&self, expected: &ExpectedSchema, pg: &Schema, out: &mut Vec<Finding>) {
        objects(expected, pg, out);
    }
}

/// Functions a migration tool creates for itself, not for the schema: diesel's
/// `00000000000000_diesel_initial_setup` (a user calls them to install an
/// `updated_at` trigger, which is then compared as a trigger).
const TOOL_FUNCTIONS: &[&str] = &["diesel_manage_updated_at", "diesel_set_updated_at"];

/// Objects with no SQLite counterpart that nothing in the PostgreSQL schema
/// uses (a leftover enum type or domain, a sequence no column owns or draws
/// from, a function no trigger runs): one finding each, grouped by kind.
/// Extensions are inputs, not findings. A sequence a serial column left
/// behind is said by that column's key finding (`diff` folds it there).
fn objects(expected: &ExpectedSchema, pg: &Schema, out: &mut Vec<Finding>) {
    let config = expected.config;
    let other = |name: &str, detail: &str| Finding::new(CHECK, Category::Other, name, &[], detail);
    let o = &pg.pg_objects;
    for (name, e) in o
        .enum_types
        .iter()
        .filter(|(n, e)| !e.used && !config.skips(n))
    {
        out.push(
            other(name, "enum-type")
                .message(format!(
                    "PostgreSQL has enum type {name} ({}) that no column uses, and SQLite has nothing like it.",
                    e.labels.join(", ")
                ))
                .sides("no such type", format!("CREATE TYPE {name} AS ENUM"))
                .pattern(
                    "pg-enum-type-unused",
                    "PostgreSQL has enum types that no column uses, and SQLite has nothing like them (leftovers: drop them, or use them).",
                    Some(format!("{name} ({})", e.labels.join(", "))),
                ),
        );
    }
    for (name, q) in o
        .sequences
        .iter()
        .filter(|(n, q)| !q.used && !config.skips(n))
    {
        let owner = q
            .owned_by
            .as_deref()
            .map(|c| format!(" (owned by {c}, whose default no longer draws from it)"))
            .unwrap_or_default();
        out.push(
            other(name, "sequence")
                .message(format!(
                    "PostgreSQL has sequence {name}{owner} that no column default draws from, and SQLite has nothing like it."
                ))
                .sides("no such sequence", format!("CREATE SEQUENCE {name}"))
                .pattern(
                    "pg-sequence-unused",
                    "PostgreSQL has sequences that no column default draws from, and SQLite has nothing like them (leftovers, or numbers the application draws itself).",
                    q.owned_by.as_ref().map(|c| format!("owned by {c}")),
                ),
        );
    }
    for (name, d) in o
        .domains
        .iter()
        .filter(|(n, d)| !d.used && !config.skips(n))
    {
        out.push(
            other(name, "domain")
                .message(format!(
                    "PostgreSQL has domain {name} (over {}) that no column uses, and SQLite has nothing like it.",
                    d.base_type
                ))
                .sides("no such type", format!("CREATE DOMAIN {name} AS {}", d.base_type))
                .pattern(
                    "pg-domain-unused",
                    "PostgreSQL has domains that no column uses, and SQLite has nothing like them.",
                    Some(format!("over {}", d.base_type)),
                ),
        );
    }
    for (signature, f) in o.functions.iter().filter(|(_, f)| !f.used_by_trigger) {
        let (name, args) = signature
            .split_once('(')
            .map_or((signature.as_str(), ""), |(n, a)| {
                (n, a.trim_end_matches(')'))
            });
        if config.skips(name) || TOOL_FUNCTIONS.contains(&name) {
            continue;
        }
        out.push(
            other(name, &format!("{} {args}", f.kind))
                .message(format!(
                    "PostgreSQL has {} {signature}, which no trigger runs and SQLite cannot have.",
                    f.kind
                ))
                .sides(
                    format!("no such {}", f.kind),
                    format!("{} {signature}", f.kind),
                )
                .pattern(
                    format!("pg-{}-unused", f.kind),
                    format!(
                        "PostgreSQL has {}s that no trigger runs, which SQLite cannot have.",
                        f.kind
                    ),
                    Some(signature.clone()),
                ),
        );
    }
}
