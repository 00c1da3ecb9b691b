//! Indexes that are not keys: which columns, order, direction and
//! predicate (a warning: they change speed, not behaviour).

use crate::structure::expected::ExpectedTable;
use crate::model::finding::{Category, CheckKind, Finding};
use crate::model::schema::{Index, IndexKey, Table};

use super::category::{Psql, StructureCategory, TablePair};
use super::describe::{describe_key, key_columns};
use super::script::{Guard, TableScript, array, describe, key_sql, lit, sql_array};

const CHECK: CheckKind = CheckKind::Structure;

pub struct Indexes;

impl StructureCategory for Indexes {
    fn name(&self) -> &'static str {
        "indexes"
    }

    fn psql(&self) -> Psql {
        Psql::Checked
    }

    fn compare_table(&self, t: &TablePair, out: &mut Vec<Finding>) {
        indexes(t.et, t.pt, out);
    }

    fn validate_table(&self, t: &mut TableScript) {
        indexes_script(t);
    }
}

fn indexes(et: &ExpectedTable, pt: &Table, out: &mut Vec<Finding>) {
    let table = et.name;
    let s_only: Vec<&Index> = et
        .indexes
        .iter()
        .map(|i| i.source)
        .filter(|i| !pt.indexes.iter().any(|p| p.key == i.key))
        .collect();
    let mut p_only: Vec<&Index> = pt
        .indexes
        .iter()
        .filter(|i| !et.indexes.iter().any(|s| s.source.key == i.key))
        .collect();
    let columns = |k: &IndexKey| key_columns(k);
    for i in s_only {
        let cols = columns(&i.key);
        let colrefs: Vec<&str> = cols.iter().map(String::as_str).collect();
        // Same columns, different order/direction/predicate: one finding.
        if let Some(k) = p_only.iter().position(|p| columns(&p.key) == cols) {
            let p = p_only.remove(k);
            out.push(
                Finding::new(
                    CHECK,
                    Category::Index,
                    table,
                    &colrefs,
                    &format!("differs {}", i.name),
                )
                .message(format!(
                    "Index {} on {table} is {} in SQLite but {} in PostgreSQL.",
                    i.name,
                    describe_key(&i.key),
                    describe_key(&p.key)
                ))
                .sides(
                    format!("INDEX {} {}", i.name, describe_key(&i.key)),
                    format!("INDEX {} {}", p.name, describe_key(&p.key)),
                )
                .warning(),
            );
            continue;
        }
        out.push(
            Finding::new(
                CHECK,
                Category::Index,
                table,
                &colrefs,
                &format!("missing {}", i.name),
            )
            .message(format!(
                "Index {} on {table} {} has no counterpart in PostgreSQL.",
                i.name,
                describe_key(&i.key)
            ))
            .sides(
                format!("INDEX {} {}", i.name, describe_key(&i.key)),
                "no matching index",
            )
            .warning(),
        );
    }
    for p in p_only {
        let cols = columns(&p.key);
        let colrefs: Vec<&str> = cols.iter().map(String::as_str).collect();
        out.push(
            Finding::new(
                CHECK,
                Category::Index,
                table,
                &colrefs,
                &format!("extra {}", p.name),
            )
            .message(format!(
                "Index {} on {table} {} has no counterpart in SQLite.",
                p.name,
                describe_key(&p.key)
            ))
            .sides(
                "no matching index",
                format!("INDEX {} {}", p.name, describe_key(&p.key)),
            )
            .warning(),
        );
    }
}

fn indexes_script(ts: &mut TableScript) {
    let t = ts.name;
    if ts.accepts(Category::Index, None) {
        ts.s
            .comment("indexes not checked: parity.toml accepts a difference");
        return;
    }
    let mut sigs = Vec::new();
    for i in ts.et.indexes.iter().filter(|i| !i.repeats) {
        let i = i.source;
        let reference = ts
            .rt
            .and_then(|rt| rt.indexes.iter().find(|r| r.key == i.key));
        let (parts, predicate) = key_sql(i, reference, false);
        let sig = format!(
            "pg_temp.parity_sig({}, false, {})",
            array(&parts),
            predicate.as_deref().map_or("NULL".into(), lit)
        );
        let shown = describe("INDEX", &parts, predicate.as_deref());
        ts.s.holds(
            &Guard::Table(ts.name),
            &format!("{t}: {shown}"),
            &format!(
                "EXISTS (SELECT 1 FROM pg_temp.parity_indexes({}, false) x WHERE x.sig = {sig})",
                lit(t)
            ),
            &format!(
                "'missing (indexes there: ' || coalesce((SELECT string_agg(x.descr, '; ' ORDER BY x.descr) FROM pg_temp.parity_indexes({}, false) x), 'none') || ')'",
                lit(t)
            ),
        );
        sigs.push(sig);
    }
    ts.s.equals(
        &Guard::Table(ts.name),
        &format!("{t}: no other indexes"),
        "none",
        &format!(
            "coalesce((SELECT string_agg(x.descr, '; ' ORDER BY x.descr) FROM pg_temp.parity_indexes({}, false) x WHERE x.sig <> ALL ({})), 'none')",
            lit(t),
            sql_array(&sigs)
        ),
    );
}
