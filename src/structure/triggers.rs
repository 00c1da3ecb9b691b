//! Triggers: matched by name, else by events (the same trigger renamed);
//! one that fires on more events on one side is one finding.

use crate::model::finding::{Category, CheckKind, Finding};
use crate::model::schema::{Table, Trigger, TriggerEvent};

use super::category::{Psql, StructureCategory, TablePair};
use super::script::{Guard, TableScript, array_typed, lit};

const CHECK: CheckKind = CheckKind::Structure;

pub struct Triggers;

impl StructureCategory for Triggers {
    fn name(&self) -> &'static str {
        "triggers"
    }

    fn psql(&self) -> Psql {
        Psql::Checked
    }

    fn compare_table(&self, t: &TablePair, out: &mut Vec<Finding>) {
        triggers(t.name(), t.et.triggers, t.pt, out);
    }

    fn validate_table(&self, t: &mut TableScript) {
        triggers_script(t);
    }
}

fn triggers(table: &str, sqlite: &[Trigger], pt: &Table, out: &mut Vec<Finding>) {
    let mut unmatched_p: Vec<&Trigger> = pt.triggers.iter().collect();
    let mut unmatched_s = Vec::new();
    for s in sqlite {
        if let Some(i) = unmatched_p.iter().position(|p| p.name == s.name) {
            unmatched_p.remove(i);
        } else {
            unmatched_s.push(s);
        }
    }
    // Different names, same events: the same trigger renamed.
    unmatched_s.retain(
        |s| match unmatched_p.iter().position(|p| p.events == s.events) {
            Some(i) => {
                unmatched_p.remove(i);
                false
            }
            None => true,
        },
    );
    let events = |t: &Trigger| {
        t.events
            .iter()
            .map(|e| e.as_sql())
            .collect::<Vec<_>>()
            .join(" OR ")
    };
    // Different names, the same timing and events in common: one trigger
    // that fires on more events on one side — one root cause, said once.
    unmatched_s.retain(|s| {
        let Some(i) = unmatched_p.iter().position(|p| {
            p.timing.eq_ignore_ascii_case(&s.timing) && p.events.iter().any(|e| s.events.contains(e))
        }) else {
            return true;
        };
        let p = unmatched_p.remove(i);
        out.push(
            Finding::new(CHECK, Category::Trigger, table, &[], &s.name)
                .message(format!(
                    "Trigger {} in SQLite fires {} {} on {table}, its counterpart {} in PostgreSQL {} {}: they guard the table on different statements.",
                    s.name,
                    s.timing,
                    events(s),
                    p.name,
                    p.timing,
                    events(p)
                ))
                .sides(
                    format!("{} {} trigger {}", s.timing, events(s), s.name),
                    format!("{} {} trigger {}", p.timing, events(p), p.name),
                ),
        );
        false
    });
    for s in unmatched_s {
        out.push(
            Finding::new(CHECK, Category::Trigger, table, &[], &s.name)
                .message(format!(
                    "Trigger {} ({} {} on {table}) exists in SQLite but has no counterpart in PostgreSQL.",
                    s.name, s.timing, events(s)
                ))
                .sides(format!("{} {} trigger {}", s.timing, events(s), s.name), "no trigger"),
        );
    }
    for p in unmatched_p {
        out.push(
            Finding::new(CHECK, Category::Trigger, table, &[], &p.name)
                .message(format!(
                    "Trigger {} ({} {} on {table}) exists in PostgreSQL but has no counterpart in SQLite.",
                    p.name, p.timing, events(p)
                ))
                .sides("no trigger", format!("{} {} trigger {}", p.timing, events(p), p.name)),
        );
    }
}

fn triggers_script(ts: &mut TableScript) {
    let t = ts.name;
    if ts.accepts(Category::Trigger, None) {
        ts.s
            .comment("triggers not checked: parity.toml accepts a difference");
        return;
    }
    let mut names = Vec::new();
    let mut masks = Vec::new();
    for tr in ts.et.triggers {
        let mask: u32 = tr.events.iter().map(|e| event_bit(*e)).sum();
        let events: Vec<&str> = tr.events.iter().map(|e| e.as_sql()).collect();
        ts.s.holds(
            &Guard::Table(ts.name),
            &format!("{t}: trigger {} ({})", tr.name, events.join(" OR ")),
            &format!(
                "EXISTS (SELECT 1 FROM pg_temp.parity_triggers({}) g WHERE g.name = {} OR g.events = {mask})",
                lit(t),
                lit(&tr.name)
            ),
            &format!(
                "'missing (triggers there: ' || coalesce((SELECT string_agg(g.name, ', ' ORDER BY g.name) FROM pg_temp.parity_triggers({}) g), 'none') || ')'",
                lit(t)
            ),
        );
        names.push(tr.name.clone());
        masks.push(mask.to_string());
    }
    let masks = if masks.is_empty() {
        "ARRAY[]::integer[]".to_string()
    } else {
        format!("ARRAY[{}]", masks.join(", "))
    };
    ts.s.equals(
        &Guard::Table(ts.name),
        &format!("{t}: no other triggers"),
        "none",
        &format!(
            "coalesce((SELECT string_agg(g.name, ', ' ORDER BY g.name) FROM pg_temp.parity_triggers({}) g WHERE g.name <> ALL ({}) AND g.events <> ALL ({masks})), 'none')",
            lit(t),
            array_typed(&names)
        ),
    );
}

/// `pg_trigger.tgtype` bits: 4 INSERT, 8 DELETE, 16 UPDATE.
fn event_bit(e: TriggerEvent) -> u32 {
    match e {
        TriggerEvent::Insert => 4,
        TriggerEvent::Delete => 8,
        TriggerEvent::Update => 16,
    }
}
