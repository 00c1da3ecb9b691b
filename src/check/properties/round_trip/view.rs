//! Views, behaviourally: a valid row inserted into a table on both engines
//! changes the rows each view that reads the table selects in the same way
//! (part of the table's round_trip property). What changed is compared, not
//! the whole view: the rows selected before the insert are the same
//! committed data on both engines, and comparing the change keeps values
//! that differ by design out (automatic ids, references, clock and random
//! defaults of parent rows).

use crate::check::tables::TableInfo;
use crate::error::Result;
use crate::mapping::{self, PgKind};
use crate::model::Engine;
use crate::model::finding::{Category, CheckKind};
use crate::model::schema::Value;

use crate::check::case::{RowCase, row_case, same_stored};
use crate::check::drive::{VIEW_SALT, drive_part};
use crate::check::plan::Plan;
use crate::check::property::PropertyReport;
use crate::check::sql::{Statement, quote_ident};
use crate::check::verdict::{Difference, Transcript, Verdict, Why};
use crate::check::worker::Worker;
use crate::engine::Outcome;

/// Cases per view that reads a table.
const VIEW_CASES: u32 = 64;

/// How one column of a view is compared.
#[derive(Debug, Clone, PartialEq)]
enum Compare {
    /// Under the mapping of this kind.
    Kind(PgKind),
    /// As the table column it shows unchanged is.
    Column { table: String, column: String },
    /// Not at all: it holds a value each engine makes up itself
    /// ([`TableInfo::per_engine`]) or of a type the two do not share.
    Skip,
}

/// A view both engines have, reading the table a case writes.
struct ViewProbe {
    name: String,
    columns: Vec<(String, Compare)>,
    select: Statement,
}

/// The views both engines have that read `info`'s table (and that
/// `parity.toml` does not skip; materialized views change only on refresh).
fn views_reading(plan: &Plan, info: &TableInfo) -> Vec<ViewProbe> {
    let mut out = Vec::new();
    for (name, sv) in &plan.sqlite.views {
        let Some(pv) = plan.pg.views.get(name) else {
            continue;
        };
        if pv.materialized
            || plan.config.skips(name)
            || !(sv.reads.contains(&info.name) || pv.reads.contains(&info.name))
        {
            continue;
        }
        let columns: Vec<(String, Compare)> = sv
            .columns
            .iter()
            .filter_map(|c| {
                let p = pv.columns.iter().find(|p| p.name == c.name)?;
                Some((
                    c.name.clone(),
                    compare_of(plan, c.origin.as_ref(), &p.pg_type),
                ))
            })
            .collect();
        if columns.is_empty() {
            continue;
        }
        let list = columns
            .iter()
            .map(|(c, _)| quote_ident(c))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT {list} FROM {}", quote_ident(name));
        out.push(ViewProbe {
            name: name.clone(),
            columns,
            select: Statement {
                sqlite: sql.clone(),
                postgres: sql,
                ..Statement::default()
            },
        });
    }
    out
}

fn compare_of(plan: &Plan, origin: Option<&(String, String)>, pg_type: &str) -> Compare {
    let Some((table, column)) = origin else {
        return Compare::Kind(mapping::pg_kind(pg_type));
    };
    let Some((t, c)) = plan
        .tables
        .get(table)
        .and_then(|t| Some((t, t.column(column)?)))
    else {
        return Compare::Kind(mapping::pg_kind(pg_type));
    };
    if t.per_engine(column) || c.type_differs {
        Compare::Skip
    } else {
        Compare::Column {
            table: table.clone(),
            column: column.clone(),
        }
    }
}

/// The view parts of `info`'s round_trip property: one per view reading it.
pub fn run(
    plan: &Plan,
    worker: &mut Worker,
    info: &TableInfo,
    insert: &dyn Fn(&mut Worker, &RowCase, &mut Transcript) -> Result<bool>,
) -> Result<Vec<PropertyReport>> {
    let mut parts = Vec::new();
    for view in views_reading(plan, info) {
        parts.push(drive_part(
            plan,
            worker,
            &info.name,
            CheckKind::RoundTrip,
            VIEW_CASES.min(plan.cases),
            &format!("{VIEW_SALT}{}", view.name),
            row_case(info),
            |w, case: &RowCase, t| {
                // Not part of the witness: on fresh databases the rows
                // before are the witness's own.
                let before = w.run(&view.select);
                if !insert(w, case, t)? {
                    return Ok(Verdict::discard(
                        t,
                        "the row was not stored on both engines",
                    ));
                }
                let (after_s, after_p) = t.run(w, view.select.clone());
                Ok(view.judge(
                    plan,
                    info,
                    (&before.sqlite, &before.postgres),
                    (&after_s, &after_p),
                ))
            },
        )?);
    }
    Ok(parts)
}

