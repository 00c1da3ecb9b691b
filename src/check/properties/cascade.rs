//! cascade: deleting (and, where an ON UPDATE action exists, re-keying) a
//! parent row leaves the same child rows, with the same NULLed columns, on
//! both engines — or is refused by both.

use proptest::prelude::*;

use crate::check::tables::TableInfo;
use crate::error::Result;
use crate::mapping::Family;
use crate::model::finding::{Category, CheckKind};
use crate::model::schema::{FkAction, ForeignKey, Value};
use schema_parity_strategies::ColumnSpec;

use crate::check::case::{RowCase, specs, tame_row_case};
use crate::check::drive::{combine, drive_part, share};
use crate::check::parents::{ParentRow, free_parents, insert_statement};
use crate::check::plan::Plan;
use crate::check::property::{Property, PropertyReport};
use crate::check::sql::{self, quote_ident};
use crate::check::verdict::{Difference, NO_PARENT_ROW, Transcript, Verdict};
use crate::check::worker::Worker;
use crate::engine::Outcome;

/// The `cascade` property (see the module's doc).
pub struct Cascade;

impl Property for Cascade {
    fn kind(&self) -> CheckKind {
        CheckKind::Cascade
    }

    fn about(&self) -> &'static str {
        "deleting or re-keying a parent row leaves the same child rows, NULLed the same way"
    }

    fn not_applicable(&self, plan: &Plan, info: &TableInfo) -> Option<String> {
        plan.children
            .get(&info.name)
            .is_none_or(Vec::is_empty)
            .then(|| "no table references this one".into())
    }

    fn run(&self, plan: &Plan, worker: &mut Worker, info: &TableInfo) -> Result<PropertyReport> {
        run(plan, worker, info)
    }
}

/// One cascade case as drawn: the parent row, a row for each child
/// reference, which reference it tests, whether it re-keys the parent
/// rather than deleting it, and another parent row (where a new key comes
/// from).
type Drawn = (RowCase, Vec<RowCase>, usize, bool, RowCase);

/// A step of a case: its result, or what the case lacked to go on (the
/// cause its discard names).
type Step<T> = std::result::Result<T, &'static str>;

fn run(plan: &Plan, worker: &mut Worker, info: &TableInfo) -> Result<PropertyReport> {
    let Some(children) = plan.children.get(&info.name).filter(|c| !c.is_empty()) else {
        return Ok(PropertyReport {
            not_applicable: Some("no table references this one".into()),
            ..PropertyReport::default()
        });
    };
    let children = children.clone();
    let parent = Parent {
        plan,
        info,
        children: &children,
        specs: specs(info),
    };
    let child_strategies: Vec<BoxedStrategy<RowCase>> = children
        .iter()
        .map(|(c, _)| tame_row_case(&plan.tables[c]))
        .collect();
    let case = |w: &mut Worker, drawn: &Drawn, t: &mut Transcript| Ok(parent.case(w, drawn, t));
    // Every child foreign key gets its share of the cases.
    let per = share(plan.cases, children.len(), 8);
    let mut parts = Vec::new();
    for (sel, (child, _)) in children.iter().enumerate() {
        let strategy = (
            tame_row_case(info),
            child_strategies.clone(),
            Just(sel),
            any::<bool>(),
            tame_row_case(info),
        );
        let mut part = drive_part(
            plan,
            worker,
            &info.name,
            CheckKind::Cascade,
            per,
            &format!("c{sel}"),
            strategy,
            case,
        )?;
        // The root cause is this child's foreign key: report it on the
        // child (a trigger found to be the cause keeps its own name).
        for f in part
            .findings
            .iter_mut()
            .filter(|f| f.category != Category::Trigger)
        {
            f.table.clone_from(child);
            f.id = format!("cascade.on_delete.{child}.{}", f.columns.join("."));
        }
        parts.push(part);
    }
    Ok(combine(parts))
}

