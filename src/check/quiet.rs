//! proptest kept quiet: nothing it could print reaches stderr, where the
//! run's progress and errors go.
//!
//! proptest writes to stderr (`eprintln!`, prefixed `proptest:`) in three
//! ways (proptest 1.12, `test_runner/{config,runner}.rs`,
//! `failure_persistence/file.rs`):
//! - `verbose` ≥ 1: every failing and rejected case, shrinking progress;
//!   [`config`] sets it to 0.
//! - Whatever `verbose` says: "Aborting shrinking after N iterations" when
//!   `max_shrink_iters` stops a shrink, "Aborting shrinking after taking too
//!   long" when `max_shrink_time` does. So proptest's own limits are set
//!   beyond reach and [`ShrinkLimit`] stops a shrink instead.
//! - `Config::default()`, read once: a `PROPTEST_*` variable it cannot parse
//!   or does not know. [`config`] never calls it: every field is set here
//!   (and the variables would otherwise change `verbose` and the limits).
//! - `FileFailurePersistence`: "Saving this and future failures in …" on
//!   every failure saved. The suite's seed files are written by
//!   `seed_file.rs` instead, in the same format.

use std::cell::Cell;
use std::time::{Duration, Instant};

use proptest::test_runner::{
    Config as PtConfig, FailurePersistence, RngAlgorithm, RngSeed, noop_result_cache,
};

use crate::config::Config;

/// Shrinking steps before a witness is taken as it is, unless parity.toml's
/// `max_shrink_iters` says: a wide table's row has dozens of values to
/// shrink one by one (512 gave up on real schemas, leaving edge values that
/// were not the cause).
pub const SHRINK_ITERS: u32 = 4096;

/// Shrinking steps for the sequence property and the round-trip probes
/// (see `Plan::runner`), or parity.toml's `max_shrink_iters` if smaller.
pub const FEW_SHRINK_ITERS: u32 = 64;

/// Seconds one failing case may spend shrinking, unless parity.toml's
/// `max_shrink_secs` says (a bound on a pathological shrink, far above what
/// [`SHRINK_ITERS`] steps take on real schemas).
pub const SHRINK_SECS: u64 = 60;

/// The configuration of every proptest runner: `cases` cases, rejections
/// capped at `max_global_rejects`, `persistence` for failing seeds, and
/// nothing printed (see the module documentation). `shrink` is false when
/// a failing case is not to be shrunk at all.
pub fn config(
    cases: u32,
    max_global_rejects: u32,
    persistence: Option<Box<dyn FailurePersistence>>,
    shrink: bool,
) -> PtConfig {
    // A struct literal, not `..PtConfig::default()`: the default reads (and
    // complains about) PROPTEST_* variables. The fork and timeout fields
    // exist with proptest's default features, which Cargo.toml keeps.
    PtConfig {
        cases,
        max_local_rejects: 65_536,
        max_global_rejects,
        max_flat_map_regens: 1_000_000,
        failure_persistence: persistence,
        source_file: None,
        test_name: None,
        fork: false,
        timeout: 0,
        // No time limit of proptest's: [`ShrinkLimit`] has one.
        max_shrink_time: 0,
        // 0 turns shrinking off without a word; any other value is one
        // [`ShrinkLimit`] reaches first (`u32::MAX` would mean `cases * 4`).
        max_shrink_iters: if shrink { u32::MAX - 1 } else { 0 },
        max_default_size_range: 100,
        result_cache: noop_result_cache,
        verbose: 0,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Random,
        _non_exhaustive: (),
    }
}

/// Our limit on shrinking one failing case: a number of steps and a time.
/// Once the case has failed, every further call of the test is a shrinking
/// step; past the limit, [`ShrinkLimit::spent`] tells the test to answer
/// "passes" without running the case, which walks proptest back to the
/// last failing case — what its own limit does, without the message.
#[derive(Debug)]
pub struct ShrinkLimit {
    iters: u32,
    time: Option<Duration>,
    /// When the first failure was seen (shrinking started), and how many
    /// steps ran since.
    started: Cell<Option<Instant>>,
    steps: Cell<u32>,
}

impl ShrinkLimit {
    /// The limit parity.toml sets (`max_shrink_iters`, `max_shrink_secs`),
    /// else the defaults; `few`: at most [`FEW_SHRINK_ITERS`] steps.
    pub fn new(config: &Config, few: bool) -> Self {
        let iters = config.max_shrink_iters.unwrap_or(SHRINK_ITERS);
        let iters = if few {
            iters.min(FEW_SHRINK_ITERS)
        } else {
            iters
        };
        let secs = config.max_shrink_secs.unwrap_or(SHRINK_SECS);
        ShrinkLimit {
            iters,
            time: (secs > 0).then(|| Duration::from_secs(secs)),
            started: Cell::new(None),
            steps: Cell::new(0),
        }
    }

    /// How many shrinking steps a failing case gets.
    pub fn iters(&self) -> u32 {
        self.iters
    }

    /// A case failed: shrinking starts now, if it had not.
    pub fn failed(&self) {
        if self.started.get().is_none() {
            self.started.set(Some(Instant::now()));
        }
    }

    /// Called before each run of the test: whether it is a shrinking step
    /// past the limit (answer "passes", run nothing). Counts the step.
    pub fn spent(&self) -> bool {
        let Some(started) = self.started.get() else {
            return false;
        };
        let steps = self.steps.get().saturating_add(1);
        self.steps.set(steps);
        steps > self.iters || self.time.is_some_and(|t| started.elapsed() > t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(iters: Option<u32>, few: bool) -> u32 {
        let config = Config {
            max_shrink_iters: iters,
            ..Config::default()
        };
        ShrinkLimit::new(&config, few).iters()
    }

    #[test]
    fn parity_toml_sets_the_steps_and_the_few_stay_few() {
        assert_eq!(limit(None, false), SHRINK_ITERS);
        assert_eq!(limit(None, true), FEW_SHRINK_ITERS);
        assert_eq!(limit(Some(10_000), false), 10_000);
        assert_eq!(limit(Some(10_000), true), FEW_SHRINK_ITERS);
        assert_eq!(limit(Some(16), true), 16);
        assert_eq!(limit(Some(0), false), 0);
    }

    #[test]
    fn steps_count_only_after_the_first_failure() {
        let config = Config {
            max_shrink_iters: Some(2),
            ..Config::default()
        };
        let l = ShrinkLimit::new(&config, false);
        assert!(!l.spent() && !l.spent() && !l.spent());
        l.failed();
        assert!(!l.spent() && !l.spent());
        l.failed();
        assert!(l.spent());
    }
}
