//! round_trip: a valid row inserted on both engines reads back equal under
//! the mapping.

use crate::domain::TableInfo;
use crate::schema::Value;

use super::sql;
use crate::error::Result;
use crate::finding::{Category, CheckKind};

use super::case::{RowCase, compare_rows, judge_valid_insert, lit_is_nan, row_case, specs};
use super::outcome::Outcome;
use super::quirks;
use super::runner::{Difference, PropertyReport, Suite, Verdict, drive};
use super::worker::insert_statement;

pub fn run(suite: &Suite, worker: &mut super::Worker, info: &TableInfo) -> Result<PropertyReport> {
    let specs = specs(info);
    let sqlite_types = |c: &str| {
        suite
            .sqlite
            .tables
            .get(&info.name)
            .and_then(|t| t.column(c))
            .map(|c| c.declared_type.clone())
            .unwrap_or_default()
    };
    if insert_statement(
        info,
        &specs,
        &vec![schema_parity_strategies::Lit::Null; specs.len()],
        &worker.parents,
        |_| 0,
        true,
    )
    .is_none()
    {
        return Ok(PropertyReport {
            not_applicable: Some("a required parent table has no rows both engines accept".into()),
            ..PropertyReport::default()
        });
    }
    let triggers = Triggers::of(suite, &info.name);
    drive(
        suite,
        worker,
        &info.name,
        CheckKind::RoundTrip,
        (
            row_case(info),
            row_case(info),
            proptest::prelude::any::<proptest::sample::Index>(),
        ),
        |w, (case, next, which): &(RowCase, RowCase, proptest::sample::Index), t| {
            let Some(stmt) = insert_statement(
                info,
                &specs,
                &case.values,
                &w.parents,
                |k| case.picks[k],
                true,
            ) else {
                return Ok(Verdict::Discard);
            };
            let (s, p) = t.run(w, stmt);
            let verdict = judge_valid_insert(info, &sqlite_types, &specs, &case.values, &s, &p);
            if !matches!(verdict, Verdict::Same) {
                return Ok(verdict);
            }
            let (Outcome::Ok(sr), Outcome::Ok(pr)) = (&s, &p) else {
                return Ok(Verdict::Discard);
            };
            let (Some(sr), Some(pr)) = (sr.first(), pr.first()) else {
                return Ok(Verdict::Discard);
            };
            // Foreign-key columns hold per-engine ids of parent rows.
            let skip = |c: &str| info.column(c).is_some_and(|ci| ci.from_fk);
            match compare_rows(info, sr, pr, &skip) {
                None => update_step(info, &triggers, &specs, w, t, (sr, pr), next, *which),
                Some((col, sv, pv)) => {
                    let supplied = specs
                        .iter()
                        .position(|s| s.name == col)
                        .and_then(|i| case.values.get(i));
                    if lit_is_nan(supplied) {
                        return Ok(Verdict::Quirk(quirks::NAN_IS_NULL));
                    }
                    Ok(Verdict::Differ(Difference {
                        category: Category::Type,
                        message: format!(
                            "{}.{col}: the same inserted value reads back as {sv} from SQLite but {pv} from PostgreSQL.",
                            info.name
                        ),
                        columns: vec![col],
                        sqlite: format!("reads back {sv}"),
                        postgres: format!("reads back {pv}"),
                    }))
                }
            }
        },
    )
}

