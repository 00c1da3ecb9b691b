//! round_trip: a valid row inserted on both engines reads back equal under
//! the mapping.

mod view;

use crate::check::tables::{ColumnInfo, TableInfo};
use crate::model::Engine;
use crate::model::schema::Value;

use crate::check::sql;
use crate::error::Result;
use crate::model::finding::{Category, CheckKind};

use schema_parity_strategies::{ColumnSpec, Lit, swap_ascii_case};

use crate::check::case::{
    RowCase, compare_rows, judge_valid_insert, lit_is_nan, row_case, specs, tame_row_case,
};
use crate::check::drive::{PROBE_SALT, combine, drive_part};
use crate::check::parents::insert_statement;
use crate::check::plan::Plan;
use crate::check::property::{Property, PropertyReport};
use crate::check::quirks;
use crate::check::verdict::{Difference, NO_PARENT_ROW, Transcript, Verdict, Why, category_of};
use crate::check::worker::Worker;
use crate::engine::{Outcome, RejectionKind};

/// The `round_trip` property (see the module's doc).
pub struct RoundTrip;

impl Property for RoundTrip {
    fn kind(&self) -> CheckKind {
        CheckKind::RoundTrip
    }

    fn about(&self) -> &'static str {
        "a valid row inserted on both reads back equal under the mapping; an update changes the same columns on both; each view reading the table changes alike"
    }

    fn run(&self, plan: &Plan, worker: &mut Worker, info: &TableInfo) -> Result<PropertyReport> {
        run(plan, worker, info)
    }
}

fn run(plan: &Plan, worker: &mut Worker, info: &TableInfo) -> Result<PropertyReport> {
    let specs = specs(info);
    let sqlite_types = |c: &str| plan.sqlite_type(&info.name, c);
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
            blocked: Some("a required parent table has no rows both engines accept".into()),
            ..PropertyReport::default()
        });
    }
    let mut parts = vec![insert_and_update(plan, worker, info, &specs)?];
    parts.extend(probe_differences(plan, worker, info, &specs)?);
    parts.extend(probe_missing_on_postgres(plan, worker, info, &specs)?);
    parts.extend(probe_key_ranges(plan, worker, info, &specs)?);
    parts.extend(probe_collations(plan, worker, info, &specs)?);
    // Each view that reads the table changes alike on both engines.
    parts.extend(view::run(plan, worker, info, &|w, case, t| {
        Ok(matches!(
            insert_and_compare(info, &sqlite_types, &specs, case, w, t, None)?,
            Inserted::Both(..)
        ))
    })?);
    Ok(combine(parts))
}

/// The main part: a generated row inserted and read back, then one of its
/// columns updated (see [`update_step`]).
fn insert_and_update(
    plan: &Plan,
    worker: &mut Worker,
    info: &TableInfo,
    specs: &[ColumnSpec],
) -> Result<PropertyReport> {
    let sqlite_types = |c: &str| plan.sqlite_type(&info.name, c);
    let triggers = Triggers::of(plan, &info.name);
    drive_part(
        plan,
        worker,
        &info.name,
        CheckKind::RoundTrip,
        plan.cases,
        "",
        (
            row_case(info),
            row_case(info),
            proptest::prelude::any::<proptest::sample::Index>(),
        ),
        |w, (case, next, which): &(RowCase, RowCase, proptest::sample::Index), t| {
            match insert_and_compare(info, &sqlite_types, specs, case, w, t, None)? {
                Inserted::Both(sr, pr) => {
                    update_step(info, &triggers, specs, w, t, (&sr, &pr), next, *which)
                }
                Inserted::Verdict(v) => Ok(v),
            }
        },
    )
}

/// One probe per known difference: a row of the agreed domain with one
/// column set to a value only the SQLite side's domain holds. The
/// difference is found here once, on its own column.
fn probe_differences(
    plan: &Plan,
    worker: &mut Worker,
    info: &TableInfo,
    specs: &[ColumnSpec],
) -> Result<Vec<PropertyReport>> {
    let mut parts = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let Some(c) = info.column(&spec.name) else {
            continue;
        };
        if !c.type_differs && c.sqlite_spec == c.spec {
            continue;
        }
        // The values that tell the two apart first, then any value of the
        // SQLite side's domain (see `strategies::outside`).
        let probe = schema_parity_strategies::outside(&c.sqlite_spec, &c.spec);
        parts.push(probe_column(
            plan,
            worker,
            info,
            specs,
            &c.name,
            probe,
            |case, v| case.values[i] = v.clone(),
        )?);
    }
    Ok(parts)
}

