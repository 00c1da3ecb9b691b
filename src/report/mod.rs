//! The report model and its reporters: pure functions from a [`Report`]
//! to text; and the [`baseline`] file, which marks a report's known
//! findings. None of them touches a database.

pub mod baseline;
mod json;
mod junit;
mod markdown;
mod model;
mod text;

pub use model::{Inputs, Report, Summary, Tool, ValuesFromInput};

pub use json::json;
pub use junit::junit;
pub use markdown::markdown;
pub use text::text;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Junit,
    Markdown,
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Json => json(report),
        Format::Junit => junit(report),
        Format::Markdown => markdown(report),
    }
}

/// A finding's witness as a replayable regression file (see tests/regressions).
pub fn regression_sql(f: &crate::model::finding::Finding) -> String {
    let mut s = format!(
        "-- schema-parity regression: {}\n-- {}\n",
        f.id,
        f.message.replace('\n', " ")
    );
    if let Some(w) = &f.witness {
        s.push_str("-- sqlite:\n");
        for q in &w.sqlite_sql {
            s.push_str(q.trim_end_matches(';'));
            s.push_str(";\n");
        }
        s.push_str("-- postgres:\n");
        for q in &w.postgres_sql {
            s.push_str(q.trim_end_matches(';'));
            s.push_str(";\n");
        }
    }
    s
}

/// The file a finding's witness is saved in: `DIR/<finding id>.sql`.
pub fn regression_path(dir: &std::path::Path, id: &str) -> std::path::PathBuf {
    dir.join(format!("{}.sql", id.replace(['/', ' '], "_")))
}

/// Writes `f`'s witness to [`regression_path`] and returns the path.
pub fn save_regression(
    dir: &std::path::Path,
    f: &crate::model::finding::Finding,
) -> std::io::Result<std::path::PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = regression_path(dir, &f.id);
    std::fs::write(&path, regression_sql(f))?;
    Ok(path)
}

/// The SQLite and PostgreSQL statements of a regression file.
pub fn parse_regression_sql(text: &str) -> Option<(Vec<String>, Vec<String>)> {
    let (_, rest) = text.split_once("-- sqlite:\n")?;
    let (sqlite, postgres) = rest.split_once("-- postgres:\n")?;
    let statements = |part: &str| -> Vec<String> {
        part.lines()
            .filter(|l| !l.starts_with("--") && !l.trim().is_empty())
            .map(|l| l.trim_end_matches(';').to_string())
            .collect()
    };
    Some((statements(sqlite), statements(postgres)))
}

#[cfg(test)]
mod regression_file {
    #[test]
    fn a_witness_file_is_named_by_its_finding_id() {
        assert_eq!(
            super::regression_path(std::path::Path::new("r"), "round_trip.type.t.c"),
            std::path::Path::new("r/round_trip.type.t.c.sql")
        );
    }
}

/// Every reporter on one hand-built report — no database: a grouped
/// caveat, an error with a witness, an accepted quirk, a baselined finding,
/// a not-exercised property, an accept rule that matched nothing. Snapshots in `snapshots/`; review a change
/// with `cargo insta review` (or `INSTA_UPDATE=always` and `git diff`).
#[cfg(test)]
mod snapshots {
    use super::*;
    use crate::migrations::Layout;
    use crate::model::finding::{Category, CheckKind, Finding, Member, Witness};
    use crate::model::schema::Counts;

    fn counts(tables: usize) -> Counts {
        Counts {
            migrations: 3,
            tables,
            columns: tables * 4,
            foreign_keys: 1,
            checks: 2,
            unique: 1,
            indexes: 1,
            triggers: 0,
            seed_rows: 2,
        }
    }

