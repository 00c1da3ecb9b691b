//! CHECK constraints, compared as canonical conjuncts (`expr::Atom`):
//! those a PostgreSQL column type already enforces (an enum, a range)
//! need no CHECK there.

use std::collections::BTreeSet;

use crate::model::Engine;
use crate::sql::expr::{self, Atom};
use crate::model::finding::{Category, CheckKind, Finding};
use crate::mapping;
use crate::model::schema::Table;

use super::category::{Psql, StructureCategory, TablePair};
use super::script::{Guard, TableScript, array_typed, collapse, lit};

const CHECK: CheckKind = CheckKind::Structure;

pub struct Checks;

impl StructureCategory for Checks {
    fn name(&self) -> &'static str {
        "checks"
    }

    fn psql(&self) -> Psql {
        Psql::Checked
    }

    fn compare_table(&self, t: &TablePair, out: &mut Vec<Finding>) {
        let columns = t.et.column_names();
        checks(t.name(), &t.et.atoms, &pg_atoms(t.pt), &implied(t), out, &columns);
    }

    fn validate_table(&self, t: &mut TableScript) {
        checks_script(t);
    }
}

/// SQLite's `CHECK (col IN ('a', …))` conjuncts on `column`, each with its
/// values: what an enum column is compared with (`columns`).
pub fn enum_checks<'a>(column: &str, atoms: &'a [Atom]) -> Vec<(&'a Atom, &'a BTreeSet<String>)> {
    atoms
        .iter()
        .filter_map(|a| match a {
            Atom::InSet {
                column: c,
                values,
                negated: false,
            } if c == column && values.iter().all(|v| v.starts_with('\'')) => Some((a, values)),
            _ => None,
        })
        .collect()
}

/// The SQLite CHECK conjuncts PostgreSQL's column types already enforce:
/// an enum's value set, and what `ExpectedColumn::enforced_by` says.
fn implied(t: &TablePair) -> Vec<Atom> {
    let s_atoms = &t.et.atoms;
    let mut implied: Vec<Atom> = Vec::new();
    for ec in &t.et.columns {
        let Some(pc) = t.pt.column(ec.name()) else {
            continue;
        };
        if pc.enum_labels.is_some() {
            implied.extend(enum_checks(ec.name(), s_atoms).into_iter().map(|(a, _)| a.clone()));
        }
        let kind = mapping::pg_kind(&pc.declared_type);
        implied.extend(ec.enforced_by(s_atoms, &kind).into_iter().cloned());
    }
    implied
}

/// All CHECK conjuncts of a PostgreSQL table, canonical.
fn pg_atoms(t: &Table) -> Vec<Atom> {
    let mut v: Vec<Atom> = t
        .checks
        .iter()
        .flat_map(|c| expr::check_atoms(&c.expr, Engine::Postgres))
        .collect();
    v.sort();
    v.dedup();
    v
}

