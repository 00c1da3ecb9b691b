//! default: a row that leaves defaulted (and nullable) columns out gets
//! equivalent defaults (random bytes compared by length, the clock by
//! presence).

use schema_parity_strategies::ColumnSpec;

use crate::check::tables::TableInfo;
use crate::error::Result;
use crate::mapping;
use crate::model::finding::{Category, CheckKind};
use crate::model::schema::Value;
use crate::sql::expr::DefaultValue;

use crate::check::case::{RowCase, tame_row_case};
use crate::check::drive::drive;
use crate::check::parents::insert_statement;
use crate::check::plan::Plan;
use crate::check::property::{Property, PropertyReport};
use crate::check::verdict::{Difference, NO_PARENT_ROW, Verdict, Why, category_of};
use crate::check::worker::Worker;
use crate::engine::{Outcome, RejectionKind};
use crate::model::Engine;

/// The `default` property (see the module's doc).
pub struct Defaults;

impl Property for Defaults {
    fn kind(&self) -> CheckKind {
        CheckKind::Default
    }

    fn about(&self) -> &'static str {
        "a row that leaves defaulted and nullable columns out gets equivalent defaults"
    }

    fn not_applicable(&self, _plan: &Plan, info: &TableInfo) -> Option<String> {
        if let Some(why) = crate::check::case::unwritable(info) {
            return Some(why);
        }
        let defaulted: Vec<&str> = info
            .columns
            .iter()
            .filter(|c| c.has_default && !c.auto_increment)
            .map(|c| c.name.as_str())
            .collect();
        let Some(first) = defaulted.first() else {
            return Some("no column has a default in SQLite".into());
        };
        defaulted
            .iter()
            .all(|c| info.column(c).is_some_and(|c| c.missing_on_pg))
            .then(|| {
                format!(
                    "does not apply: the only defaults are on columns PostgreSQL lacks ({})",
                    crate::check::case::missing_column_id(info, first)
                )
            })
    }

    fn run(&self, plan: &Plan, worker: &mut Worker, info: &TableInfo) -> Result<PropertyReport> {
        run(plan, worker, info)
    }
}

