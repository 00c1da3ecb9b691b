//! Migration folders in every accepted layout, and errors that point at the
//! failing file, statement and line.
//!
//! Each fixture under tests/fixtures/layouts/ is a small pair in one tool's
//! layout whose files only apply in that tool's order (a later migration
//! alters what an earlier one creates, and the wrong order — text instead of
//! numbers, numbers instead of diesel's text, repeatables first — puts it
//! first). A case checks the order `load` gives, then runs the pair.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use libtest_mimic::{Failed, Trial};
use schema_parity::migrations::{self, Layout};
use schema_parity::model::Engine;

use crate::common::{Shared, fixtures_dir, summary};

/// A layout fixture: its sides (relative to tests/fixtures/layouts), the
/// layouts detected, the files each side applies, in order, and the files
/// the report lists as skipped (relative to tests/fixtures/layouts).
struct LayoutFixture {
    name: &'static str,
    sqlite: &'static str,
    pg: &'static str,
    layouts: (Layout, Layout),
    sqlite_order: &'static [&'static str],
    pg_order: &'static [&'static str],
    skipped: &'static [&'static str],
}

const LAYOUT_FIXTURES: &[LayoutFixture] = &[
    LayoutFixture {
        name: "diesel",
        sqlite: "diesel/sqlite",
        pg: "diesel/pg",
        layouts: (Layout::Diesel, Layout::Diesel),
        sqlite_order: &[
            "00000000000000_diesel_initial_setup/up.sql",
            "2024-03-06-170000_create_team/up.sql",
            "2024-03-13_170000_team_motto/up.sql",
            "2024-03-14-090000_create_member/up.sql",
        ],
        pg_order: &[],
        skipped: &[],
    },
    LayoutFixture {
        name: "engine_suffixed",
        sqlite: "engine_suffixed",
        pg: "engine_suffixed",
        layouts: (Layout::EngineSuffixed, Layout::EngineSuffixed),
        sqlite_order: &[
            "9_team.sqlite.up.sql",
            "10_member.sqlite3.up.sql",
            "11_nickname.up.sql",
        ],
        pg_order: &[
            "9_team.postgres.up.sql",
            "10_member.pg.up.sql",
            "11_nickname.up.sql",
        ],
        skipped: &[],
    },
    // soft-serve's layout: the engine as the name's last word, code
    // migrations and the Go runner beside the SQL.
    LayoutFixture {
        name: "engine_in_name",
        sqlite: "engine_in_name",
        pg: "engine_in_name",
        layouts: (Layout::EngineSuffixed, Layout::EngineSuffixed),
        sqlite_order: &[
            "0001_create_team_sqlite.up.sql",
            "0002_create_member_sqlite3.up.sql",
        ],
        pg_order: &[
            "0001_create_team_postgres.up.sql",
            "0002_create_member_postgresql.up.sql",
        ],
        skipped: &[
            "engine_in_name/0003_backfill_team_names.go",
            "engine_in_name/migrate.go",
        ],
    },
    // gobuffalo pop: an engine's own file replaces the generic one of its
    // version; versions compared as text (the 12-digit one comes last).
    LayoutFixture {
        name: "pop",
        sqlite: "pop",
        pg: "pop",
        layouts: (Layout::Pop, Layout::Pop),
        sqlite_order: &[
            "20240101120000_create_team.sqlite3.up.sql",
            "20240102090000_create_member.up.sql",
            "20240103000000_member_avatar.up.sql",
            "202401031200_member_nickname.up.sql",
        ],
        pg_order: &[
            "20240101120000_create_team.postgres.up.sql",
            "20240102090000_create_member.up.sql",
            "20240103000000_member_avatar.postgres.up.sql",
            "202401031200_member_nickname.up.sql",
        ],
        skipped: &[
            "pop/20240104000000_add_team_index.up.fizz",
            "pop/embed.go",
            "pop/schema.sql",
        ],
    },
    LayoutFixture {
        name: "goose",
        sqlite: "goose/sqlite",
        pg: "goose/pg",
        layouts: (Layout::Goose, Layout::Goose),
        sqlite_order: &["9_team.sql", "10_member.sql"],
        pg_order: &[],
        skipped: &[],
    },
    LayoutFixture {
        name: "dbmate",
        sqlite: "dbmate/sqlite",
        pg: "dbmate/pg",
        layouts: (Layout::Dbmate, Layout::Dbmate),
        sqlite_order: &["20240101000000_team.sql", "20240102000000_member.sql"],
        pg_order: &[],
        skipped: &[],
    },
    LayoutFixture {
        name: "flyway",
        sqlite: "flyway/sqlite",
        pg: "flyway/pg",
        layouts: (Layout::Flyway, Layout::Flyway),
        sqlite_order: &[
            "V1__team.sql",
            "V1_2__member.sql",
            "V1.10__nickname.sql",
            "R__seed_teams.sql",
        ],
        pg_order: &[],
        skipped: &[],
    },
    LayoutFixture {
        name: "golang_migrate",
        sqlite: "golang_migrate/sqlite",
        pg: "golang_migrate/pg",
        layouts: (Layout::GolangMigrate, Layout::GolangMigrate),
        sqlite_order: &["2.up.sql", "10_member.up.sql", "11.up.sql"],
        pg_order: &[],
        skipped: &[],
    },
    LayoutFixture {
        name: "name_ordered",
        sqlite: "name_ordered/sqlite",
        pg: "name_ordered/pg",
        layouts: (Layout::NameOrdered, Layout::NameOrdered),
        sqlite_order: &[
            "0000_key_migrations.up.sql",
            "0001_create_a_team.up.sql",
            "0001_create_b_member.up.sql",
            "0002_member_nickname_up.sql",
        ],
        pg_order: &[],
        skipped: &[],
    },
    LayoutFixture {
        name: "authelia",
        sqlite: "authelia",
        pg: "authelia",
        layouts: (Layout::Authelia, Layout::Authelia),
        sqlite_order: &["sqlite/V0001.Team.up.sql", "sqlite/V0002.Member.up.sql"],
        pg_order: &["postgres/V0001.Team.up.sql", "postgres/V0002.Member.up.sql"],
        skipped: &[],
    },
    LayoutFixture {
        name: "memos",
        sqlite: "memos/sqlite",
        pg: "memos/pg",
        layouts: (Layout::Memos, Layout::Memos),
        sqlite_order: &["LATEST.sql"],
        pg_order: &[],
        skipped: &[],
    },
    LayoutFixture {
        name: "semver_folders",
        sqlite: "semver_folders/sqlite",
        pg: "semver_folders/pg",
        layouts: (Layout::SemverFolders, Layout::SemverFolders),
        sqlite_order: &[
            "0.9/00__team.sql",
            "0.9/01__member.sql",
            "0.10/00__member_nickname.sql",
        ],
        pg_order: &[],
        skipped: &[],
    },
    LayoutFixture {
        name: "pg_dump",
        sqlite: "pg_dump/sqlite.sql",
        pg: "pg_dump/pg_dump.sql",
        layouts: (Layout::SchemaFile, Layout::PgDump),
        sqlite_order: &["sqlite.sql"],
        pg_order: &["pg_dump.sql"],
        skipped: &[],
    },
];

