//! default: a row that leaves defaulted (and nullable) columns out gets
//! equivalent defaults (random bytes compared by length, the clock by
//! presence).

use schema_parity_strategies::ColumnSpec;

use crate::domain::TableInfo;
use crate::error::Result;
use crate::expr::DefaultValue;
use crate::finding::{Category, CheckKind};
use crate::mapping;
use crate::schema::Value;

use super::case::{RowCase, tame_row_case};
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
    let all: Vec<ColumnSpec> = super::case::specs(info);
    // Each case leaves a random subset of the defaulted columns out (all of
    // them would break multi-column CHECKs like `kind = 'card' AND last4 IS
    // NOT NULL` on every case); shrinking keeps only the one that differs.
    let optional: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, s)| defaulted.contains(&s.name.as_str()))
        .map(|(i, _)| i)
        .collect();
    let strategy = (
        tame_row_case(info),
        proptest::collection::vec(proptest::bool::weighted(0.6), optional.len()),
    );
    drive(
        suite,
        worker,
        &info.name,
        CheckKind::Default,
        strategy,
        |w, (case, omit): &(RowCase, Vec<bool>), t| {
            let left_out: Vec<&str> = optional
                .iter()
                .zip(omit)
                .filter(|(_, o)| **o)
                .map(|(&i, _)| all[i].name.as_str())
                .collect();
            let kept: Vec<usize> = (0..all.len())
                .filter(|&i| !left_out.contains(&all[i].name.as_str()))
                .collect();
            let specs: Vec<ColumnSpec> = kept.iter().map(|&i| all[i].clone()).collect();
            let values: Vec<_> = kept.iter().map(|&i| case.values[i].clone()).collect();
            let Some(stmt) =
                insert_statement(info, &specs, &values, &w.parents, |k| case.picks[k], true)
            else {
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
                            "{}: a row leaving out {} is accepted by SQLite but rejected by PostgreSQL ({}){}.",
                            info.name,
                            described(&left_out),
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
                            "{}: a row leaving out {} is rejected by SQLite ({}) but accepted by PostgreSQL.",
                            info.name,
                            described(&left_out),
                            kind.name()
                        ),
                        columns: cols,
                        sqlite: format!("rejects: {message}"),
                        postgres: "fills the defaults".into(),
                    }));
                }
            };
            for (i, c) in info.columns.iter().enumerate() {
                if !left_out.contains(&c.name.as_str()) {
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

/// "a", "a and b" or "a, b and c", for a message.
fn described(left_out: &[&str]) -> String {
    match left_out {
        [] => "no column".into(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
