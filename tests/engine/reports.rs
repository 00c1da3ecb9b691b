//! Reporters are views of one report: each shows every finding, marks
//! accepted ones, and carries the witness.

use std::sync::Arc;

use libtest_mimic::{Failed, Trial};
use schema_parity::model::finding::CheckKind;
use schema_parity::report::{self, Format};

use crate::common::{Shared, assemble, fixtures_dir};

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    let s = shared.clone();
    vec![Trial::test(
        "reports::every_format_shows_findings_and_witnesses",
        move || formats(&s),
    )]
}

fn formats(shared: &Shared) -> Result<(), Failed> {
    let eq = fixtures_dir().join("equivalent");
    let tmp = tempfile::tempdir()?;
    let (sq, pg) = (tmp.path().join("sqlite"), tmp.path().join("pg"));
    assemble(&eq.join("sqlite"), &sq, None)?;
    assemble(
        &eq.join("pg"),
        &pg,
        Some(&fixtures_dir().join("behaviour/fk_missing/pg.sql")),
    )?;
    let r = shared.check_with(
        &sq,
        &pg,
        Some(eq.join("parity.toml")),
        vec![
            CheckKind::Structure,
            CheckKind::Constraint,
            CheckKind::Sequence,
        ],
        64,
    )?;
    let fk = r
        .findings
        .iter()
        .find(|f| f.category.name() == "foreign_key" && !f.accepted)
        .ok_or("the planted FK difference is missing")?;
    if fk.check != CheckKind::Structure || fk.witness.is_none() {
        return Err(format!("one finding per root cause: the structural finding should carry the behavioural witness: {fk:?}").into());
    }
    let json: serde_json::Value = serde_json::from_str(&report::render(&r, Format::Json))?;
    let findings = json["findings"].as_array().ok_or("findings array")?;
    if json["schema_version"] != 1
        || findings.len() != r.findings.len()
        || json["inputs"]["pg_backend"].is_null()
    {
        return Err(format!("json does not follow the contract: {json}").into());
    }
    let junit = report::render(&r, Format::Junit);
    let markdown = report::render(&r, Format::Markdown);
    let text = report::render(&r, Format::Text);
    for (name, out) in [("junit", &junit), ("markdown", &markdown), ("text", &text)] {
        // 987654314: the dangling reference the constraint probe sends.
        if !out.contains("orders") || !out.contains("987654314") {
            return Err(format!("{name} lacks the finding or its witness:\n{out}").into());
        }
    }
    if !junit.contains("<failure")
        || !junit.contains("<skipped")
        || junit.matches("<testcase").count() != r.findings.len() + 1
    {
        return Err(format!(
            "junit: one case per finding, failures and accepted-as-skipped:\n{junit}"
        )
        .into());
    }
    if !markdown.contains("| `orders` |") || !markdown.contains("Accepted differences") {
        return Err(format!("markdown table or accepted section missing:\n{markdown}").into());
    }
    Ok(())
}
