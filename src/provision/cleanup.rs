//! Cleanup that must happen even when the run is interrupted: Ctrl-C and
//! SIGTERM run every registered action (stop servers, drop scratch
//! databases, remove temp dirs) before the process exits with 130.
//! Normal exit, errors and panics clean up through `Drop` instead.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};

type Action = Box<dyn FnOnce() + Send>;

static ACTIONS: Mutex<BTreeMap<u64, Action>> = Mutex::new(BTreeMap::new());
static NEXT: AtomicU64 = AtomicU64::new(1);
static INSTALL: Once = Once::new();

/// Registers an action to run on Ctrl-C/SIGTERM; returns its id.
pub fn register(action: impl FnOnce() + Send + 'static) -> u64 {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    if let Ok(mut a) = ACTIONS.lock() {
        a.insert(id, Box::new(action));
    }
    id
}

/// Forgets an action (its owner cleaned up normally).
pub fn unregister(id: u64) {
    if let Ok(mut a) = ACTIONS.lock() {
        a.remove(&id);
    }
}

/// Installs the Ctrl-C/SIGTERM handler once per process.
pub fn install_signal_handlers() {
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            // Never panic here (a closed stderr would make eprintln! panic).
            let _ = writeln!(std::io::stderr(), "interrupted: cleaning up");
            let actions: Vec<Action> = match ACTIONS.lock() {
                Ok(mut a) => std::mem::take(&mut *a).into_values().rev().collect(),
                Err(_) => Vec::new(),
            };
            for action in actions {
                action();
            }
            std::process::exit(130);
        });
    });
}
