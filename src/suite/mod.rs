//! The equivalence suite as a library: any project's `cargo test` gets one
//! test per (table, property), named `parity::<table>::<property>`, plus one
//! `regressions::<file>` test per saved witness — the suite this repository
//! runs on its bundled pair, on the project's own migrations.
//!
//! Add the dependency and a test target that brings its own `main`
//! (tables are discovered when the binary starts, so the test list cannot be
//! known at compile time):
//!
//! ```toml
//! [dev-dependencies]
//! schema-parity = "0.1"
//!
//! [[test]]
//! name = "parity"
//! path = "tests/parity.rs"
//! harness = false
//! ```
//!
//! and `tests/parity.rs`:
//!
//! ```no_run
//! use schema_parity::suite::{self, Options};
//!
//! fn main() {
//!     suite::main(Options::from_env().sqlite("migrations/sqlite").pg("migrations/pg"));
//! }
//! ```
//!
//! `cargo test --release` then builds both databases once (PostgreSQL as the
//! CLI gets one: `PARITY_PG_URL`, local server binaries, or Docker), runs the
//! properties on up to four workers, and fails each test whose property finds
//! an unaccepted difference, printing the finding and its two-engine witness.
//! A property that cannot apply to a table is listed as ignored; one whose
//! every case was discarded fails as "not exercised".
//!
//! What the project gets, as this repository's own suite has it:
//! - the `parity.toml` nearest above both sides' folders, up to the
//!   repository root (as `check` finds it: the package root's, for folders in
//!   the package), when there is one (accepted differences, skipped tables,
//!   column mappings); `Options::config` names another.
//! - proptest keeps the seed of each failing case in
//!   `proptest-regressions/parity/<table>.<property>[.<part>].txt`, replayed
//!   first on the next run; `PARITY_SAVE_REGRESSIONS=DIR` also writes each
//!   failing witness as literal SQL. Copy those into `tests/regressions/`
//!   (`Options::regressions` moves it): each file there is replayed on fresh
//!   databases as `regressions::<file stem>` and must now behave the same on
//!   both engines. Commit both: seeds stop reproducing when a strategy
//!   changes, the SQL does not.
//! - Knobs, as environment variables (libtest rejects unknown flags), which
//!   win over the code: `PARITY_CASES` (or `PROPTEST_CASES`; per table and
//!   property, default 256), `PARITY_SEED`, `PARITY_SAVE_REGRESSIONS`,
//!   `PARITY_PG_URL`, `PARITY_PG_BACKEND`, `PARITY_PG_SCHEMA` (the
//!   schema the tables live in; `Options::pg_schema`), and `PARITY_SQLITE_DIR` /
//!   `PARITY_PG_DIR` / `PARITY_CONFIG` / `PARITY_PROPTEST_REGRESSIONS` to run
//!   the same binary on another pair.
//! - `cargo nextest run --release` runs each test in its own process with one
//!   worker; give it one server for the whole run (`PARITY_PG_URL`, e.g. from
//!   a setup script as this repository's `ci/nextest-pg.sh`).

mod harness;
mod options;
mod pool;
mod regressions;

pub use harness::main;
pub use options::{DEFAULT_CASES, DEFAULT_SEED, Options, Resolved, package_root};
pub use regressions::{Fresh, replay, trials as regression_trials};
