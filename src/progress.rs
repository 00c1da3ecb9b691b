//! What a long run tells the person watching it: the phase it is in, and
//! how far through its cases it is. The binary draws it (a bar with an ETA
//! on a terminal, plain lines otherwise); the library only reports.

/// A sink for a run's progress. Any `Fn(&str)` is one that hears phases
/// only (tests pass `&|_: &str| {}`).
pub trait Progress: Sync {
    /// The run entered a phase ("obtaining PostgreSQL", "comparing
    /// structure", …).
    fn phase(&self, msg: &str);

    /// `done` of about `total` units (`unit`: "cases", or what the caller
    /// measures in) are finished; called a few times a second while work
    /// runs, `total` an estimate that firms up as the run goes.
    fn advance(&self, done: u64, total: u64, unit: &str) {
        let _ = (done, total, unit);
    }
}

impl<F: Fn(&str) + Sync> Progress for F {
    fn phase(&self, msg: &str) {
        self(msg);
    }
}

/// The total a run of `jobs` jobs is heading for when `finished` of them
/// have run `finished_cases` cases and `done` cases are done in all (some
/// in jobs still running): the finished jobs' mean for those left, never
/// less than what is done.
pub fn estimate(jobs: usize, finished: usize, finished_cases: u64, done: u64, planned: u64) -> u64 {
    let jobs = u64::try_from(jobs).unwrap_or(u64::MAX);
    let finished = u64::try_from(finished).unwrap_or(u64::MAX).min(jobs);
    let per_job = finished_cases.checked_div(finished).unwrap_or(planned);
    let left = jobs - finished;
    (finished_cases + left.saturating_mul(per_job)).max(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_starts_at_the_plan_and_firms_up() {
        // 10 jobs of 100 planned cases, none finished.
        assert_eq!(estimate(10, 0, 0, 40, 100), 1000);
        // 5 finished at 150 cases each: the other 5 are expected alike.
        assert_eq!(estimate(10, 5, 750, 800, 100), 1500);
        // All finished: the total is what ran.
        assert_eq!(estimate(10, 10, 1234, 1234, 100), 1234);
        // Never below what is done.
        assert_eq!(estimate(2, 1, 10, 500, 100), 500);
    }
}
