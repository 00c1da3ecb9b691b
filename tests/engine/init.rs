//! `schema-parity init`, through the CLI: it writes parity.toml (each
//! current finding a commented-out accept block), tests/parity.rs for a
//! Rust crate, a workflow and its scripts; a second run is refused without
//! `--force` and changes nothing; the written parity.toml is read by
//! `check`, and its blocks, once uncommented with a reason, accept exactly
//! the findings listed.

use std::path::Path;
use std::process::{Command, Output};

use libtest_mimic::{Failed, Trial};

use crate::common::{planted_pair, said};

/// A dropped column and two narrowed integers (one grouped finding).
const PLANTED: &str = "\
ALTER TABLE accounts ALTER COLUMN created_ns TYPE INTEGER;
ALTER TABLE notes ALTER COLUMN order_id TYPE INTEGER;
ALTER TABLE orders DROP COLUMN meta_json;
";

const CHECKS: &str = "structure,seed_data";

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "init::writes_its_files_refuses_to_overwrite_and_check_reads_its_parity_toml",
            writes_refuses_and_is_read,
        ),
        Trial::test(
            "init::its_suite_test_is_the_example_projects",
            suite_test_is_the_example,
        ),
    ]
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_schema-parity"))
}

/// Copies the folder `from` to `to`.
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        std::fs::copy(e.path(), to.join(e.file_name()))?;
    }
    Ok(())
}

