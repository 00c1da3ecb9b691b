//! Judging a case: what it showed ([`Verdict`], a [`Difference`]), the
//! statements it ran ([`Transcript`], which becomes a [`Witness`]), the
//! inherent quirks that explain a difference away, and the [`Finding`] a
//! difference makes.

use crate::model::finding::{Category, CheckKind, Finding, Witness};
use crate::model::schema::Schema;

use super::quirks::Quirk;
use super::sql::Statement;
use super::worker::Worker;
use crate::engine::{Outcome, RejectionKind};

/// What one case showed.
pub enum Verdict {
    Same,
    /// The case tested nothing, and why (see [`Verdict::discard`]).
    Discard(Why),
    Quirk(Quirk),
    Differ(Difference),
}

/// Why a case tested nothing. Never "both engines took every statement":
/// a discard is either a refusal the transcript shows, or a cause the
/// property names.
/// The cause a discard names when a row needs a parent row no table it
/// references could give (every property that inserts one says it so).
pub const NO_PARENT_ROW: &str =
    "no parent row to reference (a table it references has no rows both engines accept)";

#[derive(Debug, Clone, PartialEq)]
pub enum Why {
    /// An engine refused the case's last statement: the transcript names
    /// the engine, the statement and the constraint.
    Refused,
    /// What the case lacked before it could test anything (no parent row,
    /// no key to look the row up by, a value the probe cannot use).
    Lacks(&'static str),
}

impl Verdict {
    /// A case that tested nothing: refused, when an engine refused the
    /// transcript's last statement; otherwise for the cause `lacks` names.
    /// The one way properties discard a case, so a discard whose every
    /// statement both engines took always says what it lacked.
    pub fn discard(t: &Transcript, lacks: &'static str) -> Verdict {
        match t.steps.last() {
            Some((_, s, p)) if !(s.is_ok() && p.is_ok()) => Verdict::Discard(Why::Refused),
            _ => Verdict::Discard(Why::Lacks(lacks)),
        }
    }
}

pub struct Difference {
    /// The view the difference shows through, when not the case's table.
    pub on: Option<String>,
    pub category: Category,
    pub columns: Vec<String>,
    pub message: String,
    pub sqlite: String,
    pub postgres: String,
}

/// The statements of a case and what each engine did.
#[derive(Default)]
pub struct Transcript {
    pub steps: Vec<(Statement, Outcome, Outcome)>,
}

impl Transcript {
    pub fn run(&mut self, w: &mut Worker, stmt: Statement) -> (Outcome, Outcome) {
        let crate::model::Both {
            sqlite: s,
            postgres: p,
        } = w.run(&stmt);
        self.steps.push((stmt, s.clone(), p.clone()));
        (s, p)
    }

    /// The last step's outcomes, in one line.
    pub fn summary(&self) -> String {
        let Some((_, s, p)) = self.steps.last() else {
            return "no statement could be built (a required parent row is missing)".into();
        };
        let cut = |o: &Outcome| o.describe().chars().take(160).collect::<String>();
        format!("SQLite: {}; PostgreSQL: {}", cut(s), cut(p))
    }

    /// Why a discarded case tested nothing, in one line: the statement an
    /// engine refused (its number, its start, each engine's outcome), or
    /// what the case lacked.
    pub fn discarded(&self, why: &Why) -> String {
        match (why, self.steps.last()) {
            (Why::Refused, Some((stmt, _, _))) => {
                let start: String = stmt.sqlite.chars().take(60).collect();
                let more = if stmt.sqlite.chars().count() > 60 {
                    "…"
                } else {
                    ""
                };
                format!(
                    "statement {} ({start}{more}) refused — {}",
                    self.steps.len(),
                    self.summary()
                )
            }
            (Why::Refused, None) => self.summary(),
            (Why::Lacks(what), _) => format!("{what} (after {} statement(s))", self.steps.len()),
        }
    }

    /// [`Self::discarded`], naming the PostgreSQL trigger (of `pg`'s
    /// tables) whose function refused the last statement when both engines
    /// refused it: a table a trigger guards is blocked by that trigger, by
    /// name.
    pub fn summary_with(&self, why: &Why, pg: &crate::model::schema::Schema) -> String {
        match (self.blocking_trigger(pg), self.steps.last()) {
            (Some((table, trigger)), Some((_, _, p))) => format!(
                "blocked by trigger {trigger} on {table}, which refuses the rows on both engines ({})",
                p.describe().chars().take(120).collect::<String>()
            ),
            _ => self.discarded(why),
        }
    }

