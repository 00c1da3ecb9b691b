//! Structural comparison of the expected schema with a live PostgreSQL
//! model, producing one [`Finding`] per root cause: the loop over the
//! structural categories ([`crate::structure`]), then the folds that make
//! findings of several categories one root cause.

use crate::config::Config;
use crate::mapping::Probed;
use crate::model::finding::{Category, CheckKind, Finding, Severity};
use crate::model::schema::{Schema, Table};
use crate::structure::expected::{self, ExpectedSchema, ExpectedTable};
use crate::structure::{self, CATEGORIES, StructureCategory, TablePair};

const CHECK: CheckKind = CheckKind::Structure;

/// Compares every table the config does not skip, the pairings no mapping
/// rule covers judged as `probed`.
pub fn structure(sqlite: &Schema, pg: &Schema, probed: &Probed, config: &Config) -> Vec<Finding> {
    compare(&expected::schema(sqlite, config, probed), pg)
}

/// The categories of one check, in registry order.
fn categories(check: CheckKind) -> impl Iterator<Item = &'static dyn StructureCategory> {
    CATEGORIES
        .iter()
        .copied()
        .filter(move |c| c.check() == check)
}

/// Compares the expected schema with a live PostgreSQL model: one finding
/// per difference, each naming the SQLite object the expectation came from.
pub fn compare(expected: &ExpectedSchema, pg: &Schema) -> Vec<Finding> {
    let config = expected.config;
    let mut out = Vec::new();
    for (name, et) in &expected.tables {
        match pg.tables.get(*name) {
            None => out.push(
                Finding::new(CHECK, Category::MissingTable, name, &[], "")
                    .message(format!(
                        "Table {name} exists in SQLite but not in PostgreSQL."
                    ))
                    .sides(
                        format!("table {name} with {} columns", et.columns.len()),
                        "no such table",
                    ),
            ),
            Some(pt) if et.source.virtual_module.is_some() => {
                structure::virtual_table(et, pt, &mut out);
            }
            Some(pt) => table(et, pt, &mut out),
        }
    }
    for (name, pt) in &pg.tables {
        if !config.skips(name) && !expected.tables.contains_key(name.as_str()) {
            out.push(
                Finding::new(CHECK, Category::ExtraTable, name, &[], "")
                    .message(format!(
                        "Table {name} exists in PostgreSQL but not in SQLite."
                    ))
                    .sides(
                        "no such table",
                        format!("table {name} with {} columns", pt.columns.len()),
                    ),
            );
        }
    }
    for c in categories(CHECK) {
        c.compare_schema(expected, pg, &mut out);
    }
    leftover_sequence_goes_with_its_key(out, pg)
}

/// Compares the rows the migrations themselves inserted.
pub fn seed_data(sqlite: &Schema, pg: &Schema, config: &Config) -> Vec<Finding> {
    // Seed rows read no verdict: no pairing needs probing.
    let probed = Probed::new();
    seed_rows(&expected::schema(sqlite, config, &probed), pg)
}

/// The `seed_data` categories on every table both sides have.
pub fn seed_rows(expected: &ExpectedSchema, pg: &Schema) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, et) in &expected.tables {
        let Some(pt) = pg.tables.get(*name) else {
            continue;
        };
        let t = TablePair {
            et,
            pt,
            pg_seed: pg.seed.get(*name),
        };
        for c in categories(CheckKind::SeedData) {
            c.compare_table(&t, &mut out);
        }
    }
    out
}

/// Every structural and seed finding of `pg` against the expected schema:
/// what `emit-validate` is told parity.toml accepts.
pub fn findings(expected: &ExpectedSchema, pg: &Schema) -> Vec<Finding> {
    let mut out = compare(expected, pg);
    out.extend(seed_rows(expected, pg));
    out
}

/// One table both sides have: each column both have through every
/// category's column hook (a column PostgreSQL lacks is one finding),
/// then every category's table hook, then the folds.
fn table(et: &ExpectedTable, pt: &Table, out: &mut Vec<Finding>) {
    let t = TablePair {
        et,
        pt,
        pg_seed: None,
    };
    let mut mine = Vec::new();
    for ec in &et.columns {
        match pt.column(ec.name()) {
            None => structure::missing_column(et, ec, &mut mine),
            Some(pc) => {
                for c in categories(CHECK) {
                    c.compare_column(&t, ec, pc, &mut mine);
                }
            }
        }
    }
    for c in categories(CHECK) {
        c.compare_table(&t, &mut mine);
    }
    out.extend(one_key_one_finding(what_a_missing_column_takes(mine)));
}

/// A serial whose default was dropped: the column's own finding (it no
/// longer gets automatic ids) is the root cause; the sequence it left
/// behind (`pg_objects`) is said there.
fn leftover_sequence_goes_with_its_key(findings: Vec<Finding>, pg: &Schema) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        let owner = (f.category == Category::Other
            && f.pattern
                .as_ref()
                .is_some_and(|p| p.rule == "pg-sequence-unused"))
        .then(|| pg.pg_objects.sequences.get(&f.table))
        .flatten()
        .and_then(|q| q.owned_by.as_deref())
        .and_then(|o| o.split_once('.'));
        if let Some((t, c)) = owner
            && let Some(key) = out
                .iter_mut()
                .find(|k| k.category == Category::PrimaryKey && k.table == t && k.columns == [c])
        {
            key.message = format!(
                "{} Its sequence {} is still there, owned by the column, but no default draws from it.",
                key.message, f.table
            );
            continue;
        }
        out.push(f);
    }
    out
}

/// A column PostgreSQL lacks takes its CHECKs, keys and indexes with it:
/// the findings about only such columns are said by the missing column's
/// finding, not one root cause each.
fn what_a_missing_column_takes(findings: Vec<Finding>) -> Vec<Finding> {
    let missing: Vec<String> = findings
        .iter()
        .filter(|f| f.category == Category::MissingColumn)
        .flat_map(|f| f.columns.clone())
        .collect();
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut taken: Vec<(String, String)> = Vec::new();
    for f in findings {
        let only_missing = f.category != Category::MissingColumn
            && !f.columns.is_empty()
            && f.columns.iter().all(|c| missing.contains(c));
        if only_missing {
            taken.push((f.columns[0].clone(), f.sqlite.clone()));
        } else {
            out.push(f);
        }
    }
    for (column, what) in taken {
        if let Some(m) = out
            .iter_mut()
            .find(|m| m.category == Category::MissingColumn && m.columns.contains(&column))
        {
            m.message = format!("{} Its {what} goes with it.", m.message);
        }
    }
    out
}

/// The findings about one key of a table — its primary key differing, its
/// automatic ids, a UNIQUE standing in for it — are one root cause: one
/// finding (the first), saying all of it.
fn one_key_one_finding(findings: Vec<Finding>) -> Vec<Finding> {
    let is_key = |f: &Finding| matches!(f.category, Category::PrimaryKey | Category::Unique);
    let key_of = |f: &Finding| {
        let mut c = f.columns.clone();
        c.sort();
        c
    };
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        if is_key(&f)
            && !f.columns.is_empty()
            && let Some(first) = out
                .iter_mut()
                .find(|g| is_key(g) && key_of(g) == key_of(&f))
        {
            first.message = format!("{} {}", first.message, f.message);
            first.pattern = None;
            if first.severity == Severity::Warning {
                first.severity = f.severity;
            }
            continue;
        }
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests;