fn writes_refuses_and_is_read() -> Result<(), Failed> {
    let planted = tempfile::tempdir()?;
    std::fs::write(planted.path().join("pg.sql"), PLANTED)?;
    let (_pair, sq, pg) = planted_pair(planted.path())?;
    // A Rust project with its two folders inside; init runs from outside it.
    let root = tempfile::tempdir()?;
    let project = root.path().join("app");
    copy_dir(&sq, &project.join("db/sqlite"))?;
    copy_dir(&pg, &project.join("db/pg"))?;
    std::fs::write(
        project.join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    )?;
    let init = |extra: &[&str]| -> std::io::Result<Output> {
        bin()
            .current_dir(root.path())
            .args([
                "init",
                "--sqlite",
                "app/db/sqlite",
                "--pg",
                "app/db/pg",
                "--dir",
                "app",
                "--checks",
                CHECKS,
                "--cases",
                "8",
                "--seed",
                "7",
            ])
            .args(extra)
            .output()
    };

    let out = init(&[])?;
    if out.status.code() != Some(0) {
        return Err(format!("init should write its files: {}", said(&out)).into());
    }
    let written = [
        "parity.toml",
        "tests/parity.rs",
        ".github/workflows/schema-parity.yml",
        "ci/install-postgres.sh",
        "ci/install-schema-parity.sh",
        "ci/parity-check.sh",
    ];
    let stderr = String::from_utf8_lossy(&out.stderr);
    for f in written {
        if !project.join(f).is_file() || !stderr.contains(&format!("wrote app/{f}")) {
            return Err(format!("init should write and name {f}: {}", said(&out)).into());
        }
    }
    if !stderr.contains("[dev-dependencies]") || !stderr.contains("harness = false") {
        return Err(format!("init should say what to add to Cargo.toml: {}", said(&out)).into());
    }
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(project.join("ci/parity-check.sh"))?
            .permissions()
            .mode();
        if mode & 0o111 == 0 {
            return Err("the scripts should be executable".into());
        }
    }
    let suite = std::fs::read_to_string(project.join("tests/parity.rs"))?;
    if !suite.contains(".sqlite(\"db/sqlite\")") || !suite.contains(".pg(\"db/pg\")") {
        return Err(format!(
            "tests/parity.rs should name the folders from the project root:\n{suite}"
        )
        .into());
    }
    let workflow = std::fs::read_to_string(project.join(".github/workflows/schema-parity.yml"))?;
    if !workflow.contains("PARITY_SQLITE: \"db/sqlite\"")
        || !workflow.contains("PARITY_PG: \"db/pg\"")
        || !workflow.contains("cargo test --release")
    {
        return Err(format!("the workflow should check the project's folders:\n{workflow}").into());
    }
    let toml = std::fs::read_to_string(project.join("parity.toml"))?;
    // One block per place: the grouped narrowing is two blocks.
    for block in [
        "# table = \"accounts\"\n# column = \"created_ns\"\n# category = \"type\"\n# check = \"structure\"\n# reason = \"\"\n",
        "# table = \"notes\"\n# column = \"order_id\"\n# category = \"type\"\n",
        "# table = \"orders\"\n# column = \"meta_json\"\n# category = \"missing_column\"\n",
    ] {
        if !toml.contains(block) {
            return Err(format!("parity.toml should hold the block\n{block}\nin:\n{toml}").into());
        }
    }
    if toml.matches("# [[accept]]").count() != 3 {
        return Err(format!("parity.toml should hold three blocks:\n{toml}").into());
    }

    // A second run: refused, naming the files, and nothing changes.
    std::fs::write(project.join("parity.toml"), "# mine\n")?;
    let out = init(&[])?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(2)
        || !stderr.contains("--force")
        || !stderr.contains("app/parity.toml")
        || !stderr.contains("app/tests/parity.rs")
        || std::fs::read_to_string(project.join("parity.toml"))? != "# mine\n"
    {
        return Err(format!(
            "a second init should be refused without --force: {}",
            said(&out)
        )
        .into());
    }
    let out = init(&["--force"])?;
    if out.status.code() != Some(0)
        || !String::from_utf8_lossy(&out.stderr).contains("overwrote app/parity.toml")
        || std::fs::read_to_string(project.join("parity.toml"))? != toml
    {
        return Err(format!(
            "init --force should overwrite, the same way: {}",
            said(&out)
        )
        .into());
    }

    // check reads it: the findings stand until a block is uncommented.
    let check = |config: &Path| -> std::io::Result<Output> {
        bin()
            .current_dir(&project)
            .args([
                "check",
                "--sqlite",
                "db/sqlite",
                "--pg",
                "db/pg",
                "--checks",
                CHECKS,
                "--format",
                "json",
                "--config",
            ])
            .arg(config)
            .output()
    };
    let out = check(&project.join("parity.toml"))?;
    if out.status.code() != Some(1) {
        return Err(format!("the commented-out blocks accept nothing: {}", said(&out)).into());
    }
    let accepted: String = toml
        .lines()
        .map(|l| {
            let l = if l == "# reason = \"\"" {
                "# reason = \"known, tracked in a test\""
            } else {
                l
            };
            let keys = [
                "# [[accept]]",
                "# table = ",
                "# column = ",
                "# category = ",
                "# check = ",
                "# reason = ",
            ];
            if keys.iter().any(|k| l.starts_with(k)) {
                format!("{}\n", &l[2..])
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let filled = root.path().join("filled.toml");
    std::fs::write(&filled, &accepted)?;
    let out = check(&filled)?;
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("{e}: {}", said(&out)))?;
    let findings = json["findings"].as_array().ok_or("findings")?;
    let ours = findings
        .iter()
        .filter(|f| f["reason"] == "known, tracked in a test")
        .count();
    let open = findings.iter().filter(|f| f["accepted"] == false).count();
    if out.status.code() != Some(0) || open != 0 || ours < 2 {
        return Err(format!(
            "every uncommented block should accept its finding (the narrowing as a group, the dropped column): {}",
            said(&out)
        )
        .into());
    }
    Ok(())
}

/// What `init` writes for `migrations/sqlite` and `migrations/pg` is the
/// example user project's test file, which `user_project` trials compile
/// and run.
fn suite_test_is_the_example() -> Result<(), Failed> {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/user-project/tests/parity.rs"),
    )?;
    let written = schema_parity::commands::init::suite_test("migrations/sqlite", "migrations/pg");
    if written != example {
        return Err(format!("init writes\n{written}\nthe example project has\n{example}").into());
    }
    Ok(())
}
