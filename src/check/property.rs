//! What a behavioural property is: [`Property`], implemented once per file
//! under `properties/` and listed in the registry
//! ([`super::properties::PROPERTIES`]), and what it reports on a table
//! ([`PropertyReport`]).

use crate::error::Result;
use crate::model::finding::{CheckKind, Finding};

use super::plan::Plan;
use super::tables::TableInfo;
use super::worker::Worker;

/// A behavioural property: what both engines must do alike, tested on one
/// table at a time with generated cases.
pub trait Property: Sync {
    /// The check it is: its name in findings, reports and `--checks`.
    fn kind(&self) -> CheckKind;

    /// What it tests, in one line (the `--checks` help).
    fn about(&self) -> &'static str;

    /// Why it cannot apply to `info`'s table, decided from the schema
    /// alone; `None` when it applies. (A table that is not on both sides,
    /// or whose lookup rows leave no room, is ruled out before this is
    /// asked: see [`Plan::not_applicable`].)
    fn not_applicable(&self, _plan: &Plan, _info: &TableInfo) -> Option<String> {
        None
    }

    /// Runs it on `info`'s table with `worker`'s databases.
    fn run(&self, plan: &Plan, worker: &mut Worker, info: &TableInfo) -> Result<PropertyReport>;

    fn name(&self) -> &'static str {
        self.kind().name()
    }
}

/// The result of one (table, property).
#[derive(Debug, Default)]
pub struct PropertyReport {
    pub findings: Vec<Finding>,
    /// Inherent quirks seen (accepted findings, one per quirk).
    pub quirks: Vec<Finding>,
    pub cases_run: u64,
    pub discarded: u64,
    /// What the first discarded case ran into (for "not exercised").
    pub first_discard: Option<String>,
    /// Why the property does not apply to the table, when it does not.
    pub not_applicable: Option<String>,
    /// Why the property, though it applies, could not run a single case
    /// (decided at run time, e.g. no parent row both engines accept).
    pub blocked: Option<String>,
    /// Discarded cases whose last statement a trigger refused on both
    /// engines, and what the first of them said (the trigger by name).
    pub trigger_discards: u64,
    pub first_trigger_discard: Option<String>,
    /// A failure proptest found that did not show again when replayed:
    /// reported with both runs, never dropped.
    pub flaky: Option<String>,
}

impl PropertyReport {
    fn all_discarded(&self) -> bool {
        self.not_applicable.is_none() && self.cases_run > 0 && self.discarded == self.cases_run
    }

    /// The trigger that refused every case on both engines (a row its
    /// condition needs elsewhere that the generator could not make):
    /// untested like [`Self::not_exercised`], but by a named trigger of the
    /// schema, and counted apart.
    /// It is the trigger's doing when it refused at least half of the
    /// cases (the rest fell to values both engines refuse anyway).
    pub fn blocked_by_trigger(&self) -> Option<String> {
        (self.all_discarded() && self.trigger_discards * 2 >= self.discarded)
            .then(|| self.first_trigger_discard.clone())
            .flatten()
    }

    /// Why the property, though it applies, tested nothing: every case was
    /// discarded (refused by both engines, or no row could be made).
    pub fn not_exercised(&self) -> Option<String> {
        if let Some(why) = &self.blocked {
            return Some(format!("no case could run: {why}"));
        }
        if self.blocked_by_trigger().is_some() {
            return None;
        }
        self.all_discarded().then(|| {
            format!(
                "all {} cases were discarded, the first because {}",
                self.cases_run,
                self.first_discard
                    .as_deref()
                    .unwrap_or("no row could be built")
            )
        })
    }
}
