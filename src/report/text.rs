//! The human-readable report.

use std::fmt::Write;

use super::Report;
use crate::model::finding::{CheckKind, Finding, Severity};

pub fn text(report: &Report) -> String {
    let mut s = String::new();
    inputs(&mut s, report);
    findings(&mut s, report);
    notes(&mut s, report);
    summary(&mut s, report);
    s
}

/// What was compared: versions, counts, config, extensions, skipped files.
fn inputs(s: &mut String, report: &Report) {
    let i = &report.inputs;
    let _ = writeln!(
        s,
        "schema-parity {}: SQLite {} ({}) vs PostgreSQL {} ({}, {})",
        report.tool.version, i.sqlite, i.sqlite_version, i.pg, i.postgres_version, i.pg_backend
    );
    for (side, c) in [("SQLite", &i.sqlite_counts), ("PostgreSQL", &i.pg_counts)] {
        let _ = writeln!(
            s,
            "{side}: {} migration files, {} tables, {} columns, {} foreign keys, {} CHECKs, {} unique keys, {} indexes, {} triggers, {} seed rows",
            c.migrations,
            c.tables,
            c.columns,
            c.foreign_keys,
            c.checks,
            c.unique,
            c.indexes,
            c.triggers,
            c.seed_rows
        );
    }
    match &i.config {
        Some(c) => {
            let _ = writeln!(s, "config: {c}");
        }
        None => {
            let _ = writeln!(s, "config: none (the built-in mappings alone)");
        }
    }
    if let Some(v) = &i.values_from {
        let _ = writeln!(
            s,
            "values from: {} ({} values in {} columns, at most {} a column; {} left out: outside their column's agreed domain)",
            v.file, v.values, v.columns, v.per_column, v.outside
        );
    }
    if !i.pg_extensions.is_empty() {
        let _ = writeln!(
            s,
            "PostgreSQL extensions the schema requires: {}",
            i.pg_extensions.join(", ")
        );
    }
    for f in &i.skipped_files {
        let why = if f.ends_with(".sql") {
            "no version in the name"
        } else {
            "not SQL: code or fizz, not run"
        };
        let _ = writeln!(s, "skipped ({why}): {f}");
    }
    let _ = writeln!(s);
}

/// The open findings (structural first), then the accepted ones.
fn findings(s: &mut String, report: &Report) {
    let (open, accepted): (Vec<_>, Vec<_>) = report.findings.iter().partition(|f| !f.accepted);
    let shown: Vec<&&Finding> = open.iter().filter(|f| !f.baselined).collect();
    let (structural, behavioural): (Vec<&&Finding>, Vec<&&Finding>) = shown
        .into_iter()
        .partition(|f| matches!(f.check, CheckKind::Structure | CheckKind::SeedData));
    for f in &structural {
        finding(s, f);
    }
    if !behavioural.is_empty() {
        let _ = writeln!(
            s,
            "Behaviour no structural difference explains — engine semantics a schema diff cannot see:"
        );
        for f in &behavioural {
            finding(s, f);
        }
    }
    if !accepted.is_empty() {
        let _ = writeln!(s, "accepted differences:");
        for f in &accepted {
            let _ = writeln!(
                s,
                "  [{}/{}] {} — accepted: {}",
                f.check.name(),
                f.category.name(),
                f.message,
                f.reason.as_deref().unwrap_or("")
            );
            if !f.members.is_empty() {
                let _ = writeln!(s, "      seen on: {}", f.places());
            }
        }
    }
}

