//! The report model and its reporters: pure functions from a [`Report`]
//! to text. None of them touches a database.

mod json;
mod junit;
mod markdown;
mod model;
mod text;

pub use model::{Inputs, Report, Summary, Tool};

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
pub fn regression_sql(f: &crate::finding::Finding) -> String {
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

/// Writes `f`'s witness to `DIR/<finding id>.sql` and returns the path.
pub fn save_regression(
    dir: &std::path::Path,
    f: &crate::finding::Finding,
) -> std::io::Result<std::path::PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{}.sql", f.id.replace(['/', ' '], "_")));
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