/// A column PostgreSQL lacks, left out of the rows above: one probe sets
/// it (an application writing it is refused on PostgreSQL).
fn probe_missing_on_postgres(
    plan: &Plan,
    worker: &mut Worker,
    info: &TableInfo,
    specs: &[ColumnSpec],
) -> Result<Vec<PropertyReport>> {
    let mut parts = Vec::new();
    for c in crate::check::case::missing_on_postgres(info) {
        let mut with: Vec<ColumnSpec> = specs.to_vec();
        with.push(c.sqlite_spec.clone());
        let value = schema_parity_strategies::value(&c.sqlite_spec.domain);
        parts.push(probe_column(
            plan,
            worker,
            info,
            &with,
            &c.name,
            value,
            |case, v| case.values.push(v.clone()),
        )?);
    }
    Ok(parts)
}

/// One probe's part: rows of the agreed domain over `specs`, `column`'s
/// value drawn from `values` and put in the row by `place`, inserted and
/// compared with the refusal expected on `column`.
fn probe_column(
    plan: &Plan,
    worker: &mut Worker,
    info: &TableInfo,
    specs: &[ColumnSpec],
    column: &str,
    values: proptest::strategy::BoxedStrategy<Lit>,
    place: impl Fn(&mut RowCase, &Lit),
) -> Result<PropertyReport> {
    let sqlite_types = |c: &str| plan.sqlite_type(&info.name, c);
    drive_part(
        plan,
        worker,
        &info.name,
        CheckKind::RoundTrip,
        PROBE_CASES.min(plan.cases),
        &format!("{PROBE_SALT}{column}"),
        // The probed value first: proptest shrinks a tuple in order.
        (values, tame_row_case(info)),
        |w, (v, case): &(Lit, RowCase), t| {
            let mut case = case.clone();
            place(&mut case, v);
            match insert_and_compare(info, &sqlite_types, specs, &case, w, t, Some(column))? {
                Inserted::Both(..) => Ok(Verdict::Same),
                Inserted::Verdict(v) => Ok(v),
            }
        },
    )
}

/// A key column PostgreSQL keeps narrower (an automatic id, or a
/// reference to one): generated rows take ids from the agreed range, so
/// only an id past PostgreSQL's range tells the two apart — inserted
/// explicitly (the table's own id) or as a parent row's id (a reference).
fn probe_key_ranges(
    plan: &Plan,
    worker: &mut Worker,
    info: &TableInfo,
    specs: &[ColumnSpec],
) -> Result<Vec<PropertyReport>> {
    let sqlite_types = |c: &str| plan.sqlite_type(&info.name, c);
    let mut parts = Vec::new();
    for c in info
        .columns
        .iter()
        .filter(|c| c.type_differs && (c.auto_increment || c.from_fk))
    {
        let Some(beyond) = c.pg_kind.int_range().and_then(|(_, hi)| hi.checked_add(1)) else {
            continue;
        };
        let parent = info
            .foreign_keys
            .iter()
            .find(|fk| fk.columns == [c.name.clone()])
            .and_then(|fk| {
                Some((
                    plan.tables.get(&fk.target_table)?,
                    fk.target_columns.first()?,
                ))
            });
        if c.from_fk && parent.is_none() {
            continue;
        }
        let parent_case = parent.map_or_else(|| tame_row_case(info), |(p, _)| tame_row_case(p));
        parts.push(drive_part(
            plan,
            worker,
            &info.name,
            CheckKind::RoundTrip,
            KEY_PROBE_CASES.min(plan.cases),
            &format!("{PROBE_SALT}{}", c.name),
            (tame_row_case(info), parent_case),
            |w, (case, parent_case): &(RowCase, RowCase), t| {
                let Some(stmt) = insert_statement(
                    info,
                    specs,
                    &case.values,
                    &w.parents,
                    |k| case.picks[k],
                    true,
                ) else {
                    return Ok(Verdict::discard(t, NO_PARENT_ROW));
                };
                let id = beyond.to_string();
                let stmt = match parent {
                    None => stmt.setting(&c.name, &id),
                    Some((p, target)) => {
                        let Some(ps) = insert_statement(
                            p,
                            &crate::check::case::specs(p),
                            &parent_case.values,
                            &w.parents,
                            |k| parent_case.picks[k],
                            false,
                        ) else {
                            return Ok(Verdict::discard(t, NO_PARENT_ROW));
                        };
                        let (s, pg) = t.run(w, ps.setting(target, &id));
                        if !(s.is_ok() && pg.is_ok()) {
                            return Ok(Verdict::discard(t, "the parent row was refused"));
                        }
                        stmt.setting(&c.name, &id)
                    }
                };
                let (s, p) = t.run(w, stmt.clone());
                Ok(judge_valid_insert(
                    info,
                    &sqlite_types,
                    &stmt,
                    &case.values,
                    &s,
                    &p,
                ))
            },
        )?);
    }
    Ok(parts)
}