fn run(plan: &Plan, worker: &mut Worker, info: &TableInfo) -> Result<PropertyReport> {
    // Columns a row may leave out on both engines: a default on the SQLite
    // side, or NULL allowed on both. A column NULL in SQLite but NOT NULL
    // without a default in PostgreSQL is a nullability difference, found by
    // its own probe, not a default one.
    let pg_default = |c: &crate::check::tables::ColumnInfo| {
        info.pg_table
            .column(&c.name)
            .is_some_and(|p| p.default.is_some())
    };
    let leaves_out = |c: &&crate::check::tables::ColumnInfo| {
        c.has_default || !c.not_null && (!c.pg_not_null || pg_default(c))
    };
    let defaulted: Vec<&str> = info
        .columns
        .iter()
        .filter(|c| !c.auto_increment && !c.from_fk && !c.missing_on_pg)
        .filter(leaves_out)
        .map(|c| c.name.as_str())
        .collect();
    // References with a default (or NULL on both sides) are filled from a
    // parent row unless the case leaves them out too: a table whose only
    // default is on a reference is still tested.
    let references: Vec<&str> = info
        .columns
        .iter()
        .filter(|c| c.from_fk && !c.missing_on_pg)
        .filter(|c| c.has_default)
        .map(|c| c.name.as_str())
        .collect();
    let all: Vec<ColumnSpec> = crate::check::case::specs(info);
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
        proptest::collection::vec(
            proptest::bool::weighted(0.6),
            optional.len() + references.len(),
        ),
    );
    drive(
        plan,
        worker,
        &info.name,
        CheckKind::Default,
        strategy,
        |w, (case, omit): &(RowCase, Vec<bool>), t| {
            let left_out: Vec<&str> = optional
                .iter()
                .map(|&i| all[i].name.as_str())
                .chain(references.iter().copied())
                .zip(omit)
                .filter(|(_, o)| **o)
                .map(|(c, _)| c)
                .collect();
            let kept: Vec<usize> = (0..all.len())
                .filter(|&i| !left_out.contains(&all[i].name.as_str()))
                .collect();
            if left_out.is_empty() {
                // A row that leaves nothing out tests no default.
                return Ok(Verdict::discard(
                    t,
                    "the row leaves no column out to take its default",
                ));
            }
            let specs: Vec<ColumnSpec> = kept.iter().map(|&i| all[i].clone()).collect();
            let values: Vec<_> = kept.iter().map(|&i| case.values[i].clone()).collect();
            let Some(stmt) =
                insert_statement(info, &specs, &values, &w.parents, |k| case.picks[k], true)
            else {
                return Ok(Verdict::discard(t, NO_PARENT_ROW));
            };
            let stmt = references
                .iter()
                .filter(|c| left_out.contains(c))
                .fold(stmt, |st, c| st.without(c).unwrap_or(st));
            let (s, p) = t.run(w, stmt.clone());
            let (sr, pr) = match (&s, &p) {
                (Outcome::Ok(a), Outcome::Ok(b)) => match (a.first(), b.first()) {
                    (Some(a), Some(b)) => (a.clone(), b.clone()),
                    _ => return Ok(Verdict::discard(t, "the INSERT returned no row")),
                },
                (Outcome::Rejected { .. }, Outcome::Rejected { .. }) => {
                    return Ok(Verdict::Discard(Why::Refused));
                }
                (Outcome::Ok(_), Outcome::Rejected { kind, message, .. }) => {
                    let cols = crate::check::case::culprit(info, &stmt, Engine::Postgres, &p);
                    return Ok(one_sided(info, &left_out, cols, *kind, message, false));
                }
                (Outcome::Rejected { kind, message, .. }, Outcome::Ok(_)) => {
                    let cols = crate::check::case::culprit(info, &stmt, Engine::Sqlite, &s);
                    return Ok(one_sided(info, &left_out, cols, *kind, message, true));
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
                    DefaultValue::Now | DefaultValue::LocalNow => !sv.is_null() && !pv.is_null(),
                    // Read from the clock a moment apart on each engine.
                    _ => {
                        mapping::same_value(sv, pv, &c.pg_kind)
                            || crate::mapping::same_clock_reading(sv, pv)
                    }
                };
                if !same {
                    return Ok(Verdict::Differ(Difference {
                        on: None,
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

/// A row leaving out `left_out` refused by one engine only: a default
/// difference when the engine names a left-out column (or names none, said
/// so); a column that was given a value is not this property's business
/// (its own probe finds it), so the case is discarded — unless the engine
/// lacks that column: then the missing column is the difference.
fn one_sided(
    info: &TableInfo,
    left_out: &[&str],
    cols: Vec<String>,
    kind: RejectionKind,
    message: &str,
    sqlite_rejects: bool,
) -> Verdict {
    // A column the rejecting engine lacks is the difference whichever
    // column it is: no row that sets it can be written there.
    let missing = kind == RejectionKind::MissingColumn;
    let blamed: Vec<String> = cols
        .iter()
        .filter(|c| missing || left_out.contains(&c.as_str()))
        .cloned()
        .collect();
    if !cols.is_empty() && blamed.is_empty() {
        return Verdict::Discard(Why::Refused);
    }
    let rejecter = if sqlite_rejects {
        Engine::Sqlite
    } else {
        Engine::Postgres
    };
    let acceptor = rejecter.other();
    let about = match blamed.first() {
        Some(c) if missing => format!(" because of column {c}"),
        Some(c) => format!("; {rejecter} has no usable default for {c}"),
        None => " (the engine's error names no column)".into(),
    };
    // A key or CHECK that refused the defaulted value is that constraint's
    // difference, unless the two defaults differ: then the default is why.
    let default_differs = blamed
        .iter()
        .any(|c| info.column(c).is_some_and(|ci| ci.default_differs));
    let category = match kind {
        RejectionKind::MissingColumn => Category::MissingColumn,
        RejectionKind::Unique | RejectionKind::Check | RejectionKind::ForeignKey
            if !default_differs =>
        {
            category_of(kind)
        }
        _ => Category::Default,
    };
    let (sqlite, postgres) = if sqlite_rejects {
        (
            format!("rejects: {message}"),
            "fills the defaults".to_string(),
        )
    } else {
        (
            "fills the defaults".to_string(),
            format!("rejects: {message}"),
        )
    };
    Verdict::Differ(Difference {
        on: None,
        category,
        message: format!(
            "{}: a row leaving out {} is accepted by {acceptor} but rejected by {rejecter} ({}){about}.",
            info.name,
            described(left_out),
            kind.name()
        ),
        columns: blamed,
        sqlite,
        postgres,
    })
}

/// "a", "a and b" or "a, b and c", for a message.
fn described(left_out: &[&str]) -> String {
    match left_out {
        [] => "no column".into(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::case::tests::loans;

    /// A row leaving out another column but setting one PostgreSQL lacks:
    /// the missing column is the difference, not a discarded case.
    #[test]
    fn a_set_column_the_engine_lacks_is_the_difference() {
        let verdict = one_sided(
            &loans(),
            &["id"],
            vec!["fine_cents".into()],
            RejectionKind::MissingColumn,
            "column \"fine_cents\" of relation \"loans\" does not exist",
            false,
        );
        let Verdict::Differ(d) = verdict else {
            panic!("a column PostgreSQL lacks is a difference");
        };
        assert_eq!(d.category, Category::MissingColumn);
        assert_eq!(d.columns, ["fine_cents"]);
        assert!(
            d.message.ends_with("because of column fine_cents."),
            "{}",
            d.message
        );
        // Any other refusal naming a column that was set is that column's
        // own probe's business.
        let verdict = one_sided(
            &loans(),
            &["id"],
            vec!["fine_cents".into()],
            RejectionKind::Check,
            "CHECK constraint failed",
            true,
        );
        assert!(matches!(verdict, Verdict::Discard(_)));
    }
}
