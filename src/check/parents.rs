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
        .filter(|(_, r)| !one_to_one || !r.claimed.iter().any(|(t, j)| *j == k && *t == info.name))
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
    // Which parent row each reference takes (None: left NULL).
    let mut chosen: Vec<Option<usize>> = Vec::with_capacity(info.foreign_keys.len());
    let mut free_of: Vec<Vec<usize>> = Vec::with_capacity(info.foreign_keys.len());
    for (k, fk) in info.foreign_keys.iter().enumerate() {
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
            chosen.push(None);
        } else {
            chosen.push(Some(pick(k) % free.len()));
        }
        free_of.push(free);
    }
    unused_link_tuple(info, parents, &free_of, &mut chosen);
    // What a trigger looks up: the column holds the picked parent's value,
    // or (a reference itself) picks the row of its own parent holding it.
    for l in &info.lookups {
        let Some(at) = chosen.get(l.via).copied().flatten() else {
            continue;
        };
        let via = &info.foreign_keys[l.via];
        let Some(parent) = parents
            .get(&via.target_table)
            .and_then(|rows| rows.get(free_of[l.via][at]))
        else {
            continue;
        };
        let (Some(sv), Some(pv)) = (
            parent.sqlite.get(&l.parent_column),
            parent.postgres.get(&l.parent_column),
        ) else {
            continue;
        };
        if let Some(k) = info
            .foreign_keys
            .iter()
            .position(|fk| fk.columns.len() == 1 && fk.columns[0] == l.column)
        {
            let own = &info.foreign_keys[k];
            let rows = parents
                .get(&own.target_table)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let target = own.target_columns.first();
            if let Some(pos) = free_of[k]
                .iter()
                .position(|&i| target.is_some_and(|t| rows[i].sqlite.get(t) == Some(sv)))
            {
                chosen[k] = Some(pos);
            }
        } else {
            let kind = &info.column(&l.column)?.pg_kind;
            let value = (
                l.column.clone(),
                sql::value_sqlite(sv),
                sql::value_postgres(pv, kind),
            );
            match cols.iter_mut().find(|(n, _, _)| *n == l.column) {
                Some(c) => *c = value,
                None => cols.push(value),
            }
        }
    }
    for (k, fk) in info.foreign_keys.iter().enumerate() {
        let Some(at) = chosen[k] else {
            for c in &fk.columns {
                // Two foreign keys may share a column (a rebuilt table that
                // kept both): it is set once.
                if !cols.iter().any(|(n, _, _)| n == c) {
                    cols.push((c.clone(), "NULL".into(), "NULL".into()));
                }
            }
            continue;
        };
        let rows = parents
            .get(&fk.target_table)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let parent = &rows[free_of[k][at]];
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
    Some(sql::insert_owned(&info.name, cols, returning))
}

/// A link table's key (a primary or unique key made only of reference
/// columns, over two references or more, e.g. `PRIMARY KEY (group_id,
/// user_id)`) collides with a committed row whenever the parents picked are
/// a pair that row already has: with few parent rows, most picks. Moves
/// `chosen` (an index into `free[k]` per reference) to the next pair no
/// committed row of the table holds, counting through the pairs from the
/// one drawn; leaves it when every pair is taken.
fn unused_link_tuple(
    info: &TableInfo,
    parents: &BTreeMap<String, Vec<ParentRow>>,
    free: &[Vec<usize>],
    chosen: &mut [Option<usize>],
) {
    let Some(committed) = parents.get(&info.name).filter(|r| !r.is_empty()) else {
        return;
    };
    let Some((key, fks)) = link_key(info) else {
        return;
    };
    // The references that fill the key, each with a parent picked.
    let refs: Vec<usize> = fks.into_iter().filter(|&k| chosen[k].is_some()).collect();
    let value_of = |k: usize, at: usize, column: &str| -> Option<Value> {
        let fk = &info.foreign_keys[k];
        let t = fk
            .target_columns
            .get(fk.columns.iter().position(|c| c == column)?)?;
        parents
            .get(&fk.target_table)?
            .get(free[k][at])?
            .sqlite
            .get(t)
            .cloned()
    };
    let taken = |chosen: &[Option<usize>]| {
        committed.iter().any(|row| {
            key.iter().all(|c| {
                refs.iter()
                    .find(|&&k| info.foreign_keys[k].columns.contains(c))
                    .and_then(|&k| value_of(k, chosen[k]?, c))
                    .is_some_and(|v| row.sqlite.get(c) == Some(&v))
            })
        })
    };
    let total: usize = refs.iter().map(|&k| free[k].len()).product();
    for _ in 0..total {
        if !taken(chosen) {
            return;
        }
        // The next pair: count up in mixed radix over the references.
        for &k in &refs {
            let n = free[k].len();
            let next = (chosen[k].unwrap_or(0) + 1) % n;
            chosen[k] = Some(next);
            if next != 0 {
                break;
            }
        }
    }
}

/// A link table's key: a primary or unique key made only of reference
/// columns, over two references or more (`PRIMARY KEY (group_id,
/// user_id)`), with the references that fill it.
pub(super) fn link_key(info: &TableInfo) -> Option<(Vec<String>, Vec<usize>)> {
    let primary: Vec<(String, bool)> = info
        .primary_key
        .iter()
        .map(|c| (c.clone(), false))
        .collect();
    std::iter::once(&primary)
        .chain(&info.uniques)
        .map(|k| k.iter().map(|(c, _)| c.clone()).collect::<Vec<String>>())
        .find_map(|key| {
            let fks: Vec<usize> = (0..info.foreign_keys.len())
                .filter(|&k| info.foreign_keys[k].columns.iter().any(|c| key.contains(c)))
                .collect();
            let covered = key
                .iter()
                .all(|c| info.foreign_keys.iter().any(|fk| fk.columns.contains(c)));
            (!key.is_empty() && covered && fks.len() >= 2).then_some((key, fks))
        })
}
