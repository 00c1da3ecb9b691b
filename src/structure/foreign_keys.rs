//! Foreign keys: which columns reference what, when they are checked
//! (deferred or not), and what ON DELETE / ON UPDATE do.

use std::collections::BTreeMap;

use crate::structure::expected::{ExpectedForeignKey, ExpectedTable};
use crate::model::finding::{Category, CheckKind, Finding};
use crate::model::schema::{FkAction, ForeignKey, Table};

use super::category::{Psql, StructureCategory, TablePair};
use super::script::{Guard, TableScript, array, lit};

const CHECK: CheckKind = CheckKind::Structure;

pub struct ForeignKeys;

impl StructureCategory for ForeignKeys {
    fn name(&self) -> &'static str {
        "foreign_keys"
    }

    fn psql(&self) -> Psql {
        Psql::Checked
    }

    fn compare_table(&self, t: &TablePair, out: &mut Vec<Finding>) {
        foreign_keys(t.et, t.pt, out);
    }

    fn validate_table(&self, t: &mut TableScript) {
        foreign_keys_script(t);
    }
}

fn foreign_keys(et: &ExpectedTable, pt: &Table, out: &mut Vec<Finding>) {
    let table = et.name;
    let sf: BTreeMap<&Vec<String>, &ExpectedForeignKey> =
        et.foreign_keys.iter().map(|f| (&f.column_set, f)).collect();
    let pf: BTreeMap<Vec<String>, &ForeignKey> = pt
        .foreign_keys
        .iter()
        .map(|f| {
            let mut c = f.columns.clone();
            c.sort();
            (c, f)
        })
        .collect();
    for (cols, ef) in &sf {
        let s = ef.source;
        let colrefs: Vec<&str> = s.columns.iter().map(String::as_str).collect();
        let target = |f: &ForeignKey| {
            format!("{}({})", f.target_table, f.target_columns.join(", "))
        };
        let Some(p) = pf.get(*cols) else {
            out.push(
                Finding::new(CHECK, Category::ForeignKey, table, &colrefs, "missing")
                    .message(format!(
                        "{table}({}) references {} in SQLite but has no foreign key in PostgreSQL, so dangling references are accepted there.",
                        s.columns.join(", "),
                        target(s)
                    ))
                    .sides(
                        format!("REFERENCES {} ON DELETE {} ON UPDATE {}", target(s), s.on_delete.as_sql(), s.on_update.as_sql()),
                        "no foreign key",
                    )
                    .pattern(
                        format!("fk-sqlite-only-{}-{}", s.target_table, s.target_columns.join("-")),
                        format!(
                            "references {} in SQLite but has no foreign key in PostgreSQL, so dangling references are accepted there.",
                            target(s)
                        ),
                        None,
                    ),
            );
            continue;
        };
        if s.target_table != p.target_table || s.target_columns != p.target_columns {
            out.push(
                Finding::new(CHECK, Category::ForeignKey, table, &colrefs, "target")
                    .message(format!(
                        "{table}({}) references {} in SQLite but {} in PostgreSQL.",
                        s.columns.join(", "),
                        target(s),
                        target(p)
                    ))
                    .sides(
                        format!("REFERENCES {}", target(s)),
                        format!("REFERENCES {}", target(p)),
                    ),
            );
            continue;
        }
        if s.deferred != p.deferred {
            let when = |d: bool| {
                if d {
                    "DEFERRABLE INITIALLY DEFERRED (checked at commit)"
                } else {
                    "checked at each statement"
                }
            };
            out.push(
                Finding::new(CHECK, Category::ForeignKey, table, &colrefs, "deferred")
                    .message(format!(
                        "{table}({}) → {}: the foreign key is {} in SQLite but {} in PostgreSQL, so a statement that leaves a dangling reference for a moment is refused on one side only.",
                        s.columns.join(", "),
                        target(s),
                        when(s.deferred),
                        when(p.deferred)
                    ))
                    .sides(when(s.deferred), when(p.deferred)),
            );
        }
        for (what, a, b) in [
            ("DELETE", s.on_delete, p.on_delete),
            ("UPDATE", s.on_update, p.on_update),
        ] {
            let one_statement = ef.restrict_matters(what == "DELETE");
            if !a.behaves_like(b, one_statement) {
                out.push(
                    Finding::new(
                        CHECK,
                        Category::OnDelete,
                        table,
                        &colrefs,
                        &format!("on {what}"),
                    )
                    .message(format!(
                        "{table}({}) → {}: ON {what} {} in SQLite but ON {what} {} in PostgreSQL.{}",
                        s.columns.join(", "),
                        target(s),
                        a.as_sql(),
                        b.as_sql(),
                        if a.acts() || b.acts() {
                            ""
                        } else if what == "UPDATE" {
                            " RESTRICT refuses as soon as a referenced key changes; NO ACTION only if a child still refers to it when the statement ends (an UPDATE that hands the key to another row passes)."
                        } else {
                            " RESTRICT refuses as soon as a referenced row goes; NO ACTION only if a child still refers to it when the statement ends (a DELETE that also removes the child, through a self-reference or a cascade, passes)."
                        }
                    ))
                    .sides(
                        format!("ON {what} {}", a.as_sql()),
                        format!("ON {what} {}", b.as_sql()),
                    ),
                );
            }
        }
    }
    for (cols, p) in &pf {
        if !sf.contains_key(cols) {
            let colrefs: Vec<&str> = p.columns.iter().map(String::as_str).collect();
            out.push(
                Finding::new(CHECK, Category::ForeignKey, table, &colrefs, "extra")
                    .message(format!(
                        "{table}({}) references {}({}) in PostgreSQL but has no foreign key in SQLite.",
                        p.columns.join(", "),
                        p.target_table,
                        p.target_columns.join(", ")
                    ))
                    .sides("no foreign key", format!("REFERENCES {}({})", p.target_table, p.target_columns.join(", ")))
                    .pattern(
                        format!("fk-postgres-only-{}-{}", p.target_table, p.target_columns.join("-")),
                        format!(
                            "references {}({}) in PostgreSQL but has no foreign key in SQLite, so SQLite accepts dangling references PostgreSQL refuses.",
                            p.target_table,
                            p.target_columns.join(", ")
                        ),
                        None,
                    ),
            );
        }
    }
}

