//! Reporters: pure functions from a [`crate::run::Report`] to text. None of
//! them touches a database.

mod json;
mod text;

pub use json::json;
pub use text::text;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn render(report: &crate::run::Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Json => json(report),
    }
}
