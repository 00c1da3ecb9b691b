//! constraint: a valid row is accepted by both engines, and each
//! single-violation row (NULL in a NOT NULL column, a duplicate of a
//! unique key — also differing only by case —, a dangling foreign key, a
//! CHECK-violating value) is rejected by both for the same reason.

use schema_parity_strategies::{
    ColumnSpec, Lit, PATTERN_BREAKER, broken_pattern, no_parent, swap_ascii_case,
};

use crate::check::tables::TableInfo;
use crate::error::Result;
use crate::mapping::{Family, PgKind};
use crate::model::finding::{Category, CheckKind};
use crate::sql::expr::Atom;

use crate::check::case::{RowCase, culprit, judge_valid_insert, specs, tame_row_case_with};
use crate::check::drive::{combine, drive_part, share};
use crate::check::parents::insert_statement;
use crate::check::plan::Plan;
use crate::check::property::{Property, PropertyReport};
use crate::check::sql::Statement;
use crate::check::sql::{lit_postgres, lit_sqlite};
use crate::check::verdict::{Difference, NO_PARENT_ROW, Transcript, Verdict, Why, category_of};
use crate::check::worker::Worker;
use crate::engine::{Outcome, RejectionKind};
use crate::model::Engine;

/// What a constraint case tries: a valid row, or one way to break exactly
/// one constraint.
#[derive(Debug, Clone)]
enum Attempt {
    Valid,
    Null(String),
    /// Duplicate the key's values from a first row; `swap_case` flips ASCII case.
    Duplicate {
        columns: Vec<String>,
        swap_case: bool,
    },
    Dangling(usize),
    Check {
        column: String,
        value: Lit,
        implied: bool,
        /// A value at a bound of either side's range (valid on at least
        /// one): both engines must agree on it, whichever way.
        bound: bool,
    },
}

impl Attempt {
    fn expected(&self) -> Option<(RejectionKind, Category, Vec<String>)> {
        match self {
            Attempt::Valid => None,
            Attempt::Null(c) => Some((
                RejectionKind::NotNull,
                Category::Nullability,
                vec![c.clone()],
            )),
            Attempt::Duplicate { columns, .. } => {
                Some((RejectionKind::Unique, Category::Unique, columns.clone()))
            }
            Attempt::Dangling(_) => {
                Some((RejectionKind::ForeignKey, Category::ForeignKey, Vec::new()))
            }
            Attempt::Check { column, .. } => {
                Some((RejectionKind::Check, Category::Check, vec![column.clone()]))
            }
        }
    }

    fn describe(&self) -> String {
        match self {
            Attempt::Valid => "a valid row".into(),
            Attempt::Null(c) => format!("NULL in NOT NULL column {c}"),
            Attempt::Duplicate {
                columns,
                swap_case: false,
            } => format!("a duplicate of unique ({})", columns.join(", ")),
            Attempt::Duplicate {
                columns,
                swap_case: true,
            } => {
                format!(
                    "a duplicate of unique ({}) differing only by letter case",
                    columns.join(", ")
                )
            }
            Attempt::Dangling(_) => "a reference to a missing parent row".into(),
            Attempt::Check {
                column,
                value,
                bound: true,
                ..
            } => format!("{column} = {} at a CHECK bound", lit_sqlite(value)),
            Attempt::Check { column, value, .. } => {
                format!("{column} = {} violating its CHECK", lit_sqlite(value))
            }
        }
    }
}

/// A value of the column (of PostgreSQL type `kind`) that breaks `atom`.
fn violating(atom: &Atom, kind: &PgKind) -> Option<Lit> {
    schema_parity_strategies::violating(
        &crate::check::tables::rule(atom)?,
        crate::check::tables::shape(kind),
    )
}

/// The value a range CHECK admits at its bound (`x >= 5` → 5, `x < 5` → 4).
fn at_bound(atom: &Atom, kind: &PgKind) -> Option<Lit> {
    schema_parity_strategies::at_bound(
        &crate::check::tables::rule(atom)?,
        crate::check::tables::shape(kind),
    )
}

