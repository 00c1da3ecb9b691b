//! Columns: which exist on each side, their types (an enum type against
//! SQLite's `CHECK (col IN (…))` included) and their nullability.

use crate::structure::expected::{ExpectedColumn, ExpectedTable};
use crate::model::finding::{Category, CheckKind, Finding};
use crate::mapping::{self, TypeVerdict};
use crate::model::schema::Column;

use super::category::{Psql, StructureCategory, TablePair};
use super::checks::enum_checks;
use super::script::{Guard, TableScript, array, lit};

const CHECK: CheckKind = CheckKind::Structure;

pub struct Columns;

impl StructureCategory for Columns {
    fn name(&self) -> &'static str {
        "columns"
    }

    fn psql(&self) -> Psql {
        Psql::Checked
    }

    fn compare_column(&self, t: &TablePair, ec: &ExpectedColumn, pc: &Column, out: &mut Vec<Finding>) {
        let (name, sc, cname) = (t.name(), ec.source, ec.name());
        type_verdict(name, ec, pc, out);
        if let Some(labels) = &pc.enum_labels {
            enum_values(name, cname, pc, labels, &t.et.atoms, out);
        }
        if sc.not_null != pc.not_null {
            let (s, p) = (nullability(sc.not_null), nullability(pc.not_null));
            let key_may_hold_null = !sc.not_null && t.et.primary_key.iter().any(|k| k == cname);
            out.push(
                Finding::new(CHECK, Category::Nullability, name, &[cname], "")
                    .message(format!(
                        "{name}.{cname} is {s} in SQLite but {p} in PostgreSQL{}.",
                        if key_may_hold_null {
                            " (SQLite lets a non-INTEGER primary key hold NULL unless it is declared NOT NULL)"
                        } else {
                            ""
                        }
                    ))
                    .sides(s, p)
                    .pattern(
                        format!("nullability-{}-sqlite", s.replace(' ', "-")),
                        format!("{s} in SQLite but {p} in PostgreSQL."),
                        key_may_hold_null.then(|| "a primary key column, which SQLite lets hold NULL unless declared NOT NULL".to_string()),
                    ),
            );
        }
    }

    fn compare_table(&self, t: &TablePair, out: &mut Vec<Finding>) {
        let name = t.name();
        for pc in &t.pt.columns {
            if t.et.column(&pc.name).is_some() {
                continue;
            }
            let harmless = !pc.not_null || pc.default.is_some();
            let mut f = Finding::new(CHECK, Category::ExtraColumn, name, &[&pc.name], "")
                .message(format!(
                    "Column {name}.{} exists in PostgreSQL but not in SQLite{}.",
                    pc.name,
                    if harmless {
                        ""
                    } else {
                        " and is NOT NULL without a default, so inserts that work on SQLite fail"
                    }
                ))
                .sides("no such column", describe_column(pc))
                .pattern(
                    if harmless { "extra-column-optional" } else { "extra-column-required" },
                    if harmless {
                        "in PostgreSQL but not in SQLite, nullable or with a default (inserts written for SQLite still work)."
                    } else {
                        "in PostgreSQL but not in SQLite, NOT NULL without a default, so inserts that work on SQLite fail."
                    },
                    Some(describe_column(pc)),
                );
            if harmless {
                f = f.warning();
            }
            out.push(f);
        }
    }

    /// The column's presence, type and nullability.
    fn validate_column(&self, t: &mut TableScript, ec: &ExpectedColumn) {
        let (name, sc) = (t.name, ec.source);
        let c = sc.name.as_str();
        let expected_type = t.expected_type(ec);
        t.table_equals(
            &format!("{name}.{c}: column"),
            "present",
            &format!(
                "CASE WHEN pg_temp.parity_attnum({}, {}) IS NULL THEN 'missing' ELSE 'present' END",
                lit(name),
                lit(c)
            ),
        );
        let guard = Guard::Column(name, c);
        t.s.equals(
            &guard,
            &format!("{name}.{c}: type"),
            &expected_type,
            &format!("lower(pg_temp.parity_type({}, {}))", lit(name), lit(c)),
        );
        let not_null = match t.rt.and_then(|rt| rt.column(c)) {
            Some(rc) if t.accepts(Category::Nullability, Some(c)) => rc.not_null,
            _ => sc.not_null,
        };
        t.s.equals(
            &guard,
            &format!("{name}.{c}: nullability"),
            if not_null { "NOT NULL" } else { "nullable" },
            &format!("pg_temp.parity_nullability({}, {})", lit(name), lit(c)),
        );
    }

    /// No columns but the expected ones (and those parity.toml accepts).
    fn validate_table(&self, t: &mut TableScript) {
        let name = t.name;
        if t.accepts(Category::ExtraColumn, None) && t.rt.is_none() {
            return;
        }
        let mut allowed: Vec<String> = t
            .et
            .column_names()
            .into_iter()
            .map(str::to_string)
            .collect();
        if let Some(rt) = t.rt {
            allowed.extend(
                rt.columns
                    .iter()
                    .filter(|c| t.accepts(Category::ExtraColumn, Some(&c.name)))
                    .map(|c| c.name.clone()),
            );
        }
        t.table_equals(
            &format!("{name}: no other columns"),
            "none",
            &format!(
                "pg_temp.parity_other_columns({}, {})",
                lit(name),
                array(&allowed)
            ),
        );
    }
}

