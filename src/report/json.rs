//! The JSON report, version 1 (contract in docs/reference.md, "The JSON report").

use super::Report;

pub fn json(report: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
