//! A baseline: the findings a project already knows about, so that `check
//! --baseline FILE` fails only on new ones while the known ones get fixed,
//! and names the known ones that are gone so the file can shrink.
//!
//! The file lists one key per line: a finding's id, or for a grouped
//! finding each member's own id (the id that place's finding has alone).
//! Keys are per member so a group that gains or loses members — or shrinks
//! to one, when it is reported ungrouped under that member's id — still
//! matches place by place. `#` starts a comment.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::finding::{Category, CheckKind, Finding};
use crate::report::Report;

/// A parsed baseline file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    pub path: PathBuf,
    /// The keys, in file order.
    keys: Vec<String>,
}

impl Baseline {
    /// Reads and parses `path`.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses a baseline's text; `path` is for error messages. A line is
    /// blank, a `#` comment, or one finding id (optionally followed by a
    /// `#` comment); anything else is an error naming the line.
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let bad = |line: usize, message: String| Error::Baseline {
            path: path.to_path_buf(),
            line,
            message,
        };
        let mut keys: Vec<String> = Vec::new();
        let mut first_line: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let n = i + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            let key = words.next().unwrap_or_default();
            if let Some(rest) = words.next()
                && !rest.starts_with('#')
            {
                return Err(bad(
                    n,
                    format!(
                        "`{line}` is not one finding id (one id per line; `#` starts a comment)"
                    ),
                ));
            }
            if let Some(why) = malformed(key) {
                return Err(bad(n, format!("`{key}` is not a finding id: {why}")));
            }
            if let Some(first) = first_line.get(key) {
                return Err(bad(
                    n,
                    format!("`{key}` is listed twice (also line {first})"),
                ));
            }
            first_line.insert(key.to_string(), n);
            keys.push(key.to_string());
        }
        Ok(Baseline {
            path: path.to_path_buf(),
            keys,
        })
    }

    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// Marks the report's unaccepted findings (and members) the baseline
    /// lists as baselined, records the file and the entries this run did
    /// not see, and recounts the summary.
    pub fn apply(&self, report: &mut Report) {
        let listed: BTreeSet<&str> = self.keys.iter().map(String::as_str).collect();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for f in report.findings.iter_mut().filter(|f| !f.accepted) {
            if f.members.is_empty() {
                f.baselined = listed.contains(f.id.as_str());
                if f.baselined {
                    seen.insert(f.id.clone());
                }
                continue;
            }
            for m in &mut f.members {
                m.baselined = listed.contains(m.id.as_str());
                if m.baselined {
                    seen.insert(m.id.clone());
                }
            }
            f.baselined = f.members.iter().all(|m| m.baselined);
        }
        report.inputs.baseline = Some(self.path.display().to_string());
        report.inputs.baseline_gone = self
            .keys
            .iter()
            .filter(|k| !seen.contains(*k))
            .cloned()
            .collect();
        report.count();
    }
}

/// Why `key` cannot be a finding id, or `None`: an id is
/// `<check>.<category>.<rest>` with the report's check and category names.
fn malformed(key: &str) -> Option<String> {
    let mut parts = key.splitn(3, '.');
    let (check, category, rest) = (parts.next(), parts.next(), parts.next());
    let (Some(check), Some(category), Some(rest)) = (check, category, rest) else {
        return Some("an id is `<check>.<category>.<table>…`, as the report prints it".into());
    };
    if CheckKind::parse(check).is_none() {
        return Some(format!(
            "`{check}` is not a check (one of: {})",
            CheckKind::ALL.map(CheckKind::name).join(", ")
        ));
    }
    if Category::parse(category).is_none() {
        return Some(format!("`{category}` is not a category"));
    }
    rest.is_empty()
        .then(|| "nothing follows the check and category".into())
}

/// The keys a finding contributes to a baseline: its id, or each member's
/// own id for a grouped finding.
pub fn keys(f: &Finding) -> Vec<&str> {
    if f.members.is_empty() {
        vec![f.id.as_str()]
    } else {
        f.members.iter().map(|m| m.id.as_str()).collect()
    }
}

/// The baseline file for a report: the keys of every unaccepted finding
/// (errors and warnings), each finding's message as a comment above them.
pub fn render(report: &Report) -> String {
    let mut s = String::from(
        "# schema-parity baseline: the findings known when this file was written.\n\
         # `schema-parity check --baseline FILE` fails only on findings not listed\n\
         # here, and names the listed ones that are gone: delete their lines.\n\
         # One finding id per line (a grouped finding: one line per member);\n\
         # `#` starts a comment.\n",
    );
    s.push_str(&format!(
        "# written from: --sqlite {} --pg {}\n",
        report.inputs.sqlite, report.inputs.pg
    ));
    for f in report.findings.iter().filter(|f| !f.accepted) {
        let message: String = f.message.replace(['\n', '\r'], " ");
        let short: String = message.chars().take(110).collect();
        let ellipsis = if short.len() < message.len() {
            "…"
        } else {
            ""
        };
        s.push_str(&format!("\n# {short}{ellipsis}\n"));
        for k in keys(f) {
            s.push_str(k);
            s.push('\n');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Baseline> {
        Baseline::parse(Path::new("b.txt"), text)
    }

    #[test]
    fn ids_comments_and_blank_lines() {
        let b = parse("# header\n\nstructure.type.a.x\n  round_trip.check.t.c.why  # a note\n")
            .expect("parses");
        assert_eq!(b.keys(), ["structure.type.a.x", "round_trip.check.t.c.why"]);
    }

    #[test]
    fn a_bad_line_is_an_error_naming_file_and_line() {
        for (text, line, needle) in [
            ("structure.type.a.x\nnot-an-id\n", 2, "not-an-id"),
            ("structure.type.a.x extra words\n", 1, "one finding id"),
            ("# c\nshape.type.a.x\n", 2, "`shape` is not a check"),
            ("structure.colour.a.x\n", 1, "`colour` is not a category"),
            ("structure.type.\n", 1, "nothing follows"),
            ("structure.type.a\n\nstructure.type.a\n", 3, "also line 1"),
        ] {
            let e = parse(text).expect_err(text).to_string();
            assert!(e.contains("b.txt"), "{e}");
            assert!(e.contains(&format!("line {line}")), "{e}");
            assert!(e.contains(needle), "{e}");
        }
    }
}
