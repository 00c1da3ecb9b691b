//! A difference between the two engines: what every check produces and every
//! report renders. The field names are the JSON report contract (docs/reference.md, "The JSON report").

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
    /// `replay`: a user's rows loaded through the mapping and read back
    /// (not one of `check`'s checks, so not in [`CheckKind::ALL`]).
    Replay,
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
            CheckKind::Replay => "replay",
        }
    }

    /// A check's name, as `--checks` and parity.toml's `check` spell it
    /// (`replay` included: an accept rule may name it).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .chain([CheckKind::Replay])
            .find(|c| c.name() == s.trim())
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
    /// A structural difference that every behavioural case contradicts
    /// (differs in text, behaves the same): reported, never failing.
    Note,
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
    /// The checks whose cases showed this root cause (a structural finding
    /// a behavioural property proved, or one behaviour several properties
    /// met): its evidence, beside the shortest witness. Absent when only
    /// the check that reported it saw it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub seen_by: Vec<CheckKind>,
    /// The rule that produced it: findings of one rule, on many places,
    /// are one pattern ([`group`]). Not part of the report: the group's id
    /// and message come from it.
    #[serde(skip)]
    pub pattern: Option<Pattern>,
    /// `replay`: how many of the file's rows this root cause affects.
    /// Absent from the JSON for other checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// `replay`: up to 5 of those rows (docs/replay.md). Absent from the
    /// JSON when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
}

/// One row a `replay` finding affects: its key, and (unless `--no-values`)
/// the value the file holds and what PostgreSQL read back or said, each
/// cut at 64 characters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    /// The row's primary key as `{column: value}` (`{"rowid": n}` for a
    /// table without one).
    pub key: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sqlite: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postgres: Option<String>,
}

