//! JUnit XML: one test case per finding (a failure, or skipped when
//! accepted or in the baseline), one skipped case per property that tested
//! nothing, one passing case per baseline entry that is gone and per accept
//! rule that matched nothing, plus one summary case, so CI systems show each
//! difference and each gap.

use std::fmt::Write;

use super::Report;

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
    let not_exercised = &report.inputs.not_exercised;
    let blocked = &report.inputs.blocked_by_trigger;
    let gone = &report.inputs.baseline_gone;
    let skipped = report
        .findings
        .iter()
        .filter(|f| f.accepted || f.baselined)
        .count()
        + not_exercised.len()
        + blocked.len();
    let unused = &report.inputs.unused_accepts;
    let cases =
        report.findings.len() + not_exercised.len() + blocked.len() + gone.len() + unused.len() + 1;
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    #[expect(clippy::cast_precision_loss, reason = "seconds for display")]
    let secs = report.summary.duration_ms as f64 / 1000.0;
    let _ = writeln!(
        s,
        "<testsuites name=\"schema-parity\" tests=\"{cases}\" failures=\"{failures}\" skipped=\"{skipped}\" time=\"{secs:.3}\">"
    );
    let _ = writeln!(
        s,
        "  <testsuite name=\"schema-parity\" tests=\"{cases}\" failures=\"{failures}\" skipped=\"{skipped}\">"
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
        if !f.members.is_empty() {
            let _ = write!(body, "\nseen on: {}", f.places());
            let new = f.new_places();
            if !new.is_empty() {
                let _ = write!(
                    body,
                    "\nnew on: {new} (the other places are in the baseline)"
                );
            }
        }
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
        } else if f.baselined {
            let _ = writeln!(
                s,
                ">\n      <skipped message=\"in the baseline {}\"/>\n    </testcase>",
                esc(report.inputs.baseline.as_deref().unwrap_or(""))
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
    for (class, what, list) in [
        ("not_exercised", "not exercised: ", not_exercised),
        ("blocked_by_trigger", "", blocked),
    ] {
        for n in list {
            // `table::property: why`
            let (name, why) = n.split_once(": ").unwrap_or((n, ""));
            let _ = writeln!(
                s,
                "    <testcase classname=\"parity.{class}\" name=\"{}\">\n      <skipped message=\"{what}{}\"/>\n    </testcase>",
                esc(name),
                esc(why)
            );
        }
    }
    for id in gone {
        let _ = writeln!(
            s,
            "    <testcase classname=\"parity.baseline_gone\" name=\"{}\"/>",
            esc(id)
        );
    }
    for a in unused {
        let _ = writeln!(
            s,
            "    <testcase classname=\"parity.unused_accept\" name=\"{}\"/>",
            esc(&a.to_string())
        );
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}
