//! `emit-validate`: the script generated from the equivalent pair passes, run
//! by psql, on a database built from the equivalent PostgreSQL folder, and
//! fails on every planted pair; the bundled `migrations_pg/validate_schema.sql`
//! is what the command generates now and passes on a database built from
//! `migrations_pg/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

use libtest_mimic::{Failed, Trial};
use schema_parity::build;
use schema_parity::engine::postgres;
use schema_parity::migrations;
use schema_parity::model::Engine;
use schema_parity::provision::ScratchDatabase;
use schema_parity::structure::validate::{self, Origin};
use schema_parity::structure::{self, diff, expected};

use crate::common::{Shared, assemble, fixture_names, fixtures_dir, options};

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    let script = Arc::new(OnceLock::new());
    let mut out = Vec::new();
    let (s, sc) = (shared.clone(), script.clone());
    out.push(Trial::test(
        "validate::equivalent_pair_passes_under_psql",
        move || equivalent_case(&s, &sc),
    ));
    let planted = fixtures_dir().join("planted");
    for name in fixture_names("planted") {
        let (s, sc) = (shared.clone(), script.clone());
        let dir = planted.join(&name);
        out.push(Trial::test(
            format!("validate::planted::{name}_fails_under_psql"),
            move || planted_case(&s, &sc, &dir),
        ));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    let s = shared.clone();
    let r = root.clone();
    out.push(Trial::test(
        "validate::bundled_script_is_up_to_date",
        move || up_to_date_case(&s, &r),
    ));
    let s = shared.clone();
    out.push(Trial::test(
        "validate::bundled_script_passes_on_the_bundled_schema",
        move || bundled_case(&s, &root),
    ));
    out
}

type Script = Arc<OnceLock<Result<String, String>>>;

/// The script for the equivalent pair, generated once for all trials.
fn equivalent_script<'a>(shared: &Shared, cache: &'a Script) -> Result<&'a str, Failed> {
    cache
        .get_or_init(|| {
            let eq = fixtures_dir().join("equivalent");
            generate(
                shared,
                &eq.join("sqlite"),
                &eq.join("pg"),
                Some(&eq.join("parity.toml")),
            )
        })
        .as_deref()
        .map_err(|e| Failed::from(e.as_str()))
}

/// What `emit-validate --sqlite sqlite --pg pg [--config config]` writes.
fn generate(
    shared: &Shared,
    sqlite: &Path,
    pg: &Path,
    config: Option<&Path>,
) -> Result<String, String> {
    let server = shared.server()?;
    // emit-validate runs no check: no cases, and the seed is unused.
    let opts = options(sqlite, pg, config.map(Path::to_path_buf), Vec::new(), 0);
    let origin = Origin::new(sqlite, pg, config);
    build::with_built_on(&opts, server, &|_: &str| {}, |built, configured| {
        let expected = expected::schema(&built.sqlite, &configured.config, &built.probed);
        let findings = diff::findings(&expected, &built.pg);
        validate::script(&expected, &built.pg, &findings, &origin)
    })
    .map_err(|e| e.to_string())
}

fn equivalent_case(shared: &Shared, cache: &Script) -> Result<(), Failed> {
    let script = equivalent_script(shared, cache)?;
    let eq = fixtures_dir().join("equivalent");
    let db = database_from(shared, &eq.join("pg"), "validate_eq")?;
    only_passes(&psql(&db, script)?)
}

/// The committed `migrations_pg/validate_schema.sql`, run by psql on a
/// database built from `migrations_pg/`, as a team would in production.
fn bundled_case(shared: &Shared, root: &Path) -> Result<(), Failed> {
    let script = std::fs::read_to_string(root.join("migrations_pg/validate_schema.sql"))?;
    let db = database_from(shared, &root.join("migrations_pg"), "validate_bundled")?;
    only_passes(&psql(&db, &script)?)
}

/// The categories the script says it does not check, each `name: why`.
fn not_checked(run: &PsqlRun) -> Vec<&str> {
    run.stdout
        .lines()
        .filter_map(|l| l.strip_prefix(validate::NOT_CHECKED))
        .collect()
}

/// psql exited 0 and printed only PASS lines (besides the categories it
/// does not check, every one the registry has), then `N passed, 0 failed`.
fn only_passes(run: &PsqlRun) -> Result<(), Failed> {
    let unchecked = structure::CATEGORIES
        .iter()
        .filter(|c| matches!(c.psql(), structure::Psql::NotChecked(_)))
        .count();
    if not_checked(run).len() != unchecked {
        return Err(format!(
            "expected {unchecked} NOT CHECKED lines, one per category the script does not check\n{}",
            run.stdout
        )
        .into());
    }
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(validate::NOT_CHECKED))
        .collect();
    let (summary, checks) = lines.split_last().ok_or("psql printed nothing")?;
    let passes = checks.iter().filter(|l| l.starts_with("✓ PASS ")).count();
    if run.code != Some(0)
        || passes != checks.len()
        || passes == 0
        || *summary != format!("{passes} passed, 0 failed")
    {
        return Err(format!(
            "expected only PASS lines and exit 0, got exit {:?}\n{}\n{}",
            run.code, run.stdout, run.stderr
        )
        .into());
    }
    Ok(())
}