fn attempts(info: &TableInfo) -> Vec<Attempt> {
    let mut out = vec![Attempt::Valid];
    for c in info.insertable() {
        if c.not_null {
            out.push(Attempt::Null(c.name.clone()));
        }
        for a in &c.atoms {
            // A pattern is broken twice: alone, keeping the column's other
            // rules (an engine lacking only this one shows), and next to a
            // valid value (the placeholder: an anchored pattern against an
            // unanchored one shows).
            let alone = crate::check::breakers::breaking_only(a, &c.atoms);
            for value in alone.into_iter().chain(violating(a, &c.pg_kind)) {
                out.push(Attempt::Check {
                    column: c.name.clone(),
                    value,
                    implied: c.implied.contains(a),
                    bound: false,
                });
            }
            // Values one side's set allows and the other's does not: both
            // engines must give them the same answer, whichever it is.
            if let Atom::InSet {
                values,
                negated: false,
                ..
            } = a
            {
                for p in &c.pg_atoms {
                    if let Atom::InSet {
                        values: pv,
                        negated: false,
                        ..
                    } = p
                    {
                        for (extra, bound) in pv
                            .difference(values)
                            .map(|v| (v, false))
                            .chain(values.difference(pv).map(|v| (v, true)))
                        {
                            out.push(Attempt::Check {
                                column: c.name.clone(),
                                value: crate::mapping::lit_of(extra),
                                implied: false,
                                bound,
                            });
                        }
                    }
                }
            }
        }
    }
    // The values at each side's range bounds (just inside, and just outside
    // PostgreSQL's): a bound shifted by one shows only there.
    for c in info.insertable() {
        let mut seen: Vec<Lit> = Vec::new();
        let sqlite_inside = c.atoms.iter().filter_map(|a| at_bound(a, &c.pg_kind));
        let pg_inside = c.pg_atoms.iter().filter_map(|a| at_bound(a, &c.pg_kind));
        let pg_outside = c
            .pg_atoms
            .iter()
            .filter(|a| matches!(a, Atom::Compare { .. }))
            .filter_map(|a| violating(a, &c.pg_kind));
        for value in sqlite_inside.chain(pg_inside).chain(pg_outside) {
            if seen.contains(&value) {
                continue;
            }
            seen.push(value.clone());
            out.push(Attempt::Check {
                column: c.name.clone(),
                value,
                implied: false,
                bound: true,
            });
        }
    }
    for key in info.uniques.iter().chain(&info.partial_uniques) {
        let columns: Vec<String> = key.iter().map(|(c, _)| c.clone()).collect();
        if columns
            .iter()
            .any(|c| info.column(c).is_none_or(|ci| ci.auto_increment))
        {
            continue;
        }
        out.push(Attempt::Duplicate {
            columns: columns.clone(),
            swap_case: false,
        });
        // Only where two accepted values can differ in case alone.
        let texty = columns.iter().any(|c| {
            info.column(c).is_some_and(|ci| {
                free_text(ci) && !crate::mapping::bounds(c, &ci.atoms).case_determined
            })
        });
        if texty {
            out.push(Attempt::Duplicate {
                columns,
                swap_case: true,
            });
        }
    }
    if !info.primary_key.is_empty()
        && !info
            .primary_key
            .iter()
            .any(|c| info.column(c).is_none_or(|ci| ci.auto_increment))
    {
        out.push(Attempt::Duplicate {
            columns: info.primary_key.clone(),
            swap_case: false,
        });
    }
    for k in 0..info.foreign_keys.len() {
        out.push(Attempt::Dangling(k));
    }
    out
}

/// A text column whose agreed domain is free text (not a value set, a uuid
/// or another shaped value): the only kind a letter-case probe applies to.
fn free_text(c: &crate::check::tables::ColumnInfo) -> bool {
    c.pg_kind.family() == Family::Text
        && matches!(
            c.spec.domain,
            schema_parity_strategies::Domain::Text { .. }
                | schema_parity_strategies::Domain::Glob(_)
        )
}

