//! One finding per root cause, on the right column: each pair under
//! tests/fixtures/root_cause (the equivalent pair plus a `sqlite.sql` /
//! `pg.sql`) is checked with every check at once, and must give exactly the
//! findings its `expect` file lists (`category table column severity`, one
//! per line; none for an equivalent pair) — no duplicate from another check,
//! no finding blamed on another column — with every property exercised and
//! every witness showing the engines disagreeing.

use std::sync::Arc;

use libtest_mimic::{Failed, Trial};
use schema_parity::finding::{CheckKind, Severity};

use crate::common::{Shared, fixture_names, fixtures_dir, planted_pair};

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    fixture_names("root_cause")
        .into_iter()
        .map(|name| {
            let s = shared.clone();
            let dir = fixtures_dir().join("root_cause").join(&name);
            Trial::test(format!("root_cause::{name}"), move || case(&s, &dir))
        })
        .collect()
}

fn case(shared: &Shared, dir: &std::path::Path) -> Result<(), Failed> {
    let (_tmp, sq, pg) = planted_pair(dir)?;
    let config = fixtures_dir().join("equivalent").join("parity.toml");
    let report = shared.check_with(&sq, &pg, Some(config), CheckKind::ALL.to_vec(), 256)?;
    let text = || schema_parity::report::text(&report);
    let expect = std::fs::read_to_string(dir.join("expect")).map_err(|e| e.to_string())?;
    let mut expected: Vec<String> = expect
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    expected.sort();
    let mut found: Vec<String> = report
        .findings
        .iter()
        .filter(|f| !f.accepted)
        .map(|f| {
            format!(
                "{} {} {} {}",
                f.category.name(),
                f.table,
                f.columns.first().map_or("-", String::as_str),
                match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                }
            )
        })
        .collect();
    found.sort();
    if found != expected {
        return Err(format!("expected {expected:?}\n     got {found:?}\n{}", text()).into());
    }
    if !report.inputs.not_exercised.is_empty() {
        return Err(format!(
            "properties tested nothing: {:?}\n{}",
            report.inputs.not_exercised,
            text()
        )
        .into());
    }
    for f in report.findings.iter().filter(|f| !f.accepted) {
        if let Some(w) = &f.witness
            && w.sqlite_outcome == w.postgres_outcome
        {
            return Err(format!("{}: the witness shows no disagreement\n{}", f.id, text()).into());
        }
    }
    Ok(())
}