/// A column PostgreSQL lacks (the loop's own finding: no category compares
/// a column one side lacks).
pub fn missing_column(et: &ExpectedTable, ec: &ExpectedColumn, out: &mut Vec<Finding>) {
    let (name, cname) = (et.name, ec.name());
    out.push(
        Finding::new(CHECK, Category::MissingColumn, name, &[cname], "")
            .message(format!(
                "Column {name}.{cname} exists in SQLite but not in PostgreSQL."
            ))
            .sides(describe_column(ec.source), "no such column")
            .pattern(
                "missing-column",
                "in SQLite but not in PostgreSQL: a statement naming one is refused by PostgreSQL.",
                Some(describe_column(ec.source)),
            ),
    );
}

fn type_verdict(name: &str, ec: &ExpectedColumn, pc: &Column, out: &mut Vec<Finding>) {
    let (sc, cname) = (ec.source, ec.name());
    match ec.verdict(pc) {
        TypeVerdict::Equivalent => {}
        TypeVerdict::Different(d) => out.push(
            Finding::new(CHECK, Category::Type, name, &[cname], "")
                .message(format!("{name}.{cname}: {}.", d.why))
                .sides(or_untyped(&sc.declared_type), &pc.declared_type)
                .pattern(d.rule.clone(), format!("{}.", d.pattern), d.detail.clone()),
        ),
        TypeVerdict::Caveat { difference: d, fix } => out.push(
            Finding::new(CHECK, Category::Type, name, &[cname], "")
                .message(format!(
                    "{name}.{cname}: {} (a mapping caveat; fix: {fix}).",
                    d.why
                ))
                .sides(or_untyped(&sc.declared_type), &pc.declared_type)
                .pattern(
                    d.rule.clone(),
                    format!("{} (a mapping caveat; fix: {fix}).", d.pattern),
                    d.detail.clone(),
                )
                .warning(),
        ),
        // Only where no engine was at hand to probe it (a comparison
        // of models alone): said so, never taken for equivalent.
        TypeVerdict::Unknown => out.push(
            Finding::new(CHECK, Category::Type, name, &[cname], "")
                .message(format!(
                    "{name}.{cname}: no mapping rule covers SQLite {}, PostgreSQL {}, and the pairing was not probed on the engines in this run.",
                    or_untyped(&sc.declared_type),
                    pc.declared_type
                ))
                .sides(or_untyped(&sc.declared_type), &pc.declared_type)
                .pattern(
                    "unprobed-pairing",
                    "no mapping rule covers the pairing, and it was not probed on the engines in this run.",
                    Some(format!(
                        "SQLite {}, PostgreSQL {}",
                        or_untyped(&sc.declared_type),
                        pc.declared_type
                    )),
                ),
        ),
    }
}

/// An enum column against SQLite's `CHECK (col IN ('a', …))`: the enum
/// enforces that CHECK, so it needs no PostgreSQL CHECK (`checks` leaves it
/// out); different value sets are one `check` finding naming what only
/// one side allows.
fn enum_values(
    table: &str,
    cname: &str,
    pc: &Column,
    labels: &[String],
    s_atoms: &[crate::sql::expr::Atom],
    out: &mut Vec<Finding>,
) {
    let pg_set = mapping::enum_literals(labels);
    for (a, values) in enum_checks(cname, s_atoms) {
        if *values == pg_set {
            continue;
        }
        let list = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>().join(", ");
        let only_s = list(values.difference(&pg_set).collect());
        let only_p = list(pg_set.difference(values).collect());
        let ty = pc.declared_type.to_lowercase();
        let what = match (only_s.is_empty(), only_p.is_empty()) {
            (false, false) => format!(
                "only SQLite's CHECK allows {only_s} and only PostgreSQL's enum {ty} allows {only_p}"
            ),
            (true, _) => {
                format!("PostgreSQL's enum {ty} also allows {only_p}, which SQLite's CHECK rejects")
            }
            (false, true) => {
                format!("SQLite's CHECK also allows {only_s}, which PostgreSQL's enum {ty} rejects")
            }
        };
        out.push(
            Finding::new(CHECK, Category::Check, table, &[cname], "enum")
                .message(format!("{table}.{cname} takes different values: {what}."))
                .sides(
                    format!("CHECK {}", a.describe()),
                    format!("{} ({})", pc.declared_type, labels.join(", ")),
                ),
        );
    }
}

/// A SQLite declared type as a sentence names it.
pub(super) fn or_untyped(declared: &str) -> &str {
    if declared.is_empty() {
        "no declared type"
    } else {
        declared
    }
}

fn nullability(not_null: bool) -> &'static str {
    if not_null { "NOT NULL" } else { "nullable" }
}

fn describe_column(c: &Column) -> String {
    let mut s = c.declared_type.clone();
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        s.push_str(" DEFAULT ");
        s.push_str(d);
    }
    s
}
