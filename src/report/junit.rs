//! JUnit XML: one test case per finding (a failure, or skipped when
//! accepted), plus one summary case, so CI systems show each difference.

use std::fmt::Write;

use crate::run::Report;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

pub fn junit(report: &Report) -> String {
    let failures = report.failures();
    let skipped = report.findings.iter().filter(|f| f.accepted).count();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    #[expect(clippy::cast_precision_loss, reason = "seconds for display")]
    let secs = report.summary.duration_ms as f64 / 1000.0;
    let _ = writeln!(
        s,
        "<testsuites name=\"schema-parity\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\" time=\"{secs:.3}\">",
        report.findings.len() + 1
    );
    let _ = writeln!(
        s,
        "  <testsuite name=\"schema-parity\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">",
        report.findings.len() + 1
    );
    let _ = writeln!(
        s,
        "    <testcase classname=\"schema-parity\" name=\"summary: {} tables, {} checks, {} cases\"/>",
        report.summary.tables, report.summary.checks_run, report.summary.cases_run
    );
    for f in &report.findings {
        let _ = write!(
            s,
            "    <testcase classname=\"parity.{}.{}\" name=\"{}\"",
            esc(&f.table),
            f.check.name(),
            esc(&f.id)
        );
        let mut body = format!(
            "{}\nsqlite: {}\npostgres: {}",
            f.message, f.sqlite, f.postgres
        );
        if let Some(w) = &f.witness {
            let _ = write!(
                body,
                "\nwitness (SQLite): {}\n  -> {}\nwitness (PostgreSQL): {}\n  -> {}",
                w.sqlite_sql.join(" "),
                w.sqlite_outcome,
                w.postgres_sql.join(" "),
                w.postgres_outcome
            );
        }
        if f.accepted {
            let _ = writeln!(
                s,
                ">\n      <skipped message=\"accepted: {}\"/>\n    </testcase>",
                esc(f.reason.as_deref().unwrap_or(""))
            );
        } else {
            let _ = writeln!(
                s,
                ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                f.category.name(),
                esc(&f.message),
                esc(&body)
            );
        }
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}