/// The `constraint` property (see the module's doc).
pub struct Constraint;

impl Property for Constraint {
    fn kind(&self) -> CheckKind {
        CheckKind::Constraint
    }

    fn about(&self) -> &'static str {
        "a valid row is accepted by both; each single-violation mutant (NULL, duplicate key, dangling reference, CHECK violation) is rejected by both for the same reason"
    }

    fn run(&self, plan: &Plan, worker: &mut Worker, info: &TableInfo) -> Result<PropertyReport> {
        run(plan, worker, info)
    }
}

fn run(plan: &Plan, worker: &mut Worker, info: &TableInfo) -> Result<PropertyReport> {
    let attempts = Attempts {
        plan,
        info,
        specs: specs(info),
        all: attempts(info),
    };
    let case = |w: &mut Worker, drawn: &(RowCase, RowCase, usize), t: &mut Transcript| {
        Ok(attempts.case(w, drawn, t))
    };
    // Every attempt gets its share of the cases (a random pick would leave
    // most of a wide table's constraints untested at small budgets).
    let per = share(plan.cases, attempts.all.len(), 4);
    let mut parts = Vec::new();
    for (m, mutant) in attempts.all.iter().enumerate() {
        // A duplicate's key is never NULL: NULL collides with nothing.
        let key: &[String] = match mutant {
            Attempt::Duplicate { columns, .. } => columns,
            _ => &[],
        };
        let strategy = (
            tame_row_case_with(info, key),
            tame_row_case_with(info, key),
            proptest::strategy::Just(m),
        );
        parts.push(drive_part(
            plan,
            worker,
            &info.name,
            CheckKind::Constraint,
            per,
            &format!("m{m}"),
            strategy,
            case,
        )?);
    }
    Ok(combine(parts))
}

/// A table's constraint attempts, with what every case of them shares.
struct Attempts<'a> {
    plan: &'a Plan,
    info: &'a TableInfo,
    /// The table's column specs.
    specs: Vec<ColumnSpec>,
    /// Every attempt (see [`attempts`]); a case draws its index.
    all: Vec<Attempt>,
}

