//! The CI workflows users copy (`ci/workflows/`): each passes its official
//! schema, and every command they run is run by our CI — either here, on
//! the bundled pair, or verbatim by `.ci/run`.
//!
//! The schema trials need `check-jsonschema` (PyPI; its `--builtin-schema`
//! files ship inside the package, so validating needs no network).
//! `.ci/run` installs it with `ci/install-check-jsonschema.sh` and sets
//! `PARITY_TEST_WORKFLOWS=1`: then, as whenever `CI` is set, a missing
//! validator is a failure. Elsewhere the trials run when the validator is
//! found (`PARITY_CHECK_JSONSCHEMA`, PATH, or where the install script puts
//! it) and are ignored otherwise, with the reason printed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use libtest_mimic::{Failed, Trial};

use crate::common::{fixtures_dir, planted_pair};

const GITHUB: &str = "ci/workflows/github-actions.yml";
const GITLAB: &str = "ci/workflows/gitlab-ci.yml";
const PARTITIONED: &str = "ci/workflows/github-actions-partitioned.yml";

/// The workflow commands this module runs (the others must be lines of
/// `.ci/run`).
const INSTALL: &str = "bash ci/install-schema-parity.sh";
const CHECK: &str = r#"bash ci/parity-check.sh "$PARITY_SQLITE" "$PARITY_PG""#;
/// The partitioned workflow's one command: `cargo nextest list` with the
/// same partition, for every value of the matrix, is run here.
const PARTITION: &str =
    "cargo nextest run --release --no-fail-fast --partition count:${{ matrix.partition }}/4";

pub fn trials() -> Vec<Trial> {
    let validator = validator();
    if let Err(reason) = &validator {
        eprintln!("workflow schema trials ignored: {reason}");
    }
    let schema = |name: &str, file: &'static str, schema: &'static str| {
        let v = validator.clone();
        Trial::test(name, move || {
            let exe = v.clone().map_err(Failed::from)?;
            validate(&exe, &repo().join(file), schema)
        })
        .with_ignored_flag(validator.is_err())
    };
    let broken = {
        let v = validator.clone();
        Trial::test(
            "workflows::the_validator_rejects_a_broken_workflow",
            move || {
                let exe = v.clone().map_err(Failed::from)?;
                validator_rejects_broken(&exe)
            },
        )
        .with_ignored_flag(validator.is_err())
    };
    vec![
        schema(
            "workflows::github_actions_workflow_passes_the_official_schema",
            GITHUB,
            "vendor.github-workflows",
        ),
        schema(
            "workflows::gitlab_ci_file_passes_the_official_schema",
            GITLAB,
            "vendor.gitlab-ci",
        ),
        schema(
            "workflows::partitioned_github_workflow_passes_the_official_schema",
            PARTITIONED,
            "vendor.github-workflows",
        ),
        broken,
        {
            let v = validator.clone();
            Trial::test(
                "workflows::the_workflows_init_writes_pass_the_official_schemas",
                move || {
                    let exe = v.clone().map_err(Failed::from)?;
                    init_workflows(&exe)
                },
            )
            .with_ignored_flag(validator.is_err())
        },
        Trial::test(
            "workflows::every_command_the_workflows_run_is_run_by_our_ci",
            every_command_is_run,
        ),
        {
            let nextest = nextest();
            if let Err(reason) = &nextest {
                eprintln!("workflow partition trial ignored: {reason}");
            }
            let ignored = nextest.is_err();
            Trial::test(
                "workflows::the_partitions_of_the_matrix_run_every_test_exactly_once",
                move || partitions_cover_every_test_once(&nextest.clone().map_err(Failed::from)?),
            )
            .with_ignored_flag(ignored)
        },
        Trial::test(
            "workflows::parity_check_fails_on_a_planted_pair_and_passes_with_its_baseline",
            parity_check_on_planted_pair,
        ),
        Trial::test(
            "workflows::install_script_installs_with_cargo_once_then_uses_the_cached_binary",
            install_with_cargo_then_cached,
        ),
    ]
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_schema-parity")
}