/// What every cascade case of one parent table shares.
struct Parent<'a> {
    plan: &'a Plan,
    /// The parent table.
    info: &'a TableInfo,
    /// Each table referencing it, with the index of its foreign key.
    children: &'a [(String, usize)],
    /// The parent table's column specs.
    specs: Vec<ColumnSpec>,
}

/// The child foreign key a case tests, and what the case does to the
/// parent row.
struct Reference<'a> {
    child_name: &'a str,
    child: &'a TableInfo,
    fk_index: usize,
    fk: &'a ForeignKey,
    /// PostgreSQL's foreign key on the same columns.
    pg_fk: Option<&'a ForeignKey>,
    /// Re-key the parent row: an ON UPDATE action exists on one side.
    update: bool,
    /// One UPDATE that swaps two keys (see [`swap_keys`]).
    swap: bool,
}

impl Parent<'_> {
    /// One case: a new parent row, a child row referencing it, the parent
    /// deleted or re-keyed, and what became of the child on each engine.
    fn case(&self, w: &mut Worker, drawn: &Drawn, t: &mut Transcript) -> Verdict {
        let (parent, kids, sel, update, other) = drawn;
        let r = self.reference(*sel, *update);
        match self.steps(w, t, &r, parent, &kids[*sel], other) {
            Ok(verdict) => verdict,
            Err(lacks) => Verdict::discard(t, lacks),
        }
    }

    fn reference(&self, sel: usize, update: bool) -> Reference<'_> {
        let (child_name, fk_index) = &self.children[sel];
        let child = &self.plan.tables[child_name];
        let fk = &child.foreign_keys[*fk_index];
        let pg_fk = child.pg_foreign_keys.iter().find(|f| {
            let mut a = f.columns.clone();
            let mut b = fk.columns.clone();
            a.sort();
            b.sort();
            a == b
        });
        let do_update =
            update && (fk.on_update.acts() || pg_fk.is_some_and(|f| f.on_update.acts()));
        // RESTRICT against NO ACTION shows only within one statement that
        // hands the parent's key to another row: a swap of two keys.
        let swap = update
            && !do_update
            && (fk.on_update == FkAction::Restrict
                || pg_fk.is_some_and(|f| f.on_update == FkAction::Restrict));
        Reference {
            child_name,
            child,
            fk_index: *fk_index,
            fk,
            pg_fk,
            update: do_update,
            swap,
        }
    }

    /// The case's four steps, in order.
    fn steps(
        &self,
        w: &mut Worker,
        t: &mut Transcript,
        r: &Reference,
        parent: &RowCase,
        kid: &RowCase,
        other: &RowCase,
    ) -> Step<Verdict> {
        // 1. the parent row
        let new_parent = self.insert_parent(w, t, parent)?;
        // 2. a child row referencing it through the chosen FK
        let (skey, pkey) = self.insert_child(w, t, r, kid, &new_parent)?;
        // 3. delete or re-key the parent
        let action = self.parent_action(w, t, r, &new_parent, other)?;
        // 4. what became of the child
        Ok(self.what_became_of_the_child(w, t, r, action, &skey, &pkey))
    }

    /// Step 1: a new parent row, as each engine stored it.
    fn insert_parent(
        &self,
        w: &mut Worker,
        t: &mut Transcript,
        parent: &RowCase,
    ) -> Step<ParentRow> {
        let info = self.info;
        let Some(stmt) = insert_statement(
            info,
            &self.specs,
            &parent.values,
            &w.parents,
            |k| parent.picks[k],
            true,
        ) else {
            return Err(NO_PARENT_ROW);
        };
        let (s, p) = t.run(w, with_id(info, stmt, 0));
        let (Some(srow), Some(prow)) = (s.rows().first().cloned(), p.rows().first().cloned())
        else {
            return Err("the parent row's INSERT returned no row");
        };
        let cols: Vec<String> = info.columns.iter().map(|c| c.name.clone()).collect();
        Ok(ParentRow {
            sqlite: cols.iter().cloned().zip(srow).collect(),
            postgres: cols.iter().cloned().zip(prow).collect(),
            claimed: std::collections::BTreeSet::new(),
        })
    }

    /// Step 2: a child row referencing the new parent through the tested
    /// foreign key; the conditions that find it again on each engine.
    fn insert_child(
        &self,
        w: &mut Worker,
        t: &mut Transcript,
        r: &Reference,
        kid: &RowCase,
        new_parent: &ParentRow,
    ) -> Step<(String, String)> {
        let (info, child) = (self.info, r.child);
        let child_specs = specs(child);
        let parents = self.child_parents(w, r, new_parent);
        let picks = |k: usize| {
            if k == r.fk_index {
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
            return Err(NO_PARENT_ROW);
        };
        let (s, p) = t.run(w, with_id(child, stmt, 2));
        let (Some(srow), Some(prow)) = (s.rows().first().cloned(), p.rows().first().cloned())
        else {
            return Err("the child row's INSERT returned no row");
        };
        let pk_kind = |c: &str| {
            child
                .column(c)
                .map(|ci| ci.pg_kind.clone())
                .unwrap_or(crate::mapping::PgKind::Text)
        };
        let skey = child_key(child, &srow, &|v, _| sql::value_sqlite(v)).join(" AND ");
        let pkey =
            child_key(child, &prow, &|v, c| sql::value_postgres(v, &pk_kind(c))).join(" AND ");
        if skey.is_empty() || pkey.is_empty() {
            return Err("the child row has no key to find it again by");
        }
        Ok((skey, pkey))
    }

    /// The parent rows the child row may reference: the new parent is row
    /// 0; the child's other references to this table go to existing rows,
    /// or a NO ACTION on one of them would mask the action under test.
    /// Only the tables the child references (a copy of every table's rows
    /// per case was most of a wide schema's run time).
    fn child_parents(
        &self,
        w: &Worker,
        r: &Reference,
        new_parent: &ParentRow,
    ) -> std::collections::BTreeMap<String, Vec<ParentRow>> {
        let mut parents: std::collections::BTreeMap<String, Vec<ParentRow>> = r
            .child
            .foreign_keys
            .iter()
            .filter_map(|f| {
                let rows = w.parents.get(&f.target_table)?;
                Some((f.target_table.clone(), rows.clone()))
            })
            .collect();
        let mut rows = vec![new_parent.clone()];
        rows.extend(w.parents.get(&self.info.name).cloned().unwrap_or_default());
        parents.insert(self.info.name.clone(), rows);
        parents
    }

    /// Step 3: the statement that deletes the new parent row, re-keys it,
    /// or swaps its key with another row's.
    fn parent_action(
        &self,
        w: &mut Worker,
        t: &mut Transcript,
        r: &Reference,
        new_parent: &ParentRow,
        other: &RowCase,
    ) -> Step<sql::Statement> {
        let info = self.info;
        let target_kind = |c: &str| {
            info.column(c)
                .map(|ci| ci.pg_kind.clone())
                .unwrap_or(crate::mapping::PgKind::Text)
        };
        // The new parent row by its referenced key, as each engine stored it.
        let key_where = |row: &std::collections::BTreeMap<String, Value>,
                         lit: &dyn Fn(&Value, &str) -> String| {
            (r.fk.target_columns.iter())
                .map(|c| {
                    let v = row.get(c).map_or("NULL".into(), |v| lit(v, c));
                    format!("{} = {v}", quote_ident(c))
                })
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        let swhere = key_where(&new_parent.sqlite, &|v, _| sql::value_sqlite(v));
        let pwhere = key_where(&new_parent.postgres, &|v, c| {
            sql::value_postgres(v, &target_kind(c))
        });
        let action = if r.swap {
            swap_keys(w, t, info, &self.specs, r.fk, new_parent, other)
        } else if r.update {
            rekey(w, info, &self.specs, r.fk, other, &swhere, &pwhere)
        } else {
            Some(sql::Statement {
                sqlite: format!("DELETE FROM {} WHERE {swhere}", quote_ident(&info.name)),
                postgres: format!("DELETE FROM {} WHERE {pwhere}", quote_ident(&info.name)),
                ..sql::Statement::default()
            })
        };
        action.ok_or("no other key of the parent's key type to move the key to")
    }

    /// Step 4: runs the action, looks the child row up again (`skey`,
    /// `pkey`), and compares what each engine did to it.
    fn what_became_of_the_child(
        &self,
        w: &mut Worker,
        t: &mut Transcript,
        r: &Reference,
        action: sql::Statement,
        skey: &str,
        pkey: &str,
    ) -> Verdict {
        let (fk, child_name) = (r.fk, r.child_name);
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
        // The look follows the action whatever it did: both in one round trip.
        w.ahead(&[&action, &look]);
        let (sa, pa) = t.run(w, action);
        let (sl, pl) = t.run(w, look);
        let verb = if r.swap {
            "one UPDATE that gives the parent row's key to another parent row"
        } else if r.update {
            "updating the parent row's key"
        } else {
            "deleting the parent row"
        };
        let shape = |o: &Outcome, l: &Outcome| -> String {
            match o {
                Outcome::Rejected { kind, .. } => format!("refuses ({})", kind.name()),
                Outcome::Ok(_) => match l.rows().first() {
                    None => "deletes the child row".into(),
                    Some(row) if row.iter().all(Value::is_null) => {
                        "sets the child's reference to NULL".into()
                    }
                    Some(_) if r.update || r.swap => {
                        "keeps the child row (reference updated or unchanged)".into()
                    }
                    Some(_) => "keeps the child row".into(),
                },
            }
        };
        let (ss, ps) = (shape(&sa, &sl), shape(&pa, &pl));
        // After an update both must also agree whether the child follows.
        let follows = |l: &Outcome| l.rows().first().map(|row| row.iter().all(Value::is_null));
        if ss == ps && follows(&sl) == follows(&pl) {
            return Verdict::Same;
        }
        // A key checked at commit on one side only keeps the child for the
        // rest of the transaction there: the deferred-key finding, not an
        // ON DELETE one.
        let deferral_differs = r.pg_fk.is_some_and(|p| p.deferred != fk.deferred);
        Verdict::Differ(Difference {
            on: None,
            category: if deferral_differs {
                Category::ForeignKey
            } else {
                Category::OnDelete
            },
            columns: fk.columns.clone(),
            message: format!(
                "{child_name}({}) → {}: {verb} {ss} on SQLite but {ps} on PostgreSQL.",
                fk.columns.join(", "),
                self.info.name
            ),
            sqlite: ss,
            postgres: ps,
        })
    }
}

/// The conditions that find the child row again: by its primary key, or —
/// a table without one — by every value it holds that reads back exactly
/// (a float's text may not), each engine's row by its own values.
fn child_key(
    child: &TableInfo,
    row: &[Value],
    lit: &dyn Fn(&Value, &str) -> String,
) -> Vec<String> {
    let by_key = !child.primary_key.is_empty();
    child
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            if by_key {
                child.primary_key.contains(&c.name)
            } else {
                !c.generated
            }
        })
        .filter_map(|(i, c)| {
            let v = row.get(i)?;
            match v {
                Value::Null if !by_key => Some(format!("{} IS NULL", quote_ident(&c.name))),
                Value::Real(_) if !by_key => None,
                v => Some(format!("{} = {}", quote_ident(&c.name), lit(v, &c.name))),
            }
        })
        .collect()
}

