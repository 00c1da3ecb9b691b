//! Reporters are views of one report: each shows every finding, marks
//! accepted ones, and carries the witness.

use std::sync::Arc;

use libtest_mimic::{Failed, Trial};
use schema_parity::model::finding::CheckKind;
use schema_parity::report::{self, Format};

use crate::common::{Shared, assemble, fixtures_dir};

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    let s = shared.clone();
    let t = shared.clone();
    vec![
        Trial::test(
            "reports::every_format_shows_findings_and_witnesses",
            move || formats(&s),
        ),
        Trial::test(
            "reports::a_fixed_seed_gives_the_same_report_twice",
            move || same_twice(&t),
        ),
    ]
}

/// The JSON report without what the clock or the server's random source
/// decides: timings, and a witness's statements (its parent rows spell
/// values the database drew — random bytes, the time — when they were
/// inserted). The outcomes stay: the ids each engine handed out.
fn comparable(mut v: serde_json::Value) -> serde_json::Value {
    match &mut v {
        serde_json::Value::Object(map) => {
            for key in ["duration_ms", "sqlite_sql", "postgres_sql"] {
                map.remove(key);
            }
            for (_, x) in map.iter_mut() {
                *x = comparable(x.take());
            }
        }
        serde_json::Value::Array(items) => {
            for x in items.iter_mut() {
                *x = comparable(x.take());
            }
        }
        _ => {}
    }
    v
}

/// Two runs at one seed give one report, but for timings and values the
/// database draws —
/// though two workers share the jobs in whatever order the threads take
/// them, and PostgreSQL sequences are not rolled back with a case (the
/// bundled pair's accepted `sequence` finding shows the ids the server
/// handed out).
fn same_twice(shared: &Shared) -> Result<(), Failed> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = || -> Result<serde_json::Value, Failed> {
        let r = shared.check_with(
            &root.join("migrations_sqlite"),
            &root.join("migrations_pg"),
            Some(root.join("parity.toml")),
            CheckKind::ALL.to_vec(),
            32,
        )?;
        Ok(comparable(serde_json::from_str(&report::render(
            &r,
            Format::Json,
        ))?))
    };
    let (a, b) = (run()?, run()?);
    if a["findings"].as_array().is_none_or(|f| f.is_empty()) {
        return Err(format!("the fixture should give accepted findings to compare: {a}").into());
    }
    if a != b {
        let (a, b) = (
            serde_json::to_string_pretty(&a)?,
            serde_json::to_string_pretty(&b)?,
        );
        let first = a
            .lines()
            .zip(b.lines())
            .find(|(x, y)| x != y)
            .map(|(x, y)| format!("first run: {x}\nsecond run: {y}"))
            .unwrap_or_default();
        return Err(format!("two runs at one seed differ:\n{first}").into());
    }
    Ok(())
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