    /// The PostgreSQL trigger (table, name) whose function refused the last
    /// statement, when SQLite refused it too.
    pub fn blocking_trigger(&self, pg: &crate::model::schema::Schema) -> Option<(String, String)> {
        let Some((_, s, Outcome::Rejected { fields, .. })) = self.steps.last() else {
            return None;
        };
        if s.is_ok() {
            return None;
        }
        crate::engine::postgres::trigger_of(fields, pg.tables.values())
    }

    pub fn witness(&self) -> Witness {
        self.witness_with(Vec::new(), Vec::new())
    }

    /// The witness preceded by `freed` (the seed rows a worker deleted to
    /// make room, see [`super::lookup`]) and the committed `parents` rows
    /// it references (see [`Worker::parent_inserts`]), so that it replays
    /// on fresh databases; the outcomes are the case's own steps, numbered
    /// after them.
    pub fn witness_with(&self, freed: Vec<Statement>, parents: Vec<Statement>) -> Witness {
        let skip = freed.len() + parents.len();
        let span = |from: usize, n: usize| match n {
            1 => format!("{from}"),
            n => format!("{from}-{}", from + n - 1),
        };
        let mut lead = Vec::new();
        if !freed.is_empty() {
            lead.push(format!(
                "{}: seed rows deleted to make room",
                span(1, freed.len())
            ));
        }
        match parents.len() {
            0 => {}
            1 => lead.push(format!("{}: the parent row", span(freed.len() + 1, 1))),
            n => lead.push(format!("{}: the parent rows", span(freed.len() + 1, n))),
        }
        let outcome = |f: &dyn Fn(&(Statement, Outcome, Outcome)) -> &Outcome| {
            let steps = self
                .steps
                .iter()
                .enumerate()
                .map(|(i, st)| format!("{}: {}", skip + i + 1, f(st).describe()));
            lead.iter()
                .cloned()
                .chain(steps)
                .collect::<Vec<_>>()
                .join("; ")
        };
        let all = || {
            freed
                .iter()
                .chain(&parents)
                .chain(self.steps.iter().map(|(s, _, _)| s))
        };
        Witness {
            sqlite_sql: all().map(|s| format!("{};", s.sqlite)).collect(),
            postgres_sql: all().map(|s| format!("{};", s.postgres)).collect(),
            sqlite_outcome: outcome(&|st| &st.1),
            postgres_outcome: outcome(&|st| &st.2),
        }
    }
}

/// The category a rejection reason points at.
pub fn category_of(kind: RejectionKind) -> Category {
    match kind {
        RejectionKind::NotNull => Category::Nullability,
        RejectionKind::Unique => Category::Unique,
        RejectionKind::ForeignKey => Category::ForeignKey,
        RejectionKind::Check => Category::Check,
        RejectionKind::TypeRange | RejectionKind::Length | RejectionKind::Encoding => {
            Category::Type
        }
        RejectionKind::MissingColumn => Category::MissingColumn,
        RejectionKind::Other => Category::Other,
    }
}

/// A difference that an inherent engine quirk explains is that quirk, not a
/// finding: PostgreSQL refusing a NUL character, SQLite turning NaN into NULL.
/// `named` gives the columns the engines say a step's refusals are about.
pub(super) fn explain_by_quirk(
    v: Verdict,
    t: &Transcript,
    named: &dyn Fn(&Statement, &Outcome, &Outcome) -> Vec<String>,
) -> Verdict {
    if !matches!(v, Verdict::Differ(_)) {
        return v;
    }
    for (stmt, s, p) in &t.steps {
        // A value inside the column's range cannot overflow bigint on its
        // own: "bigint out of range" comes from arithmetic (in a CHECK).
        if let Outcome::Rejected { message, .. } = p
            && message.contains("bigint out of range")
            && s.kind() != p.kind()
        {
            return Verdict::Quirk(super::quirks::INTEGER_OVERFLOW);
        }
        if p.kind() == Some(RejectionKind::Encoding) && stmt.postgres.contains("chr(0)") {
            return Verdict::Quirk(super::quirks::NUL_IN_TEXT);
        }
        if stmt.sqlite.contains("(9e999 - 9e999)") && s.kind() != p.kind() {
            return Verdict::Quirk(super::quirks::NAN_IS_NULL);
        }
        // A unique key one engine alone enforces on a value with letters
        // whose case folds outside ASCII: SQLite's lower() and NOCASE fold
        // ASCII only, PostgreSQL's lower() all of Unicode (an ASCII case
        // pair shows a real difference, and shrinking goes to ASCII).
        // The folding letters must be in the key the engine names: an id a
        // sequence hands out twice is not a case-folding difference.
        let unique = |o: &Outcome| o.kind() == Some(RejectionKind::Unique);
        let key = named(stmt, s, p);
        if unique(s) != unique(p)
            && (s.is_ok() || p.is_ok())
            && stmt
                .set
                .iter()
                .any(|(c, lit, _)| folds_beyond_ascii(lit) && (key.is_empty() || key.contains(c)))
        {
            return Verdict::Quirk(super::quirks::NOCASE_ASCII_ONLY);
        }
    }
    v
}

/// Whether `text` holds a non-ASCII letter with another case.
fn folds_beyond_ascii(text: &str) -> bool {
    text.chars().any(|c| {
        !c.is_ascii()
            && (c.to_lowercase().ne(std::iter::once(c)) || c.to_uppercase().ne(std::iter::once(c)))
    })
}

/// The finding a difference makes: about the PostgreSQL trigger whose
/// function refused a step SQLite took, when one did (that trigger is the
/// root cause, not the property that met it), else about the difference's
/// own columns. `pg` is the PostgreSQL schema (its triggers).
pub(super) fn finding_of(
    pg: &Schema,
    check: CheckKind,
    table: &str,
    d: &Difference,
    t: &Transcript,
) -> Finding {
    let by_trigger = t.steps.iter().find_map(|(_, s, p)| match p {
        Outcome::Rejected { fields, .. } if s.is_ok() => {
            crate::engine::postgres::trigger_of(fields, pg.tables.values())
                .map(|hit| (hit, p.describe()))
        }
        _ => None,
    });
    if let Some(((on, trigger), refusal)) = by_trigger {
        return Finding::new(check, Category::Trigger, &on, &[], &trigger)
            .message(format!(
                "Trigger {trigger} on {on} refuses, on PostgreSQL, a statement SQLite carries out: {}",
                d.message
            ))
            .sides("carries the statement out", refusal);
    }
    let cols: Vec<&str> = d.columns.iter().map(String::as_str).collect();
    Finding::new(
        check,
        d.category,
        d.on.as_deref().unwrap_or(table),
        &cols,
        "",
    )
    .message(d.message.clone())
    .sides(d.sqlite.clone(), d.postgres.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(s: Outcome, p: Outcome) -> (Statement, Outcome, Outcome) {
        let stmt = Statement {
            sqlite: "INSERT INTO t (a) VALUES (1)".into(),
            postgres: "INSERT INTO t (a) VALUES (1)".into(),
            ..Statement::default()
        };
        (stmt, s, p)
    }

    fn refused() -> Outcome {
        Outcome::Rejected {
            kind: RejectionKind::Check,
            message: "CHECK constraint failed: a_positive".into(),
            fields: Default::default(),
        }
    }

    /// A discard never reads "SQLite: ok …; PostgreSQL: ok …": where both
    /// engines took the last statement, it says what the case lacked.
    #[test]
    fn a_discard_names_its_cause_never_both_ok() {
        let ok = || Outcome::Ok(Vec::new());
        for (steps, refused_expected) in [
            (vec![], false),
            (vec![step(ok(), ok())], false),
            (vec![step(refused(), ok())], true),
            (vec![step(ok(), refused())], true),
            (vec![step(refused(), refused())], true),
            (vec![step(refused(), refused()), step(ok(), ok())], false),
        ] {
            let t = Transcript { steps };
            let Verdict::Discard(why) = Verdict::discard(&t, "no parent row to reference") else {
                panic!("Verdict::discard must discard");
            };
            assert_eq!(why == Why::Refused, refused_expected, "{why:?}");
            let said = t.discarded(&why);
            assert!(
                !(said.contains("SQLite: ok") && said.contains("PostgreSQL: ok")),
                "{said}"
            );
            if refused_expected {
                assert!(
                    said.contains("refused") && said.contains("a_positive"),
                    "{said}"
                );
            } else {
                assert!(said.starts_with("no parent row to reference"), "{said}");
            }
        }
    }

    #[test]
    fn letters_folding_beyond_ascii() {
        assert!(super::folds_beyond_ascii("'abc\u{212a}'"));
        assert!(super::folds_beyond_ascii("'É'"));
        assert!(!super::folds_beyond_ascii("'ABC abc 0_%'"));
        assert!(!super::folds_beyond_ascii("'😀 \u{5d0}'"));
    }
}
