//! cascade: deleting (and, where an ON UPDATE action exists, re-keying) a
//! parent row leaves the same child rows, with the same NULLed columns, on
//! both engines — or is refused by both.

use proptest::prelude::*;

use crate::domain::TableInfo;
use crate::error::Result;
use crate::finding::{Category, CheckKind};
use crate::schema::{FkAction, Value};

use super::case::{RowCase, specs, tame_row_case};
use super::outcome::Outcome;
use super::runner::{Difference, PropertyReport, Suite, Verdict, combine, drive_part, share};
use super::sql::{self, quote_ident};
use super::worker::{ParentRow, free_parents, insert_statement};

pub fn run(suite: &Suite, worker: &mut super::Worker, info: &TableInfo) -> Result<PropertyReport> {
    let Some(children) = suite.children.get(&info.name).filter(|c| !c.is_empty()) else {
        return Ok(PropertyReport {
            not_applicable: Some("no table references this one".into()),
            ..PropertyReport::default()
        });
    };
    let children = children.clone();
    let parent_specs = specs(info);
    let child_strategies: Vec<BoxedStrategy<RowCase>> = children
        .iter()
        .map(|(c, _)| tame_row_case(&suite.tables[c]))
        .collect();
    type Drawn = (RowCase, Vec<RowCase>, usize, bool);
    let case = |w: &mut super::Worker,
                (parent, kids, sel, update): &Drawn,
                t: &mut super::runner::Transcript| {
        let (child_name, fk_index) = &children[*sel];
        let child = &suite.tables[child_name];
        let fk = &child.foreign_keys[*fk_index];
        let pg_fk = child.pg_foreign_keys.iter().find(|f| {
            let mut a = f.columns.clone();
            let mut b = fk.columns.clone();
            a.sort();
            b.sort();
            a == b
        });
        let has_update_action = |a: FkAction| !a.behaves_like(FkAction::NoAction);
        let do_update = *update
            && (has_update_action(fk.on_update)
                || pg_fk.is_some_and(|f| has_update_action(f.on_update)));
        // 1. the parent row
        let Some(stmt) = insert_statement(
            info,
            &parent_specs,
            &parent.values,
            &w.parents,
            |k| parent.picks[k],
            true,
        ) else {
            return Ok(Verdict::Discard);
        };
        let (s, p) = t.run(w, stmt);
        let (Some(srow), Some(prow)) = (s.rows().first().cloned(), p.rows().first().cloned())
        else {
            return Ok(Verdict::Discard);
        };
        let cols: Vec<String> = info.columns.iter().map(|c| c.name.clone()).collect();
        let new_parent = ParentRow {
            sqlite: cols.iter().cloned().zip(srow).collect(),
            postgres: cols.iter().cloned().zip(prow).collect(),
            claimed: std::collections::BTreeSet::new(),
        };
        // 2. a child row referencing it through the chosen FK
        let kid = &kids[*sel];
        let child_specs = specs(child);
        // The new parent is row 0; the child's other references to this
        // table go to existing rows, or a NO ACTION on one of them would
        // mask the action under test.
        let mut parents = w.parents.clone();
        let mut rows = vec![new_parent.clone()];
        rows.extend(w.parents.get(&info.name).cloned().unwrap_or_default());
        parents.insert(info.name.clone(), rows);
        let picks = |k: usize| {
            if k == *fk_index {
                return 0;
            }
            if child.foreign_keys[k].target_table != info.name {
                return kid.picks[k];
            }
            let free = free_parents(child, k, &parents);
            let others: Vec<usize> = (0..free.len()).filter(|&i| free[i] != 0).collect();
            if others.is_empty() {
                0
            } else {
                others[kid.picks[k] % others.len()]
            }
        };
        let Some(stmt) = insert_statement(child, &child_specs, &kid.values, &parents, picks, true)
        else {
            return Ok(Verdict::Discard);
        };
        let (s, p) = t.run(w, stmt);
        let (Some(srow), Some(prow)) = (s.rows().first().cloned(), p.rows().first().cloned())
        else {
            return Ok(Verdict::Discard);
        };
        if child.primary_key.is_empty() {
            return Ok(Verdict::Discard);
        }
        let key_of = |row: &[Value], lit: &dyn Fn(&Value, &str) -> String| -> Vec<String> {
            child
                .primary_key
                .iter()
                .filter_map(|k| {
                    let i = child.columns.iter().position(|c| &c.name == k)?;
                    Some(format!("{} = {}", quote_ident(k), lit(&row[i], k)))
                })
                .collect()
        };
        let pk_kind = |c: &str| {
            child
                .column(c)
                .map(|ci| ci.pg_kind.clone())
                .unwrap_or(crate::mapping::PgKind::Text)
        };
        let skey = key_of(&srow, &|v, _| sql::value_sqlite(v)).join(" AND ");
        let pkey = key_of(&prow, &|v, c| sql::value_postgres(v, &pk_kind(c))).join(" AND ");
        // 3. delete or re-key the parent
        let target_kind = |c: &str| {
            info.column(c)
                .map(|ci| ci.pg_kind.clone())
                .unwrap_or(crate::mapping::PgKind::Text)
        };
        let swhere = fk
            .target_columns
            .iter()
            .map(|c| {
                format!(
                    "{} = {}",
                    quote_ident(c),
                    new_parent
                        .sqlite
                        .get(c)
                        .map_or("NULL".into(), sql::value_sqlite)
                )
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        let pwhere = fk
            .target_columns
            .iter()
            .map(|c| {
                format!(
                    "{} = {}",
                    quote_ident(c),
                    new_parent
                        .postgres
                        .get(c)
                        .map_or("NULL".into(), |v| sql::value_postgres(v, &target_kind(c)))
                )
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        let action = if do_update {
            let Some(target) = fk.target_columns.first() else {
                return Ok(Verdict::Discard);
            };
            let Some(tc) = info.column(target) else {
                return Ok(Verdict::Discard);
            };
            let tq = quote_ident(target);
            let (set, pset) = match &tc.pg_kind {
                // A new key of the same length: SQLite's `||` on blobs
                // yields text, so compute the new value here, per engine.
                crate::mapping::PgKind::Bytea => {
                    let flip = |v: Option<&Value>| match v {
                        Some(Value::Blob(b)) if !b.is_empty() => {
                            let mut b = b.clone();
                            if let Some(last) = b.last_mut() {
                                *last ^= 0xff;
                            }
                            Some(Value::Blob(b))
                        }
                        _ => None,
                    };
                    let (Some(ns), Some(np)) = (
                        flip(new_parent.sqlite.get(target)),
                        flip(new_parent.postgres.get(target)),
                    ) else {
                        return Ok(Verdict::Discard);
                    };
                    (
                        format!("{tq} = {}", sql::value_sqlite(&ns)),
                        format!("{tq} = {}", sql::value_postgres(&np, &tc.pg_kind)),
                    )
                }
                crate::mapping::PgKind::Text
                | crate::mapping::PgKind::Citext
                | crate::mapping::PgKind::Varchar(_) => {
                    let s = format!("{tq} = {tq} || 'u'");
                    (s.clone(), s)
                }
                // A fixed-width key keeps its width: change its first letter.
                crate::mapping::PgKind::Char(_) => {
                    let s = format!(
                        "{tq} = CASE WHEN substr({tq}, 1, 1) = 'u' THEN 'v' ELSE 'u' END || substr({tq}, 2)"
                    );
                    (s.clone(), s)
                }
                k if k.int_range().is_some()
                    || matches!(
                        k,
                        crate::mapping::PgKind::Numeric { .. }
                            | crate::mapping::PgKind::Real
                            | crate::mapping::PgKind::Double
                    ) =>
                {
                    // Toward zero, so a key at its type's bound cannot overflow.
                    let s = format!(
                        "{tq} = CASE WHEN {tq} > 0 THEN {tq} - 1000003 ELSE {tq} + 1000003 END"
                    );
                    (s.clone(), s)
                }
                // No new key both engines spell alike (uuid, bytes): not a case.
                _ => return Ok(Verdict::Discard),
            };
            sql::Statement {
                sqlite: format!(
                    "UPDATE {} SET {set} WHERE {swhere}",
                    quote_ident(&info.name)
                ),
                postgres: format!(
                    "UPDATE {} SET {pset} WHERE {pwhere}",
                    quote_ident(&info.name)
                ),
                ..sql::Statement::default()
            }
        } else {
            sql::Statement {
                sqlite: format!("DELETE FROM {} WHERE {swhere}", quote_ident(&info.name)),
                postgres: format!("DELETE FROM {} WHERE {pwhere}", quote_ident(&info.name)),
                ..sql::Statement::default()
            }
        };
        let (sa, pa) = t.run(w, action);
        // 4. what became of the child
        let fkcols = fk
            .columns
            .iter()
            .map(|c| quote_ident(c))
            .collect::<Vec<_>>()
            .join(", ");
        let look = sql::Statement {
            sqlite: format!(
                "SELECT {fkcols} FROM {} WHERE {skey}",
                quote_ident(child_name)
            ),
            postgres: format!(
                "SELECT {fkcols} FROM {} WHERE {pkey}",
                quote_ident(child_name)
            ),
            ..sql::Statement::default()
        };
        let (sl, pl) = t.run(w, look);
        let verb = if do_update { "updating" } else { "deleting" };
        let shape = |o: &Outcome, l: &Outcome| -> String {
            match o {
                Outcome::Rejected { kind, .. } => format!("refuses ({})", kind.name()),
                Outcome::Ok(_) => match l.rows().first() {
                    None => "deletes the child row".into(),
                    Some(r) if r.iter().all(Value::is_null) => {
                        "sets the child's reference to NULL".into()
                    }
                    Some(_) if do_update => {
                        "keeps the child row (reference updated or unchanged)".into()
                    }
                    Some(_) => "keeps the child row".into(),
                },
            }
        };
        let (ss, ps) = (shape(&sa, &sl), shape(&pa, &pl));
        // After an update both must also agree whether the child follows.
        let follows = |l: &Outcome| l.rows().first().map(|r| r.iter().all(Value::is_null));
        if ss == ps && follows(&sl) == follows(&pl) {
            return Ok(Verdict::Same);
        }
        // A key checked at commit on one side only keeps the child for the
        // rest of the transaction there: the deferred-key finding, not an
        // ON DELETE one.
        let deferral_differs = pg_fk.is_some_and(|p| p.deferred != fk.deferred);
        Ok(Verdict::Differ(Difference {
            category: if deferral_differs {
                Category::ForeignKey
            } else {
                Category::OnDelete
            },
            columns: fk.columns.clone(),
            message: format!(
                "{child_name}({}) → {}: {verb} the parent row {ss} on SQLite but {ps} on PostgreSQL.",
                fk.columns.join(", "),
                info.name
            ),
            sqlite: ss,
            postgres: ps,
        }))
    };
    // Every child foreign key gets its share of the cases.
    let per = share(suite.cases, children.len(), 8);
    let mut parts = Vec::new();
    for (sel, (child, _)) in children.iter().enumerate() {
        let strategy = (
            tame_row_case(info),
            child_strategies.clone(),
            Just(sel),
            any::<bool>(),
        );
        let mut part = drive_part(
            suite,
            worker,
            &info.name,
            CheckKind::Cascade,
            per,
            &format!("c{sel}"),
            strategy,
            case,
        )?;
        // The root cause is this child's foreign key: report it on the child.
        for f in &mut part.findings {
            f.table.clone_from(child);
            f.id = format!("cascade.on_delete.{child}.{}", f.columns.join("."));
        }
        parts.push(part);
    }
    Ok(combine(parts))
}
