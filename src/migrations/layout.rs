//! The migration layouts we read, and how a side's layout is recognised from
//! its path (a folder, one schema file, or a SQLite database file).
//!
//! Detection looks at names first and reads file contents only to tell goose
//! and dbmate (same file names as sqlx) apart. `--sqlite-layout` /
//! `--pg-layout` skip detection.

use std::path::Path;

use serde::Serialize;

use crate::model::Engine;

/// How a side's migrations are named, ordered and read — one per tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// `<n>_name.sql` (also `.up.sql`; `.down.sql` ignored), numeric order.
    Sqlx,
    /// `V<n>__name.sql`, numeric order.
    Refinery,
    /// `V<n>__name.sql` with dotted or underscored versions (`V1_1__`,
    /// `V1.1__`) compared part by part; repeatables `R__name.sql` last.
    Flyway,
    /// `<n>_title.up.sql` or `<n>.up.sql`, numeric order.
    GolangMigrate,
    /// `*.up.sql` applied in file-name order, as maragudk/migrate (harness)
    /// does: its version is the whole file name, so several files may start
    /// with the same number.
    NameOrdered,
    /// `<n>_name.sql` with `-- +goose Up` / `-- +goose Down` sections.
    Goose,
    /// `<n>_name.sql` with `-- migrate:up` / `-- migrate:down` sections,
    /// file-name order.
    Dbmate,
    /// `YYYY-MM-DD-HHMMSS_name/up.sql` folders; versions compared as text.
    Diesel,
    /// `V<n>.Name.up.sql` (authelia), numeric order.
    Authelia,
    /// One folder for several engines, each file naming its engine after
    /// its first word: `<n>_name.{engine}.up.sql`, `<n>_name_{engine}.up.sql`
    /// (soft-serve); numeric order. Each side takes its own engine's files
    /// and files naming no engine; other engines' files are ignored.
    EngineSuffixed,
    /// gobuffalo pop: `VERSION_name[.{engine}][.autocommit].up.sql`, versions
    /// compared as text. An engine's own file of a version replaces the
    /// generic one for that engine; `.fizz` files are not SQL.
    Pop,
    /// A folder of semver folders `0.22/01__name.sql` beside `LATEST.sql`
    /// (memos): a new database gets `LATEST.sql`, as memos does; the semver
    /// folders upgrade older databases and are not applied.
    Memos,
    /// Semver folders `0.22/01__name.sql` applied in semver order, then by
    /// file name.
    SemverFolders,
    /// One SQL file holding the whole schema.
    SchemaFile,
    /// One `pg_dump` file: `SET` lines, `\` meta-commands, owners and grants
    /// are skipped, `COPY … FROM stdin` data becomes `INSERT`s.
    PgDump,
    /// An existing SQLite database, introspected as it is (a copy in memory).
    SqliteDatabase,
}

impl Layout {
    pub fn name(self) -> &'static str {
        match self {
            Layout::Sqlx => "sqlx",
            Layout::Refinery => "refinery",
            Layout::Flyway => "flyway",
            Layout::GolangMigrate => "golang-migrate",
            Layout::NameOrdered => "name-ordered",
            Layout::Goose => "goose",
            Layout::Dbmate => "dbmate",
            Layout::Diesel => "diesel",
            Layout::Authelia => "authelia",
            Layout::EngineSuffixed => "engine-suffixed",
            Layout::Pop => "pop",
            Layout::Memos => "memos",
            Layout::SemverFolders => "semver-folders",
            Layout::SchemaFile => "schema-file",
            Layout::PgDump => "pg-dump",
            Layout::SqliteDatabase => "sqlite-database",
        }
    }

    /// Whether the tool's SQLite connection enforces foreign keys while the
    /// chain runs. SQLite's default is off
    /// (<https://sqlite.org/foreignkeys.html#fk_enable>) and most tools keep
    /// it (harness even switches it off around its migrations, whose table
    /// rebuilds need that); sqlx turns it on
    /// (`SqliteConnectOptions::foreign_keys`, default true). A `PRAGMA
    /// foreign_keys` in a file still applies; after the chain they are on
    /// and `foreign_key_check` must be clean either way.
    pub fn sqlite_foreign_keys_during_chain(self) -> bool {
        matches!(self, Layout::Sqlx)
    }

    /// Layouts read from one file rather than a folder.
    pub fn is_single_file(self) -> bool {
        matches!(
            self,
            Layout::SchemaFile | Layout::PgDump | Layout::SqliteDatabase
        )
    }
}

