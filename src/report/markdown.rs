//! Markdown, for pull-request comments and job summaries.

use std::fmt::Write;

use super::{Inputs, Report, Summary};
use crate::model::finding::Finding;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn markdown(report: &Report) -> String {
    let mut s = String::new();
    let sm = &report.summary;
    let i = &report.inputs;
    headline(&mut s, sm, i);
    let open: Vec<_> = report
        .findings
        .iter()
        .filter(|f| !f.accepted && !f.baselined)
        .collect();
    if !open.is_empty() {
        open_findings(&mut s, &open);
    }
    baseline(&mut s, sm, i);
    if !i.unused_accepts.is_empty() {
        let _ = writeln!(
            s,
            "\n### Unused accepts\n\nMatched nothing in this run (they fail nothing): delete them from `{}`, or fix what they name.\n",
            i.config.as_deref().unwrap_or("the config")
        );
        for a in &i.unused_accepts {
            let _ = writeln!(
                s,
                "- `[[accept]] {}` — *{}*",
                cell(&a.to_string()),
                cell(&a.reason)
            );
        }
    }
    if !i.not_exercised.is_empty() {
        let _ = writeln!(
            s,
            "\n### Not exercised\n\nThese properties applied but tested nothing (every case was discarded):\n"
        );
        for n in &i.not_exercised {
            let _ = writeln!(s, "- {}", cell(n));
        }
    }
    if !i.blocked_by_trigger.is_empty() {
        let _ = writeln!(
            s,
            "\n### Blocked by a trigger\n\nA trigger refused every generated row of these properties on both engines (its condition needs a row elsewhere the generator could not make):\n"
        );
        for n in &i.blocked_by_trigger {
            let _ = writeln!(s, "- {}", cell(n));
        }
    }
    let accepted: Vec<_> = report.findings.iter().filter(|f| f.accepted).collect();
    if !accepted.is_empty() {
        let _ = writeln!(s, "\n### Accepted differences\n");
        for f in accepted {
            let _ = writeln!(
                s,
                "- `{}`: {} — *{}*",
                f.table,
                cell(&f.message),
                cell(f.reason.as_deref().unwrap_or(""))
            );
        }
    }
    s
}

/// The verdict, and what was compared with how many cases and findings.
fn headline(s: &mut String, sm: &Summary, i: &Inputs) {
    let verdict = if sm.findings > 0 {
        "❌ differences"
    } else if sm.baselined > 0 {
        "✅ no new differences"
    } else {
        "✅ parity"
    };
    let _ = writeln!(s, "## schema-parity: {verdict}\n");
    let _ = writeln!(
        s,
        "SQLite `{}` ({}) vs PostgreSQL `{}` ({}, {}): {} tables, {} checks, {} cases, **{} finding(s)**, {} accepted.\n",
        i.sqlite,
        i.sqlite_version,
        i.pg,
        i.postgres_version,
        i.pg_backend,
        sm.tables,
        sm.checks_run,
        sm.cases_run,
        sm.findings,
        sm.accepted
    );
}

/// The findings neither accepted nor baselined: one table row each, then
/// their witnesses and example rows, folded.
fn open_findings(s: &mut String, open: &[&Finding]) {
    let _ = writeln!(s, "| table | columns | check | category | finding |");
    let _ = writeln!(s, "|---|---|---|---|---|");
    for f in open {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} |",
            f.table,
            if f.members.is_empty() {
                f.columns
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else if !f.new_places().is_empty() {
                cell(&format!(
                    "new on {} (seen on {})",
                    f.new_places(),
                    f.places()
                ))
            } else {
                cell(&format!("seen on {}", f.places()))
            },
            f.check.name(),
            f.category.name(),
            cell(&f.message)
        );
    }
    for f in open.iter().filter(|f| f.witness.is_some()) {
        if let Some(w) = &f.witness {
            let _ = writeln!(
                s,
                "\n<details><summary>witness: {}</summary>\n\nSQLite — {}\n```sql\n{}\n```\nPostgreSQL — {}\n```sql\n{}\n```\n</details>",
                f.id,
                cell(&w.sqlite_outcome),
                w.sqlite_sql.join("\n"),
                cell(&w.postgres_outcome),
                w.postgres_sql.join("\n")
            );
        }
    }
    for f in open.iter().filter(|f| !f.examples.is_empty()) {
        let _ = writeln!(s, "\n<details><summary>rows: {}</summary>\n", f.id);
        for e in &f.examples {
            let _ = match (&e.sqlite, &e.postgres) {
                (Some(sq), Some(pg)) => writeln!(
                    s,
                    "- `{}`: SQLite {} → PostgreSQL {}",
                    e.key,
                    cell(sq),
                    cell(pg)
                ),
                _ => writeln!(s, "- `{}`", e.key),
            };
        }
        let _ = writeln!(s, "</details>");
    }
}

/// With a baseline: how many known findings it held, and the lines to
/// delete from it.
fn baseline(s: &mut String, sm: &Summary, i: &Inputs) {
    let Some(path) = &i.baseline else {
        return;
    };
    if sm.baselined > 0 {
        let _ = writeln!(
            s,
            "\n{} known finding(s) in the baseline `{path}` (not failing).",
            sm.baselined
        );
    }
    if !i.baseline_gone.is_empty() {
        let _ = writeln!(
            s,
            "\n### Gone from the baseline\n\nNot seen in this run: delete these lines from `{path}`.\n"
        );
        for id in &i.baseline_gone {
            let _ = writeln!(s, "- `{id}`");
        }
    }
}