/// The rule behind a finding, for grouping (docs/reference.md, "What it checks":
/// groups are keyed by the rule that produced them, never by the rendered
/// text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// A stable slug naming the rule (a mapping row, a category, a parent
    /// column): the group key and the grouped finding's id.
    pub rule: String,
    /// What the rule says of every place it finds, as one sentence with no
    /// place and no particulars in it.
    pub said: String,
    /// This place's particulars (`VARCHAR(255)`), kept on its member.
    pub detail: Option<String>,
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
    /// What this place has that the pattern does not say (a length
    /// limit's n: `VARCHAR(255)`); absent when the pattern says it all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
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
        Finding {
            id: id(check, category, table, columns, detail),
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
            seen_by: Vec::new(),
            pattern: None,
            rows: None,
            examples: Vec::new(),
        }
    }

    /// Names the rule that produced this finding, so that the same rule on
    /// other places groups with it (see [`Pattern`]).
    pub fn pattern(
        mut self,
        rule: impl Into<String>,
        said: impl Into<String>,
        detail: Option<String>,
    ) -> Self {
        self.pattern = Some(Pattern {
            rule: rule.into(),
            said: said.into(),
            detail,
        });
        self
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

/// The stable id of a finding about `columns` of `table`: what
/// [`Finding::new`] gives it, and how other code names the finding (a
/// property that does not apply because of it).
pub fn id(
    check: CheckKind,
    category: Category,
    table: &str,
    columns: &[&str],
    detail: &str,
) -> String {
    let mut id = format!("{}.{}.{}", check.name(), category.name(), table);
    for c in columns {
        id.push('.');
        id.push_str(c);
    }
    if !detail.is_empty() {
        id.push('.');
        id.push_str(&slug(detail));
    }
    id
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

/// What a finding says with its place taken out, when no rule names its
/// pattern and the message names its place as `table.column`: two
/// findings with the same text are one difference seen twice.
fn pattern_of_text(f: &Finding) -> Option<String> {
    let [column] = f.columns.as_slice() else {
        return None;
    };
    let place = format!("{}.{column}", f.table);
    if !f.message.contains(&place) {
        return None;
    }
    let p = f.message.replacen(&place, "\u{2026}", 1);
    if f.check == CheckKind::Sequence {
        // "27 below the explicit id" and "5 below" are one behaviour.
        return Some(
            p.split(|c: char| c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("N"),
        );
    }
    Some(p)
}

/// The group key of a finding: the rule that produced it, or else its text
/// with the place taken out; `None` for a finding that groups with nothing.
fn group_key(f: &Finding) -> Option<(String, String)> {
    match &f.pattern {
        Some(p) => Some((format!("rule:{}", p.rule), p.said.clone())),
        None => pattern_of_text(f).map(|p| {
            // What is said of every member, with no stand-in for its place.
            let said = p
                .strip_prefix("\u{2026}: ")
                .or_else(|| p.strip_prefix("\u{2026} "))
                .map_or_else(|| p.replace("\u{2026} ", ""), str::to_string);
            (format!("text:{p}"), said)
        }),
    }
}

/// Folds findings with one pattern into one grouped finding with
/// `members` (docs/reference.md, "The JSON report"): its id names the pattern, its
/// table is the first member's, its columns are empty, its witness is the
/// first member's that has one. Accepted and open findings never share a
/// group, nor do two accept reasons, nor two severities.
pub fn group(findings: Vec<Finding>) -> Vec<Finding> {
    type Key = (CheckKind, Category, bool, Option<String>, Severity, String);
    let mut groups: Vec<(Key, String, Vec<Finding>)> = Vec::new();
    let mut out = Vec::new();
    for f in findings {
        let Some((k, said)) = group_key(&f) else {
            out.push(f);
            continue;
        };
        let key = (
            f.check,
            f.category,
            f.accepted,
            f.reason.clone(),
            f.severity,
            k,
        );
        match groups.iter_mut().find(|(gk, _, _)| *gk == key) {
            Some((_, _, members)) => members.push(f),
            None => groups.push((key, said, vec![f])),
        }
    }
    for ((check, category, _, _, _, key), said, mut members) in groups {
        if members.len() == 1 {
            out.extend(members);
            continue;
        }
        sort(&mut members);
        let first = &members[0];
        let places = if members.iter().all(|m| m.columns.is_empty()) {
            "tables"
        } else {
            "columns"
        };
        let mut g = Finding::new(check, category, &first.table, &[], "")
            .message(format!("{} {places}: {said}", members.len()))
            .sides(first.sqlite.clone(), first.postgres.clone());
        let name = match first.pattern.as_ref() {
            Some(p) => slug(&p.rule),
            None => slug(key.strip_prefix("text:").unwrap_or(&key)),
        };
        g.id = format!("{}.{}.pattern.{name}", check.name(), category.name());
        g.severity = first.severity;
        g.accepted = first.accepted;
        g.reason.clone_from(&first.reason);
        g.witness = members.iter().find_map(|m| m.witness.clone());
        g.pattern.clone_from(&first.pattern);
        for m in &members {
            for c in &m.seen_by {
                if !g.seen_by.contains(c) {
                    g.seen_by.push(*c);
                }
            }
        }
        g.seen_by.sort();
        if let Some(p) = g.pattern.as_mut() {
            p.detail = None;
        }
        // A side each member says alike is the group's; one that differs
        // per member is said by the members' details.
        if members
            .iter()
            .any(|m| m.sqlite != first.sqlite || m.postgres != first.postgres)
        {
            if members.iter().any(|m| m.sqlite != first.sqlite) {
                g.sqlite = "differs per member (see each member)".into();
            }
            if members.iter().any(|m| m.postgres != first.postgres) {
                g.postgres = "differs per member (see each member)".into();
            }
        }
        g.members = members
            .into_iter()
            .map(|m| Member {
                detail: m.pattern.and_then(|p| p.detail),
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
    fn one_rule_is_one_pattern_whatever_its_particulars() {
        // A length limit of 40, 255 or 9 is one rule: PostgreSQL enforces a
        // declared length SQLite does not. Each member keeps its n.
        let varchar = |t: &str, c: &str, n: u32| {
            Finding::new(CheckKind::Structure, Category::Type, t, &[c], "")
                .message(format!(
                    "{t}.{c}: SQLite TEXT accepts text of any length but VARCHAR({n}) rejects longer values."
                ))
                .sides("TEXT", format!("character varying({n})"))
                .pattern(
                    "text-varchar-length",
                    "PostgreSQL enforces a declared length SQLite does not.",
                    Some(format!("VARCHAR({n})")),
                )
        };
        let grouped = group(vec![
            varchar("a", "name", 40),
            varchar("b", "title", 255),
            varchar("c", "code", 9),
        ]);
        assert_eq!(grouped.len(), 1, "{grouped:#?}");
        let g = &grouped[0];
        assert_eq!(g.id, "structure.type.pattern.text-varchar-length");
        assert_eq!(
            g.message,
            "3 columns: PostgreSQL enforces a declared length SQLite does not."
        );
        let details: Vec<_> = g.members.iter().map(|m| m.detail.as_deref()).collect();
        assert_eq!(
            details,
            [
                Some("VARCHAR(40)"),
                Some("VARCHAR(255)"),
                Some("VARCHAR(9)")
            ]
        );
        assert!(!g.message.contains("(n)") && !g.message.contains("(N)"));
        assert_eq!(g.postgres, "differs per member (see each member)");
        // Another rule on the same category stays apart, however alike its
        // text.
        let other = varchar("d", "x", 5).pattern("text-char-padded", "CHAR pads.", None);
        assert_eq!(group(vec![varchar("a", "name", 40), other]).len(), 2);
        // A rule whose message names the column (a flag's CHECK) still groups.
        let flag = |t: &str, c: &str| {
            Finding::new(CheckKind::Structure, Category::Type, t, &[c], "")
                .message(format!("{t}.{c}: no CHECK ({c} IN (0,1))."))
                .pattern("flag-unchecked", "a 0/1 flag without a CHECK.", None)
                .warning()
        };
        assert_eq!(group(vec![flag("a", "on"), flag("b", "enabled")]).len(), 1);
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
