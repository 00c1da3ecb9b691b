//! Saved witnesses: every `*.sql` in the regressions folder
//! (`tests/regressions/` by default) is replayed on fresh copies of both
//! migrated databases (no parent rows from a run: a file inserts the rows it
//! refers to) and must now behave the same: each statement accepted by both
//! or rejected by both for the same reason, and the rows a statement returns
//! equal under the mapping (an accept/reject match alone would pass a value
//! that reads back differently). Both refusing a reference is not "the
//! same": the file is missing a parent row, and its later statements would
//! test nothing. A witness holds literal SQL, not a proptest seed — seeds
//! stop reproducing when a strategy changes.
//!
//! File format (written by `PARITY_SAVE_REGRESSIONS=DIR` or
//! `schema-parity check --save-regressions DIR`):
//! ```text
//! -- schema-parity regression: <finding id>
//! -- sqlite:
//! INSERT ...;
//! -- postgres:
//! INSERT ...;
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;

use libtest_mimic::{Failed, Trial};

use crate::check::{Plan, Worker};
use crate::engine::{Outcome, RejectionKind};
use crate::model::Both;
use crate::model::schema::Value;

/// Makes a worker on fresh copies of both migrated databases.
pub type Fresh<'a> = dyn Fn(usize) -> crate::error::Result<Worker> + 'a;

/// One `regressions::<file stem>` test per `*.sql` file in `dir`, each on
/// its own fresh worker, in file-name order.
pub fn trials(fresh: &Fresh<'_>, plan: &Arc<Plan>, dir: &Path) -> Vec<Trial> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "sql"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .enumerate()
        .map(|(i, path)| {
            let name = format!(
                "regressions::{}",
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            );
            let worker = fresh(1000 + i);
            let plan = plan.clone();
            Trial::test(name, move || {
                let mut worker = worker.map_err(|e| e.to_string())?;
                replay(&mut worker, &plan, &path)
            })
        })
        .collect()
}

/// Replays the witness file at `path` on `worker` inside one rolled-back
/// transaction: `Ok` when both engines behave the same on every statement
/// (see the module doc), otherwise every statement that differs, numbered.
pub fn replay(w: &mut Worker, plan: &Plan, path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path)?;
    let (sqlite, postgres) = crate::report::parse_regression_sql(&text).ok_or_else(|| {
        format!(
            "{}: not a regression file (needs `-- sqlite:` and `-- postgres:` sections)",
            path.display()
        )
    })?;
    if sqlite.len() != postgres.len() {
        return Err(format!(
            "{}: {} SQLite statements but {} PostgreSQL ones",
            path.display(),
            sqlite.len(),
            postgres.len()
        )
        .into());
    }
    w.begin()?;
    let mut problems = Vec::new();
    for (i, (s, p)) in sqlite.iter().zip(&postgres).enumerate() {
        let Both {
            sqlite: so,
            postgres: po,
        } = w.run_sql(Both {
            sqlite: s.as_str(),
            postgres: p.as_str(),
        });
        let same = match (&so, &po) {
            (Outcome::Ok(a), Outcome::Ok(b)) => {
                if let Some(why) = rows_differ(plan, p, a, b) {
                    problems.push(format!("statement {}: {why}", i + 1));
                }
                true
            }
            (
                Outcome::Rejected {
                    kind: RejectionKind::ForeignKey,
                    ..
                },
                Outcome::Rejected {
                    kind: RejectionKind::ForeignKey,
                    ..
                },
            ) => {
                problems.push(format!(
                    "statement {}: both engines refuse a reference: the file refers to a row it does not insert (add that row's INSERT before it)",
                    i + 1
                ));
                true
            }
            (Outcome::Rejected { kind: a, .. }, Outcome::Rejected { kind: b, .. }) => a == b,
            _ => false,
        };
        if !same {
            problems.push(format!(
                "statement {}: SQLite {} / PostgreSQL {}",
                i + 1,
                so.describe(),
                po.describe()
            ));
        }
    }
    w.rollback()?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

/// Why the rows a statement returned differ between the engines, compared
/// column by column under the mapping of the table the statement names;
/// automatic ids and references (per-engine numbering) and random or clock
/// defaults are not compared.
fn rows_differ(
    plan: &Plan,
    postgres_sql: &str,
    s: &[Vec<Value>],
    p: &[Vec<Value>],
) -> Option<String> {
    if s.len() != p.len() {
        return Some(format!(
            "SQLite returns {} rows, PostgreSQL {}",
            s.len(),
            p.len()
        ));
    }
    let quoted = |after: &str| {
        let rest = &postgres_sql[postgres_sql.find(after)? + after.len()..];
        let rest = rest.strip_prefix('"')?;
        Some(rest[..rest.find('"')?].to_string())
    };
    let table = quoted("INSERT INTO ")
        .or_else(|| quoted("UPDATE "))
        .or_else(|| quoted("FROM "))?;
    let info = plan.tables.get(&table)?;
    let columns: Vec<String> = match postgres_sql.find(" RETURNING ") {
        Some(at) => postgres_sql[at + " RETURNING ".len()..]
            .trim_end_matches(';')
            .split(", ")
            .map(|c| c.trim().trim_matches('"').to_string())
            .collect(),
        None => postgres_sql
            .strip_prefix("SELECT ")
            .and_then(|r| r.split(" FROM ").next())
            .map(|l| {
                l.split(", ")
                    .map(|c| c.trim().trim_matches('"').to_string())
                    .collect()
            })
            .unwrap_or_default(),
    };
    for (sr, pr) in s.iter().zip(p) {
        for ((c, sv), pv) in columns.iter().zip(sr).zip(pr) {
            let Some(ci) = info.column(c) else { continue };
            if !info.per_engine(c) && !crate::mapping::same_value(sv, pv, &ci.pg_kind) {
                return Some(format!(
                    "{table}.{c} reads back {sv} from SQLite but {pv} from PostgreSQL"
                ));
            }
        }
    }
    None
}
