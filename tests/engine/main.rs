//! The engine's own tests that need databases. One binary (harness = false,
//! libtest-mimic) so that a single PostgreSQL server is shared by all tests
//! and stopped when the run ends.
//!
//! Module index:
//! - `fixtures`  — the equivalent pair gives no finding; each planted pair
//!   under tests/fixtures/planted gives exactly its expected finding.
//! - `provision` — the embedded cluster leaves no process or temp dir; the URL
//!   backend never touches the named database.
//! - `behaviour` — planted behavioural differences found by the named check
//!   alone, with a witness; the equivalent pair quiet at 1024 cases.
//! - `mutation`  — a CI-sized sample of mutants of the bundled pair is killed.
//! - `root_cause` — one finding per root cause on the right column, with
//!   every check at once (tests/fixtures/root_cause).
//! - `features`  — SQLite/PostgreSQL schema features, a planted difference
//!   found and the equivalent spelling quiet (tests/fixtures/features); a
//!   length limit found with a fake-made email as its witness.
//! - `mapping`   — the mapping's rules on both engines, one row per rule:
//!   a value rendered per engine, inserted into each side's column, read
//!   back, and the row's type verdict / default equivalence asserted.
//! - `attribution` — which columns a refusal is about, one case per row of
//!   each engine's attribution table (SQLSTATE / extended result code), run
//!   on both engines so the messages are their own.
//! - `reports`   — text, JSON, JUnit and Markdown views of one report.
//! - `loading`   — every migration layout (a fixture each, in its tool's
//!   order), a SQLite database file, shared versions, migration errors.
//! - `validate`  — emit-validate's script, run by psql, passes on the
//!   equivalent pair and fails on every planted one; the bundled one is current.
//! - `baseline`  — `baseline` then `check --baseline`: known findings pass,
//!   only new ones (or new members of a group) fail, fixed ones are gone.
//! - `workflows` — ci/workflows/*.yml pass their official schemas, and every
//!   command they run is run here (on the bundled pair) or by .ci/run; the
//!   partitioned workflow's four `cargo nextest` parts run every test once.
//! - `replay`    — the suite's replay of saved witnesses fails a planted value
//!   difference and a file missing a parent row.
//! - `replay_data` — `replay` of database files the tests build: each
//!   planted hazard one finding with its rows and keys, the clean file
//!   exit 0, the file unchanged (bytes and mtime), every detector quiet
//!   without its difference, the command's exit codes.
//! - `user_project` — examples/user-project's `cargo test` (the suite as a
//!   library) lists and passes its tests, and fails exactly the right ones on
//!   a planted difference.
//! - `config`    — which parity.toml `check` reads without `--config` (the
//!   inputs', up to the repository root, never the current directory's) and
//!   how the report names it; a rule naming an unknown table is exit 2; an
//!   accept that matched nothing is listed as unused.
//! - `quiet`     — no `proptest:` line on stderr while findings are shrunk.
//! - `values_from` — `check --values-from`: a difference only the user's
//!   own values show is found with them, quiet without the difference;
//!   the file unchanged; a file that is no database is exit 2.

mod attribution;
mod baseline;
mod behaviour;
mod common;
mod config;
mod docker;
mod features;
mod fixtures;
mod fuzz;
mod init;
mod loading;
mod mapping;
mod mutation;
mod provision;
mod quiet;
mod replay;
mod replay_data;
mod reports;
mod root_cause;
mod user_project;
mod validate;
mod values_from;
mod workflows;

use std::sync::Arc;

use libtest_mimic::{Arguments, Trial};

fn main() {
    let args = Arguments::from_args();
    let shared = Arc::new(common::Shared::new());
    let mut trials: Vec<Trial> = Vec::new();
    trials.extend(fixtures::trials(&shared));
    trials.extend(behaviour::trials(&shared));
    trials.extend(provision::trials());
    trials.extend(reports::trials(&shared));
    trials.extend(root_cause::trials(&shared));
    trials.extend(features::trials(&shared));
    trials.extend(mapping::trials(&shared));
    trials.extend(attribution::trials(&shared));
    trials.extend(docker::trials());
    trials.extend(loading::trials(&shared));
    trials.extend(mutation::trials(&shared));
    trials.extend(validate::trials(&shared));
    trials.extend(baseline::trials());
    trials.extend(init::trials());
    trials.extend(fuzz::trials(&shared));
    trials.extend(workflows::trials());
    trials.extend(replay::trials(&shared));
    trials.extend(replay_data::trials(&shared));
    trials.extend(user_project::trials(&shared));
    trials.extend(config::trials());
    trials.extend(quiet::trials());
    trials.extend(values_from::trials());
    let conclusion = libtest_mimic::run(&args, trials);
    // Stop the shared server before exiting (process::exit skips destructors).
    drop(shared);
    conclusion.exit();
}
