//! The suite's workers, shared by the tests that run at once: a test checks
//! one out, runs its (table, property) on it, and gives it back.

use std::sync::{Condvar, Mutex};

use libtest_mimic::Failed;

use crate::check::Worker;

/// Workers checked out by tests, one at a time each.
pub struct Pool {
    workers: Mutex<Vec<Worker>>,
    ready: Condvar,
}

impl Pool {
    pub fn new(workers: Vec<Worker>) -> Self {
        Pool {
            workers: Mutex::new(workers),
            ready: Condvar::new(),
        }
    }

    /// Runs `f` on a free worker, waiting for one when all are busy.
    pub fn with<T>(&self, f: impl FnOnce(&mut Worker) -> T) -> Result<T, Failed> {
        let mut guard = self.workers.lock().map_err(|e| e.to_string())?;
        let mut w = loop {
            if let Some(w) = guard.pop() {
                break w;
            }
            guard = self.ready.wait(guard).map_err(|e| e.to_string())?;
        };
        drop(guard);
        let out = f(&mut w);
        self.workers.lock().map_err(|e| e.to_string())?.push(w);
        self.ready.notify_one();
        Ok(out)
    }
}