fn layouts_dir() -> PathBuf {
    fixtures_dir().join("layouts")
}

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    let mut out = Vec::new();
    for layout in ["sqlx", "refinery", "diesel"] {
        let s = shared.clone();
        out.push(Trial::test(
            format!("loading::layout_{layout}_applies_in_version_order"),
            move || layout_case(&s, layout),
        ));
    }
    for fixture in LAYOUT_FIXTURES {
        let s = shared.clone();
        out.push(Trial::test(
            format!(
                "loading::fixture_{}_applies_in_its_tools_order",
                fixture.name
            ),
            move || fixture_case(&s, fixture),
        ));
    }
    let s = shared.clone();
    out.push(Trial::test(
        "loading::sqlite_database_file_is_read_as_is",
        move || database_file_case(&s),
    ));
    out.push(Trial::test(
        "loading::shared_version_is_an_error_naming_both",
        shared_version_case,
    ));
    out.push(Trial::test(
        "loading::forced_layout_exits_2_naming_both_files",
        forced_layout_exit_code,
    ));
    let s = shared.clone();
    out.push(Trial::test(
        "loading::sqlite_error_names_file_statement_and_line",
        move || error_case(&s),
    ));
    out.push(Trial::test(
        "loading::bad_input_exits_2",
        bad_input_exit_code,
    ));
    out
}

/// Renames the equivalent SQLite chain into `layout`, with versions that sort
/// wrongly as text (9 before 10) to prove numeric ordering.
fn layout_case(shared: &Shared, layout: &str) -> Result<(), Failed> {
    let eq = fixtures_dir().join("equivalent");
    let tmp = tempfile::tempdir()?;
    let sq = tmp.path().join("sqlite");
    std::fs::create_dir_all(&sq)?;
    let mut files: Vec<_> = std::fs::read_dir(eq.join("sqlite"))?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for (i, f) in files.iter().enumerate() {
        let version = 9 + i; // 9, 10, 11, 12
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("m");
        let name = stem.split_once('_').map_or(stem, |(_, n)| n);
        let target = match layout {
            "sqlx" => sq.join(format!("{version}_{name}.up.sql")),
            "refinery" => sq.join(format!("V{version}__{name}.sql")),
            _ => {
                let d = sq.join(format!("2024-01-{version:02}-120000_{name}"));
                std::fs::create_dir_all(&d)?;
                d.join("up.sql")
            }
        };
        std::fs::copy(f, &target)?;
        if layout == "sqlx" {
            std::fs::write(
                sq.join(format!("{version}_{name}.down.sql")),
                "DROP TABLE nonexistent;",
            )?;
        }
    }
    let report = shared.check(&sq, &eq.join("pg"), None)?;
    let found = summary(&report);
    if !found.is_empty() {
        return Err(format!("{layout}: expected parity, got {found:?}").into());
    }
    Ok(())
}

