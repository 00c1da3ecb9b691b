//! `schema-parity init`: the files a project needs to adopt the tool, from
//! one run of `check` on its two migration folders — a `parity.toml` listing
//! every current finding as a commented-out `[[accept]]` block, the suite's
//! `tests/parity.rs` (a Rust project), and a CI workflow with the scripts it
//! runs. This module only renders; the binary decides what may be written.

use std::path::{Path, PathBuf};

use crate::model::finding::{Finding, Severity};
use crate::report::Report;

/// Which CI the workflow is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Ci {
    /// `.github/workflows/schema-parity.yml`.
    Github,
    /// `ci/schema-parity.gitlab-ci.yml`, to `include:` from `.gitlab-ci.yml`.
    Gitlab,
    /// No workflow.
    None,
}

/// What `init` is asked for, with the two sides as paths relative to the
/// project directory (as the written files name them).
#[derive(Debug, Clone)]
pub struct Project {
    pub dir: PathBuf,
    pub sqlite: String,
    pub pg: String,
    pub ci: Ci,
    /// The directory holds a `Cargo.toml`: write the suite's test file and
    /// the workflow's `cargo test` job.
    pub rust: bool,
}

/// One file `init` writes, relative to the project directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: PathBuf,
    pub text: String,
    pub executable: bool,
}

const GITHUB: &str = include_str!("../../ci/workflows/github-actions.yml");
const GITLAB: &str = include_str!("../../ci/workflows/gitlab-ci.yml");
const SCRIPTS: [(&str, &str); 3] = [
    (
        "ci/install-postgres.sh",
        include_str!("../../ci/install-postgres.sh"),
    ),
    (
        "ci/install-schema-parity.sh",
        include_str!("../../ci/install-schema-parity.sh"),
    ),
    (
        "ci/parity-check.sh",
        include_str!("../../ci/parity-check.sh"),
    ),
];

/// The paths `init` would write for `project` (checked before the run, so a
/// refusal costs nothing).
pub fn targets(project: &Project) -> Vec<PathBuf> {
    let mut paths = vec![PathBuf::from(crate::config::FILE_NAME)];
    if project.rust {
        paths.push(PathBuf::from("tests/parity.rs"));
    }
    if let Some(w) = workflow_path(project.ci) {
        paths.push(PathBuf::from(w));
        paths.extend(SCRIPTS.iter().map(|(p, _)| PathBuf::from(p)));
    }
    paths
}

fn workflow_path(ci: Ci) -> Option<&'static str> {
    match ci {
        Ci::Github => Some(".github/workflows/schema-parity.yml"),
        Ci::Gitlab => Some("ci/schema-parity.gitlab-ci.yml"),
        Ci::None => None,
    }
}

/// Every file for `project`, after `report` (the run of `check` on it).
pub fn files(project: &Project, report: &Report) -> Vec<File> {
    let mut out = vec![File {
        path: PathBuf::from(crate::config::FILE_NAME),
        text: parity_toml(report),
        executable: false,
    }];
    if project.rust {
        out.push(File {
            path: PathBuf::from("tests/parity.rs"),
            text: suite_test(&project.sqlite, &project.pg),
            executable: false,
        });
    }
    if let Some(path) = workflow_path(project.ci) {
        out.push(File {
            path: PathBuf::from(path),
            text: workflow(project),
            executable: false,
        });
        out.extend(SCRIPTS.iter().map(|(p, text)| File {
            path: PathBuf::from(p),
            text: (*text).to_string(),
            executable: true,
        }));
    }
    out
}

