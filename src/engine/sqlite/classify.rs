//! Why SQLite refused a statement, from its extended result code
//! (<https://sqlite.org/rescode.html>) and, where the code is the base
//! one, its message.

use crate::engine::{ErrorFields, RejectionKind};

/// The reason for a failure with `extended_code` (-1: not an engine
/// error) and `message`.
pub fn classify(extended_code: i32, message: &str) -> RejectionKind {
    match extended_code {
        1299 => RejectionKind::NotNull,       // SQLITE_CONSTRAINT_NOTNULL
        2067 | 1555 => RejectionKind::Unique, // SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY
        787 => RejectionKind::ForeignKey,     // SQLITE_CONSTRAINT_FOREIGNKEY
        275 => RejectionKind::Check,          // SQLITE_CONSTRAINT_CHECK
        3091 => RejectionKind::TypeRange,     // SQLITE_CONSTRAINT_DATATYPE (STRICT)
        20 => RejectionKind::TypeRange,       // SQLITE_MISMATCH
        18 => RejectionKind::Length,          // SQLITE_TOOBIG
        _ if message.contains("datatype mismatch") => RejectionKind::TypeRange,
        // ON DELETE/UPDATE RESTRICT reports SQLITE_CONSTRAINT_TRIGGER (1811):
        // SQLite runs the action as a trigger.
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

/// The extended result code of a rusqlite error (-1: not an engine
/// error). A statement SQLite could not prepare comes as `SqlInputError`
/// (rusqlite's `modern_sqlite`, which `bundled` turns on), with the code
/// inside.
fn extended_code(e: &rusqlite::Error) -> i32 {
    match e {
        rusqlite::Error::SqliteFailure(f, _) | rusqlite::Error::SqlInputError { error: f, .. } => {
            f.extended_code
        }
        _ => -1,
    }
}

/// The reason for a rusqlite error.
pub(super) fn classify_error(e: &rusqlite::Error) -> RejectionKind {
    classify(extended_code(e), &e.to_string())
}

/// What SQLite said: its extended result code (in decimal; empty when the
/// failure was not SQLite's) and its message — without the statement and
/// offset rusqlite appends to a statement SQLite could not prepare.
pub(super) fn error_fields(e: &rusqlite::Error) -> ErrorFields {
    let code = extended_code(e);
    ErrorFields {
        code: if code < 0 {
            String::new()
        } else {
            code.to_string()
        },
        message: match e {
            rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
            _ => e.to_string(),
        },
        ..ErrorFields::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_codes_translate() {
        assert_eq!(classify(1299, ""), RejectionKind::NotNull);
        assert_eq!(classify(2067, ""), RejectionKind::Unique);
        assert_eq!(classify(1555, ""), RejectionKind::Unique);
        assert_eq!(classify(787, ""), RejectionKind::ForeignKey);
        assert_eq!(classify(275, ""), RejectionKind::Check);
        assert_eq!(classify(1, "syntax error"), RejectionKind::Other);
        assert_eq!(
            classify(19, "FOREIGN KEY constraint failed"),
            RejectionKind::ForeignKey
        );
    }
}