impl Attempts<'_> {
    /// One case: a first row (`first`), and for a duplicate a second one
    /// (`second`), with attempt `m` made on it.
    fn case(
        &self,
        w: &mut Worker,
        (first, second, m): &(RowCase, RowCase, usize),
        t: &mut Transcript,
    ) -> Verdict {
        let attempt = &self.all[*m];
        match attempt {
            Attempt::Valid => self.valid(w, t, first),
            Attempt::Duplicate { columns, swap_case } => {
                self.duplicate(w, t, attempt, columns, *swap_case, (first, second))
            }
            // A probe whose row another rule refused (see `judge_attempt`)
            // is made again on the case's second row.
            _ => match self.single_violation(w, t, attempt, first) {
                Verdict::Discard(Why::Refused) => self.single_violation(w, t, attempt, second),
                verdict => verdict,
            },
        }
    }

    fn stmt_for(&self, w: &Worker, case: &RowCase, values: &[Lit]) -> Option<Statement> {
        insert_statement(
            self.info,
            &self.specs,
            values,
            &w.parents,
            |k| case.picks[k],
            false,
        )
    }

    /// The valid row: accepted by both engines.
    fn valid(&self, w: &mut Worker, t: &mut Transcript, first: &RowCase) -> Verdict {
        let info = self.info;
        let sqlite_types = |c: &str| self.plan.sqlite_type(&info.name, c);
        let Some(stmt) = self.stmt_for(w, first, &first.values) else {
            return Verdict::discard(t, NO_PARENT_ROW);
        };
        let (s, p) = t.run(w, stmt.clone());
        judge_valid_insert(info, &sqlite_types, &stmt, &first.values, &s, &p)
    }

    /// A duplicate of the key `columns` (in other letters, `swap_case`):
    /// the first row, then the second row with the first's key.
    fn duplicate(
        &self,
        w: &mut Worker,
        t: &mut Transcript,
        attempt: &Attempt,
        columns: &[String],
        swap_case: bool,
        (first, second): (&RowCase, &RowCase),
    ) -> Verdict {
        let lettered;
        let first = if swap_case {
            lettered = self.lettered(first, columns);
            &lettered
        } else {
            first
        };
        let Some(stmt) = self.stmt_for(w, first, &first.values) else {
            return Verdict::discard(t, NO_PARENT_ROW);
        };
        let case = self.duplicate_of(first, second, columns, swap_case);
        let values = case.values.clone();
        let duplicate = self.stmt_for(w, &case, &values);
        // The duplicate follows the first row whenever both engines
        // take that: one round trip.
        if let Some(duplicate) = &duplicate
            && !(swap_case && values == second.values)
        {
            w.ahead(&[&stmt, duplicate]);
        }
        let (s, p) = t.run(w, stmt);
        if !(s.is_ok() && p.is_ok()) {
            return Verdict::discard(t, "the first row was refused");
        }
        if swap_case && values == second.values {
            return Verdict::discard(t, "the key has no letter whose case could change");
        }
        let Some(stmt) = duplicate else {
            return Verdict::discard(t, NO_PARENT_ROW);
        };
        let (s, p) = t.run(w, stmt.clone());
        judge_attempt(self.info, attempt, &stmt, &s, &p)
    }

    /// A case-only duplicate needs a letter in the key: a value without
    /// one gets its first character replaced by `a`.
    fn lettered(&self, first: &RowCase, columns: &[String]) -> RowCase {
        let mut f = first.clone();
        for c in columns {
            if let Some(i) = self.specs.iter().position(|s| &s.name == c)
                && self.info.column(c).is_some_and(free_text)
                && let Lit::Text(x) = &f.values[i]
                && !x.chars().any(|ch| ch.is_ascii_alphabetic())
            {
                let rest: String = x.chars().skip(1).collect();
                f.values[i] = Lit::Text(format!("a{rest}"));
            }
        }
        f
    }

    /// The second row with the first row's key `columns` (their values, in
    /// other letters where `swap_case`, and the parent rows they reference).
    fn duplicate_of(
        &self,
        first: &RowCase,
        second: &RowCase,
        columns: &[String],
        swap_case: bool,
    ) -> RowCase {
        let info = self.info;
        let mut values = second.values.clone();
        let mut picks = second.picks.clone();
        for c in columns {
            if let Some(i) = self.specs.iter().position(|s| &s.name == c) {
                // Only free text changes case: an enum label or a
                // uuid in other letters is another value (its own
                // probe's business), not a case-only duplicate.
                let swappable = swap_case && info.column(c).is_some_and(free_text);
                values[i] = match (&first.values[i], swappable) {
                    (Lit::Text(x), true) => Lit::Text(swap_ascii_case(x)),
                    (v, _) => v.clone(),
                };
            }
            for (k, fk) in info.foreign_keys.iter().enumerate() {
                if fk.columns.contains(c) {
                    picks[k] = first.picks[k];
                }
            }
        }
        RowCase { values, picks }
    }

    /// The first row with one constraint broken: a NULL, a value violating
    /// a CHECK (or at its bound), or a reference to no parent row.
    fn single_violation(
        &self,
        w: &mut Worker,
        t: &mut Transcript,
        attempt: &Attempt,
        first: &RowCase,
    ) -> Verdict {
        let info = self.info;
        let Some(mut stmt) = self.stmt_for(w, first, &first.values) else {
            return Verdict::discard(t, NO_PARENT_ROW);
        };
        match attempt {
            Attempt::Null(c) => replace_literal(&mut stmt, c, "NULL".into(), "NULL".into()),
            Attempt::Check { column, value, .. } => {
                let kind = info
                    .column(column)
                    .map(|c| c.pg_kind.clone())
                    .unwrap_or(PgKind::Text);
                // A pattern is best broken next to a valid value: "!" + valid
                // text fails an anchored GLOB but passes an unanchored regex.
                let value = match value {
                    Lit::Text(t) if t == PATTERN_BREAKER => self
                        .specs
                        .iter()
                        .position(|s| &s.name == column)
                        .and_then(|i| match &first.values[i] {
                            Lit::Text(v) => Some(broken_pattern(v)),
                            _ => None,
                        })
                        .unwrap_or_else(|| value.clone()),
                    _ => value.clone(),
                };
                replace_literal(
                    &mut stmt,
                    column,
                    lit_sqlite(&value),
                    lit_postgres(&value, &kind),
                );
            }
            Attempt::Dangling(k) => {
                let fk = &info.foreign_keys[*k];
                for c in &fk.columns {
                    let kind = info
                        .column(c)
                        .map(|c| c.pg_kind.clone())
                        .unwrap_or(PgKind::BigInt);
                    let v = no_parent(crate::check::tables::shape(&kind));
                    replace_literal(&mut stmt, c, lit_sqlite(&v), lit_postgres(&v, &kind));
                }
            }
            _ => {}
        }
        let (s, p) = t.run(w, stmt.clone());
        judge_attempt(info, attempt, &stmt, &s, &p)
    }
}