    fn report() -> Report {
        let mut flag = Finding::new(
            CheckKind::Structure,
            Category::Type,
            "accounts",
            &[],
            "flag",
        )
        .message(
            "INTEGER 0/1 flags without a CHECK are BOOLEAN in PostgreSQL: SQLite also stores 2.",
        )
        .sides("INTEGER", "BOOLEAN")
        .warning();
        flag.members = vec![
            Member {
                id: "structure.type.accounts.active".into(),
                table: "accounts".into(),
                columns: vec!["active".into()],
                baselined: false,
                detail: None,
            },
            Member {
                id: "structure.type.notes.pinned".into(),
                table: "notes".into(),
                columns: vec!["pinned".into()],
                baselined: false,
                detail: None,
            },
        ];
        let mut length = Finding::new(
            CheckKind::Structure,
            Category::Type,
            "users",
            &["email"],
            "",
        )
        .message("users.email: SQLite TEXT has no length limit, PostgreSQL VARCHAR(20) refuses longer values.")
        .sides("TEXT", "CHARACTER VARYING(20)");
        length.witness = Some(Witness {
            sqlite_sql: vec!["INSERT INTO \"users\" (\"email\") VALUES ('o.brien+news@example.org')".into()],
            postgres_sql: vec!["INSERT INTO \"users\" (\"email\") VALUES ('o.brien+news@example.org')".into()],
            sqlite_outcome: "1: ok".into(),
            postgres_outcome: "1: rejected (length): value too long for type character varying(20) (SQLSTATE 22001)".into(),
        });
        let mut old = Finding::new(
            CheckKind::Structure,
            Category::MissingColumn,
            "orders",
            &["meta_json"],
            "",
        )
        .message("orders.meta_json is in SQLite only.")
        .sides("TEXT", "(none)");
        old.baselined = true;
        let mut quirk = Finding::new(
            CheckKind::RoundTrip,
            Category::Other,
            "notes",
            &[],
            "postgres-rejects-nul-in-text",
        )
        .message("Inherent engine difference `postgres-rejects-nul-in-text` seen on notes.")
        .sides("see witness", "see witness");
        quirk.accepted = true;
        quirk.reason = Some("PostgreSQL text cannot contain NUL; SQLite stores it.".into());
        Report {
            schema_version: 1,
            tool: Tool {
                name: "schema-parity",
                version: "0.0.0-test",
            },
            inputs: Inputs {
                sqlite: "migrations/sqlite".into(),
                pg: "migrations/pg".into(),
                sqlite_layout: Layout::Sqlx,
                pg_layout: Layout::Sqlx,
                config: Some("parity.toml".into()),
                seed: 42,
                cases: 64,
                pg_backend: "embedded".into(),
                postgres_version: "15.0".into(),
                sqlite_version: "3.46.0".into(),
                server_encoding: "UTF8".into(),
                collation: "C.UTF-8".into(),
                timezone: "UTC".into(),
                skipped_files: vec!["migrations/pg/validate_schema.sql".into()],
                pg_extensions: vec!["pgcrypto".into()],
                pg_schema: "public".into(),
                checks: vec!["structure", "round_trip"],
                sqlite_counts: counts(3),
                pg_counts: counts(3),
                not_applicable: vec!["users::cascade: no table references it".into()],
                not_exercised: vec!["notes::constraint: every case was discarded: the CHECK on body admits no generated value".into()],
                blocked_by_trigger: vec!["events::round_trip: blocked by trigger check_event_room on events, which refuses the rows on both engines (rejected (other): event 1 is in another room)".into()],
                flaky: Vec::new(),
                strict: false,
                baseline: Some("parity-baseline.txt".into()),
                baseline_gone: vec!["structure.nullability.notes.body".into()],
                unused_accepts: vec![crate::config::AcceptRule {
                    table: "orders".into(),
                    column: Some("total".into()),
                    check: Some("structure".into()),
                    category: "type".into(),
                    reason: "totals are rounded to cents on purpose".into(),
                }],
                values_from: Some(ValuesFromInput {
                    file: "app.db".into(),
                    per_column: 32,
                    columns: 7,
                    values: 140,
                    outside: 3,
                }),
            },
            summary: Summary {
                tables: 3,
                checks_run: 2,
                cases_run: 384,
                findings: 1,
                warnings: 1,
                accepted: 1,
                baselined: 1,
                baseline_gone: 1,
                unused_accepts: 1,
                duration_ms: 1234,
            },
            findings: vec![flag, quirk, old, length],
        }
    }

    #[test]
    fn text() {
        insta::assert_snapshot!(render(&report(), Format::Text));
    }

    #[test]
    fn json() {
        insta::assert_snapshot!(render(&report(), Format::Json));
    }

    #[test]
    fn junit() {
        insta::assert_snapshot!(render(&report(), Format::Junit));
    }

    #[test]
    fn markdown() {
        insta::assert_snapshot!(render(&report(), Format::Markdown));
    }
}