/// A column whose SQLite collation makes equal what PostgreSQL keeps
/// apart: the row just inserted is looked up by its value in other
/// letters (NOCASE) or with a trailing space (RTRIM).
fn probe_collations(
    plan: &Plan,
    worker: &mut Worker,
    info: &TableInfo,
    specs: &[ColumnSpec],
) -> Result<Vec<PropertyReport>> {
    let sqlite_types = |c: &str| plan.sqlite_type(&info.name, c);
    let mut parts = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let Some(c) = info.column(&spec.name) else {
            continue;
        };
        let Some(collation) = c.collation.filter(|_| !c.type_differs) else {
            continue;
        };
        parts.push(drive_part(
            plan,
            worker,
            &info.name,
            CheckKind::RoundTrip,
            PROBE_CASES.min(plan.cases),
            &format!("{PROBE_SALT}collation.{}", spec.name),
            (
                tame_row_case(info),
                proptest::sample::select(vec!["abc", "Tag", "x-Y"]),
            ),
            |w, (case, letters): &(RowCase, &str), t| {
                let mut case = case.clone();
                let value = match &case.values[i] {
                    Lit::Text(v) if v.chars().any(|ch| ch.is_ascii_alphabetic()) => v.clone(),
                    _ => (*letters).to_string(),
                };
                case.values[i] = Lit::Text(value.clone());
                match insert_and_compare(info, &sqlite_types, specs, &case, w, t, None)? {
                    Inserted::Both(..) => {}
                    Inserted::Verdict(_) => {
                        return Ok(Verdict::discard(
                            t,
                            "the row to look up was not stored alike on both engines",
                        ));
                    }
                }
                Ok(look_up(info, c, collation, &value, w, t))
            },
        )?);
    }
    Ok(parts)
}

/// Looks the row holding `value` in column `c` up by the value its
/// collation makes equal: both engines must find it, or neither.
fn look_up(
    info: &TableInfo,
    c: &crate::check::tables::ColumnInfo,
    collation: crate::mapping::Collation,
    value: &str,
    w: &mut Worker,
    t: &mut Transcript,
) -> Verdict {
    let (variant, how) = match collation {
        crate::mapping::Collation::Nocase => (swap_ascii_case(value), "in other letters"),
        crate::mapping::Collation::Rtrim => (format!("{value} "), "with a trailing space"),
    };
    let lit = Lit::Text(variant);
    let (tq, cq) = (sql::quote_ident(&info.name), sql::quote_ident(&c.name));
    let select = |l: String| format!("SELECT {cq} FROM {tq} WHERE {cq} = {l}");
    let lookup = sql::Statement {
        sqlite: select(sql::lit_sqlite(&lit)),
        postgres: select(sql::lit_postgres(&lit, &c.pg_kind)),
        ..sql::Statement::default()
    };
    let (s, p) = t.run(w, lookup);
    let (Outcome::Ok(sr), Outcome::Ok(pr)) = (&s, &p) else {
        return Verdict::Discard(Why::Refused);
    };
    if sr.len() == pr.len() {
        return Verdict::Same;
    }
    let found = |rows: &[Vec<Value>]| {
        if rows.is_empty() {
            "does not find it".to_string()
        } else {
            format!("finds {} row(s)", rows.len())
        }
    };
    Verdict::Differ(Difference {
        on: None,
        category: Category::Type,
        columns: vec![c.name.clone()],
        message: format!(
            "{}.{}: a row holding {} is looked up by that value {how} ({}); SQLite {} but PostgreSQL {}.",
            info.name,
            c.name,
            sql::lit_sqlite(&Lit::Text(value.to_string())),
            sql::lit_sqlite(&lit),
            found(sr),
            found(pr)
        ),
        sqlite: found(sr),
        postgres: found(pr),
    })
}

