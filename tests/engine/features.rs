//! Schema features real chains use (STRICT, WITHOUT ROWID, generated
//! columns, views, AUTOINCREMENT, NOCASE/RTRIM ↔ citext, foreign keys to a
//! unique column, deferrable foreign keys; PostgreSQL domains, identity
//! columns, a non-public schema, CHAR(n), arrays, numeric(p,s), local-time
//! defaults): each pair under
//! tests/fixtures/features is checked like a root-cause fixture (every check
//! at once, exactly the findings its `expect` lists, each with a witness
//! that replays unless marked `structural`). `<feature>_differs` plants a
//! difference; `<feature>_same` is the equivalent spelling, which must stay
//! quiet with every property exercised. Realistic values: the length limit
//! of `realistic_email_differs` is found by `round_trip` alone with a
//! fake-made email as its witness.

use std::sync::Arc;

use libtest_mimic::{Failed, Trial};
use schema_parity::model::finding::CheckKind;

use crate::common::{Shared, fixture_names, fixtures_dir, planted_config, planted_pair};

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    let mut out: Vec<Trial> = fixture_names("features")
        .into_iter()
        .map(|name| {
            let s = shared.clone();
            let dir = fixtures_dir().join("features").join(&name);
            Trial::test(format!("features::{name}"), move || {
                crate::root_cause::case(&s, &dir)
            })
        })
        .collect();
    let s = shared.clone();
    out.push(Trial::test(
        "features::realistic_email_witness_is_fake_made",
        move || realistic_email_witness(&s),
    ));
    out
}

/// `check --checks round_trip` on `realistic_email_differs` (a column
/// parity.toml says holds emails, TEXT against VARCHAR(20)): the length
/// finding's witness inserts a realistic email past the limit — not the
/// hand-picked `xxx…` nor edge text (whose alphabet has no `@`).
fn realistic_email_witness(shared: &Shared) -> Result<(), Failed> {
    let dir = fixtures_dir().join("features/realistic_email_differs");
    let (tmp, sq, pg) = planted_pair(&dir)?;
    let config = planted_config(&dir, tmp.path())?;
    let report = shared.check_with(&sq, &pg, Some(config), vec![CheckKind::RoundTrip], 256)?;
    let text = || schema_parity::report::text(&report);
    let Some(f) = report.findings.iter().find(|f| {
        !f.accepted
            && f.table == "subscribers"
            && f.columns.first().map(String::as_str) == Some("contact")
    }) else {
        return Err(format!("no finding on subscribers.contact\n{}", text()).into());
    };
    let w = f.witness.as_ref().ok_or("the finding has no witness")?;
    let insert = w
        .sqlite_sql
        .iter()
        .rev()
        .find(|s| s.starts_with("INSERT INTO \"subscribers\""))
        .ok_or_else(|| format!("no INSERT into subscribers in {w:?}"))?;
    let emails: Vec<String> = literals(insert)
        .into_iter()
        .filter(|v| is_email(v))
        .collect();
    match emails.as_slice() {
        [e] if e.chars().count() > 20 => Ok(()),
        _ => Err(format!(
            "the witness holds no realistic email past 20 characters: {insert}\n{}",
            text()
        )
        .into()),
    }
}

/// The quoted text literals of a SQL statement (`''` is a quote).
fn literals(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut lit = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    break;
                }
            }
            lit.push(c);
        }
        out.push(lit);
    }
    out
}

/// `local@host.tld`, no spaces, a letter in the local part.
fn is_email(v: &str) -> bool {
    let Some((local, host)) = v.split_once('@') else {
        return false;
    };
    local.chars().any(char::is_alphabetic)
        && !v.chars().any(char::is_whitespace)
        && host.rsplit_once('.').is_some_and(|(name, tld)| {
            !name.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase())
        })
}