impl ViewProbe {
    fn judge(
        &self,
        plan: &Plan,
        info: &TableInfo,
        (before_s, before_p): (&Outcome, &Outcome),
        (after_s, after_p): (&Outcome, &Outcome),
    ) -> Verdict {
        let (Outcome::Ok(bs), Outcome::Ok(bp), Outcome::Ok(a_s), Outcome::Ok(ap)) =
            (before_s, before_p, after_s, after_p)
        else {
            // Selecting from the view fails on one engine only.
            return match (after_s, after_p) {
                (Outcome::Rejected { message, .. }, Outcome::Ok(_)) => {
                    self.select_fails(Engine::Sqlite, message)
                }
                (Outcome::Ok(_), Outcome::Rejected { message, .. }) => {
                    self.select_fails(Engine::Postgres, message)
                }
                _ if after_s.is_ok() && after_p.is_ok() => Verdict::Discard(Why::Lacks(
                    "the view could not be read before the row was inserted",
                )),
                _ => Verdict::Discard(Why::Refused),
            };
        };
        let (added_s, removed_s) = (change(bs, a_s), change(a_s, bs));
        let (added_p, removed_p) = (change(bp, ap), change(ap, bp));
        for (what, s, p) in [
            ("new", added_s, added_p),
            ("no longer selected", removed_s, removed_p),
        ] {
            if s.len() != p.len() {
                return Verdict::Differ(Difference {
                    on: Some(self.name.clone()),
                    category: Category::Other,
                    columns: Vec::new(),
                    message: format!(
                        "View {}: after the same row is inserted into {}, it shows {} {what} row(s) in SQLite but {} in PostgreSQL.",
                        self.name,
                        info.name,
                        s.len(),
                        p.len()
                    ),
                    sqlite: format!("{} {what} row(s)", s.len()),
                    postgres: format!("{} {what} row(s)", p.len()),
                });
            }
            let mut unmatched: Vec<&Vec<Value>> = p.clone();
            for row in &s {
                if let Some(i) = unmatched.iter().position(|q| self.same_row(plan, row, q)) {
                    unmatched.remove(i);
                    continue;
                }
                // The row of the other side that differs in fewest columns
                // names the column.
                let Some((col, sv, pv)) = unmatched
                    .iter()
                    .map(|q| self.differing(plan, row, q))
                    .min_by_key(Vec::len)
                    .and_then(|d| d.into_iter().next())
                else {
                    return Verdict::Discard(Why::Lacks(
                        "the view's rows differ in no column compared under the mapping",
                    ));
                };
                return Verdict::Differ(Difference {
                    on: Some(self.name.clone()),
                    category: Category::Other,
                    columns: vec![col.clone()],
                    message: format!(
                        "View {}.{col}: the row inserted into {} shows {sv} through the view in SQLite but {pv} in PostgreSQL.",
                        self.name, info.name
                    ),
                    sqlite: format!("shows {sv}"),
                    postgres: format!("shows {pv}"),
                });
            }
        }
        Verdict::Same
    }

    fn select_fails(&self, engine: Engine, why: &str) -> Verdict {
        let (ok, failed) = ("selects its rows".to_string(), format!("fails: {why}"));
        let (sqlite, postgres) = match engine {
            Engine::Sqlite => (failed, ok),
            Engine::Postgres => (ok, failed),
        };
        Verdict::Differ(Difference {
            on: Some(self.name.clone()),
            category: Category::Other,
            columns: Vec::new(),
            message: format!(
                "View {}: selecting from it fails on {engine} only ({why}).",
                self.name
            ),
            sqlite,
            postgres,
        })
    }

    fn same_row(&self, plan: &Plan, s: &[Value], p: &[Value]) -> bool {
        self.differing(plan, s, p).is_empty()
    }

    /// The compared columns in which two rows differ, with both values.
    fn differing(&self, plan: &Plan, s: &[Value], p: &[Value]) -> Vec<(String, Value, Value)> {
        let mut out = Vec::new();
        for (i, (name, how)) in self.columns.iter().enumerate() {
            let (Some(sv), Some(pv)) = (s.get(i), p.get(i)) else {
                continue;
            };
            let same = match how {
                Compare::Skip => true,
                Compare::Kind(kind) => mapping::same_value(sv, pv, kind),
                Compare::Column { table, column } => plan
                    .tables
                    .get(table)
                    .and_then(|t| t.column(column))
                    .is_none_or(|c| same_stored(c, sv, pv)),
            };
            if !same {
                out.push((name.clone(), sv.clone(), pv.clone()));
            }
        }
        out
    }
}

/// The rows of `to` that `from` does not have (as a multiset, each row
/// matched once), compared as the engine returned them.
fn change<'a>(from: &[Vec<Value>], to: &'a [Vec<Value>]) -> Vec<&'a Vec<Value>> {
    let mut left: Vec<&Vec<Value>> = from.iter().collect();
    let mut out = Vec::new();
    for row in to {
        match left.iter().position(|r| identical(r, row)) {
            Some(i) => {
                left.swap_remove(i);
            }
            None => out.push(row),
        }
    }
    out
}

/// Equal as stored, NaN included.
fn identical(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Value::Real(f), Value::Real(g)) => f.to_bits() == g.to_bits() || f == g,
            _ => x == y,
        })
}