/// Cases per key-range probe: an id past PostgreSQL's range is refused
/// whatever the rest of the row holds.
const KEY_PROBE_CASES: u32 = 2;

/// Cases per difference probe.
const PROBE_CASES: u32 = 16;

/// What inserting a generated row did on both engines.
enum Inserted {
    /// Accepted by both and read back equal: the rows as each engine stored them.
    Both(Vec<Value>, Vec<Value>),
    Verdict(Verdict),
}

/// Inserts `case` on both engines, judges the outcomes, and compares the
/// rows read back under the mapping: the columns whose types correspond,
/// and the `probed` one.
fn insert_and_compare(
    info: &TableInfo,
    sqlite_types: &dyn Fn(&str) -> String,
    specs: &[ColumnSpec],
    case: &RowCase,
    w: &mut Worker,
    t: &mut Transcript,
    probed: Option<&str>,
) -> Result<Inserted> {
    let Some(stmt) = insert_statement(
        info,
        specs,
        &case.values,
        &w.parents,
        |k| case.picks[k],
        true,
    ) else {
        return Ok(Inserted::Verdict(Verdict::discard(t, NO_PARENT_ROW)));
    };
    let (s, p) = t.run(w, stmt.clone());
    let verdict = judge_valid_insert(info, sqlite_types, &stmt, &case.values, &s, &p);
    if !matches!(verdict, Verdict::Same) {
        return Ok(Inserted::Verdict(verdict));
    }
    let (Outcome::Ok(sr), Outcome::Ok(pr)) = (&s, &p) else {
        return Ok(Inserted::Verdict(Verdict::discard(
            t,
            "the INSERT was refused",
        )));
    };
    let (Some(sr), Some(pr)) = (sr.first(), pr.first()) else {
        return Ok(Inserted::Verdict(Verdict::discard(
            t,
            "the INSERT returned no row",
        )));
    };
    // Foreign-key columns hold per-engine ids of parent rows; a column of
    // another type is compared by its own probe only.
    let skip = |c: &str| {
        info.column(c)
            .is_some_and(|ci| ci.from_fk || ci.type_differs && probed != Some(c))
    };
    match compare_rows(info, sr, pr, &skip) {
        None => Ok(Inserted::Both(sr.clone(), pr.clone())),
        Some((col, sv, pv)) => {
            let supplied = specs
                .iter()
                .position(|s| s.name == col)
                .and_then(|i| case.values.get(i));
            if lit_is_nan(supplied) {
                return Ok(Inserted::Verdict(Verdict::Quirk(quirks::NAN_IS_NULL)));
            }
            let computed = info.column(&col).is_some_and(|c| c.generated);
            Ok(Inserted::Verdict(Verdict::Differ(Difference {
                on: None,
                // A generated column's value is its expression's: the
                // generated-column finding (category default) explains it.
                category: if computed {
                    Category::Default
                } else {
                    Category::Type
                },
                message: if computed {
                    format!(
                        "{}.{col}: the same row's computed column reads back as {sv} from SQLite but {pv} from PostgreSQL.",
                        info.name
                    )
                } else {
                    format!(
                        "{}.{col}: the same inserted value reads back as {sv} from SQLite but {pv} from PostgreSQL.",
                        info.name
                    )
                },
                columns: vec![col],
                sqlite: format!("reads back {sv}"),
                postgres: format!("reads back {pv}"),
            })))
        }
    }
}