impl std::fmt::Display for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The engine names a file name may carry (`001_init.sqlite.up.sql`), and
/// the engine each stands for (`None`: an engine we do not run, e.g. MySQL).
/// The spellings are the tools' own: pop's dialect synonyms (`pg`, `pgx`,
/// `crdb`) among them.
pub(super) fn engine_tag(segment: &str) -> Option<Option<Engine>> {
    match segment.to_ascii_lowercase().as_str() {
        "sqlite" | "sqlite3" => Some(Some(Engine::Sqlite)),
        "postgres" | "postgresql" | "pg" | "pgx" | "pgsql" => Some(Some(Engine::Postgres)),
        "mysql" | "mariadb" | "mssql" | "sqlserver" | "oracle" | "cockroach" | "cockroachdb"
        | "crdb" => Some(None),
        _ => None,
    }
}

/// Where a file name names its engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Placement {
    /// A `.`-separated segment of its own: `x.postgres.up.sql` — a marker
    /// nobody writes by accident.
    Segment,
    /// A `_`/`-`-separated word: `0001_x_sqlite.up.sql` — also how prose
    /// is written (`003_pg_trgm.sql`), so a folder is read per engine from
    /// words only when they pair up (`set::detect`).
    Word,
}

/// The engine a migration file's name names, where, and which bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NamedEngine {
    /// `None`: an engine we do not run (MySQL, CockroachDB…).
    pub engine: Option<Engine>,
    pub placement: Placement,
    /// The engine token with the separator before it.
    range: std::ops::Range<usize>,
}

impl NamedEngine {
    /// `stem` without the engine: `0001_team_sqlite` → `0001_team`.
    pub fn remove_from(&self, stem: &str) -> String {
        let mut rest = stem.to_string();
        if self.range.end <= rest.len() {
            rest.replace_range(self.range.clone(), "");
        }
        rest
    }
}

/// The engine a file name (its stem, the `.sql` cut off) names: the last
/// engine token of the name, as a `.` segment or a `_`/`-` word, wherever
/// it sits — `0001_x_sqlite.up`, `x.sqlite3.up`, `x.postgres.up`,
/// `x_postgresql.up`. The name's first word is its version or its subject,
/// never its engine (`pg_dump.sql`); when a name carries two engines
/// (`0004_mysql_to_sqlite`) the last one says whose file it is, as the
/// suffix conventions have it.
pub(super) fn engine_in_name(stem: &str) -> Option<NamedEngine> {
    let mut found = None;
    let mut segment_start = 0;
    for (i, segment) in stem.split('.').enumerate() {
        let start = segment_start;
        segment_start += segment.len() + 1;
        if i > 0
            && let Some(engine) = engine_tag(segment)
        {
            found = Some(NamedEngine {
                engine,
                placement: Placement::Segment,
                range: start - 1..start + segment.len(),
            });
            continue;
        }
        let mut word_start = start;
        for (j, word) in segment.split(['_', '-']).enumerate() {
            let w = word_start;
            word_start += word.len() + 1;
            if i == 0 && j == 0 {
                continue;
            }
            if let Some(engine) = engine_tag(word) {
                found = Some(NamedEngine {
                    engine,
                    placement: Placement::Word,
                    range: w - 1..w + word.len(),
                });
            }
        }
    }
    found
}

/// Extensions of migrations written as code, which the tool does not run:
/// goose and soft-serve (`.go`), alembic and Django (`.py`), Rails (`.rb`),
/// knex (`.js`, `.ts`), refinery (`.rs`), Flyway (`.java`, `.kt`),
/// Laravel (`.php`).
const CODE_EXTENSIONS: &[&str] = &["go", "py", "rb", "js", "ts", "rs", "java", "kt", "php"];

/// Whether a file in a migration folder is a migration the tool cannot run
/// — code, or pop's `.fizz` DSL (its down files aside): such files are
/// listed in `inputs.skipped_files`, never silently dropped, since what
/// they do to the schema is not tested.
pub(super) fn is_unrun_migration(name: &str) -> bool {
    let Some((stem, extension)) = name.rsplit_once('.') else {
        return false;
    };
    let extension = extension.to_ascii_lowercase();
    CODE_EXTENSIONS.contains(&extension.as_str())
        || (extension == "fizz" && !stem.ends_with(".down"))
}

