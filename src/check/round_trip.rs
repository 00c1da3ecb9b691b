//! round_trip: a valid row inserted on both engines reads back equal under
//! the mapping.

use crate::domain::TableInfo;
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
        row_case(info),
        |w, case: &RowCase, t| {
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
                None => Ok(Verdict::Same),
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