fn foreign_keys_script(ts: &mut TableScript) {
    let t = ts.name;
    if ts.accepts(Category::ForeignKey, None) || ts.accepts(Category::OnDelete, None) {
        ts.s
            .comment("foreign keys not checked: parity.toml accepts a difference");
        return;
    }
    let mut column_sets = Vec::new();
    for ef in &ts.et.foreign_keys {
        let fk = ef.source;
        let pairs: Vec<String> = fk
            .columns
            .iter()
            .zip(&fk.target_columns)
            .map(|(c, tc)| format!("{c}->{tc}"))
            .collect();
        let cols = array(&fk.columns);
        let shown = describe_fk(fk);
        ts.s.holds(
            &Guard::Table(ts.name),
            &format!("{t}: FOREIGN KEY {shown}"),
            &format!(
                "EXISTS (SELECT 1 FROM pg_temp.parity_fks({}) f WHERE f.pairs @> {p} AND f.pairs <@ {p} AND f.target = {} AND f.del IN ({}) AND f.upd IN ({}))",
                lit(t),
                lit(&fk.target_table),
                action_codes(fk.on_delete, ef.restrict_matters_on_delete),
                action_codes(fk.on_update, ef.restrict_matters_on_update),
                p = array(&pairs),
            ),
            &format!(
                "'missing (foreign keys there on these columns: ' || coalesce((SELECT string_agg(f.descr, '; ' ORDER BY f.descr) FROM pg_temp.parity_fks({}) f WHERE f.cols && {cols}), 'none') || ')'",
                lit(t)
            ),
        );
        column_sets.push(format!("(f.cols @> {cols} AND f.cols <@ {cols})"));
    }
    let known = if column_sets.is_empty() {
        "false".to_string()
    } else {
        column_sets.join(" OR ")
    };
    ts.s.equals(
        &Guard::Table(ts.name),
        &format!("{t}: no other foreign keys"),
        "none",
        &format!(
            "coalesce((SELECT string_agg(f.descr, '; ' ORDER BY f.descr) FROM pg_temp.parity_fks({}) f WHERE NOT ({known})), 'none')",
            lit(t)
        ),
    );
}

fn describe_fk(fk: &ForeignKey) -> String {
    format!(
        "({}) REFERENCES {}({}) ON DELETE {} ON UPDATE {}",
        fk.columns.join(", "),
        fk.target_table,
        fk.target_columns.join(", "),
        fk.on_delete.as_sql(),
        fk.on_update.as_sql()
    )
}

/// `pg_constraint` action codes that behave like `a` (NO ACTION and
/// RESTRICT alike unless one statement can tell them apart; see
/// [`FkAction::behaves_like`]).
fn action_codes(a: FkAction, one_statement: bool) -> &'static str {
    match a {
        FkAction::NoAction if one_statement => "'a'",
        FkAction::Restrict if one_statement => "'r'",
        FkAction::NoAction | FkAction::Restrict => "'a', 'r'",
        FkAction::Cascade => "'c'",
        FkAction::SetNull => "'n'",
        FkAction::SetDefault => "'d'",
    }
}
