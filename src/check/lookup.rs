//! Lookup tables the migrations fill: a NOT NULL unique column limited to a
//! set of values (`CHECK (priority IN ('low', 'normal', 'high'))`) whose every
//! value a seed row already holds. No new row fits such a table, so every
//! property of it — and the cascade to its children — would test nothing.
//!
//! Each worker deletes a few of those seed rows from its own database copies
//! (committed, before any case), and the values they held become the unique
//! column's domain: one for the worker's parent rows, the rest for cases. A
//! witness that touches the table starts with the same `DELETE`, so it still
//! replays on fresh databases.
//!
//! The same holds for any unique column limited to a small set of values
//! (`tier IN ('bronze', 'silver', 'gold')`) the seed rows leave free: the
//! worker's parent rows would use them up, so the free values are split —
//! some for parent rows (none when no table references this one), the rest
//! for cases — and nothing is deleted.

use std::collections::{BTreeMap, BTreeSet};

use schema_parity_strategies::{Domain, Lit};

use crate::model::schema::{Schema, Value};

use super::sql::{self, Statement};
use super::tables::TableInfo;

/// The values of one lookup table's unique column a worker splits between
/// its parent rows and cases, and the seed rows it deletes to free them.
#[derive(Debug, Clone)]
pub struct FreedSeed {
    /// The unique column limited to a set of values.
    pub column: String,
    /// `DELETE FROM t WHERE pk IN (…)` on each engine, when seed rows held
    /// every value.
    pub delete: Option<Statement>,
    /// The freed values the worker's committed parent rows take (cases
    /// draw from the others, so a case's row never collides with them).
    pub parent_values: Vec<Lit>,
}

/// The unique column of `info` whose every allowed value the migrations'
/// seed rows already use, with how many values it allows.
pub fn exhausted_unique(sqlite: &Schema, info: &TableInfo) -> Option<(String, usize)> {
    let seed = sqlite.seed.get(&info.name)?;
    // A single-row table (its key pinned to one value by a CHECK, the row
    // seeded) is the smallest lookup table: its key is the exhausted column.
    let primary = (info.primary_key.len() == 1).then(|| vec![(info.primary_key[0].clone(), false)]);
    info.uniques.iter().chain(primary.iter()).find_map(|key| {
        let [(name, _)] = key.as_slice() else {
            return None;
        };
        let col = info.column(name)?;
        let Domain::OneOf(allowed) = &col.spec.domain else {
            return None;
        };
        let key_column = info.primary_key.len() == 1 && info.primary_key[0] == *name;
        if !(col.not_null || key_column) || allowed.is_empty() {
            return None;
        }
        let at = seed.columns.iter().position(|c| c == name)?;
        allowed
            .iter()
            .all(|lit| seed.rows.iter().any(|r| holds(r.get(at), lit)))
            .then(|| (name.clone(), allowed.len()))
    })
}

fn holds(v: Option<&Value>, lit: &Lit) -> bool {
    match (lit, v) {
        (Lit::Text(a), Some(Value::Text(b))) => a == b,
        (Lit::Int(a), Some(Value::Integer(b))) => a == b,
        _ => false,
    }
}

/// Why no new row can enter `info` and no seed row can be freed for one.
pub fn why_not_applicable(sqlite: &Schema, info: &TableInfo) -> Option<String> {
    let (name, allowed) = exhausted_unique(sqlite, info)?;
    Some(format!(
        "every allowed value of the unique column {name} ({allowed}) is already used by the migrations' seed rows, and none of those rows can be deleted to make room (no primary key, or each is the newest or referenced by another seed row), so no new row can be inserted"
    ))
}

