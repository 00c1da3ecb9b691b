//! Parent rows: the committed rows a case's references point at, which of
//! them a foreign key may still take, and the INSERT of a generated row
//! with its references filled from them.

use std::collections::{BTreeMap, BTreeSet};

use schema_parity_strategies::Lit;

use crate::model::schema::Value;

use super::sql::{self, Statement, lit_postgres, lit_sqlite};
use super::tables::TableInfo;

/// A row committed in both databases that children may reference.
#[derive(Debug, Clone)]
pub struct ParentRow {
    pub sqlite: BTreeMap<String, Value>,
    pub postgres: BTreeMap<String, Value>,
    /// One-to-one foreign keys `(child table, fk index)` that a committed
    /// child row already uses this row for: a case must pick another.
    pub claimed: BTreeSet<(String, usize)>,
}

/// Whether `v` is the default of `column`, a column that is a unique key
/// on its own.
pub(super) fn holds_unique_default(info: &TableInfo, column: &str, v: &Lit) -> bool {
    use crate::sql::expr::DefaultValue;
    let alone = info
        .uniques
        .iter()
        .any(|u| matches!(u.as_slice(), [(n, _)] if n == column));
    let Some(c) = info.column(column).filter(|_| alone) else {
        return false;
    };
    match (&c.default, v) {
        (DefaultValue::Text(d), Lit::Text(t)) => d == t,
        (DefaultValue::Integer(d), Lit::Int(i)) => *d == i128::from(*i),
        (DefaultValue::Bool(d), Lit::Int(i)) => i64::from(*d) == *i,
        (DefaultValue::Blob(d), Lit::Blob(b)) => d == b,
        _ => false,
    }
}

/// Indices of the parent rows foreign key `k` of `info` may reference: all
/// of them, less those a committed row took for a one-to-one key.
pub fn free_parents(
    info: &TableInfo,
    k: usize,
    parents: &BTreeMap<String, Vec<ParentRow>>,
) -> Vec<usize> {
    let Some(rows) = info
        .foreign_keys
        .get(k)
        .and_then(|fk| parents.get(&fk.target_table))
    else {
        return Vec::new();
    };
    let one_to_one = info.one_to_one(k);
    rows.iter()
        .enumerate()
        .filter(|(_, r)| !one_to_one || !r.claimed.contains(&(info.name.clone(), k)))
        .map(|(i, _)| i)
        .collect()
}

/// A parent pick at or past this leaves a reference NULL where both engines
/// allow it (picks are drawn from `0..64`: one in eight).
pub const NULL_PICK: usize = 56;

/// Builds the INSERT for a generated row: generated columns from `values`
/// (in `specs` order), foreign-key columns from the parent row `pick(fk)`
/// chooses. `None` when a required parent is missing.
pub fn insert_statement(
    info: &TableInfo,
    specs: &[schema_parity_strategies::ColumnSpec],
    values: &[Lit],
    parents: &BTreeMap<String, Vec<ParentRow>>,
    pick: impl Fn(usize) -> usize,
    returning_all: bool,
) -> Option<Statement> {
    let mut cols: Vec<(String, String, String)> = Vec::new();
    for (spec, v) in specs.iter().zip(values) {
        let kind = &info.column(&spec.name)?.pg_kind;
        cols.push((spec.name.clone(), lit_sqlite(v), lit_postgres(v, kind)));
    }
    for (k, fk) in info.foreign_keys.iter().enumerate() {
        let rows = parents
            .get(&fk.target_table)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let free = free_parents(info, k, parents);
        let nullable = fk
            .columns
            .iter()
            .all(|c| info.column(c).is_some_and(|ci| !ci.not_null));
        // A reference both sides let be NULL is left NULL for a pick past
        // NULL_PICK: a CHECK such as `a_id IS NULL OR b_id IS NULL` needs it.
        let null_on_both = nullable
            && fk
                .columns
                .iter()
                .all(|c| info.column(c).is_some_and(|ci| !ci.pg_not_null));
        if free.is_empty() || fk.target_table == info.name || null_on_both && pick(k) >= NULL_PICK {
            if !nullable {
                if std::env::var_os("PARITY_DEBUG_PARENTS").is_some() {
                    eprintln!(
                        "no row for {}: its reference ({}) to {} is NOT NULL and no parent row is free",
                        info.name,
                        fk.columns.join(", "),
                        fk.target_table
                    );
                }
                return None;
            }
            for c in &fk.columns {
                // Two foreign keys may share a column (a rebuilt table that
                // kept both): it is set once.
                if !cols.iter().any(|(n, _, _)| n == c) {
                    cols.push((c.clone(), "NULL".into(), "NULL".into()));
                }
            }
            continue;
        }
        let parent = &rows[free[pick(k) % free.len()]];
        for (c, t) in fk.columns.iter().zip(&fk.target_columns) {
            if cols.iter().any(|(n, _, _)| n == c) {
                continue;
            }
            let kind = &info.column(c)?.pg_kind;
            let sv = parent
                .sqlite
                .get(t)
                .map_or("NULL".into(), sql::value_sqlite);
            let pv = parent
                .postgres
                .get(t)
                .map_or("NULL".into(), |v| sql::value_postgres(v, kind));
            cols.push((c.clone(), sv, pv));
        }
    }
    let returning: Vec<String> = if returning_all {
        info.columns.iter().map(|c| c.name.clone()).collect()
    } else {
        Vec::new()
    };
    Some(sql::insert(&info.name, &cols, &returning))
}
