//! The CI-sized mutation run: a fixed sample of mutants of the bundled pair
//! must be killed (floor below), so a change that blinds a check fails CI.
//! The full run is `cargo bench --bench detection` (docs/detection.md).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use libtest_mimic::{Failed, Trial};
use schema_parity::build::RunOptions;
use schema_parity::commands::mutate::{MutateOptions, Operator, mutate_on};
use schema_parity::config::Config;
use schema_parity::model::finding::CheckKind;
use schema_parity::provision::Backend;

use crate::common::Shared;

/// Mutants sampled per CI run, and the kill rate they must reach.
const SAMPLE: usize = 24;
const KILL_FLOOR: f64 = 0.95;
/// The behavioural checks alone, on the behaviour-changing mutants of the
/// sample (95.2% when set; the full run is in docs/detection.md).
const BEHAVIOUR_FLOOR: f64 = 0.9;

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    let s = shared.clone();
    vec![Trial::test(
        "mutation::ci_sample_of_the_bundled_pair_is_killed",
        move || ci_sample(&s),
    )]
}

fn dir(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(default))
}

fn ci_sample(shared: &Shared) -> Result<(), Failed> {
    let config_path = dir("PARITY_CONFIG", "parity.toml");
    let opts = MutateOptions {
        run: RunOptions {
            sqlite_dir: dir("PARITY_SQLITE_DIR", "migrations_sqlite"),
            pg_dir: dir("PARITY_PG_DIR", "migrations_pg"),
            sqlite_layout: None,
            pg_layout: None,
            config: Some(config_path.clone()),
            pg_url: None,
            backend: Backend::Auto,
            checks: CheckKind::ALL.to_vec(),
            only: Vec::new(),
            cases: 32,
            seed: 11,
            pg_schema: None,
            config_search: true,
        },
        operators: Operator::ALL.to_vec(),
        sample: Some(SAMPLE),
        workers: 2,
    };
    let config = Config::load(&config_path)?;
    let server = shared.server()?;
    let report = mutate_on(
        &opts,
        &config,
        server,
        &|_: &str| {},
        std::time::Instant::now(),
    )?;
    let text = schema_parity::commands::mutate::render(
        &report,
        schema_parity::commands::mutate::MutateFormat::Text,
    );
    if report.results.len() != SAMPLE {
        return Err(format!(
            "expected {SAMPLE} mutants, ran {}\n{text}",
            report.results.len()
        )
        .into());
    }
    if report.kill_rate < KILL_FLOOR {
        return Err(format!(
            "kill rate {:.3} below the floor {KILL_FLOOR}\n{text}",
            report.kill_rate
        )
        .into());
    }
    if report.behaviour_only_kill_rate < BEHAVIOUR_FLOOR {
        return Err(format!(
            "behavioural kill rate {:.3} below the floor {BEHAVIOUR_FLOOR}\n{text}",
            report.behaviour_only_kill_rate
        )
        .into());
    }
    eprintln!(
        "mutation sample: kill rate {:.1}%, behavioural alone {:.1}%",
        report.kill_rate * 100.0,
        report.behaviour_only_kill_rate * 100.0
    );
    Ok(())
}