fn error_case(shared: &Shared) -> Result<(), Failed> {
    let tmp = tempfile::tempdir()?;
    let sq = tmp.path().join("sqlite");
    std::fs::create_dir_all(&sq)?;
    std::fs::write(
        sq.join("001_ok.sql"),
        "CREATE TABLE a (id INTEGER PRIMARY KEY);\n",
    )?;
    std::fs::write(
        sq.join("002_bad.sql"),
        "-- second migration\nCREATE TABLE b (id INTEGER);\n\nINSERT INTO missing_table VALUES (1);\n",
    )?;
    let eq = fixtures_dir().join("equivalent");
    let err = match shared.check(&sq, &eq.join("pg"), None) {
        Ok(_) => return Err("a failing migration must stop the run".into()),
        Err(e) => e,
    };
    for needle in [
        "002_bad.sql",
        "statement 2",
        "line 4",
        "no such table: missing_table",
    ] {
        if !err.contains(needle) {
            return Err(format!("error should mention `{needle}`: {err}").into());
        }
    }
    Ok(())
}

/// A missing folder is exit 2 naming it, for every command that reads the
/// folders — before any server is obtained: the `--pg-url` given points at
/// a port where none listens, which would be exit 3 had it been tried.
fn bad_input_exit_code() -> Result<(), Failed> {
    for command in ["check", "mutate", "emit-validate", "fuzz"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_schema-parity"))
            .args([command, "--sqlite", "/nonexistent/dir", "--pg"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations_pg"))
            .args(["--pg-url", "postgres://parity@127.0.0.1:1/none"])
            .output()?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(2)
            || !stderr.contains("/nonexistent/dir")
            || stderr.contains("127.0.0.1")
        {
            return Err(format!(
                "{command}: expected exit 2 naming the path before any server, got {:?}: {stderr}",
                out.status
            )
            .into());
        }
    }
    Ok(())
}

/// The files `load` applies for one side, relative to `base` (a diesel
/// migration shows as `folder/up.sql`, a semver one as `0.9/00__x.sql`).
fn order(path: &Path, engine: Engine, base: &Path) -> Result<Vec<String>, Failed> {
    let set = migrations::load(path, engine, None)?;
    let base = if path.is_file() {
        path.parent().unwrap_or(base)
    } else {
        base
    };
    Ok(set
        .migrations
        .iter()
        .map(|m| {
            m.path
                .strip_prefix(base)
                .unwrap_or(&m.path)
                .display()
                .to_string()
        })
        .collect())
}

fn fixture_case(shared: &Shared, f: &LayoutFixture) -> Result<(), Failed> {
    let (sq, pg) = (layouts_dir().join(f.sqlite), layouts_dir().join(f.pg));
    let pg_order = if f.pg_order.is_empty() {
        f.sqlite_order
    } else {
        f.pg_order
    };
    for (path, engine, want) in [
        (&sq, Engine::Sqlite, f.sqlite_order),
        (&pg, Engine::Postgres, pg_order),
    ] {
        let got = order(path, engine, path)?;
        if got != want {
            return Err(format!(
                "{} ({engine:?}): applied {got:?}, expected {want:?}",
                f.name
            )
            .into());
        }
    }
    let report = shared.check(&sq, &pg, None)?;
    let got = (report.inputs.sqlite_layout, report.inputs.pg_layout);
    if got != f.layouts {
        return Err(format!("{}: detected {got:?}, expected {:?}", f.name, f.layouts).into());
    }
    let base = layouts_dir();
    let skipped: Vec<String> = (report.inputs.skipped_files.iter())
        .map(|p| {
            Path::new(p)
                .strip_prefix(&base)
                .map_or_else(|_| p.clone(), |r| r.display().to_string())
        })
        .collect();
    if skipped != f.skipped {
        return Err(format!(
            "{}: skipped_files {skipped:?}, expected {:?}",
            f.name, f.skipped
        )
        .into());
    }
    let found = summary(&report);
    if !found.is_empty() {
        return Err(format!("{}: expected parity, got {found:?}", f.name).into());
    }
    let (s, p) = (&report.inputs.sqlite_counts, &report.inputs.pg_counts);
    if s.tables < 2 || s.columns != p.columns {
        return Err(format!("{}: SQLite {s:?} vs PostgreSQL {p:?}", f.name).into());
    }
    Ok(())
}

/// `--sqlite` given an existing database: introspected from a copy, the
/// file left byte for byte as it was.
fn database_file_case(shared: &Shared) -> Result<(), Failed> {
    let tmp = tempfile::tempdir()?;
    let db = tmp.path().join("app.db");
    let schema = std::fs::read_to_string(layouts_dir().join("pg_dump/sqlite.sql"))?;
    rusqlite::Connection::open(&db)?.execute_batch(&schema)?;
    let before = std::fs::read(&db)?;
    let report = shared.check(&db, &layouts_dir().join("pg_dump/pg_dump.sql"), None)?;
    if report.inputs.sqlite_layout != Layout::SqliteDatabase {
        return Err(format!("detected {:?}", report.inputs.sqlite_layout).into());
    }
    let found = summary(&report);
    if !found.is_empty() || report.inputs.sqlite_counts.seed_rows != 2 {
        return Err(format!(
            "expected parity with 2 seed rows, got {found:?}, {:?}",
            report.inputs.sqlite_counts
        )
        .into());
    }
    if std::fs::read(&db)? != before {
        return Err("the database file was modified".into());
    }
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())?
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n != "app.db")
        .collect();
    if !leftovers.is_empty() {
        return Err(format!("files left beside the database: {leftovers:?}").into());
    }
    // The PostgreSQL side cannot be a SQLite database.
    match migrations::load(&db, Engine::Postgres, None) {
        Err(e) if e.to_string().contains("--sqlite") => Ok(()),
        other => {
            Err(format!("a database as --pg must say to pass it as --sqlite: {other:?}").into())
        }
    }
}