fn checks(
    table: &str,
    s_atoms: &[Atom],
    p_atoms: &[Atom],
    implied: &[Atom],
    out: &mut Vec<Finding>,
    columns: &[&str],
) {
    let s_only: Vec<&Atom> = s_atoms
        .iter()
        .filter(|a| !p_atoms.contains(a) && !implied.contains(a))
        .collect();
    let mut p_only: Vec<&Atom> = p_atoms.iter().filter(|a| !s_atoms.contains(a)).collect();
    let mut s_missing = Vec::new();
    for s in s_only {
        let col = s
            .column()
            .map(str::to_string)
            .or_else(|| sole_column(s, columns));
        // Same column, same shape, different content: one finding.
        let twin = p_only.iter().position(|p| match (s, p) {
            (Atom::InSet { column: a, .. }, Atom::InSet { column: b, .. })
            | (Atom::Pattern { column: a, .. }, Atom::Pattern { column: b, .. })
            | (Atom::MaxLength { column: a, .. }, Atom::MaxLength { column: b, .. })
            | (Atom::MinLength { column: a, .. }, Atom::MinLength { column: b, .. }) => a == b,
            (
                Atom::Compare {
                    column: a, op: x, ..
                },
                Atom::Compare {
                    column: b, op: y, ..
                },
            ) => a == b && x == y,
            _ => false,
        });
        if let Some(i) = twin {
            let cols: Vec<&str> = col.iter().map(String::as_str).collect();
            let p = p_only.remove(i);
            let detail = match (s, p) {
                (Atom::InSet { values: a, .. }, Atom::InSet { values: b, .. }) => {
                    let only_s: Vec<&String> = a.difference(b).collect();
                    let only_p: Vec<&String> = b.difference(a).collect();
                    format!(
                        " (only SQLite allows: {}; only PostgreSQL allows: {})",
                        if only_s.is_empty() {
                            "-".into()
                        } else {
                            only_s
                                .iter()
                                .map(|x| x.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        },
                        if only_p.is_empty() {
                            "-".into()
                        } else {
                            only_p
                                .iter()
                                .map(|x| x.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    )
                }
                _ => String::new(),
            };
            out.push(
                Finding::new(CHECK, Category::Check, table, &cols, &s.describe())
                    .message(format!(
                        "{table}: CHECK {} in SQLite differs from CHECK {} in PostgreSQL{detail}.",
                        s.describe(),
                        p.describe()
                    ))
                    .sides(
                        format!("CHECK {}", s.describe()),
                        format!("CHECK {}", p.describe()),
                    ),
            );
            continue;
        }
        s_missing.push((col, s));
    }
    let mut p_missing = Vec::new();
    for p in p_only {
        let col = p
            .column()
            .map(str::to_string)
            .or_else(|| sole_column(p, columns));
        p_missing.push((col, p));
    }
    one_side_checks(table, s_missing, Engine::Sqlite, out);
    one_side_checks(table, p_missing, Engine::Postgres, out);
}

/// CHECK conditions only `has` enforces: one finding per column (the bounds
/// of one range, `x >= 0` and `x <= 100`, are one root cause), one per
/// condition no single column carries.
fn one_side_checks(
    table: &str,
    missing: Vec<(Option<String>, &Atom)>,
    has: Engine,
    out: &mut Vec<Finding>,
) {
    let lacks = has.other();
    let mut by_column: Vec<(Option<String>, Vec<&Atom>)> = Vec::new();
    for (col, atom) in missing {
        match by_column
            .iter_mut()
            .find(|(c, _)| col.is_some() && *c == col)
        {
            Some((_, atoms)) => atoms.push(atom),
            None => by_column.push((col, vec![atom])),
        }
    }
    for (col, atoms) in by_column {
        let cols: Vec<&str> = col.iter().map(String::as_str).collect();
        let shown = atoms
            .iter()
            .map(|a| a.describe())
            .collect::<Vec<_>>()
            .join(" AND ");
        let f = Finding::new(CHECK, Category::Check, table, &cols, &atoms[0].describe()).message(
            format!("{table}: {has} enforces CHECK {shown} but {lacks} does not."),
        );
        let (mine, none) = (format!("CHECK {shown}"), "no such check".to_string());
        let mut f = if has == Engine::Sqlite {
            f.sides(mine, none)
        } else {
            f.sides(none, mine)
        };
        // `x >= 0` in SQLite and `x > 0` in PostgreSQL slug alike: the ids
        // of two findings must differ.
        if out.iter().any(|g| g.id == f.id) {
            f.id.push_str(&format!(".{}-only", has.name().to_ascii_lowercase()));
        }
        out.push(f);
    }
}

/// The one column an otherwise unanalysed CHECK mentions, if exactly one.
fn sole_column(a: &Atom, columns: &[&str]) -> Option<String> {
    let Atom::Other(text) = a else { return None };
    let words: std::collections::BTreeSet<String> = crate::sql::text::tokenize(text)
        .iter()
        .filter_map(crate::sql::text::Token::ident)
        .filter(|w| columns.contains(&w.as_str()))
        .collect();
    if words.len() == 1 {
        words.into_iter().next()
    } else {
        None
    }
}

fn checks_script(ts: &mut TableScript) {
    let t = ts.name;
    if ts.accepts(Category::Check, None) {
        ts.s
            .comment("CHECK constraints not checked: parity.toml accepts a difference");
        return;
    }
    let Some(rt) = ts.rt else {
        ts.s.comment(
            "CHECK constraints not checked: the reference has no such table to spell them",
        );
        return;
    };
    let exprs: BTreeSet<String> = rt.checks.iter().map(|c| collapse(&c.expr)).collect();
    let exprs: Vec<String> = exprs.into_iter().collect();
    for e in &exprs {
        ts.s.holds(
            &Guard::Table(ts.name),
            &format!("{t}: CHECK {e}"),
            &format!(
                "EXISTS (SELECT 1 FROM pg_temp.parity_checks({}) c WHERE c.expr = {})",
                lit(t),
                lit(e)
            ),
            "'missing'",
        );
    }
    ts.s.equals(
        &Guard::Table(ts.name),
        &format!("{t}: no other CHECK constraints"),
        "none",
        &format!(
            "coalesce((SELECT string_agg('CHECK ' || c.expr, '; ' ORDER BY c.expr) FROM pg_temp.parity_checks({}) c WHERE c.expr <> ALL ({})), 'none')",
            lit(t),
            array_typed(&exprs)
        ),
    );
}
