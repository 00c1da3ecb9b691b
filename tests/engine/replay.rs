//! The suite's replay of saved witnesses (`schema_parity::suite::replay`)
//! must fail on a value difference that keeps the accept/reject pattern,
//! and on a file that leans on a row it does not insert: planted witnesses
//! of our own against the bundled pair (tests/fixtures/regressions/), not
//! regressions.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use libtest_mimic::{Failed, Trial};
use schema_parity::build::{self, Databases};
use schema_parity::check::{Plan, Worker};
use schema_parity::config::Config;
use schema_parity::suite::replay;

use crate::common::{Shared, fixtures_dir};

/// The bundled pair, built once for both trials.
type Bundled = Mutex<Option<Result<(Databases, Arc<Plan>), String>>>;

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    let bundled: Arc<Bundled> = Arc::new(Mutex::new(None));
    let planted = [
        (
            "a_value_difference_fails_the_replay",
            "value_differs.sql",
            "reads back",
        ),
        (
            "a_missing_parent_row_fails_the_replay",
            "missing_parent.sql",
            "does not insert",
        ),
    ];
    planted
        .into_iter()
        .enumerate()
        .map(|(i, (name, file, expect))| {
            let (shared, bundled) = (shared.clone(), bundled.clone());
            Trial::test(format!("regressions::{name}"), move || {
                let mut worker = fresh_worker(&shared, &bundled, 900 + i)?;
                let plan = plan(&bundled)?;
                let path = fixtures_dir().join("regressions").join(file);
                match replay(&mut worker, &plan, &path) {
                    Err(e) if e.message().is_some_and(|m| m.contains(expect)) => Ok(()),
                    Err(e) => Err(format!("failed for another reason: {e:?}").into()),
                    Ok(()) => Err(format!("{file} replayed as equal").into()),
                }
            })
        })
        .collect()
}

fn root(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A worker on fresh copies of the bundled pair's databases.
fn fresh_worker(shared: &Shared, bundled: &Bundled, index: usize) -> Result<Worker, Failed> {
    let mut guard = bundled.lock().map_err(|e| e.to_string())?;
    let built = guard.get_or_insert_with(|| build(shared));
    let (built, _) = built.as_ref().map_err(Clone::clone)?;
    Ok(Worker::new(&built.sqlite_conn, &built.database, index)?)
}

fn plan(bundled: &Bundled) -> Result<Arc<Plan>, Failed> {
    let guard = bundled.lock().map_err(|e| e.to_string())?;
    match guard.as_ref() {
        Some(Ok((_, plan))) => Ok(plan.clone()),
        Some(Err(e)) => Err(e.clone().into()),
        None => Err("the bundled pair was not built".into()),
    }
}

fn build(shared: &Shared) -> Result<(Databases, Arc<Plan>), String> {
    let config_path = root("parity.toml");
    let config = Config::load(&config_path).map_err(|e| e.to_string())?;
    let opts = build::RunOptions {
        sqlite_dir: root("migrations_sqlite"),
        pg_dir: root("migrations_pg"),
        sqlite_layout: None,
        pg_layout: None,
        config: Some(config_path),
        pg_url: None,
        backend: schema_parity::provision::Backend::Auto,
        checks: schema_parity::check::checks(),
        only: Vec::new(),
        cases: 1,
        seed: 1,
        pg_schema: None,
        values_from: None,
        config_search: true,
    };
    let built = build::build(&opts, shared.server()?, &|_: &str| {}).map_err(|e| e.to_string())?;
    let plan = Arc::new(Plan::new(&built, &config, 1, 1));
    Ok((built, plan))
}