/// The baseline, unused accepts, and properties that did not apply, tested
/// nothing or were flaky.
fn notes(s: &mut String, report: &Report) {
    let i = &report.inputs;
    if let Some(path) = &i.baseline {
        let known = report.summary.baselined;
        if known > 0 {
            let _ = writeln!(
                s,
                "{known} finding(s) in the baseline {path}: not failing (\"baselined\": true in --format json)."
            );
        }
        if !i.baseline_gone.is_empty() {
            let _ = writeln!(
                s,
                "gone from the baseline {path} (not seen in this run: delete these lines):"
            );
            for id in &i.baseline_gone {
                let _ = writeln!(s, "  {id}");
            }
        }
    }
    if !i.unused_accepts.is_empty() {
        let _ = writeln!(
            s,
            "unused accepts in {} (matched nothing in this run: delete them, or fix what they name):",
            i.config.as_deref().unwrap_or("the config")
        );
        for a in &i.unused_accepts {
            let _ = writeln!(s, "  [[accept]] {a} — {}", a.reason);
        }
    }
    if !i.not_applicable.is_empty() {
        let _ = writeln!(
            s,
            "{} properties do not apply (listed under inputs.not_applicable in --format json).",
            i.not_applicable.len()
        );
    }
    if !i.not_exercised.is_empty() {
        let _ = writeln!(
            s,
            "not exercised (these properties applied but tested nothing):"
        );
        for n in &i.not_exercised {
            let _ = writeln!(s, "  {n}");
        }
    }
    if !i.blocked_by_trigger.is_empty() {
        let _ = writeln!(
            s,
            "blocked by a trigger (it refused every generated row on both engines; its condition needs a row elsewhere the generator could not make):"
        );
        for n in &i.blocked_by_trigger {
            let _ = writeln!(s, "  {n}");
        }
    }
    if !i.flaky.is_empty() {
        let _ = writeln!(s, "flaky (seen once, not on replay):");
        for n in &i.flaky {
            let _ = writeln!(s, "  {n}");
        }
    }
}

/// The last line: the verdict and the totals.
fn summary(s: &mut String, report: &Report) {
    let i = &report.inputs;
    let sm = &report.summary;
    let _ = writeln!(
        s,
        "\n{}: {} tables, {} checks, {} finding(s), {} warning(s), {} accepted{}{}, {} ms",
        if sm.findings > 0 {
            "DIFFERENCES"
        } else if report.incomplete() {
            "INCOMPLETE"
        } else if sm.baselined > 0 {
            "NO NEW DIFFERENCES"
        } else {
            "PARITY"
        },
        sm.tables,
        sm.checks_run,
        sm.findings,
        sm.warnings,
        sm.accepted,
        match &i.baseline {
            Some(_) => format!(
                ", {} in the baseline, {} gone from it",
                sm.baselined, sm.baseline_gone
            ),
            None => String::new(),
        },
        [
            (i.not_exercised.len(), "not exercised"),
            (i.blocked_by_trigger.len(), "blocked by a trigger")
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!(", {n} {what}"))
        .collect::<String>(),
        sm.duration_ms
    );
}

/// A `replay` finding's rows: how many, and its examples (key, then each
/// side's value when the run kept values).
fn examples(s: &mut String, f: &Finding) {
    if let Some(rows) = f.rows {
        let _ = writeln!(s, "    rows:     {rows}");
    }
    for e in &f.examples {
        let _ = match (&e.sqlite, &e.postgres) {
            (Some(sq), Some(pg)) => {
                writeln!(s, "      {}: sqlite {sq:?} -> postgres {pg:?}", e.key)
            }
            _ => writeln!(s, "      {}", e.key),
        };
    }
}

/// One open finding: what differs, where, each side, its evidence and its
/// witness as numbered statements.
fn finding(s: &mut String, f: &Finding) {
    let sev = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let _ = writeln!(
        s,
        "{sev}[{}/{}] {}",
        f.check.name(),
        f.category.name(),
        f.message
    );
    if !f.members.is_empty() {
        let _ = writeln!(s, "    seen on:");
        for m in &f.members {
            let place = match m.columns.as_slice() {
                [] => m.table.clone(),
                cols => format!("{}.{}", m.table, cols.join("+")),
            };
            let _ = match &m.detail {
                Some(d) => writeln!(s, "      {place} ({d})"),
                None => writeln!(s, "      {place}"),
            };
        }
        let new = f.new_places();
        if !new.is_empty() {
            let _ = writeln!(
                s,
                "    new on:   {new} (the other places are in the baseline)"
            );
        }
    }
    let _ = writeln!(s, "    sqlite:   {}", f.sqlite);
    let _ = writeln!(s, "    postgres: {}", f.postgres);
    examples(s, f);
    if !f.seen_by.is_empty() {
        let _ = writeln!(
            s,
            "    proved by: {} (cases where the engines disagreed)",
            f.seen_by
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if let Some(w) = &f.witness {
        for (engine, sql, outcome) in [
            ("SQLite", &w.sqlite_sql, &w.sqlite_outcome),
            ("PostgreSQL", &w.postgres_sql, &w.postgres_outcome),
        ] {
            let _ = writeln!(s, "    witness ({engine}):");
            for (n, stmt) in sql.iter().enumerate() {
                let _ = writeln!(s, "      {}. {stmt}", n + 1);
            }
            let _ = writeln!(s, "      -> {outcome}");
        }
    }
    let _ = writeln!(s, "    id: {}", f.id);
}