/// Updates one ordinary column of the row just inserted and reads the row
/// back: the same columns must change on both engines (a trigger present on
/// one side only shows here), and the new value must read back equal.
#[expect(clippy::too_many_arguments, reason = "one case's whole context")]
fn update_step(
    info: &TableInfo,
    triggers: &Triggers,
    specs: &[schema_parity_strategies::ColumnSpec],
    w: &mut super::Worker,
    t: &mut super::runner::Transcript,
    (before_s, before_p): (&[Value], &[Value]),
    next: &RowCase,
    which: proptest::sample::Index,
) -> Result<Verdict> {
    if info.primary_key.is_empty() {
        return Ok(Verdict::Same);
    }
    let ordinary: Vec<usize> = specs
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            info.column(&s.name).is_some_and(|c| {
                !c.from_fk && !c.missing_on_pg && !info.primary_key.contains(&c.name)
            })
        })
        .map(|(i, _)| i)
        .collect();
    // Columns an `UPDATE OF` trigger watches first: updating another column
    // would never fire it.
    let watched: Vec<usize> = ordinary
        .iter()
        .copied()
        .filter(|&i| triggers.watches(&specs[i].name))
        .collect();
    let pool = if watched.is_empty() {
        &ordinary
    } else {
        &watched
    };
    if pool.is_empty() {
        return Ok(Verdict::Same);
    }
    let i = pool[which.index(pool.len())];
    let spec = &specs[i];
    let Some(col) = info.column(&spec.name) else {
        return Ok(Verdict::Same);
    };
    let value = &next.values[i];
    let key = |row: &[Value], pg: bool| -> Option<String> {
        let parts: Option<Vec<String>> = info
            .primary_key
            .iter()
            .map(|k| {
                let j = info.columns.iter().position(|c| &c.name == k)?;
                let kind = &info.column(k)?.pg_kind;
                let lit = if pg {
                    sql::value_postgres(&row[j], kind)
                } else {
                    sql::value_sqlite(&row[j])
                };
                Some(format!("{} = {lit}", sql::quote_ident(k)))
            })
            .collect();
        parts.map(|p| p.join(" AND "))
    };
    let (Some(ks), Some(kp)) = (key(before_s, false), key(before_p, true)) else {
        return Ok(Verdict::Same);
    };
    let tq = sql::quote_ident(&info.name);
    let cq = sql::quote_ident(&col.name);
    let (us, up) = t.run(
        w,
        sql::Statement {
            sqlite: format!(
                "UPDATE {tq} SET {cq} = {} WHERE {ks}",
                sql::lit_sqlite(value)
            ),
            postgres: format!(
                "UPDATE {tq} SET {cq} = {} WHERE {kp}",
                sql::lit_postgres(value, &col.pg_kind)
            ),
        },
    );
    if !(us.is_ok() && up.is_ok()) {
        // Rejections of the new value are round_trip's business on insert.
        return Ok(Verdict::Same);
    }
    let all = info
        .columns
        .iter()
        .map(|c| sql::quote_ident(&c.name))
        .collect::<Vec<_>>()
        .join(", ");
    let (ss, ps) = t.run(
        w,
        sql::Statement {
            sqlite: format!("SELECT {all} FROM {tq} WHERE {ks}"),
            postgres: format!("SELECT {all} FROM {tq} WHERE {kp}"),
        },
    );
    let (Some(after_s), Some(after_p)) = (ss.rows().first(), ps.rows().first()) else {
        return Ok(Verdict::Same);
    };
    // Rows the SQLite triggers write elsewhere: both databases held the same
    // rows before the case, so the counts must still agree.
    for target in &triggers.writes {
        let count = format!("SELECT count(*) FROM {}", sql::quote_ident(target));
        let (cs, cp) = t.run(
            w,
            sql::Statement {
                sqlite: count.clone(),
                postgres: count,
            },
        );
        let n = |o: &Outcome| o.rows().first().and_then(|r| r.first()).cloned();
        if n(&cs) != n(&cp) {
            return Ok(Verdict::Differ(Difference {
                category: Category::Trigger,
                columns: Vec::new(),
                message: format!(
                    "{}: after UPDATE of {}, {target} holds {} rows on SQLite but {} on PostgreSQL (a trigger on one side only?).",
                    info.name,
                    col.name,
                    n(&cs).map_or("?".into(), |v| v.to_string()),
                    n(&cp).map_or("?".into(), |v| v.to_string())
                ),
                sqlite: format!("the UPDATE writes to {target}"),
                postgres: format!("the UPDATE writes to {target} differently"),
            }));
        }
    }
    for (j, c) in info.columns.iter().enumerate() {
        if c.name == col.name {
            continue;
        }
        let changed_s = after_s.get(j) != before_s.get(j);
        let changed_p = after_p.get(j) != before_p.get(j);
        if changed_s != changed_p {
            let (a, b) = (
                if changed_s {
                    "changes"
                } else {
                    "keeps its value"
                },
                if changed_p {
                    "changes"
                } else {
                    "keeps its value"
                },
            );
            return Ok(Verdict::Differ(Difference {
                category: Category::Trigger,
                columns: Vec::new(),
                message: format!(
                    "{}: after UPDATE of {}, column {} {a} on SQLite but {b} on PostgreSQL (a trigger on one side only?).",
                    info.name, col.name, c.name
                ),
                sqlite: format!("{} {a}", c.name),
                postgres: format!("{} {b}", c.name),
            }));
        }
    }
    Ok(Verdict::Same)
}

/// What a table's triggers touch, read from their stored SQL.
struct Triggers {
    /// Lower-cased `CREATE TRIGGER` texts of both sides.
    texts: Vec<String>,
    /// Other tables the SQLite triggers insert into, update or delete from.
    writes: Vec<String>,
}

impl Triggers {
    fn of(suite: &Suite, table: &str) -> Self {
        let sqlite = suite
            .sqlite
            .tables
            .get(table)
            .map(|t| t.triggers.as_slice());
        let pg = suite.pg.tables.get(table).map(|t| t.triggers.as_slice());
        let texts: Vec<String> = sqlite
            .into_iter()
            .chain(pg)
            .flatten()
            .map(|t| t.sql.to_lowercase())
            .collect();
        let mut writes = Vec::new();
        for trig in sqlite.into_iter().flatten() {
            let words: Vec<String> = trig
                .sql
                .split(|c: char| c.is_whitespace() || c == '(' || c == ';')
                .filter(|w| !w.is_empty())
                .map(|w| w.trim_matches(['"', '`', '[', ']']).to_string())
                .collect();
            for pair in words.windows(2) {
                let target = match pair[0].to_lowercase().as_str() {
                    "into" | "from" | "update" => &pair[1],
                    _ => continue,
                };
                if target != table && suite.tables.contains_key(target) && !writes.contains(target)
                {
                    writes.push(target.clone());
                }
            }
        }
        Triggers { texts, writes }
    }

    /// Whether an `UPDATE OF` trigger names `column`.
    fn watches(&self, column: &str) -> bool {
        let column = column.to_lowercase();
        self.texts.iter().any(|t| {
            t.split("update of").skip(1).any(|rest| {
                rest.split(" on ").next().is_some_and(|cols| {
                    cols.split(',')
                        .any(|c| c.trim().trim_matches('"') == column)
                })
            })
        })
    }
}