/// For every lookup table of `tables`, the seed rows to free; narrows the
/// freed tables' unique column to the values left for cases.
pub fn free(
    sqlite: &Schema,
    tables: &mut BTreeMap<String, TableInfo>,
) -> BTreeMap<String, FreedSeed> {
    let mut out = BTreeMap::new();
    let names: Vec<String> = tables.keys().cloned().collect();
    for name in names {
        let Some(info) = tables.get(&name) else {
            continue;
        };
        let (column, delete, parent_values, case_values) =
            if let Some((column, _)) = exhausted_unique(sqlite, info) {
                let Some((seed_rows, values)) = plan(sqlite, info, &column) else {
                    continue;
                };
                // Three rows when the table has them: one value for parent
                // rows, two for cases (the sequence check inserts two rows).
                let (parent_values, case_values) = if values.len() >= 3 {
                    (values[2..].to_vec(), values[..2].to_vec())
                } else {
                    (Vec::new(), values.clone())
                };
                let delete = delete_statement(info, &seed_rows);
                (column, Some(delete), parent_values, case_values)
            } else {
                let referenced = tables.values().any(|t| {
                    t.foreign_keys
                        .iter()
                        .any(|fk| fk.target_table == name && t.name != name)
                });
                let Some((column, parent_values, case_values)) =
                    split_small_set(sqlite, info, referenced)
                else {
                    continue;
                };
                (column, None, parent_values, case_values)
            };
        let Some(info) = tables.get_mut(&name) else {
            continue;
        };
        if let Some(c) = info.columns.iter_mut().find(|c| c.name == column) {
            c.spec.domain = Domain::OneOf(case_values);
        }
        out.insert(
            name,
            FreedSeed {
                column,
                delete,
                parent_values,
            },
        );
    }
    out
}

/// A single-column unique key of `info` limited to a set of values, and
/// its values no seed row holds split in two: the parent rows' (one or more
/// when another table references `info`, else none) and the cases' (at
/// least two, or all there are, and half of a larger set). `None` when no
/// such key has two free values.
fn split_small_set(
    sqlite: &Schema,
    info: &TableInfo,
    referenced: bool,
) -> Option<(String, Vec<Lit>, Vec<Lit>)> {
    let primary = (info.primary_key.len() == 1).then(|| vec![(info.primary_key[0].clone(), false)]);
    info.uniques.iter().chain(primary.iter()).find_map(|key| {
        let [(name, _)] = key.as_slice() else {
            return None;
        };
        let col = info.column(name)?;
        let Domain::OneOf(allowed) = &col.spec.domain else {
            return None;
        };
        let seed = sqlite.seed.get(&info.name);
        let at = seed.and_then(|s| s.columns.iter().position(|c| c == name));
        let free: Vec<Lit> = allowed
            .iter()
            .filter(|lit| {
                !seed
                    .zip(at)
                    .is_some_and(|(s, at)| s.rows.iter().any(|r| holds(r.get(at), lit)))
            })
            .cloned()
            .collect();
        if free.len() < 2 {
            return None;
        }
        let for_cases = if referenced {
            (free.len() / 2).max(2).min(free.len() - 1)
        } else {
            free.len()
        };
        let (parents, cases) = free.split_at(free.len() - for_cases);
        Some((name.clone(), parents.to_vec(), cases.to_vec()))
    })
}

