//! row_count (a toy property, to measure what a new one costs): after a
//! row both engines accept is inserted, both count the table's rows alike.

use crate::check::case::{RowCase, specs, tame_row_case};
use crate::check::drive::drive;
use crate::check::outcome::Outcome;
use crate::check::property::{Property, PropertyReport};
use crate::check::sql::{Statement, quote_ident};
use crate::check::suite::Suite;
use crate::check::verdict::{Difference, Verdict};
use crate::check::worker::{Worker, insert_statement};
use crate::domain::TableInfo;
use crate::error::Result;
use crate::finding::{Category, CheckKind};

/// The `row_count` property (see the module's doc).
pub struct RowCount;

impl Property for RowCount {
    fn kind(&self) -> CheckKind {
        CheckKind::RowCount
    }

    fn about(&self) -> &'static str {
        "after a row both accept is inserted, both count the table's rows alike"
    }

    fn run(&self, suite: &Suite, worker: &mut Worker, info: &TableInfo) -> Result<PropertyReport> {
        let specs = specs(info);
        let count = format!("SELECT count(*) FROM {}", quote_ident(&info.name));
        drive(
            suite,
            worker,
            &info.name,
            CheckKind::RowCount,
            tame_row_case(info),
            |w, case: &RowCase, t| {
                let Some(insert) = insert_statement(
                    info,
                    &specs,
                    &case.values,
                    &w.parents,
                    |k| case.picks[k],
                    false,
                ) else {
                    return Ok(Verdict::Discard);
                };
                let (s, p) = t.run(w, insert);
                if !(s.is_ok() && p.is_ok()) {
                    return Ok(Verdict::Discard);
                }
                let (s, p) = t.run(
                    w,
                    Statement {
                        sqlite: count.clone(),
                        postgres: count.clone(),
                        ..Statement::default()
                    },
                );
                Ok(match (&s, &p) {
                    (Outcome::Ok(sr), Outcome::Ok(pr)) if sr == pr => Verdict::Same,
                    (Outcome::Ok(_), Outcome::Ok(_)) => Verdict::Differ(Difference {
                        on: None,
                        category: Category::Other,
                        columns: Vec::new(),
                        message: format!(
                            "{}: after an insert both accept, the engines count its rows differently.",
                            info.name
                        ),
                        sqlite: s.describe(),
                        postgres: p.describe(),
                    }),
                    _ => Verdict::Discard,
                })
            },
        )
    }
}
