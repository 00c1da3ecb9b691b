//! The report model: what one run found, as every reporter (and the JSON
//! contract, version 1 in docs/reference.md, "The JSON report") sees it. Reporters are pure functions
//! of it; none re-queries a database.

use serde::Serialize;

use crate::config::AcceptRule;
use crate::migrations::layout::Layout;
use crate::model::finding::{Finding, Severity};

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Inputs {
    pub sqlite: String,
    pub pg: String,
    /// The layout each side was read in (detected or forced).
    pub sqlite_layout: Layout,
    pub pg_layout: Layout,
    /// The parity.toml the run read: `--config`, or the one found from the
    /// inputs' folders upward; `None`: the built-in mappings alone.
    pub config: Option<String>,
    pub seed: u64,
    pub cases: u32,
    pub pg_backend: String,
    pub postgres_version: String,
    pub sqlite_version: String,
    pub server_encoding: String,
    pub collation: String,
    pub timezone: String,
    pub skipped_files: Vec<String>,
    /// Extensions the PostgreSQL schema installs (requirements, not findings).
    pub pg_extensions: Vec<String>,
    /// The PostgreSQL schema the tables were read from and checked in
    /// (`--pg-schema`, default `public`).
    pub pg_schema: String,
    pub checks: Vec<&'static str>,
    /// The size of each side, as the tool counts it.
    pub sqlite_counts: crate::model::schema::Counts,
    pub pg_counts: crate::model::schema::Counts,
    /// `table::check: why` for properties that cannot apply (never a pass).
    pub not_applicable: Vec<String>,
    /// `table::check: why` for properties that applied but whose every case
    /// was discarded: they tested nothing, and say so.
    pub not_exercised: Vec<String>,
    /// `table::check: blocked by trigger T on t …` for properties that
    /// applied but whose every case a trigger of the schema refused on both
    /// engines (its condition needs a row elsewhere the generator could not
    /// make): untested like `not_exercised`, counted apart.
    #[serde(default)]
    pub blocked_by_trigger: Vec<String>,
    /// Differences seen once that did not show again on replay, with both
    /// runs: reported, never dropped (they fail the run like findings).
    pub flaky: Vec<String>,
    /// Warnings (mapping caveats) fail the run too (`--strict` or
    /// `strict = true` in parity.toml).
    pub strict: bool,
    /// The `--baseline` file, when one was given.
    pub baseline: Option<String>,
    /// Baseline entries (finding or member ids) this run did not see: fixed,
    /// or accepted since; their lines can be deleted. In file order.
    pub baseline_gone: Vec<String>,
    /// The config's `[[accept]]` rules that matched no finding of this run
    /// (among those it could match: their table and check were in it).
    /// They fail nothing; they can be deleted. In file order.
    pub unused_accepts: Vec<AcceptRule>,
    /// `check --values-from`: what the strategies took from the user's
    /// database file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values_from: Option<ValuesFromInput>,
}

/// The user's own values a run drew from (`check --values-from FILE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValuesFromInput {
    pub file: String,
    /// Distinct values read per column at most.
    pub per_column: usize,
    /// Columns that got at least one value.
    pub columns: usize,
    /// Values the strategies draw, over all columns.
    pub values: usize,
    /// Values read but left out: outside their column's agreed domain, or
    /// of a kind it cannot judge (a pattern, JSON, a uuid column).
    pub outside: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub tables: usize,
    pub checks_run: usize,
    pub cases_run: u64,
    /// Unaccepted findings that fail the run (errors; warnings too when strict).
    pub findings: usize,
    /// Unaccepted warnings that do not fail the run (mapping caveats).
    pub warnings: usize,
    pub accepted: usize,
    /// Unaccepted findings the `--baseline` file lists (every member, for a
    /// grouped one): reported, not failing, not counted above.
    pub baselined: usize,
    /// How many baseline entries this run did not see (`inputs.baseline_gone`).
    pub baseline_gone: usize,
    /// How many accept rules matched nothing (`inputs.unused_accepts`).
    pub unused_accepts: usize,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub inputs: Inputs,
    pub summary: Summary,
    pub findings: Vec<Finding>,
}

impl Report {
    /// Unaccepted findings that fail the run: errors, and warnings when
    /// strict, unless the baseline lists them. With [`Self::incomplete`],
    /// what decides the exit code.
    pub fn failures(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| {
                !f.accepted
                    && !f.baselined
                    && (f.severity == Severity::Error
                        || self.inputs.strict && f.severity == Severity::Warning)
            })
            .count()
    }

    /// A property that applied tested nothing: the run cannot say parity.
    pub fn incomplete(&self) -> bool {
        !self.inputs.not_exercised.is_empty()
            || !self.inputs.blocked_by_trigger.is_empty()
            || !self.inputs.flaky.is_empty()
    }

    /// Makes warnings fail the run (`--strict`).
    pub fn set_strict(&mut self) {
        self.inputs.strict = true;
        self.count();
    }

    /// The summary's counts, from the findings (the one place they are
    /// counted).
    pub(crate) fn count(&mut self) {
        let unaccepted = self.findings.iter().filter(|f| !f.accepted).count();
        let baselined = self
            .findings
            .iter()
            .filter(|f| !f.accepted && f.baselined)
            .count();
        self.summary.findings = self.failures();
        let notes = self
            .findings
            .iter()
            .filter(|f| !f.accepted && !f.baselined && f.severity == Severity::Note)
            .count();
        self.summary.warnings = unaccepted - baselined - notes - self.summary.findings;
        self.summary.accepted = self.findings.len() - unaccepted;
        self.summary.baselined = baselined;
        self.summary.baseline_gone = self.inputs.baseline_gone.len();
        self.summary.unused_accepts = self.inputs.unused_accepts.len();
    }
}
