//! default: a row with only the required columns gets equivalent defaults
//! (random bytes compared by length, the clock by presence).

use schema_parity_strategies::ColumnSpec;

use crate::domain::TableInfo;
use crate::error::Result;
use crate::expr::DefaultValue;
use crate::finding::{Category, CheckKind};
use crate::mapping;
use crate::schema::Value;

use super::case::{RowCase, row_case};
use super::outcome::Outcome;
use super::runner::{Difference, PropertyReport, Suite, Verdict, drive};
use super::worker::insert_statement;

pub fn run(suite: &Suite, worker: &mut super::Worker, info: &TableInfo) -> Result<PropertyReport> {
    let defaulted: Vec<&str> = info
        .columns
        .iter()
        .filter(|c| !c.auto_increment && !c.from_fk && (c.has_default || !c.not_null))
        .map(|c| c.name.as_str())
        .collect();
    if !info
        .columns
        .iter()
        .any(|c| c.has_default && !c.auto_increment)
    {
        return Ok(PropertyReport {
            not_applicable: Some("no column has a default in SQLite".into()),
            ..PropertyReport::default()
        });
    }
    let all: Vec<ColumnSpec> = super::case::specs(info);
    let required: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, s)| !defaulted.contains(&s.name.as_str()))
        .map(|(i, _)| i)
        .collect();
    let req_specs: Vec<ColumnSpec> = required.iter().map(|&i| all[i].clone()).collect();
    drive(
        suite,
        worker,
        &info.name,
        CheckKind::Default,
        row_case(info),
        |w, case: &RowCase, t| {
            let values: Vec<_> = required.iter().map(|&i| case.values[i].clone()).collect();
            let Some(stmt) = insert_statement(
                info,
                &req_specs,
                &values,
                &w.parents,
                |k| case.picks[k],
                true,
            ) else {
                return Ok(Verdict::Discard);
            };
            let (s, p) = t.run(w, stmt);
            let (sr, pr) = match (&s, &p) {
                (Outcome::Ok(a), Outcome::Ok(b)) => match (a.first(), b.first()) {
                    (Some(a), Some(b)) => (a.clone(), b.clone()),
                    _ => return Ok(Verdict::Discard),
                },
                (Outcome::Rejected { .. }, Outcome::Rejected { .. }) => {
                    return Ok(Verdict::Discard);
                }
                (Outcome::Ok(_), Outcome::Rejected { kind, message }) => {
                    let cols = super::case::blame(info, message);
                    return Ok(Verdict::Differ(Difference {
                        category: if *kind == super::outcome::RejectionKind::MissingColumn {
                            Category::MissingColumn
                        } else {
                            Category::Default
                        },
                        message: format!(
                            "{}: a row with only the required columns is accepted by SQLite but rejected by PostgreSQL ({}){}.",
                            info.name,
                            kind.name(),
                            cols.first()
                                .map(|c| format!(", which has no default for {c}"))
                                .unwrap_or_default()
                        ),
                        columns: cols,
                        sqlite: "fills the defaults".into(),
                        postgres: format!("rejects: {message}"),
                    }));
                }
                (Outcome::Rejected { kind, message }, Outcome::Ok(_)) => {
                    let cols = super::case::blame(info, message);
                    return Ok(Verdict::Differ(Difference {
                        category: Category::Default,
                        message: format!(
                            "{}: a row with only the required columns is rejected by SQLite ({}) but accepted by PostgreSQL.",
                            info.name,
                            kind.name()
                        ),
                        columns: cols,
                        sqlite: format!("rejects: {message}"),
                        postgres: "fills the defaults".into(),
                    }));
                }
            };
            for (i, c) in info.columns.iter().enumerate() {
                if !defaulted.contains(&c.name.as_str()) {
                    continue;
                }
                let (sv, pv) = (&sr[i], &pr[i]);
                let same = match &c.default {
                    DefaultValue::RandomBytes(n) => match (sv, pv) {
                        (Value::Blob(a), Value::Blob(b)) => {
                            a.len() == b.len() && u64::try_from(a.len()).is_ok_and(|l| l == *n)
                        }
                        _ => false,
                    },
                    DefaultValue::Now => !sv.is_null() && !pv.is_null(),
                    _ => mapping::same_value(sv, pv, &c.pg_kind),
                };
                if !same {
                    return Ok(Verdict::Differ(Difference {
                        category: Category::Default,
                        columns: vec![c.name.clone()],
                        message: format!(
                            "{}.{}: left to its default, the column gets {sv} on SQLite but {pv} on PostgreSQL.",
                            info.name, c.name
                        ),
                        sqlite: format!("default gives {sv}"),
                        postgres: format!("default gives {pv}"),
                    }));
                }
            }
            Ok(Verdict::Same)
        },
    )
}
