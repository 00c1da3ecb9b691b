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
    /// For a grouped finding (one pattern seen on many columns): every
    /// place it was seen. Empty for a finding about one place.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Member>,
    /// Listed in the `--baseline` file (every member, for a grouped
    /// finding): reported, but it does not fail the run. Absent from the
    /// JSON when false.
    #[serde(skip_serializing_if = "is_false")]
    pub baselined: bool,
}

/// One place a grouped finding's pattern was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// The id this place's finding has on its own (before grouping): what
    /// a baseline lists, stable when the group gains or loses members.
    pub id: String,
    pub table: String,
    pub columns: Vec<String>,
    /// This member is listed in the `--baseline` file.
    #[serde(skip_serializing_if = "is_false")]
    pub baselined: bool,
}

/// For `skip_serializing_if`, which passes a reference.
fn is_false(b: &bool) -> bool {
    !*b
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
            members: Vec::new(),
            baselined: false,
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

    /// The members of a grouped finding as `table.column` (or `table`),
    /// comma-separated; empty for a finding about one place.
    pub fn places(&self) -> String {
        join_places(self.members.iter())
    }

    /// The members not in the baseline, as [`Self::places`] does; empty
    /// when no member is baselined (then every member is new, or there is
    /// no baseline).
    pub fn new_places(&self) -> String {
        if !self.members.iter().any(|m| m.baselined) {
            return String::new();
        }
        join_places(self.members.iter().filter(|m| !m.baselined))
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

fn join_places<'a>(members: impl Iterator<Item = &'a Member>) -> String {
    members
        .map(|m| match m.columns.as_slice() {
            [] => m.table.clone(),
            cols => format!("{}.{}", m.table, cols.join("+")),
        })
        .collect::<Vec<_>>()
        .join(", ")
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

/// What a finding says with its place taken out, when the message names
/// its place as `table.column`: two findings with the same pattern are one
/// difference seen twice (the same type pair, default pair or quirk).
fn pattern(f: &Finding) -> Option<String> {
    let [column] = f.columns.as_slice() else {
        return None;
    };
    let place = format!("{}.{column}", f.table);
    if !f.message.contains(&place) {
        return None;
    }
    let mut p = f.message.replacen(&place, "\u{2026}", 1);
    let digits = |t: &str| {
        t.split(|c: char| !c.is_ascii_digit())
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // VARCHAR(40) against VARCHAR(40) and VARCHAR(255) against VARCHAR(255)
    // are one behaviour (SQLite does not enforce a declared length): the
    // same length on both sides is the pattern, not which length.
    let same_width = f.check == CheckKind::Structure
        && f.category == Category::Type
        && !digits(&f.sqlite).is_empty()
        && digits(&f.sqlite) == digits(&f.postgres);
    if f.check == CheckKind::Sequence || same_width {
        // "27 below the explicit id" and "5 below" are one behaviour.
        p = p
            .split(|c: char| c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("N");
    }
    Some(p)
}

/// Folds findings with one pattern into one grouped finding with
/// `members` (DESIGN.md, "Grouped findings"): its id names the pattern, its
/// table is the first member's, its columns are empty, its witness is the
/// first member's that has one. Accepted and open findings never share a
/// group, nor do two accept reasons.
pub fn group(findings: Vec<Finding>) -> Vec<Finding> {
    type Key = (CheckKind, Category, bool, Option<String>, String);
    let mut groups: Vec<(Key, Vec<Finding>)> = Vec::new();
    let mut out = Vec::new();
    for f in findings {
        let Some(p) = pattern(&f) else {
            out.push(f);
            continue;
        };
        let key = (f.check, f.category, f.accepted, f.reason.clone(), p);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(f),
            None => groups.push((key, vec![f])),
        }
    }
    for ((check, category, _, _, p), mut members) in groups {
        if members.len() == 1 {
            out.extend(members);
            continue;
        }
        sort(&mut members);
        let first = &members[0];
        let said = p.strip_prefix("\u{2026}: ").unwrap_or(&p);
        let mut g = Finding::new(check, category, &first.table, &[], "")
            .message(format!("{} columns: {said}", members.len()))
            .sides(first.sqlite.clone(), first.postgres.clone());
        g.id = format!("{}.{}.pattern.{}", check.name(), category.name(), slug(&p));
        g.severity = first.severity;
        g.accepted = first.accepted;
        g.reason.clone_from(&first.reason);
        g.witness = members.iter().find_map(|m| m.witness.clone());
        g.members = members
            .into_iter()
            .map(|m| Member {
                id: m.id,
                table: m.table,
                columns: m.columns,
                baselined: false,
            })
            .collect();
        out.push(g);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn narrow(table: &str, col: &str) -> Finding {
        Finding::new(CheckKind::Structure, Category::Type, table, &[col], "").message(format!(
            "{table}.{col}: SQLite INTEGER stores any 64-bit integer but the PostgreSQL type holds only -2147483648..=2147483647, PostgreSQL INTEGER."
        ))
    }

    #[test]
    fn one_pattern_on_many_columns_is_one_finding() {
        let other = Finding::new(CheckKind::Structure, Category::Type, "t", &["c"], "").message(
            "t.c: SQLite TEXT accepts text of any length but VARCHAR(5) rejects longer values.",
        );
        let grouped = group(vec![
            narrow("b", "id"),
            other.clone(),
            narrow("a", "x"),
            narrow("a", "id"),
        ]);
        assert_eq!(grouped.len(), 2);
        let g = grouped
            .iter()
            .find(|f| !f.members.is_empty())
            .expect("a group");
        assert_eq!(g.members.len(), 3);
        assert_eq!(g.table, "a");
        assert!(g.columns.is_empty());
        assert!(
            g.message.starts_with("3 columns: SQLite INTEGER"),
            "{}",
            g.message
        );
        // The id names the pattern, not a member: stable when members change.
        let fewer = group(vec![narrow("b", "id"), narrow("z", "y")]);
        assert_eq!(fewer[0].id, g.id);
        assert!(grouped.contains(&other));
        // Each member keeps the id it has alone (what a baseline lists).
        let ids: Vec<&str> = g.members.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "structure.type.a.id",
                "structure.type.a.x",
                "structure.type.b.id"
            ]
        );
    }

    #[test]
    fn one_declared_length_on_both_sides_is_one_pattern() {
        let varchar = |t: &str, n: u32| {
            Finding::new(CheckKind::Structure, Category::Type, t, &["c"], "")
                .message(format!(
                    "{t}.c: SQLite VARCHAR({n}) accepts text of any length but VARCHAR({n}) rejects longer values."
                ))
                .sides(format!("VARCHAR({n})"), format!("CHARACTER VARYING({n})"))
        };
        let grouped = group(vec![varchar("a", 40), varchar("b", 255)]);
        assert_eq!(grouped.len(), 1);
        assert_eq!(grouped[0].members.len(), 2);
        // Different lengths on the two sides stay apart.
        let narrower = Finding::new(CheckKind::Structure, Category::Type, "c", &["c"], "")
            .message(
                "c.c: SQLite TEXT accepts text of any length but VARCHAR(9) rejects longer values.",
            )
            .sides("TEXT", "CHARACTER VARYING(9)");
        assert_eq!(group(vec![varchar("a", 40), narrower]).len(), 2);
    }

    #[test]
    fn accepted_and_open_findings_stay_apart() {
        let mut a = narrow("a", "id");
        a.accepted = true;
        a.reason = Some("why".into());
        let grouped = group(vec![a, narrow("b", "id")]);
        assert_eq!(grouped.len(), 2);
        assert!(grouped.iter().all(|f| f.members.is_empty()));
    }
}