/// Up to three seed rows of `info` that can go (by primary key), with the
/// values of `column` they hold: never the newest row of a table with
/// automatic ids (the next id would change), never one another seed row
/// references.
fn plan(sqlite: &Schema, info: &TableInfo, column: &str) -> Option<(Vec<Vec<Value>>, Vec<Lit>)> {
    if info.primary_key.is_empty() {
        return None;
    }
    let seed = sqlite.seed.get(&info.name)?;
    let at = |c: &str| seed.columns.iter().position(|s| s == c);
    let pk: Vec<usize> = info
        .primary_key
        .iter()
        .map(|c| at(c))
        .collect::<Option<_>>()?;
    let col = at(column)?;
    let key = |r: &Vec<Value>| -> Vec<Value> { pk.iter().map(|&i| r[i].clone()).collect() };
    let referenced = referenced_keys(sqlite, &info.name, &info.primary_key);
    let mut rows: Vec<&Vec<Value>> = seed.rows.iter().collect();
    rows.sort_by_key(|r| order_key(&key(r)));
    // The newest row stays where ids are handed out (the next automatic id
    // would change); a table whose ids are written explicitly frees any.
    if info.columns.iter().any(|c| c.auto_increment) {
        rows.pop();
    }
    let chosen: Vec<&Vec<Value>> = rows
        .into_iter()
        .filter(|r| !referenced.contains(&rendered(&key(r))))
        .take(3)
        .collect();
    let values: Vec<Lit> = chosen
        .iter()
        .filter_map(|r| match &r[col] {
            Value::Text(t) => Some(Lit::Text(t.clone())),
            Value::Integer(i) => Some(Lit::Int(*i)),
            _ => None,
        })
        .collect();
    if values.is_empty() || values.len() != chosen.len() {
        return None;
    }
    Some((chosen.into_iter().map(key).collect(), values))
}

/// A key in the order the engines sort it (integers numerically).
fn order_key(k: &[Value]) -> Vec<(u8, i64, String)> {
    k.iter()
        .map(|v| match v {
            Value::Integer(i) => (0, *i, String::new()),
            v => (1, 0, sql::value_sqlite(v)),
        })
        .collect()
}

/// A key as its SQLite literals: comparable and orderable.
fn rendered(k: &[Value]) -> Vec<String> {
    k.iter().map(sql::value_sqlite).collect()
}

/// The primary keys of `table` that a seed row of any table references.
fn referenced_keys(sqlite: &Schema, table: &str, pk: &[String]) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    for (child, t) in &sqlite.tables {
        let Some(seed) = sqlite.seed.get(child) else {
            continue;
        };
        for fk in t.foreign_keys.iter().filter(|fk| fk.target_table == table) {
            // A reference to another unique key is matched by no primary
            // key: keep every row of such a table.
            if fk.target_columns != pk {
                return sqlite
                    .seed
                    .get(table)
                    .map(|s| {
                        s.rows
                            .iter()
                            .map(|r| {
                                pk.iter()
                                    .filter_map(|c| s.columns.iter().position(|x| x == c))
                                    .map(|i| sql::value_sqlite(&r[i]))
                                    .collect()
                            })
                            .collect()
                    })
                    .unwrap_or_default();
            }
            let at: Option<Vec<usize>> = fk
                .columns
                .iter()
                .map(|c| seed.columns.iter().position(|s| s == c))
                .collect();
            let Some(at) = at else { continue };
            for r in &seed.rows {
                let k: Vec<Value> = at.iter().map(|&i| r[i].clone()).collect();
                if !k.iter().any(Value::is_null) {
                    out.insert(rendered(&k));
                }
            }
        }
    }
    out
}

fn delete_statement(info: &TableInfo, keys: &[Vec<Value>]) -> Statement {
    let render = |lit: &dyn Fn(&Value, &str) -> String| {
        let each: Vec<String> = keys
            .iter()
            .map(|k| {
                let parts: Vec<String> = info
                    .primary_key
                    .iter()
                    .zip(k)
                    .map(|(c, v)| format!("{} = {}", sql::quote_ident(c), lit(v, c)))
                    .collect();
                format!("({})", parts.join(" AND "))
            })
            .collect();
        format!(
            "DELETE FROM {} WHERE {}",
            sql::quote_ident(&info.name),
            each.join(" OR ")
        )
    };
    let kind = |c: &str| {
        info.column(c)
            .map(|c| c.pg_kind.clone())
            .unwrap_or(crate::mapping::PgKind::BigInt)
    };
    Statement {
        sqlite: render(&|v, _| sql::value_sqlite(v)),
        postgres: render(&|v, c| sql::value_postgres(v, &kind(c))),
        table: info.name.clone(),
        ..Statement::default()
    }
}