/// The lines a Rust project adds to its `Cargo.toml` for `tests/parity.rs`.
pub fn cargo_lines() -> String {
    format!(
        "[dev-dependencies]\n\
         schema-parity = \"{}\"\n\
         \n\
         [[test]]\n\
         name = \"parity\"\n\
         path = \"tests/parity.rs\"\n\
         harness = false\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// The suite's test file: one test per (table, property) on the two sides.
pub fn suite_test(sqlite: &str, pg: &str) -> String {
    format!(
        "use schema_parity::suite::{{self, Options}};\n\
         \n\
         fn main() {{\n    \
             suite::main(\n        \
                 Options::from_env()\n            \
                     .sqlite({})\n            \
                     .pg({}),\n    \
             );\n\
         }}\n",
        rust_str(sqlite),
        rust_str(pg)
    )
}

fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

/// A TOML basic string (quoted and escaped).
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The workflow template with the project's folders filled in, its
/// copy-me header replaced, and the `cargo test` job dropped for a project
/// that is not a Rust crate.
pub fn workflow(project: &Project) -> String {
    let (template, suite_job) = match project.ci {
        Ci::Github => (GITHUB, "\n  suite:\n"),
        Ci::Gitlab => (GITLAB, "\nschema-parity-suite:\n"),
        Ci::None => return String::new(),
    };
    let mut body: &str = template;
    // The header is the leading comment block; the rest is YAML.
    let start = body
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.len() + 1)
        .sum::<usize>();
    body = &body[start.min(body.len())..];
    let mut text = String::new();
    text.push_str("# Written by `schema-parity init`: runs schema-parity on this project's\n");
    text.push_str("# two migration folders. The scripts it runs are in ci/.\n");
    if project.rust {
        text.push_str(
            "# Two jobs: `check` runs the CLI (JUnit test report, Markdown summary),\n\
             # the suite job runs `cargo test --release` (tests/parity.rs); keep one.\n",
        );
    }
    if project.ci == Ci::Gitlab {
        text.push_str("# Include it from .gitlab-ci.yml:\n#   include:\n#     - local: ci/schema-parity.gitlab-ci.yml\n");
    }
    let body = if project.rust {
        body.to_string()
    } else {
        match body.find(suite_job) {
            Some(i) => format!("{}\n", body[..i].trim_end()),
            None => body.to_string(),
        }
    };
    let body = set_variable(&body, "PARITY_SQLITE", &project.sqlite);
    let body = set_variable(&body, "PARITY_PG", &project.pg);
    text.push_str(&body);
    text
}

/// Sets `  KEY: value` (the first such line, any indentation) to `value`,
/// quoted as a YAML string.
fn set_variable(yaml: &str, key: &str, value: &str) -> String {
    let prefix = format!("{key}: ");
    let mut done = false;
    let mut out = String::with_capacity(yaml.len());
    for line in yaml.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if !done && trimmed.starts_with(&prefix) {
            let indent = &line[..line.len() - trimmed.len()];
            // JSON strings are YAML strings.
            out.push_str(&format!(
                "{indent}{prefix}{}\n",
                serde_json::Value::String(value.to_string())
            ));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    out
}

/// `parity.toml` for a project whose run found `report`: every unaccepted
/// finding as a commented-out `[[accept]]` block with an empty reason to
/// fill (one block per place of a grouped finding), mapping caveats first.
pub fn parity_toml(report: &Report) -> String {
    let open: Vec<&Finding> = report.findings.iter().filter(|f| !f.accepted).collect();
    let caveats: Vec<&Finding> = open
        .iter()
        .copied()
        .filter(|f| f.severity == Severity::Warning)
        .collect();
    let errors: Vec<&Finding> = open
        .iter()
        .copied()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    let mut s = String::new();
    s.push_str(&format!(
        "# parity.toml for schema-parity, written by `schema-parity init` from\n\
         #   --sqlite {} --pg {}   (seed {}, {} cases per table and property)\n\
         # Mappings, value generators and accepted differences; unknown keys are\n\
         # errors. Reference: the schema-parity README, section \"parity.toml\".\n\
         #\n",
        report.inputs.sqlite, report.inputs.pg, report.inputs.seed, report.inputs.cases
    ));
    if open.is_empty() {
        s.push_str(
            "# The run found no difference: nothing to accept.\n\
             #\n\
             # An accepted difference looks like this (a reason is required):\n\
             # [[accept]]\n\
             # table = \"invoices\"\n\
             # column = \"total\"\n\
             # category = \"type\"\n\
             # reason = \"totals are rounded to cents on purpose\"\n",
        );
    } else {
        s.push_str(&format!(
            "# The run found {} difference(s): {} mapping caveat(s) (warnings: they fail\n\
             # the run only with `strict = true`) and {} error(s). Each is below as a\n\
             # commented-out [[accept]] block. Fix the schema, or uncomment the block and\n\
             # say in `reason` why the difference is fine (an empty reason is refused).\n",
            open.len(),
            caveats.len(),
            errors.len()
        ));
    }
    s.push_str("\n# strict = false\n# skip_tables = []\n");
    if !caveats.is_empty() {
        s.push_str("\n# ---- Mapping caveats (warnings) ----\n");
        for f in &caveats {
            s.push_str(&accept_blocks(f));
        }
    }
    if !errors.is_empty() {
        s.push_str("\n# ---- Differences (errors) ----\n");
        for f in &errors {
            s.push_str(&accept_blocks(f));
        }
    }
    s
}

/// One finding as comments: what it is, then a block per place.
fn accept_blocks(f: &Finding) -> String {
    let mut s = format!("\n# {}: {}\n", f.id, one_line(&f.message));
    if !f.sqlite.is_empty() {
        s.push_str(&format!("#   SQLite:     {}\n", one_line(&f.sqlite)));
    }
    if !f.postgres.is_empty() {
        s.push_str(&format!("#   PostgreSQL: {}\n", one_line(&f.postgres)));
    }
    let places: Vec<(&str, &[String])> = if f.members.is_empty() {
        vec![(f.table.as_str(), f.columns.as_slice())]
    } else {
        f.members
            .iter()
            .map(|m| (m.table.as_str(), m.columns.as_slice()))
            .collect()
    };
    for (table, columns) in places {
        s.push_str("# [[accept]]\n");
        s.push_str(&format!("# table = {}\n", toml_str(table)));
        if let Some(c) = columns.first() {
            s.push_str(&format!("# column = {}\n", toml_str(c)));
        }
        s.push_str(&format!("# category = {}\n", toml_str(f.category.name())));
        s.push_str(&format!("# check = {}\n", toml_str(f.check.name())));
        s.push_str("# reason = \"\"\n");
    }
    s
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `path` as the written files name it: relative to the project directory
/// when it is inside it, else as given.
pub fn relative_to(dir: &Path, path: &Path) -> String {
    let inside = match (dir.canonicalize(), path.canonicalize()) {
        (Ok(d), Ok(p)) => p.strip_prefix(&d).ok().map(Path::to_path_buf),
        _ => None,
    };
    match inside {
        Some(p) if p.as_os_str().is_empty() => ".".to_string(),
        Some(p) => p.display().to_string(),
        None => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suite_test_quotes_its_paths() {
        let t = suite_test("db/sqlite", "db/\"pg\"");
        assert!(t.contains(".sqlite(\"db/sqlite\")"), "{t}");
        assert!(t.contains(".pg(\"db/\\\"pg\\\"\")"), "{t}");
    }

    #[test]
    fn set_variable_replaces_only_the_first_definition() {
        let y = "env:\n  PARITY_SQLITE: a\n  PARITY_PG: b\nother:\n  PARITY_PG: c\n";
        let out = set_variable(y, "PARITY_PG", "my dir");
        assert_eq!(
            out,
            "env:\n  PARITY_SQLITE: a\n  PARITY_PG: \"my dir\"\nother:\n  PARITY_PG: c\n"
        );
    }

    #[test]
    fn a_workflow_without_cargo_has_no_suite_job() {
        for ci in [Ci::Github, Ci::Gitlab] {
            let mut p = Project {
                dir: PathBuf::from("."),
                sqlite: "db/sqlite".into(),
                pg: "db/pg".into(),
                ci,
                rust: false,
            };
            let w = workflow(&p);
            assert!(!w.contains("cargo test"), "{w}");
            assert!(w.contains("PARITY_SQLITE: \"db/sqlite\""), "{w}");
            assert!(w.contains("parity-check.sh"), "{w}");
            p.rust = true;
            assert!(workflow(&p).contains("cargo test --release"));
        }
    }
}
