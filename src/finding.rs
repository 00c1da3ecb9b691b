//! A difference between the two engines: what every check produces and every
//! report renders. The field names are the JSON report contract (DESIGN.md).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    Structure,
    RoundTrip,
    Constraint,
    Cascade,
    Default,
    Sequence,
    SeedData,
}

impl CheckKind {
    pub const ALL: [CheckKind; 7] = [
        CheckKind::Structure,
        CheckKind::RoundTrip,
        CheckKind::Constraint,
        CheckKind::Cascade,
        CheckKind::Default,
        CheckKind::Sequence,
        CheckKind::SeedData,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CheckKind::Structure => "structure",
            CheckKind::RoundTrip => "round_trip",
            CheckKind::Constraint => "constraint",
            CheckKind::Cascade => "cascade",
            CheckKind::Default => "default",
            CheckKind::Sequence => "sequence",
            CheckKind::SeedData => "seed_data",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == s.trim())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    MissingTable,
    MissingColumn,
    ExtraTable,
    ExtraColumn,
    Type,
    Nullability,
    Default,
    PrimaryKey,
    Unique,
    ForeignKey,
    OnDelete,
    Check,
    Index,
    Trigger,
    SeedData,
    Other,
}

impl Category {
    pub const ALL: [Category; 16] = [
        Category::MissingTable,
        Category::MissingColumn,
        Category::ExtraTable,
        Category::ExtraColumn,
        Category::Type,
        Category::Nullability,
        Category::Default,
        Category::PrimaryKey,
        Category::Unique,
        Category::ForeignKey,
        Category::OnDelete,
        Category::Check,
        Category::Index,
        Category::Trigger,
        Category::SeedData,
        Category::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::MissingTable => "missing_table",
            Category::MissingColumn => "missing_column",
            Category::ExtraTable => "extra_table",
            Category::ExtraColumn => "extra_column",
            Category::Type => "type",
            Category::Nullability => "nullability",
            Category::Default => "default",
            Category::PrimaryKey => "primary_key",
            Category::Unique => "unique",
            Category::ForeignKey => "foreign_key",
            Category::OnDelete => "on_delete",
            Category::Check => "check",
            Category::Index => "index",
            Category::Trigger => "trigger",
            Category::SeedData => "seed_data",
            Category::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == s.trim())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The SQL that shows a behavioural difference, and what each engine did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Witness {
    pub sqlite_sql: Vec<String>,
    pub postgres_sql: Vec<String>,
    pub sqlite_outcome: String,
    pub postgres_outcome: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable across runs: check, category, table, columns and a detail slug.
    pub id: String,
    pub check: CheckKind,
    pub category: Category,
    pub table: String,
    pub columns: Vec<String>,
    pub severity: Severity,
    pub message: String,
    pub sqlite: String,
    pub postgres: String,
    pub witness: Option<Witness>,
    pub accepted: bool,
    pub reason: Option<String>,
}

impl Finding {
    pub fn new(
        check: CheckKind,
        category: Category,
        table: &str,
        columns: &[&str],
        detail: &str,
    ) -> Self {
        let mut id = format!("{}.{}.{}", check.name(), category.name(), table);
        for c in columns {
            id.push('.');
            id.push_str(c);
        }
        if !detail.is_empty() {
            id.push('.');
            id.push_str(&slug(detail));
        }
        Finding {
            id,
            check,
            category,
            table: table.to_string(),
            columns: columns.iter().map(|c| (*c).to_string()).collect(),
            severity: Severity::Error,
            message: String::new(),
            sqlite: String::new(),
            postgres: String::new(),
            witness: None,
            accepted: false,
            reason: None,
        }
    }

    pub fn message(mut self, m: impl Into<String>) -> Self {
        self.message = m.into();
        self
    }

    pub fn sides(mut self, sqlite: impl Into<String>, postgres: impl Into<String>) -> Self {
        self.sqlite = sqlite.into();
        self.postgres = postgres.into();
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(60).collect()
}

/// Sorts by table, then column, then id (the report contract).
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.table
            .cmp(&b.table)
            .then_with(|| a.columns.first().cmp(&b.columns.first()))
            .then_with(|| a.id.cmp(&b.id))
    });
}