/// Step 3 where RESTRICT meets NO ACTION: a second parent row with a larger
/// key K2, then one UPDATE that moves K1 away and gives K1 to the second
/// row. Rows are visited in key order (the first row first), so no unique
/// key clashes on the way, and at the end the child's K1 exists. `None`:
/// not a case for this key.
fn swap_keys(
    w: &mut Worker,
    t: &mut Transcript,
    info: &TableInfo,
    parent_specs: &[ColumnSpec],
    fk: &ForeignKey,
    new_parent: &ParentRow,
    other: &RowCase,
) -> Option<sql::Statement> {
    let [target] = fk.target_columns.as_slice() else {
        return None;
    };
    let tc = info.column(target)?;
    // A key right after `k` in both engines' (binary) order, or
    // (`away`) another key; of the key's type and length, so a
    // length CHECK on the key still holds.
    let after = |k: &Value, away: bool| -> Option<Value> {
        match (k, &tc.pg_kind) {
            (Value::Text(k), kind) if kind.is_exact_text() => {
                let mut chars: Vec<char> = k.chars().collect();
                let at = if away { 0 } else { chars.len().checked_sub(1)? };
                let c = chars.get_mut(at)?;
                *c = if away {
                    if *c == 'u' { 'v' } else { 'u' }
                } else {
                    char::from_u32(u32::from(*c) + 1)?
                };
                Some(Value::Text(chars.into_iter().collect()))
            }
            (Value::Blob(k), kind) if kind.family() == Family::Bytes => {
                let mut k = k.clone();
                let at = if away { 0 } else { k.len().checked_sub(1)? };
                let b = k.get_mut(at)?;
                *b = if away { *b ^ 0x55 } else { b.checked_add(1)? };
                Some(Value::Blob(k))
            }
            (Value::Integer(k), kind) => {
                let (min, max) = kind.int_range()?;
                let v = k.checked_add(if away { -1_000_003 } else { 1 })?;
                (min..=max).contains(&v).then_some(Value::Integer(v))
            }
            _ => None,
        }
    };
    let lit = |v: &Value| match v {
        Value::Text(t) => Some(schema_parity_strategies::Lit::Text(t.clone())),
        Value::Integer(i) => Some(schema_parity_strategies::Lit::Int(*i)),
        Value::Blob(b) => Some(schema_parity_strategies::Lit::Blob(b.clone())),
        _ => None,
    };
    let mut values = other.values.clone();
    if let Some(at) = parent_specs.iter().position(|c| &c.name == target) {
        values[at] = new_parent
            .sqlite
            .get(target)
            .and_then(|k| after(k, false))
            .and_then(|k| lit(&k))?;
    }
    let stmt = insert_statement(
        info,
        parent_specs,
        &values,
        &w.parents,
        |k| other.picks[k],
        true,
    )?;
    // An automatic key: the second row's is the first's plus one.
    let (s2, p2) = t.run(w, with_id(info, stmt, 1));
    let at = info.columns.iter().position(|c| &c.name == target);
    let key = |o: &Outcome| at.and_then(|i| o.rows().first()?.get(i).cloned());
    let (Some(k1s), Some(k1p), Some(k2s), Some(k2p)) = (
        new_parent.sqlite.get(target).cloned(),
        new_parent.postgres.get(target).cloned(),
        key(&s2),
        key(&p2),
    ) else {
        return None;
    };
    let ordered = |a: &Value, b: &Value| match (a, b) {
        (Value::Integer(a), Value::Integer(b)) => a < b,
        (Value::Text(a), Value::Text(b)) => a.as_bytes() < b.as_bytes(),
        (Value::Blob(a), Value::Blob(b)) => a < b,
        _ => false,
    };
    if !ordered(&k1s, &k2s) || !ordered(&k1p, &k2p) {
        return None;
    }
    let (Some(aways), Some(awayp)) = (after(&k1s, true), after(&k1p, true)) else {
        return None;
    };
    let tq = quote_ident(target);
    let swap_sql = |k1: String, k2: String, away: String| {
        format!(
            "UPDATE {} SET {tq} = CASE WHEN {tq} = {k1} THEN {away} ELSE {k1} END WHERE {tq} IN ({k1}, {k2})",
            quote_ident(&info.name)
        )
    };
    let pv = |v: &Value| sql::value_postgres(v, &tc.pg_kind);
    Some(sql::Statement {
        sqlite: swap_sql(
            sql::value_sqlite(&k1s),
            sql::value_sqlite(&k2s),
            sql::value_sqlite(&aways),
        ),
        postgres: swap_sql(pv(&k1p), pv(&k2p), pv(&awayp)),
        ..sql::Statement::default()
    })
}

