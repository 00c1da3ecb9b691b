//! Saved witnesses: every `tests/regressions/*.sql` is replayed on both
//! engines and must now behave the same. A witness holds literal SQL, not a
//! proptest seed — seeds stop reproducing when a strategy changes.
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

use schema_parity::check::{Outcome, Worker};

use crate::Pool;

pub fn trials(pool: &Arc<Pool>) -> Vec<Trial> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
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
        .map(|path| {
            let name = format!(
                "regressions::{}",
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            );
            let pool = pool.clone();
            Trial::test(name, move || replay(&pool, &path))
        })
        .collect()
}

fn replay(pool: &Pool, path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path)?;
    let (sqlite, postgres) =
        schema_parity::report::parse_regression_sql(&text).ok_or_else(|| {
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
    pool.with(|w: &mut Worker| -> Result<(), Failed> {
        w.begin()?;
        let mut problems = Vec::new();
        for (i, (s, p)) in sqlite.iter().zip(&postgres).enumerate() {
            let so = w.run_sqlite(s);
            let po = w.run_postgres(p);
            let same = match (&so, &po) {
                (Outcome::Ok(_), Outcome::Ok(_)) => true,
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
    })?
}
