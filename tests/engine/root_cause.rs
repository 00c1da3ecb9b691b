//! One finding per root cause, on the right column: each pair under
//! tests/fixtures/root_cause (the equivalent pair plus a `sqlite.sql` /
//! `pg.sql`) is checked with every check at once, and must give exactly the
//! findings its `expect` file lists (`category table column severity`, one
//! per line; none for an equivalent pair) — no duplicate from another check,
//! no finding blamed on another column — with every property exercised and
//! every witness showing the engines disagreeing, again when it is replayed
//! on fresh copies of both databases.

use std::sync::Arc;

use libtest_mimic::{Failed, Trial};
use schema_parity::build::RunOptions;
use schema_parity::engine::{Outcome, RejectionKind};
use schema_parity::model::Both;
use schema_parity::model::finding::{CheckKind, Severity};

use crate::common::{Shared, fixture_names, fixtures_dir, options, planted_config, planted_pair};

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

/// Checks one pair against its `expect` file. An expect line may end in
/// `structural`: that finding needs no behavioural witness (no probe shows
/// it yet); every other one must carry a witness that replays. A
/// `pg_schema` file names the schema the PostgreSQL side keeps its tables
/// in (`--pg-schema`); an `extensions` file the extensions the PostgreSQL
/// side requires (recorded in `inputs`); a `message` file text the findings
/// must say; an `applies` file lists `table::property` pairs that
/// must run rather than be set aside as not applicable; a `parity.toml` is
/// appended to the equivalent pair's (e.g. a column's `generator`).
pub fn case(shared: &Shared, dir: &std::path::Path) -> Result<(), Failed> {
    let (tmp, sq, pg) = planted_pair(dir)?;
    let config = planted_config(dir, tmp.path())?;
    let pg_schema = std::fs::read_to_string(dir.join("pg_schema"))
        .ok()
        .map(|s| s.trim().to_string());
    let opts = RunOptions {
        pg_schema: pg_schema.clone(),
        values_from: None,
        config_search: true,
        ..options(&sq, &pg, Some(config), CheckKind::ALL.to_vec(), 256)
    };
    let report = schema_parity::commands::check::check_on(&opts, shared.server()?, &|_: &str| {})
        .map_err(|e| e.to_string())?;
    if let Some(schema) = &pg_schema
        && report.inputs.pg_schema != *schema
    {
        return Err(format!("read schema {}, not {schema}", report.inputs.pg_schema).into());
    }
    let text = || schema_parity::report::text(&report);
    let expect = std::fs::read_to_string(dir.join("expect")).map_err(|e| e.to_string())?;
    let lines: Vec<Vec<&str>> = expect
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect())
        .collect();
    let key = |w: &[&str]| w.iter().take(4).copied().collect::<Vec<_>>().join(" ");
    let structural: Vec<String> = lines
        .iter()
        .filter(|w| w.get(4) == Some(&"structural"))
        .map(|w| key(w))
        .collect();
    let mut expected: Vec<String> = lines.iter().map(|w| key(w)).collect();
    expected.sort();
    let line_of = |f: &schema_parity::model::finding::Finding| {
        format!(
            "{} {} {} {}",
            f.category.name(),
            f.table,
            f.columns.first().map_or("-", String::as_str),
            match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            }
        )
    };
    let mut found: Vec<String> = report
        .findings
        .iter()
        .filter(|f| !f.accepted)
        .map(line_of)
        .collect();
    found.sort();
    if found != expected {
        return Err(format!("expected {expected:?}\n     got {found:?}\n{}", text()).into());
    }
    // A `message` file holds text (one piece a line) the findings' messages
    // must say: what differs, in words a person reads.
    if let Ok(said) = std::fs::read_to_string(dir.join("message")) {
        for piece in said.lines().filter(|l| !l.trim().is_empty()) {
            if !report
                .findings
                .iter()
                .any(|f| !f.accepted && f.message.contains(piece))
            {
                return Err(format!("no finding says {piece:?}\n{}", text()).into());
            }
        }
    }
    if !report.inputs.not_exercised.is_empty() {
        return Err(format!(
            "properties tested nothing: {:?}\n{}",
            report.inputs.not_exercised,
            text()
        )
        .into());
    }
    // An `extensions` file lists the extensions the PostgreSQL side
    // requires, which the report must record.
    if let Ok(wanted) = std::fs::read_to_string(dir.join("extensions")) {
        let wanted: Vec<&str> = wanted.split_whitespace().collect();
        if report.inputs.pg_extensions != wanted {
            return Err(format!(
                "extensions recorded: {:?}, not {wanted:?}\n{}",
                report.inputs.pg_extensions,
                text()
            )
            .into());
        }
        if !wanted.is_empty() && !text().contains(&wanted.join(", ")) {
            return Err(format!("the text report does not name the extensions\n{}", text()).into());
        }
    }
    // An `applies` file lists `table::property` pairs that must run (not be
    // set aside as not applicable).
    if let Ok(applies) = std::fs::read_to_string(dir.join("applies")) {
        for pair in applies.split_whitespace() {
            let prefix = format!("{pair}:");
            if let Some(why) = report
                .inputs
                .not_applicable
                .iter()
                .find(|n| n.starts_with(&prefix))
            {
                return Err(format!("{pair} did not run: {why}\n{}", text()).into());
            }
        }
    }
    for f in report.findings.iter().filter(|f| !f.accepted) {
        if let Some(w) = &f.witness
            && w.sqlite_outcome == w.postgres_outcome
        {
            return Err(format!("{}: the witness shows no disagreement\n{}", f.id, text()).into());
        }
    }
    // Where the fixture says which columns the witness needs, the INSERT
    // into the finding's table names those and no others.
    if let Ok(wanted) = std::fs::read_to_string(dir.join("witness_columns")) {
        let wanted: Vec<&str> = wanted.split_whitespace().collect();
        for f in report.findings.iter().filter(|f| !f.accepted) {
            let into = format!("INSERT INTO \"{}\" (", f.table);
            let named: Option<Vec<String>> = f.witness.as_ref().and_then(|w| {
                let stmt = w.sqlite_sql.iter().rev().find(|s| s.starts_with(&into))?;
                let list = stmt[into.len()..].split(')').next()?;
                Some(
                    list.split(", ")
                        .map(|c| c.trim_matches('"').to_string())
                        .collect(),
                )
            });
            if named.as_deref().is_none_or(|n| n != wanted.as_slice()) {
                return Err(format!(
                    "{}: the witness INSERT names {named:?}, not just {wanted:?}\n{}",
                    f.id,
                    text()
                )
                .into());
            }
        }
    }
    // Replayed on fresh copies of the migrated databases (no parent rows,
    // nothing from the run), each witness still shows the engines disagreeing.
    let opts = RunOptions {
        pg_schema,
        ..options(&sq, &pg, None, Vec::new(), 0)
    };
    let built = schema_parity::build::build(&opts, shared.server()?, &|_: &str| {})?;
    for (i, f) in report.findings.iter().filter(|f| !f.accepted).enumerate() {
        if structural.contains(&line_of(f)) {
            continue;
        }
        // Each planted difference here changes what data does: its own
        // probe must have found it and attached the witness.
        let Some(w) = &f.witness else {
            return Err(format!("{}: no behavioural witness\n{}", f.id, text()).into());
        };
        let mut worker =
            schema_parity::check::Worker::new(&built.sqlite_conn, &built.database, 100 + i)?;
        let whole = replay(&mut worker, w, None)?;
        // A witness inserts the rows it refers to: both refusing a
        // reference means it leans on rows of the run it came from.
        if let Some(n) = whole.iter().position(|(so, po)| {
            so.kind() == Some(RejectionKind::ForeignKey)
                && po.kind() == Some(RejectionKind::ForeignKey)
        }) {
            return Err(format!(
                "{}: statement {} refers to a row the witness does not insert\n{}",
                f.id,
                n + 1,
                text()
            )
            .into());
        }
        let disagree = |outcomes: &[&(Outcome, Outcome)]| {
            outcomes
                .iter()
                .any(|(so, po)| so.is_ok() != po.is_ok() || so.is_ok() && so.rows() != po.rows())
        };
        if !disagree(&whole.iter().collect::<Vec<_>>()) {
            return Err(format!(
                "{}: replayed on fresh databases, the witness shows no disagreement\n{}",
                f.id,
                text()
            )
            .into());
        }
        // Every statement is needed: without any one of them, the others
        // no longer show the same disagreement.
        for skip in 0..w.sqlite_sql.len() {
            let without = replay(&mut worker, w, Some(skip))?;
            let rest: Vec<_> = (0..whole.len())
                .filter(|&k| k != skip)
                .map(|k| &whole[k])
                .collect();
            if without.iter().collect::<Vec<_>>() == rest && disagree(&rest) {
                return Err(format!(
                    "{}: statement {} of the witness is not needed (the others do the same without it)\n{}",
                    f.id,
                    skip + 1,
                    text()
                )
                .into());
            }
        }
    }
    Ok(())
}

/// The witness's statements (less the one at `skip`) run on `worker`'s
/// fresh databases in one rolled-back transaction: each statement's outcome
/// per engine.
fn replay(
    worker: &mut schema_parity::check::Worker,
    w: &schema_parity::model::finding::Witness,
    skip: Option<usize>,
) -> Result<Vec<(Outcome, Outcome)>, Failed> {
    worker.begin()?;
    let mut out = Vec::new();
    for (n, (s, p)) in w.sqlite_sql.iter().zip(&w.postgres_sql).enumerate() {
        if Some(n) == skip {
            continue;
        }
        let Both {
            sqlite: so,
            postgres: po,
        } = worker.run_sql(Both {
            sqlite: s.as_str(),
            postgres: p.as_str(),
        });
        out.push((so, po));
    }
    worker.rollback()?;
    Ok(out)
}