/// Rebuilds the INSERT with one column's literal replaced, in the text and
/// in the assignments attribution reads.
fn replace_literal(stmt: &mut Statement, col: &str, sv: String, pv: String) {
    stmt.sqlite = replace_value(&stmt.sqlite, col, &sv);
    stmt.postgres = replace_value(&stmt.postgres, col, &pv);
    if let Some(a) = stmt.set.iter_mut().find(|(c, _, _)| c == col) {
        *a = (col.to_string(), sv, pv);
    }
}

/// Replaces the literal of `col` in `INSERT INTO t (a, b) VALUES (x, y)`.
fn replace_value(sql: &str, col: &str, literal: &str) -> String {
    let Some(open) = sql.find(" (") else {
        return sql.to_string();
    };
    let Some(vals) = sql.find(") VALUES (") else {
        return sql.to_string();
    };
    let names: Vec<&str> = sql[open + 2..vals].split(", ").collect();
    let Some(idx) = names.iter().position(|n| n.trim_matches('"') == col) else {
        return sql.to_string();
    };
    let body_start = vals + ") VALUES (".len();
    let end = sql.rfind(')').unwrap_or(sql.len());
    let body = &sql[body_start..end];
    let parts = split_top_level(body);
    let mut parts: Vec<String> = parts.into_iter().map(str::to_string).collect();
    if idx < parts.len() {
        parts[idx] = literal.to_string();
    }
    format!("{}{}{}", &sql[..body_start], parts.join(", "), &sql[end..])
}

fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, false, 0usize);
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' => quote = !quote,
            b'(' if !quote => depth += 1,
            b')' if !quote => depth -= 1,
            b',' if !quote && depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(s[start..].trim());
    out
}

