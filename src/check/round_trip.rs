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
    drive(
        suite,
        worker,
        &info.name,
        CheckKind::RoundTrip,
        (row_case(info), row_case(info)),
        |w, (case, next): &(RowCase, RowCase), t| {
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
                None => update_step(info, &specs, w, t, sr, pr, next),
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
fn update_step(
    info: &TableInfo,
    specs: &[schema_parity_strategies::ColumnSpec],
    w: &mut super::Worker,
    t: &mut super::runner::Transcript,
    before_s: &[Value],
    before_p: &[Value],
    next: &RowCase,
) -> Result<Verdict> {
    if info.primary_key.is_empty() {
        return Ok(Verdict::Same);
    }
    let Some((i, spec)) = specs.iter().enumerate().find(|(_, s)| {
        info.column(&s.name)
            .is_some_and(|c| !c.from_fk && !c.missing_on_pg && !info.primary_key.contains(&c.name))
    }) else {
        return Ok(Verdict::Same);
    };
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
