//! What a statement did on one engine, and the engine-neutral reason for a
//! rejection. SQLite's extended result codes and PostgreSQL's SQLSTATEs are
//! translated here and nowhere else.

use crate::schema::Value;

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
        /// PostgreSQL's structured error fields (empty for SQLite), which
        /// attribution reads.
        fields: Box<crate::engine::postgres::ErrorFields>,
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

/// SQLite extended result codes: <https://sqlite.org/rescode.html>.
pub fn classify_sqlite(extended_code: i32, message: &str) -> RejectionKind {
    match extended_code {
        1299 => RejectionKind::NotNull,       // SQLITE_CONSTRAINT_NOTNULL
        2067 | 1555 => RejectionKind::Unique, // SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY
        787 => RejectionKind::ForeignKey,     // SQLITE_CONSTRAINT_FOREIGNKEY
        275 => RejectionKind::Check,          // SQLITE_CONSTRAINT_CHECK
        3091 => RejectionKind::TypeRange,     // SQLITE_CONSTRAINT_DATATYPE (STRICT)
        20 => RejectionKind::TypeRange,       // SQLITE_MISMATCH
        18 => RejectionKind::Length,          // SQLITE_TOOBIG
        _ if message.contains("datatype mismatch") => RejectionKind::TypeRange,
        // ON DELETE/UPDATE RESTRICT reports the base SQLITE_CONSTRAINT code.
        _ if message.contains("FOREIGN KEY constraint failed") => RejectionKind::ForeignKey,
        _ if message.contains("NOT NULL constraint failed") => RejectionKind::NotNull,
        _ if message.contains("UNIQUE constraint failed") => RejectionKind::Unique,
        _ if message.contains("CHECK constraint failed") => RejectionKind::Check,
        _ if message.contains("has no column named") || message.contains("no such column") => {
            RejectionKind::MissingColumn
        }
        _ => RejectionKind::Other,
    }
}

/// PostgreSQL SQLSTATEs: <https://www.postgresql.org/docs/current/errcodes-appendix.html>.
pub fn classify_postgres(sqlstate: &str) -> RejectionKind {
    match sqlstate {
        "23502" => RejectionKind::NotNull,
        "23505" => RejectionKind::Unique,
        "23503" => RejectionKind::ForeignKey,
        "23514" => RejectionKind::Check,
        "22001" => RejectionKind::Length,
        "22021" | "22P05" | "54000" => RejectionKind::Encoding,
        "42703" => RejectionKind::MissingColumn,
        "22003" | "22P02" | "22007" | "22008" | "22023" | "22018" | "42804" | "22P03" => {
            RejectionKind::TypeRange
        }
        _ => RejectionKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_codes_translate() {
        assert_eq!(classify_sqlite(1299, ""), RejectionKind::NotNull);
        assert_eq!(classify_sqlite(2067, ""), RejectionKind::Unique);
        assert_eq!(classify_sqlite(1555, ""), RejectionKind::Unique);
        assert_eq!(classify_sqlite(787, ""), RejectionKind::ForeignKey);
        assert_eq!(classify_sqlite(275, ""), RejectionKind::Check);
        assert_eq!(classify_sqlite(1, "syntax error"), RejectionKind::Other);
        assert_eq!(
            classify_sqlite(19, "FOREIGN KEY constraint failed"),
            RejectionKind::ForeignKey
        );
    }

    #[test]
    fn postgres_states_translate() {
        assert_eq!(classify_postgres("23502"), RejectionKind::NotNull);
        assert_eq!(classify_postgres("23505"), RejectionKind::Unique);
        assert_eq!(classify_postgres("23503"), RejectionKind::ForeignKey);
        assert_eq!(classify_postgres("23514"), RejectionKind::Check);
        assert_eq!(classify_postgres("22003"), RejectionKind::TypeRange);
        assert_eq!(classify_postgres("22001"), RejectionKind::Length);
        assert_eq!(classify_postgres("22021"), RejectionKind::Encoding);
        assert_eq!(classify_postgres("42601"), RejectionKind::Other);
    }
}