fn planted_case(shared: &Shared, cache: &Script, dir: &Path) -> Result<(), Failed> {
    let script = equivalent_script(shared, cache)?;
    let eq = fixtures_dir().join("equivalent");
    let tmp = tempfile::tempdir()?;
    let pg = tmp.path().join("pg");
    let extra = dir.join("pg.sql");
    assemble(
        &eq.join("pg"),
        &pg,
        extra.is_file().then_some(extra.as_path()),
    )?;
    let db = database_from(shared, &pg, "validate_planted")?;
    let run = psql(&db, script)?;
    // The table the planted difference is in (`expect`: category table column).
    let expect = std::fs::read_to_string(dir.join("expect"))?;
    let table = expect
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or_default()
        .to_string();
    let fails: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("✗ FAIL "))
        .collect();
    // Objects only PostgreSQL has (category `other`: enum types,
    // sequences, views, functions) are what the script does not check: it
    // says so, each category with its reason, and the pair passes.
    let only_objects = expect
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .all(|l| l.split_whitespace().next() == Some("other"))
        && !table.is_empty();
    if only_objects {
        let listed = ["pg_objects", "views"].iter().all(|c| {
            not_checked(&run)
                .iter()
                .any(|l| l.starts_with(&format!("{c}: ")))
        });
        return if run.code == Some(0) && fails.is_empty() && listed {
            Ok(())
        } else {
            Err(format!(
                "a pair differing only in PostgreSQL-only objects should pass, the script naming pg_objects and views as not checked\n{}\n{}",
                run.stdout, run.stderr
            )
            .into())
        };
    }
    if run.code == Some(0) || run.code.is_none() || !fails.iter().any(|l| l.contains(&table)) {
        return Err(format!(
            "expected a FAIL line about {table} and a non-zero exit, got exit {:?}\n{}\n{}",
            run.code, run.stdout, run.stderr
        )
        .into());
    }
    Ok(())
}

fn up_to_date_case(shared: &Shared, root: &Path) -> Result<(), Failed> {
    let bundled = root.join("migrations_pg/validate_schema.sql");
    let on_disk = std::fs::read_to_string(&bundled)
        .map_err(|e| format!("{} is missing ({e})", bundled.display()))?;
    let config = root.join("parity.toml");
    let now = generate(
        shared,
        &root.join("migrations_sqlite"),
        &root.join("migrations_pg"),
        config.is_file().then_some(config.as_path()),
    )?;
    if on_disk != now {
        let line = on_disk
            .lines()
            .zip(now.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || on_disk.lines().count().min(now.lines().count()) + 1,
                |i| i + 1,
            );
        return Err(format!(
            "{} is out of date (first difference at line {line}); regenerate it with\n  \
             cargo run --release -- emit-validate --sqlite migrations_sqlite --pg migrations_pg",
            bundled.display()
        )
        .into());
    }
    Ok(())
}

/// A scratch database on the shared server with `pg_dir` applied.
fn database_from(shared: &Shared, pg_dir: &Path, label: &str) -> Result<ScratchDatabase, Failed> {
    let server = shared.server()?;
    let db = server.scratch(label)?;
    let mut session = db.connect()?;
    postgres::apply(
        &mut session,
        &migrations::load(pg_dir, Engine::Postgres, None)?.steps(Engine::Postgres)?,
    )?;
    session.close();
    Ok(db)
}

struct PsqlRun {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `script` with `psql -X -q -v ON_ERROR_STOP=1 -f` against `db`.
fn psql(db: &ScratchDatabase, script: &str) -> Result<PsqlRun, Failed> {
    let bin = psql_bin()?;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("validate_schema.sql");
    std::fs::write(&file, script)?;
    let o = &db.options;
    let host = o
        .get_socket()
        .map_or_else(|| o.get_host().to_string(), |s| s.display().to_string());
    let mut cmd = Command::new(&bin);
    cmd.args(["-X", "-q", "-w", "-v", "ON_ERROR_STOP=1", "-h"])
        .arg(&host)
        .arg("-p")
        .arg(o.get_port().to_string())
        .arg("-U")
        .arg(o.get_username())
        .arg("-d")
        .arg(&db.name)
        .arg("-f")
        .arg(&file)
        .env("PGCONNECT_TIMEOUT", "10")
        .env_remove("PGSERVICE")
        .env_remove("PGOPTIONS");
    if let Some(p) = url_password() {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd
        .output()
        .map_err(|e| format!("failed to run {}: {e}", bin.display()))?;
    Ok(PsqlRun {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// psql from PATH or /usr/bin; a clear failure when there is none.
fn psql_bin() -> Result<PathBuf, Failed> {
    for candidate in [PathBuf::from("psql"), PathBuf::from("/usr/bin/psql")] {
        if Command::new(&candidate)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Ok(candidate);
        }
    }
    Err(
        "psql not found (on PATH or at /usr/bin/psql): these tests run the generated \
         validate_schema.sql with psql; install the PostgreSQL client, e.g. \
         `apt-get install postgresql-client` (CI installs `postgresql`, which brings it)"
            .into(),
    )
}

/// The password in PARITY_PG_URL (`postgres://user:password@host/db`), if any,
/// for psql: the driver's options do not give it back.
fn url_password() -> Option<String> {
    let url = std::env::var("PARITY_PG_URL").ok()?;
    let rest = url.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    let userinfo = authority.rsplit_once('@')?.0;
    userinfo.split_once(':').map(|(_, p)| p.to_string())
}