/// The names a per-engine subfolder may have (authelia keeps
/// `migrations/{sqlite,postgres,mysql}/`).
pub(super) fn engine_folder(name: &str, engine: Engine) -> bool {
    engine_tag(name) == Some(Some(engine))
}

/// `0.22`, `1.2.3`: a memos-style semver folder name.
pub(super) fn is_semver(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// True when the first 16 bytes are SQLite's file header.
pub(super) fn is_sqlite_database(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| &header == b"SQLite format 3\0")
}

/// What a file's text says about its tool, read from its first 64 KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    Goose,
    Dbmate,
    PgDump,
}

pub(super) fn marker(path: &Path) -> Option<Marker> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .ok()?;
    let text = String::from_utf8_lossy(&head);
    text.lines().find_map(|line| {
        let l = line.trim();
        let comment = l.strip_prefix("--")?.trim_start();
        if comment.to_ascii_lowercase().starts_with("+goose up") {
            Some(Marker::Goose)
        } else if comment.starts_with("migrate:up") {
            Some(Marker::Dbmate)
        } else if comment.starts_with("PostgreSQL database dump") {
            Some(Marker::PgDump)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file name's stem, the engine it names and where (`None`: no
    /// engine), and the stem without it.
    struct Case {
        stem: &'static str,
        named: Option<(Option<Engine>, Placement)>,
        rest: &'static str,
    }

    const SQLITE_WORD: Option<(Option<Engine>, Placement)> =
        Some((Some(Engine::Sqlite), Placement::Word));
    const POSTGRES_WORD: Option<(Option<Engine>, Placement)> =
        Some((Some(Engine::Postgres), Placement::Word));

    const CASES: &[Case] = &[
        Case {
            stem: "0001_create_tables_sqlite.up",
            named: SQLITE_WORD,
            rest: "0001_create_tables.up",
        },
        Case {
            stem: "0001_create_tables_postgres.down",
            named: POSTGRES_WORD,
            rest: "0001_create_tables.down",
        },
        Case {
            stem: "x.sqlite3.up",
            named: Some((Some(Engine::Sqlite), Placement::Segment)),
            rest: "x.up",
        },
        Case {
            stem: "x.postgres.up",
            named: Some((Some(Engine::Postgres), Placement::Segment)),
            rest: "x.up",
        },
        Case {
            stem: "x_postgresql.up",
            named: POSTGRES_WORD,
            rest: "x.up",
        },
        Case {
            stem: "20240101120000_team.mysql.autocommit.up",
            named: Some((None, Placement::Segment)),
            rest: "20240101120000_team.autocommit.up",
        },
        // Two engines: the last one says whose file it is.
        Case {
            stem: "0004_mysql_to_sqlite.up",
            named: SQLITE_WORD,
            rest: "0004_mysql_to.up",
        },
        Case {
            stem: "9-team-pg",
            named: POSTGRES_WORD,
            rest: "9-team",
        },
        // The first word is the name's subject or version, never its engine.
        Case {
            stem: "pg_dump",
            named: None,
            rest: "pg_dump",
        },
        Case {
            stem: "0001_create_tables.up",
            named: None,
            rest: "0001_create_tables.up",
        },
        Case {
            stem: "V0001.Team.up",
            named: None,
            rest: "V0001.Team.up",
        },
    ];

    #[test]
    fn engine_in_name_finds_the_engine_anywhere_after_the_first_word() {
        for case in CASES {
            let named = engine_in_name(case.stem);
            let got = named.as_ref().map(|n| (n.engine, n.placement));
            assert_eq!(got, case.named, "{}", case.stem);
            let rest = named.map_or_else(|| case.stem.to_string(), |n| n.remove_from(case.stem));
            assert_eq!(rest, case.rest, "{}", case.stem);
        }
    }

    #[test]
    fn code_and_fizz_files_are_unrun_migrations() {
        for name in [
            "0001_create_tables.go",
            "migrate_test.go",
            "0003_backfill.py",
            "20240101120000_index.up.fizz",
        ] {
            assert!(is_unrun_migration(name), "{name}");
        }
        for name in [
            "0001_x.up.sql",
            "20240101120000_index.down.fizz",
            "README.md",
            "Makefile",
        ] {
            assert!(!is_unrun_migration(name), "{name}");
        }
    }
}
