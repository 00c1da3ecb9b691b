//! What a statement did on one engine, and the engine-neutral reason for a
//! rejection. Each engine translates its own errors into a
//! [`RejectionKind`] (`engine/<engine>/classify.rs`: SQLite's extended
//! result codes, PostgreSQL's SQLSTATEs) and nothing else does.

use crate::model::schema::Value;

/// Why an engine refused a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RejectionKind {
    NotNull,
    Unique,
    ForeignKey,
    Check,
    /// A value the type cannot hold (out of range, bad syntax for the type).
    TypeRange,
    /// Text longer than the declared length.
    Length,
    /// Bytes the engine cannot store in text (NUL, bad encoding).
    Encoding,
    /// The statement names a column the table does not have.
    MissingColumn,
    Other,
}

impl RejectionKind {
    /// When in a statement both engines test this kind of rule: values are
    /// coerced to the column type first, then NOT NULL, CHECK, UNIQUE, and
    /// foreign keys last. A side that fails a later rule has passed the
    /// earlier ones.
    pub fn stage(self) -> u8 {
        match self {
            RejectionKind::MissingColumn => 0,
            RejectionKind::TypeRange | RejectionKind::Length | RejectionKind::Encoding => 1,
            RejectionKind::NotNull => 2,
            RejectionKind::Check => 3,
            RejectionKind::Unique => 4,
            RejectionKind::ForeignKey => 5,
            RejectionKind::Other => 6,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            RejectionKind::NotNull => "not-null",
            RejectionKind::Unique => "unique",
            RejectionKind::ForeignKey => "foreign-key",
            RejectionKind::Check => "check",
            RejectionKind::TypeRange => "type/range",
            RejectionKind::Length => "length",
            RejectionKind::Encoding => "encoding",
            RejectionKind::MissingColumn => "missing column",
            RejectionKind::Other => "other",
        }
    }
}

/// The result of one statement on one engine.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Accepted; rows returned (RETURNING / SELECT), possibly none.
    Ok(Vec<Vec<Value>>),
    Rejected {
        kind: RejectionKind,
        message: String,
        /// What the engine said (its code and message; PostgreSQL's
        /// structured fields too), which attribution reads.
        fields: Box<ErrorFields>,
    },
}

impl Outcome {
    pub fn is_ok(&self) -> bool {
        matches!(self, Outcome::Ok(_))
    }

    pub fn kind(&self) -> Option<RejectionKind> {
        match self {
            Outcome::Rejected { kind, .. } => Some(*kind),
            Outcome::Ok(_) => None,
        }
    }

    pub fn rows(&self) -> &[Vec<Value>] {
        match self {
            Outcome::Ok(r) => r,
            Outcome::Rejected { .. } => &[],
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Outcome::Ok(rows) if rows.is_empty() => "ok".into(),
            Outcome::Ok(rows) => format!(
                "ok: {}",
                rows.iter()
                    .map(|r| format!(
                        "({})",
                        r.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            Outcome::Rejected { kind, message, .. } => {
                format!("rejected ({}): {message}", kind.name())
            }
        }
    }
}

/// What an engine said when it refused a statement: its code and message
/// (both engines), and the fields PostgreSQL attaches to an error report
/// (<https://www.postgresql.org/docs/current/protocol-error-fields.html>;
/// SQLite has none: what it names is in its message).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorFields {
    /// The engine's code for the error, which attribution is keyed by:
    /// PostgreSQL's SQLSTATE (`23505`), SQLite's extended result code in
    /// decimal (`2067`, <https://sqlite.org/rescode.html>); empty when the
    /// failure was not the engine's.
    pub code: String,
    /// The primary message, without the SQLSTATE.
    pub message: String,
    pub detail: Option<String>,
    pub table: Option<String>,
    pub column: Option<String>,
    pub datatype: Option<String>,
    pub constraint: Option<String>,
    /// 1-based character offset of the error in the statement.
    pub position: Option<usize>,
    /// Where the error arose beyond the statement itself, e.g.
    /// `PL/pgSQL function f() line 6 at SQL statement` for a trigger's.
    pub context: Option<String>,
}
