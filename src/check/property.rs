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
    /// A failure proptest found that did not show again when replayed:
    /// reported with both runs, never dropped.
    pub flaky: Option<String>,
}

impl PropertyReport {
    /// Why the property, though it applies, tested nothing: every case was
    /// discarded (refused by both engines, or no row could be made).
    pub fn not_exercised(&self) -> Option<String> {
        if let Some(why) = &self.blocked {
            return Some(format!("no case could run: {why}"));
        }
        (self.not_applicable.is_none() && self.cases_run > 0 && self.discarded == self.cases_run)
            .then(|| {
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
