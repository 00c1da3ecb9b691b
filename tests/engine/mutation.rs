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
    let t = shared.clone();
    let r = shared.clone();
    vec![
        Trial::test(
            "mutation::ci_sample_of_the_bundled_pair_is_killed",
            move || ci_sample(&s),
        ),
        Trial::test(
            "mutation::case_folding_a_unique_key_whose_check_fixes_its_case_is_equivalent",
            move || case_blind_uniques(&t),
        ),
        Trial::test(
            "mutation::checking_only_the_reached_tables_gives_the_verdicts_of_a_full_recheck",
            move || reach_is_enough(&r),
        ),
    ]
}

/// `toggle_unique_case` on `tests/fixtures/mutation/case_blind_uniques`: a
/// code whose GLOB fixes its letters and a tier from a set of lower-case
/// words cannot hold two values differing only in case, so folding case on
/// their unique keys is an equivalent mutant (killed by structure, out of
/// the behavioural rate, never listed as missed); the free-text handle's
/// toggle is killed by the behavioural checks.
fn case_blind_uniques(shared: &Shared) -> Result<(), Failed> {
    let dir = crate::common::fixtures_dir().join("mutation/case_blind_uniques");
    let (tmp, sqlite, pg) = crate::common::planted_pair(&dir)?;
    // The equivalent pair's config: its one accept (explicit ids and
    // sequences) keeps the base pair equivalent.
    let config = crate::common::fixtures_dir().join("equivalent/parity.toml");
    let opts = MutateOptions {
        run: RunOptions {
            only: Vec::new(),
            ..crate::common::options(
                &sqlite,
                &pg,
                Some(config.clone()),
                CheckKind::ALL.to_vec(),
                32,
            )
        },
        operators: vec![Operator::ToggleUniqueCase],
        sample: None,
        workers: 2,
        recheck_all: false,
    };
    let report = mutate_on(
        &opts,
        &Config::load(&config)?,
        shared.server()?,
        &|_: &str| {},
        std::time::Instant::now(),
    )?;
    drop(tmp);
    let text = schema_parity::commands::mutate::render(
        &report,
        schema_parity::commands::mutate::MutateFormat::Text,
    );
    let on = |column: &str| {
        report
            .results
            .iter()
            .find(|r| r.mutant.table == "lockers" && r.mutant.column.as_deref() == Some(column))
            .ok_or_else(|| format!("no toggle_unique_case mutant on lockers.{column}\n{text}"))
    };
    for column in ["code", "tier"] {
        let r = on(column)?;
        if r.mutant.equivalent.is_none() || r.killed_by_behaviour {
            return Err(format!(
                "lockers.{column}: expected an equivalent mutant no behaviour kills, got {r:?}\n{text}"
            )
            .into());
        }
        if report.structure_only_kills().any(|m| std::ptr::eq(m, r)) {
            return Err(format!("lockers.{column} listed as missed by behaviour\n{text}").into());
        }
    }
    let handle = on("handle")?;
    if handle.mutant.equivalent.is_some() || !handle.killed_by_behaviour {
        return Err(format!(
            "lockers.handle: expected a behaviour-killed mutant, got {handle:?}\n{text}"
        )
        .into());
    }
    Ok(())
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
            values_from: None,
            config_search: true,
        },
        operators: Operator::ALL.to_vec(),
        sample: Some(SAMPLE),
        workers: 2,
        recheck_all: false,
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

/// A mutant's behaviour is checked again only on the tables its change can
/// reach (the table, its parents, its descendants). On a sample of the
/// equivalent fixture's mutants (a three-table chain and a table apart),
/// every kill verdict is the one a re-check of every table gives.
fn reach_is_enough(shared: &Shared) -> Result<(), Failed> {
    let dir = crate::common::fixtures_dir().join("equivalent");
    let config = dir.join("parity.toml");
    let run = |recheck_all: bool| -> Result<_, Failed> {
        let opts = MutateOptions {
            run: RunOptions {
                only: Vec::new(),
                seed: 5,
                ..crate::common::options(
                    &dir.join("sqlite"),
                    &dir.join("pg"),
                    Some(config.clone()),
                    CheckKind::ALL.to_vec(),
                    8,
                )
            },
            operators: Operator::ALL.to_vec(),
            sample: Some(40),
            workers: 2,
            recheck_all,
        };
        Ok(mutate_on(
            &opts,
            &Config::load(&config)?,
            shared.server()?,
            &|_: &str| {},
            std::time::Instant::now(),
        )?)
    };
    let (reached, all) = (run(false)?, run(true)?);
    let verdicts = |r: &schema_parity::commands::mutate::MutationReport| {
        r.results
            .iter()
            .map(|m| {
                (
                    format!(
                        "{} on {} {:?}",
                        m.mutant.operator.name(),
                        m.mutant.table,
                        m.mutant.sql
                    ),
                    (
                        m.status.clone(),
                        m.killed_by_structure,
                        m.killed_by_behaviour,
                    ),
                )
            })
            .collect::<Vec<_>>()
    };
    let (a, b) = (verdicts(&reached), verdicts(&all));
    if a.len() != 40 || a.len() != b.len() {
        return Err(format!(
            "expected 40 mutants each way, ran {} and {}",
            a.len(),
            b.len()
        )
        .into());
    }
    let differ: Vec<String> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| format!("{}: reached tables {:?}, every table {:?}", x.0, x.1, y.1))
        .collect();
    if !differ.is_empty() {
        return Err(format!("kill verdicts differ:\n{}", differ.join("\n")).into());
    }
    let kills = a.iter().filter(|(_, v)| v.2).count();
    if kills == 0 {
        return Err(
            "no mutant of the sample was killed by behaviour: the comparison shows nothing".into(),
        );
    }
    Ok(())
}