/// Updates one ordinary column of the row just inserted and reads the row
/// back: the same columns must change on both engines (a trigger present on
/// one side only shows here), and the new value must read back equal.
#[expect(clippy::too_many_arguments, reason = "one case's whole context")]
fn update_step(
    info: &TableInfo,
    triggers: &Triggers,
    specs: &[schema_parity_strategies::ColumnSpec],
    w: &mut Worker,
    t: &mut Transcript,
    (before_s, before_p): (&[Value], &[Value]),
    next: &RowCase,
    which: proptest::sample::Index,
) -> Result<Verdict> {
    if info.primary_key.is_empty() {
        return Ok(Verdict::Same);
    }
    let Some(i) = column_to_update(info, triggers, specs, which) else {
        return Ok(Verdict::Same);
    };
    let spec = &specs[i];
    let Some(col) = info.column(&spec.name) else {
        return Ok(Verdict::Same);
    };
    let value = &next.values[i];
    let (Some(ks), Some(kp)) = (
        row_key(info, before_s, Engine::Sqlite),
        row_key(info, before_p, Engine::Postgres),
    ) else {
        return Ok(Verdict::Same);
    };
    let key: Vec<(&str, String, String)> = ks
        .into_iter()
        .zip(kp)
        .map(|((k, s), (_, p))| (k, s, p))
        .collect();
    let (update, select, counts) = update_and_reads(info, triggers, col, value, &key);
    let steps: Vec<&sql::Statement> = [&update, &select]
        .into_iter()
        .chain(counts.iter().map(|(_, c)| c))
        .collect();
    w.ahead(&steps);
    let (us, up) = t.run(w, update.clone());
    match (&us, &up) {
        (Outcome::Ok(_), Outcome::Ok(_)) => {}
        // Refused by both: the new value tests nothing here.
        (Outcome::Rejected { .. }, Outcome::Rejected { .. }) => {
            return Ok(Verdict::Discard(Why::Refused));
        }
        // Refused by one engine only: a value one side can update to and
        // the other cannot is a difference (a trigger, a CHECK on UPDATE).
        (Outcome::Ok(_), Outcome::Rejected { kind, message, .. })
        | (Outcome::Rejected { kind, message, .. }, Outcome::Ok(_)) => {
            return Ok(refused_by_one(
                info,
                col,
                &update,
                (&us, &up),
                *kind,
                message,
            ));
        }
    }
    let (ss, ps) = t.run(w, select);
    let (Some(after_s), Some(after_p)) = (ss.rows().first(), ps.rows().first()) else {
        return Ok(Verdict::Same);
    };
    // Rows the SQLite triggers write elsewhere: both databases held the same
    // rows before the case, so the counts must still agree.
    for (target, count) in counts {
        let (cs, cp) = t.run(w, count);
        let n = |o: &Outcome| o.rows().first().and_then(|r| r.first()).cloned();
        if n(&cs) != n(&cp) {
            return Ok(Verdict::Differ(Difference {
                on: None,
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
    Ok(
        other_column_changed(info, col, (before_s, before_p), (after_s, after_p))
            .unwrap_or(Verdict::Same),
    )
}

/// Which column the update step sets: one drawn (`which`) from the
/// ordinary columns — not a key, a reference or a column PostgreSQL lacks —
/// those an `UPDATE OF` trigger watches first.
fn column_to_update(
    info: &TableInfo,
    triggers: &Triggers,
    specs: &[ColumnSpec],
    which: proptest::sample::Index,
) -> Option<usize> {
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
        return None;
    }
    Some(pool[which.index(pool.len())])
}

/// The row by its primary key, as `engine` stored it: each key column
/// with its value's literal.
fn row_key<'i>(
    info: &'i TableInfo,
    row: &[Value],
    engine: Engine,
) -> Option<Vec<(&'i str, String)>> {
    info.primary_key
        .iter()
        .map(|k| {
            let j = info.columns.iter().position(|c| &c.name == k)?;
            let kind = &info.column(k)?.pg_kind;
            let lit = match engine {
                Engine::Sqlite => sql::value_sqlite(&row[j]),
                Engine::Postgres => sql::value_postgres(&row[j], kind),
            };
            Some((k.as_str(), lit))
        })
        .collect()
}

/// The UPDATE setting `col` to `value` in the row `key` finds (each key
/// column with its literal per engine), the row read back, and the rows
/// counted where the SQLite triggers write: reads that follow the UPDATE
/// whenever both engines take it, so all go to PostgreSQL at once.
fn update_and_reads<'t>(
    info: &TableInfo,
    triggers: &'t Triggers,
    col: &ColumnInfo,
    value: &Lit,
    key: &[(&str, String, String)],
) -> (
    sql::Statement,
    sql::Statement,
    Vec<(&'t String, sql::Statement)>,
) {
    let tq = sql::quote_ident(&info.name);
    let (ls, lp) = (
        sql::lit_sqlite(value),
        sql::lit_postgres(value, &col.pg_kind),
    );
    let mut update = sql::Writer::on(&info.name);
    update
        .text("UPDATE ")
        .text(&tq)
        .text(" SET ")
        .text(&sql::quote_ident(&col.name))
        .text(" = ")
        .literal(&col.name, &ls, &lp)
        .text(" WHERE ")
        .key(key);
    let update = sql::Statement {
        table: info.name.clone(),
        set: vec![(col.name.clone(), ls, lp)],
        ..update.done()
    };
    let all = info
        .columns
        .iter()
        .map(|c| sql::quote_ident(&c.name))
        .collect::<Vec<_>>()
        .join(", ");
    let mut select = sql::Writer::on(&info.name);
    select
        .text("SELECT ")
        .text(&all)
        .text(" FROM ")
        .text(&tq)
        .text(" WHERE ")
        .key(key);
    let select = select.done();
    let counts: Vec<(&String, sql::Statement)> = triggers
        .writes
        .iter()
        .map(|target| {
            let count = format!("SELECT count(*) FROM {}", sql::quote_ident(target));
            (
                target,
                sql::Statement {
                    sqlite: count.clone(),
                    postgres: count,
                    repeats: true,
                    ..sql::Statement::default()
                },
            )
        })
        .collect();
    (update, select, counts)
}

/// An UPDATE of `col` that one engine refuses (`kind`, `message`) and the
/// other takes: a difference (a trigger, a CHECK on UPDATE).
fn refused_by_one(
    info: &TableInfo,
    col: &ColumnInfo,
    update: &sql::Statement,
    (us, up): (&Outcome, &Outcome),
    kind: RejectionKind,
    message: &str,
) -> Verdict {
    let sqlite_refused = !us.is_ok();
    let engine = if sqlite_refused {
        Engine::Sqlite
    } else {
        Engine::Postgres
    };
    let refusal = if sqlite_refused { us } else { up };
    let cols = crate::check::case::culprit(info, update, engine, refusal);
    let (by, not_by) = (engine, engine.other());
    Verdict::Differ(Difference {
        on: None,
        category: category_of(kind),
        message: format!(
            "{}: an UPDATE of {} is refused by {by} ({}) but not by {not_by}.",
            info.name,
            col.name,
            kind.name()
        ),
        columns: if cols.is_empty() {
            vec![col.name.clone()]
        } else {
            cols
        },
        sqlite: if sqlite_refused {
            format!("refuses: {message}")
        } else {
            "updates".into()
        },
        postgres: if sqlite_refused {
            "updates".into()
        } else {
            format!("refuses: {message}")
        },
    })
}

/// A column other than the updated `col` that changed on one engine only
/// (a trigger on one side only?), as a difference.
fn other_column_changed(
    info: &TableInfo,
    col: &ColumnInfo,
    (before_s, before_p): (&[Value], &[Value]),
    (after_s, after_p): (&[Value], &[Value]),
) -> Option<Verdict> {
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
            return Some(Verdict::Differ(Difference {
                on: None,
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
    None
}

/// What a table's triggers touch, read from their stored SQL.
struct Triggers {
    /// Lower-cased `CREATE TRIGGER` texts of both sides.
    texts: Vec<String>,
    /// Other tables the SQLite triggers insert into, update or delete from.
    writes: Vec<String>,
}

impl Triggers {
    fn of(plan: &Plan, table: &str) -> Self {
        let sqlite = plan.sqlite.tables.get(table).map(|t| t.triggers.as_slice());
        let pg = plan.pg.tables.get(table).map(|t| t.triggers.as_slice());
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
                if target != table && plan.tables.contains_key(target) && !writes.contains(target) {
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