fn judge_attempt(
    info: &TableInfo,
    attempt: &Attempt,
    stmt: &Statement,
    s: &Outcome,
    p: &Outcome,
) -> Verdict {
    let Some((expected, category, mut columns)) = attempt.expected() else {
        return Verdict::Same;
    };
    if columns.is_empty()
        && let Attempt::Dangling(k) = attempt
    {
        columns = info.foreign_keys[*k].columns.clone();
    }
    let value_reasons = [
        RejectionKind::Check,
        RejectionKind::TypeRange,
        RejectionKind::Length,
    ];
    let compatible = |a: RejectionKind, b: RejectionKind| {
        a == b
            || matches!(attempt, Attempt::Check { implied: true, .. })
                && value_reasons.contains(&a)
                && value_reasons.contains(&b)
    };
    let what = attempt.describe();
    match (s, p) {
        (Outcome::Rejected { kind: a, .. }, Outcome::Rejected { kind: b, .. })
            if compatible(*a, *b) =>
        {
            // A CHECK probe tested its column only where each engine that
            // names a culprit names that column: a rule of other columns
            // the row also breaks (a table CHECK over two columns a drawn
            // row fails) decided the case, which tested nothing here.
            if let Attempt::Check { column, .. } = attempt {
                let elsewhere = |engine: Engine, o: &Outcome| {
                    let named = culprit(info, stmt, engine, o);
                    !named.is_empty() && !named.contains(column)
                };
                if elsewhere(Engine::Sqlite, s) || elsewhere(Engine::Postgres, p) {
                    return Verdict::Discard(Why::Refused);
                }
            }
            Verdict::Same
        }
        (Outcome::Ok(_), Outcome::Ok(_)) => Verdict::Same,
        (
            Outcome::Rejected {
                kind: a,
                message: ms,
                ..
            },
            Outcome::Rejected {
                kind: b,
                message: mp,
                ..
            },
        ) => {
            // Only a side that refused for the planted reason while the other
            // got past that rule (and failed a later one) shows the planted
            // rule missing on the other side. Otherwise another value decided
            // the case (its own probe finds that): it tests nothing here.
            let passed =
                |x: RejectionKind, y: RejectionKind| x == expected && y.stage() > x.stage();
            let columns = if passed(*a, *b) {
                rejected_columns(info, stmt, Engine::Sqlite, s, columns)
            } else if passed(*b, *a) {
                rejected_columns(info, stmt, Engine::Postgres, p, columns)
            } else {
                return Verdict::Discard(Why::Refused);
            };
            Verdict::Differ(Difference {
                on: None,
                category,
                columns,
                message: format!(
                    "{}: {what} is rejected by both engines but for different reasons: SQLite {}, PostgreSQL {}.",
                    info.name,
                    a.name(),
                    b.name()
                ),
                sqlite: format!("rejects ({}): {ms}", a.name()),
                postgres: format!("rejects ({}): {mp}", b.name()),
            })
        }
        (Outcome::Rejected { kind, message, .. }, Outcome::Ok(_)) => {
            let cols = rejected_columns(info, stmt, Engine::Sqlite, s, columns);
            Verdict::Differ(Difference {
                on: None,
                category: if *kind == expected {
                    category
                } else {
                    category_of(*kind)
                },
                columns: cols,
                message: format!(
                    "{}: SQLite rejects {what} but PostgreSQL accepts it.",
                    info.name
                ),
                sqlite: format!("rejects ({}): {message}", kind.name()),
                postgres: "accepts".into(),
            })
        }
        (Outcome::Ok(_), Outcome::Rejected { kind, message, .. }) => Verdict::Differ(Difference {
            on: None,
            // Refused for another reason than the planted one: that reason
            // (and the column the engine names) is the root cause.
            category: if *kind == expected {
                category
            } else {
                category_of(*kind)
            },
            columns: rejected_columns(info, stmt, Engine::Postgres, p, columns),
            message: format!(
                "{}: PostgreSQL rejects {what} but SQLite accepts it.",
                info.name
            ),
            sqlite: "accepts".into(),
            postgres: format!("rejects ({}): {message}", kind.name()),
        }),
    }
}

/// The columns a one-sided rejection is about: those the engine names (the
/// planted value may be fine and another column's rule the difference);
/// the planted columns when it names none.
fn rejected_columns(
    info: &TableInfo,
    stmt: &Statement,
    engine: Engine,
    o: &Outcome,
    planted: Vec<String>,
) -> Vec<String> {
    // What the engine names wins (a CHECK names its own column, a type
    // error the value it could not take); the planted columns stand in only
    // when the engine names none (SQLite's foreign-key failures).
    let named = culprit(info, stmt, engine, o);
    if named.is_empty() { planted } else { named }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_value_swaps_one_literal() {
        let sql = "INSERT INTO \"t\" (\"a\", \"b\") VALUES ('x, y', f(1, 2))";
        assert_eq!(
            replace_value(sql, "b", "NULL"),
            "INSERT INTO \"t\" (\"a\", \"b\") VALUES ('x, y', NULL)"
        );
        assert_eq!(
            replace_value(sql, "a", "1"),
            "INSERT INTO \"t\" (\"a\", \"b\") VALUES (1, f(1, 2))"
        );
    }
}
