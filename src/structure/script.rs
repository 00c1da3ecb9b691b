//! What the categories write the validate script with: the script text and
//! its two kinds of assertion, the guard under which one applies, one
//! table's part of the script, and the differences parity.toml accepts.

use std::fmt::Write as _;

use crate::config::Config;
use crate::mapping::TypeVerdict;
use crate::model::finding::{Category, Finding};
use crate::model::schema::{Index, KeyPart, Table};
use crate::structure::expected::{ExpectedColumn, ExpectedTable};
// The script sets standard_conforming_strings: literals as both engines write them.
pub use crate::sql::text::{quote_ident as ident, quote_literal as lit};

/// Differences between the SQLite chain and the reference that parity.toml
/// accepts, by category, table and column.
pub struct Accepted {
    findings: Vec<Finding>,
    /// Unaccepted structural and seed differences of the reference.
    pub unaccepted: usize,
}

impl Accepted {
    /// From the structural and seed findings of the reference, as a run
    /// computed them: parity.toml decides which are accepted.
    pub fn new(findings: &[Finding], config: &Config) -> Self {
        let mut findings = findings.to_vec();
        config.apply(&mut findings);
        let unaccepted = findings.iter().filter(|f| !f.accepted).count();
        findings.retain(|f| f.accepted);
        Accepted {
            findings,
            unaccepted,
        }
    }

    /// True when parity.toml accepts a `category` difference on `table`
    /// (on `column`, when given).
    pub fn has(&self, category: Category, table: &str, column: Option<&str>) -> bool {
        self.findings.iter().any(|f| {
            f.category == category
                && f.table == table
                && column.is_none_or(|c| f.columns.iter().any(|fc| fc == c))
        })
    }
}

/// The script's text.
#[derive(Default)]
pub struct Script {
    pub out: String,
}

/// When a check applies: always, when the table exists, or when the column does.
pub enum Guard<'a> {
    None,
    Table(&'a str),
    Column(&'a str, &'a str),
}

impl Guard<'_> {
    fn sql(&self) -> String {
        match self {
            Guard::None => String::new(),
            Guard::Table(t) => format!("\nWHERE pg_temp.parity_rel({}) IS NOT NULL", lit(t)),
            Guard::Column(t, c) => format!(
                "\nWHERE pg_temp.parity_attnum({}, {}) IS NOT NULL",
                lit(t),
                lit(c)
            ),
        }
    }
}

impl Script {
    /// A check whose found value must equal `expected`.
    pub fn equals(&mut self, guard: &Guard, what: &str, expected: &str, found_sql: &str) {
        let _ = writeln!(
            self.out,
            "INSERT INTO pg_temp.parity_check (what, expected, found)\nSELECT {}, {}, {}{};",
            lit(what),
            lit(expected),
            found_sql,
            guard.sql()
        );
    }

    /// A check that passes when `ok_sql` holds; `found_sql` says what is
    /// there instead when it does not.
    pub fn holds(&mut self, guard: &Guard, what: &str, ok_sql: &str, found_sql: &str) {
        let _ = writeln!(
            self.out,
            "INSERT INTO pg_temp.parity_check (what, expected, found, ok)\n\
             SELECT {}, 'present', CASE WHEN k.ok THEN 'present' ELSE {found_sql} END, k.ok\n\
             FROM (SELECT {ok_sql} AS ok) k{};",
            lit(what),
            guard.sql()
        );
    }

    pub fn comment(&mut self, text: &str) {
        for line in text.lines() {
            let _ = writeln!(self.out, "-- {line}");
        }
    }
}

/// One table's part of the script.
pub struct TableScript<'a> {
    pub s: &'a mut Script,
    pub name: &'a str,
    /// What the table must be.
    pub et: &'a ExpectedTable<'a>,
    /// The reference's table, which spells it where the pair agrees.
    pub rt: Option<&'a Table>,
    pub accepted: &'a Accepted,
}

impl TableScript<'_> {
    /// Whether parity.toml accepts a `category` difference on this table.
    pub fn accepts(&self, category: Category, column: Option<&str>) -> bool {
        self.accepted.has(category, self.name, column)
    }

    /// A check on this table, guarded by its presence.
    pub fn table_equals(&mut self, what: &str, expected: &str, found_sql: &str) {
        self.s
            .equals(&Guard::Table(self.name), what, expected, found_sql);
    }

    /// A condition on this table, guarded by its presence.
    pub fn table_holds(&mut self, what: &str, ok_sql: &str, found_sql: &str) {
        self.s
            .holds(&Guard::Table(self.name), what, ok_sql, found_sql);
    }

    /// The PostgreSQL type the script expects of a column: the reference's
    /// where the pair agrees (a mapping caveat is the pair agreeing for the
    /// values applications write) or parity.toml accepts its type, else
    /// the standard one.
    pub fn expected_type(&self, ec: &ExpectedColumn) -> String {
        let c = ec.name();
        match self.rt.and_then(|rt| rt.column(c)) {
            Some(rc)
                if matches!(
                    ec.verdict(rc),
                    TypeVerdict::Equivalent | TypeVerdict::Caveat { .. }
                ) || self.accepts(Category::Type, Some(c)) =>
            {
                rc.declared_type.to_lowercase()
            }
            _ => ec.standard_type(),
        }
    }
}

/// Runs of whitespace as one space, as the script's `parity_checks` does.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `text[]` literal of `items`.
pub fn array(items: &[String]) -> String {
    array_typed(items)
}

pub fn array_typed(items: &[String]) -> String {
    if items.is_empty() {
        "ARRAY[]::text[]".to_string()
    } else {
        format!(
            "ARRAY[{}]",
            items.iter().map(|i| lit(i)).collect::<Vec<_>>().join(", ")
        )
    }
}

/// A `text[]` of SQL expressions.
pub fn sql_array(exprs: &[String]) -> String {
    if exprs.is_empty() {
        "ARRAY[]::text[]".to_string()
    } else {
        format!("ARRAY[{}]", exprs.join(", "))
    }
}

/// Key parts as the script describes them, and the predicate in the
/// reference's spelling when the reference has the same key.
pub fn key_sql(
    index: &Index,
    reference: Option<&Index>,
    set: bool,
) -> (Vec<String>, Option<String>) {
    let parts = index
        .key
        .parts
        .iter()
        .map(|p| match p {
            KeyPart::Column { name, nocase, desc } => {
                let base = if *nocase {
                    format!("lower({name})")
                } else {
                    name.clone()
                };
                if *desc && !set {
                    format!("{base} DESC")
                } else {
                    base
                }
            }
            KeyPart::Expr { text, desc } => {
                if *desc && !set {
                    format!("{text} DESC")
                } else {
                    text.clone()
                }
            }
        })
        .collect();
    let predicate = match (
        reference.and_then(|r| r.raw_predicate.as_deref()),
        &index.raw_predicate,
    ) {
        (Some(r), _) => Some(collapse(r)),
        (None, Some(s)) => Some(format!("({})", collapse(s))),
        (None, None) => None,
    };
    (parts, predicate)
}

pub fn describe(kind: &str, parts: &[String], predicate: Option<&str>) -> String {
    match predicate {
        Some(p) => format!("{kind} ({}) WHERE {p}", parts.join(", ")),
        None => format!("{kind} ({})", parts.join(", ")),
    }
}