/// Two files with one version stop the run, naming both, in every layout
/// whose tool refuses them.
fn shared_version_case() -> Result<(), Failed> {
    let cases: &[(&[&str], &str)] = &[
        (&["001_a.sql", "1_b.sql"], "sqlx"),
        (&["V1__a.sql", "V1.0__b.sql"], "flyway"),
        (&["V2__a.sql", "V02__b.sql"], "refinery"),
        // Numbers of different widths: not the name-ordered reading.
        (
            &["1_a.up.sql", "01_b.up.sql", "2_c.up.sql"],
            "golang-migrate",
        ),
    ];
    for (files, layout) in cases {
        let tmp = tempfile::tempdir()?;
        for f in *files {
            std::fs::write(tmp.path().join(f), "SELECT 1;\n")?;
        }
        let err = match migrations::load(tmp.path(), Engine::Sqlite, None) {
            Ok(set) => {
                return Err(format!("{files:?} loaded as {} without an error", set.layout).into());
            }
            Err(e) => e.to_string(),
        };
        let named = files.iter().take(2).all(|f| err.contains(f));
        if !named || !err.contains(layout) {
            return Err(
                format!("{files:?}: error should name both files and {layout}: {err}").into(),
            );
        }
    }
    let tmp = tempfile::tempdir()?;
    for d in ["2024-01-01-000000_a", "20240101000000_b"] {
        std::fs::create_dir_all(tmp.path().join(d))?;
        std::fs::write(tmp.path().join(d).join("up.sql"), "SELECT 1;\n")?;
    }
    match migrations::load(tmp.path(), Engine::Postgres, None) {
        Err(e) if e.to_string().contains("2024-01-01-000000_a") => Ok(()),
        other => Err(format!("diesel folders sharing a version: {other:?}").into()),
    }
}

/// `--sqlite-layout golang-migrate` on a name-ordered folder: exit 2, naming
/// the two files that share a version and the flag that reads them.
fn forced_layout_exit_code() -> Result<(), Failed> {
    let dir = layouts_dir().join("name_ordered");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_schema-parity"))
        .args(["check", "--sqlite-layout", "golang-migrate", "--sqlite"])
        .arg(dir.join("sqlite"))
        .arg("--pg")
        .arg(dir.join("pg"))
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = [
        "0001_create_a_team.up.sql",
        "0001_create_b_member.up.sql",
        "--sqlite-layout name-ordered",
    ];
    if out.status.code() != Some(2) || !expected.iter().all(|e| stderr.contains(e)) {
        return Err(format!(
            "expected exit 2 naming {expected:?}, got {:?}: {stderr}",
            out.status
        )
        .into());
    }
    Ok(())
}