/// Step 3 with an ON UPDATE action: the parent row's key changed to the
/// key of another row drawn from the agreed domain (`other`), as its INSERT
/// would write it on each engine — so the new key fits the key column on
/// both engines whatever its type: the length of a CHAR(n)/VARCHAR(n), a
/// valid uuid, the key's CHECKs, an existing grandparent for a key that is
/// itself a reference. A number the drawn row leaves to the engine (an
/// automatic id) moves by a fixed step instead. `None`: no new key.
fn rekey(
    w: &Worker,
    info: &TableInfo,
    parent_specs: &[ColumnSpec],
    fk: &ForeignKey,
    other: &RowCase,
    swhere: &str,
    pwhere: &str,
) -> Option<sql::Statement> {
    let drawn = insert_statement(
        info,
        parent_specs,
        &other.values,
        &w.parents,
        |k| other.picks[k],
        false,
    );
    let mut set = Vec::new();
    let mut pset = Vec::new();
    for target in &fk.target_columns {
        let tc = info.column(target)?;
        let tq = quote_ident(target);
        let literal = drawn
            .as_ref()
            .and_then(|d| d.set.iter().find(|(c, _, _)| c == target))
            .filter(|(_, s, _)| s != "NULL");
        if let Some((_, s, p)) = literal {
            set.push(format!("{tq} = {s}"));
            pset.push(format!("{tq} = {p}"));
        } else if tc.pg_kind.is_number() {
            // Toward zero, so a key at its type's bound cannot overflow.
            let s =
                format!("{tq} = CASE WHEN {tq} > 0 THEN {tq} - 1000003 ELSE {tq} + 1000003 END");
            set.push(s.clone());
            pset.push(s);
        } else {
            return None;
        }
    }
    Some(sql::Statement {
        sqlite: format!(
            "UPDATE {} SET {} WHERE {swhere}",
            quote_ident(&info.name),
            set.join(", ")
        ),
        postgres: format!(
            "UPDATE {} SET {} WHERE {pwhere}",
            quote_ident(&info.name),
            pset.join(", ")
        ),
        ..sql::Statement::default()
    })
}

/// `stmt`, an INSERT into `info`, with the automatic id set to a fixed
/// number near the top of the id's range (`step` above a base), the same on
/// both engines: the witness then names its rows by ids that replay on
/// fresh databases (a sequence hands out other numbers once cases rolled
/// back). Unchanged where PostgreSQL refuses explicit ids (GENERATED
/// ALWAYS) or the table has no automatic id.
fn with_id(info: &TableInfo, stmt: sql::Statement, step: i64) -> sql::Statement {
    let Some(id) = info.columns.iter().find(|c| c.auto_increment) else {
        return stmt;
    };
    if info
        .pg_table
        .column(&id.name)
        .is_some_and(|c| c.identity_always)
        || stmt.set.iter().any(|(c, _, _)| c == &id.name)
    {
        return stmt;
    }
    let Some((_, hi)) = id.pg_kind.int_range() else {
        return stmt;
    };
    let value = (hi.min(1_000_000_000) - 100 + step).to_string();
    stmt.setting(&id.name, &value)
}