fn truthy(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The check-jsonschema executable, or why there is none here.
fn validator() -> Result<PathBuf, String> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(p) = std::env::var("PARITY_CHECK_JSONSCHEMA")
        && !p.is_empty()
    {
        candidates.push(PathBuf::from(p));
    }
    candidates.push(PathBuf::from("check-jsonschema"));
    let cache = std::env::var("XDG_CACHE_HOME")
        .ok()
        .filter(|c| !c.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var("HOME")
                .ok()
                .map(|h| Path::new(&h).join(".cache"))
        });
    if let Some(c) = cache {
        candidates.push(c.join("schema-parity/venv/bin/check-jsonschema"));
    }
    for c in &candidates {
        if Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Ok(c.clone());
        }
    }
    let why = format!(
        "check-jsonschema not found (tried {}); install it with `bash ci/install-check-jsonschema.sh` \
         and set PARITY_CHECK_JSONSCHEMA to the path it prints",
        candidates
            .iter()
            .map(|c| c.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    if truthy("PARITY_TEST_WORKFLOWS") || truthy("CI") {
        // Required: the trials run and fail with this message.
        Ok(PathBuf::from(format!(
            "missing: PARITY_TEST_WORKFLOWS=1 or CI is set, so the schema trials are required, but {why}"
        )))
    } else {
        Err(format!(
            "{why} (set PARITY_TEST_WORKFLOWS=1 to require them)"
        ))
    }
}

fn run_validator(exe: &Path, schema: &str, file: &Path) -> Result<Output, Failed> {
    if exe.to_string_lossy().starts_with("missing: ") {
        return Err(exe.to_string_lossy().into_owned().into());
    }
    Command::new(exe)
        .args(["--builtin-schema", schema])
        .arg(file)
        .output()
        .map_err(|e| format!("failed to run {}: {e}", exe.display()).into())
}

fn validate(exe: &Path, file: &Path, schema: &str) -> Result<(), Failed> {
    let out = run_validator(exe, schema, file)?;
    if !out.status.success() {
        return Err(format!(
            "{} fails {schema}:\n{}{}",
            file.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}

/// What `schema-parity init` writes, for a Rust crate and for any project,
/// GitHub and GitLab: each passes its schema.
fn init_workflows(exe: &Path) -> Result<(), Failed> {
    use schema_parity::commands::init::{Ci, Project, workflow};
    let tmp = tempfile::tempdir()?;
    for (ci, schema) in [
        (Ci::Github, "vendor.github-workflows"),
        (Ci::Gitlab, "vendor.gitlab-ci"),
    ] {
        for rust in [true, false] {
            let project = Project {
                dir: tmp.path().to_path_buf(),
                sqlite: "db/sqlite migrations".into(),
                pg: "db/pg".into(),
                ci,
                rust,
            };
            let file = tmp.path().join(format!("{ci:?}-{rust}.yml"));
            std::fs::write(&file, workflow(&project))?;
            validate(exe, &file, schema)?;
        }
    }
    Ok(())
}

/// A validator that passes everything would make the schema trials
/// worthless: a misspelt key and a wrong type must fail.
fn validator_rejects_broken(exe: &Path) -> Result<(), Failed> {
    let tmp = tempfile::tempdir()?;
    for (schema, text) in [
        (
            "vendor.github-workflows",
            "on: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n    stepz: []\n",
        ),
        (
            "vendor.gitlab-ci",
            "check:\n  script: 3\n  when: sometimes\n",
        ),
    ] {
        let file = tmp.path().join("broken.yml");
        std::fs::write(&file, text)?;
        let out = run_validator(exe, schema, &file)?;
        if out.status.success() {
            return Err(format!("{schema} accepted a broken file:\n{text}").into());
        }
    }
    Ok(())
}

/// The commands a workflow file runs: GitHub's `run:` values, GitLab's
/// `before_script` / `script` / `after_script` items. Multi-line commands
/// (`|` or `>` blocks) are refused so that every command is one line this
/// test can compare and run.
fn commands(file: &str) -> Result<Vec<String>, Failed> {
    let text = std::fs::read_to_string(repo().join(file))?;
    let mut out = Vec::new();
    let mut in_script: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(key_indent) = in_script {
            if let Some(item) = trimmed.strip_prefix("- ")
                && indent >= key_indent
            {
                out.push(item.trim().to_string());
                continue;
            }
            in_script = None;
        }
        let body = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        if let Some(cmd) = body.strip_prefix("run:") {
            let cmd = cmd.trim();
            if cmd.is_empty() || cmd.starts_with('|') || cmd.starts_with('>') {
                return Err(format!("{file}:{}: keep `run:` on one line", n + 1).into());
            }
            out.push(cmd.to_string());
        }
        for key in ["before_script:", "script:", "after_script:"] {
            if let Some(rest) = body.strip_prefix(key) {
                if !rest.trim().is_empty() {
                    return Err(format!("{file}:{}: list `{key}` items one a line", n + 1).into());
                }
                in_script = Some(indent);
            }
        }
    }
    Ok(out)
}

/// `KEY: value` of the workflow's env / variables block.
fn variable(file: &str, key: &str) -> Result<String, Failed> {
    let text = std::fs::read_to_string(repo().join(file))?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{key}:")))
        .map(|v| v.trim().trim_matches('"').to_string())
        .ok_or_else(|| format!("{file} sets no {key}").into())
}

fn every_command_is_run() -> Result<(), Failed> {
    let ci_run = std::fs::read_to_string(repo().join(".ci/run"))?;
    let ci_lines: Vec<&str> = ci_run.lines().map(str::trim).collect();
    let mut here: Vec<String> = Vec::new();
    for file in [GITHUB, GITLAB, PARTITIONED] {
        let cmds = commands(file)?;
        if file != PARTITIONED && !cmds.iter().any(|c| c == CHECK) {
            return Err(format!("{file} does not run `{CHECK}`: {cmds:?}").into());
        }
        for c in cmds {
            if ci_lines.contains(&c.as_str()) {
                continue;
            }
            if file == PARTITIONED && c == PARTITION {
                // Run (listed per partition) by
                // `partitions_cover_every_test_once`.
                continue;
            }
            if c != INSTALL && c != CHECK {
                return Err(
                    format!("{file} runs `{c}`, which neither .ci/run nor this test runs").into(),
                );
            }
            if !here.contains(&c) {
                here.push(c);
            }
        }
    }
    // Both files name the same pair; run their commands as the workflow
    // would, from the repository root, on the bundled pair they name.
    let (sqlite, pg) = (
        variable(GITHUB, "PARITY_SQLITE")?,
        variable(GITHUB, "PARITY_PG")?,
    );
    if (
        variable(GITLAB, "PARITY_SQLITE")?,
        variable(GITLAB, "PARITY_PG")?,
    ) != (sqlite.clone(), pg.clone())
    {
        return Err("the two workflow files name different pairs".into());
    }
    let tmp = tempfile::tempdir()?;
    let summary = tmp.path().join("step-summary.md");
    std::fs::write(&summary, "earlier step\n")?;
    let reports = tmp.path().join("parity-report");
    for c in &here {
        let out = Command::new("bash")
            .args(["-c", c])
            .current_dir(repo())
            .env("PARITY_SQLITE", &sqlite)
            .env("PARITY_PG", &pg)
            .env("PARITY_BASELINE", variable(GITHUB, "PARITY_BASELINE")?)
            .env("SCHEMA_PARITY", bin())
            .env("PARITY_REPORT_DIR", &reports)
            .env("GITHUB_STEP_SUMMARY", &summary)
            // Enough for every property to be exercised; the full suite
            // runs the bundled pair at 256.
            .env("PARITY_CASES", "32")
            .env("PARITY_SEED", "1")
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "`{c}` failed ({}):\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
    }
    let junit = std::fs::read_to_string(reports.join("junit.xml"))?;
    if !junit.contains("<testsuites") || junit.contains("<failure") {
        return Err(format!("junit.xml should be a passing report:\n{junit}").into());
    }
    let md = std::fs::read_to_string(&summary)?;
    if !md.starts_with("earlier step\n") || !md.contains("## schema-parity: ✅ parity") {
        return Err(
            format!("the Markdown report should be appended to the step summary:\n{md}").into(),
        );
    }
    let text = std::fs::read_to_string(reports.join("report.txt"))?;
    if !text.contains("\nPARITY:") {
        return Err(format!("report.txt should say PARITY:\n{text}").into());
    }
    Ok(())
}

/// `ci/parity-check.sh` passes the check's exit code on, with the finding
/// in the JUnit report, and honours `PARITY_BASELINE`.
fn parity_check_on_planted_pair() -> Result<(), Failed> {
    let (tmp, sq, pg) = planted_pair(&fixtures_dir().join("planted/missing_column"))?;
    let config = fixtures_dir().join("empty.toml");
    let run = |baseline: &str, reports: &str| -> Result<Output, Failed> {
        Ok(Command::new("bash")
            .arg(repo().join("ci/parity-check.sh"))
            .arg(&sq)
            .arg(&pg)
            .args(["--checks", "structure,seed_data", "--config"])
            .arg(&config)
            .current_dir(tmp.path())
            .env("SCHEMA_PARITY", bin())
            .env("PARITY_REPORT_DIR", tmp.path().join(reports))
            .env("PARITY_BASELINE", baseline)
            .env_remove("GITHUB_STEP_SUMMARY")
            .output()?)
    };
    let out = run("", "plain")?;
    let junit = std::fs::read_to_string(tmp.path().join("plain/junit.xml"))?;
    if out.status.code() != Some(1) || !junit.contains("<failure") || !junit.contains("meta_json") {
        return Err(format!(
            "expected exit 1 and the missing column in junit.xml, got {}:\n{junit}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let baseline = tmp.path().join("baseline.txt");
    let written = Command::new(bin())
        .args(["baseline", "--checks", "structure,seed_data", "--sqlite"])
        .arg(&sq)
        .arg("--pg")
        .arg(&pg)
        .arg("--config")
        .arg(&config)
        .arg("--output")
        .arg(&baseline)
        .output()?;
    if !written.status.success() {
        return Err(format!(
            "baseline failed: {}",
            String::from_utf8_lossy(&written.stderr)
        )
        .into());
    }
    let out = run(&baseline.display().to_string(), "baselined")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() != Some(0) || !stdout.contains("NO NEW DIFFERENCES") {
        return Err(format!(
            "with the baseline, expected exit 0 and NO NEW DIFFERENCES, got {}:\n{stdout}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}

/// Without a binary, the install script runs `cargo install --locked
/// schema-parity`; with the binary where cargo put it (a CI cache), it
/// runs nothing. A stand-in `cargo` records what it was asked.
fn install_with_cargo_then_cached() -> Result<(), Failed> {
    let tmp = tempfile::tempdir()?;
    let stub = tmp.path().join("stub");
    std::fs::create_dir_all(&stub)?;
    let calls = tmp.path().join("cargo-calls");
    let cargo_home = tmp.path().join("cargo-home");
    std::fs::write(
        stub.join("cargo"),
        format!(
            "#!/bin/sh\necho \"$*\" >>'{}'\nmkdir -p \"$CARGO_HOME/bin\"\nln -sf '{}' \"$CARGO_HOME/bin/schema-parity\"\n",
            calls.display(),
            bin()
        ),
    )?;
    let mut perms = std::fs::metadata(stub.join("cargo"))?.permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(stub.join("cargo"), perms)?;
    let install = || -> Result<Output, Failed> {
        Ok(Command::new("bash")
            .arg(repo().join("ci/install-schema-parity.sh"))
            .env("PATH", format!("{}:/usr/bin:/bin", stub.display()))
            .env("CARGO_HOME", &cargo_home)
            .env_remove("CARGO_INSTALL_ROOT")
            .env_remove("SCHEMA_PARITY")
            .env_remove("SCHEMA_PARITY_INSTALL_ARGS")
            .output()?)
    };
    let expected = cargo_home.join("bin/schema-parity").display().to_string();
    for round in ["first", "cached"] {
        let out = install()?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() || stdout.lines().last() != Some(expected.as_str()) {
            return Err(format!(
                "{round} run: expected {expected} on stdout, got {} {stdout}{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
    }
    let recorded = std::fs::read_to_string(&calls)?;
    if recorded != "install --locked schema-parity\n" {
        return Err(format!("cargo should be called once, to install: {recorded:?}").into());
    }
    Ok(())
}

/// `cargo` with a working `cargo nextest`, or why there is none here (then
/// the partition trial is ignored, unless CI requires it).
fn nextest() -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let works = Command::new(&cargo)
        .args(["nextest", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Ok(cargo);
    }
    let why = "cargo-nextest not found (`cargo nextest --version` failed); install it with \
               `cargo install cargo-nextest --locked`";
    if truthy("PARITY_TEST_WORKFLOWS") || truthy("CI") {
        Ok(format!(
            "missing: PARITY_TEST_WORKFLOWS=1 or CI is set, so the partition trial is required, but {why}"
        ))
    } else {
        Err(format!("{why} (set PARITY_TEST_WORKFLOWS=1 to require it)"))
    }
}

/// The tests `cargo nextest list ARGS` selects, as `binary-id test-name`.
fn listed(cargo: &str, args: &[String]) -> Result<Vec<String>, Failed> {
    let out = Command::new(cargo)
        .args(["nextest", "list"])
        .args(args)
        .args(["--message-format", "json"])
        .current_dir(repo())
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "`cargo nextest list {}` failed ({}):\n{}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let list: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let suites = list["rust-suites"]
        .as_object()
        .ok_or("`cargo nextest list` printed no rust-suites")?;
    let mut tests = Vec::new();
    for (binary, suite) in suites {
        let cases = suite["testcases"]
            .as_object()
            .ok_or_else(|| format!("{binary}: no testcases in the list"))?;
        for (name, case) in cases {
            if case["filter-match"]["status"] == "matches" {
                tests.push(format!("{binary} {name}"));
            }
        }
    }
    tests.sort();
    Ok(tests)
}

/// The partitioned workflow's matrix, listed part by part with its own
/// `--partition` arguments: every test the unpartitioned run selects is in
/// exactly one part, and no part is empty.
fn partitions_cover_every_test_once(cargo: &str) -> Result<(), Failed> {
    if cargo.starts_with("missing: ") {
        return Err(cargo.to_string().into());
    }
    let run = commands(PARTITIONED)?
        .into_iter()
        .find(|c| c.starts_with("cargo nextest run"))
        .ok_or_else(|| format!("{PARTITIONED} runs no `cargo nextest run`"))?;
    if run != PARTITION {
        return Err(format!("{PARTITIONED} runs `{run}`, this test lists `{PARTITION}`").into());
    }
    let text = std::fs::read_to_string(repo().join(PARTITIONED))?;
    let matrix: Vec<String> = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("partition: ["))
        .and_then(|l| l.strip_suffix(']'))
        .ok_or_else(|| format!("{PARTITIONED} has no `partition: [..]` matrix"))?
        .split(',')
        .map(|k| k.trim().to_string())
        .collect();
    let total = PARTITION
        .rsplit('/')
        .next()
        .ok_or("PARTITION names no count")?;
    let expected: Vec<String> = (1..=matrix.len()).map(|k| k.to_string()).collect();
    if matrix != expected || total != matrix.len().to_string() {
        return Err(format!(
            "the matrix {matrix:?} must be 1..=N with N = {total}, the count the run line partitions by"
        )
        .into());
    }
    // `run`'s selection arguments for machine `k`, as `list` takes them.
    let select = |k: &str| -> Result<Vec<String>, Failed> {
        Ok(PARTITION
            .replace("${{ matrix.partition }}", k)
            .strip_prefix("cargo nextest run ")
            .ok_or("PARTITION is not a `cargo nextest run`")?
            .split(' ')
            .filter(|a| *a != "--no-fail-fast")
            .map(str::to_string)
            .collect())
    };
    let mut unpartitioned = select("1")?;
    let at = unpartitioned
        .iter()
        .position(|a| a == "--partition")
        .ok_or("PARTITION has no --partition")?;
    unpartitioned.drain(at..at + 2);
    let all = listed(cargo, &unpartitioned)?;
    if all.len() < 100 {
        return Err(format!("only {} tests listed: {all:?}", all.len()).into());
    }
    let mut seen: Vec<String> = Vec::new();
    for k in &matrix {
        let part = listed(cargo, &select(k)?)?;
        if part.is_empty() {
            return Err(format!("partition {k}/{total} runs no test").into());
        }
        seen.extend(part);
    }
    seen.sort();
    let twice: Vec<&String> = seen
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| &w[0])
        .collect();
    if !twice.is_empty() {
        return Err(format!("run by two partitions: {twice:?}").into());
    }
    if seen != all {
        let missing: Vec<&String> = all.iter().filter(|t| !seen.contains(t)).collect();
        let extra: Vec<&String> = seen.iter().filter(|t| !all.contains(t)).collect();
        return Err(format!("no partition runs {missing:?}; only partitions run {extra:?}").into());
    }
    Ok(())
}
