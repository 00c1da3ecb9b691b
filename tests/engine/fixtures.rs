//! Fixture pairs: the equivalent pair must give zero findings, and each
//! planted pair exactly the finding its `expect` file names — nothing else.

use std::sync::Arc;

use libtest_mimic::{Failed, Trial};

use crate::common::{Shared, fixture_names, fixtures_dir, planted_pair, summary};

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    let mut out = Vec::new();
    let s = shared.clone();
    out.push(Trial::test(
        "fixtures::equivalent_pair_has_no_finding",
        move || {
            let eq = fixtures_dir().join("equivalent");
            let report = s.check(&eq.join("sqlite"), &eq.join("pg"), None)?;
            let found = summary(&report);
            if !found.is_empty() {
                return Err(format!(
                    "expected parity, got {found:?}\n{}",
                    schema_parity::report::text(&report)
                )
                .into());
            }
            if report.inputs.skipped_files.len() != 1 {
                return Err(format!(
                    "validate_schema.sql should be listed as skipped: {:?}",
                    report.inputs.skipped_files
                )
                .into());
            }
            Ok(())
        },
    ));
    let planted = fixtures_dir().join("planted");
    let names = fixture_names("planted");
    for name in names {
        let s = shared.clone();
        let dir = planted.join(&name);
        out.push(Trial::test(
            format!("fixtures::planted::{name}"),
            move || planted_case(&s, &dir),
        ));
    }
    out
}

fn planted_case(shared: &Shared, dir: &std::path::Path) -> Result<(), Failed> {
    let (_tmp, sq, pg) = planted_pair(dir)?;
    let report = shared.check(&sq, &pg, None)?;
    let expect = std::fs::read_to_string(dir.join("expect")).map_err(|e| e.to_string())?;
    let mut expected: Vec<(String, String, String)> = expect
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut w = l.split_whitespace().map(str::to_string);
            (
                w.next().unwrap_or_default(),
                w.next().unwrap_or_default(),
                w.next().unwrap_or_else(|| "-".into()),
            )
        })
        .collect();
    expected.sort();
    let found = summary(&report);
    if found != expected {
        return Err(format!(
            "expected {expected:?}\n     got {found:?}\n{}",
            schema_parity::report::text(&report)
        )
        .into());
    }
    Ok(())
}
