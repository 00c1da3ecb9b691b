//! The catalogue of inherent engine differences: behaviour no schema on
//! either side can remove. A case explained by one of these is not a
//! finding; each quirk seen in a run is reported once, accepted, with its
//! reason and a witness — never silently.

/// One inherent difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quirk {
    pub id: &'static str,
    pub reason: &'static str,
}

pub const NAN_IS_NULL: Quirk = Quirk {
    id: "sqlite-nan-is-null",
    reason: "SQLite stores a NaN float as NULL, PostgreSQL keeps NaN (https://sqlite.org/floatingpoint.html); no column definition changes either",
};
pub const NUL_IN_TEXT: Quirk = Quirk {
    id: "postgres-rejects-nul-in-text",
    reason: "PostgreSQL text cannot contain the NUL character (U+0000); SQLite stores it. Use BYTEA on both sides for such data",
};
pub const NOCASE_ASCII_ONLY: Quirk = Quirk {
    id: "sqlite-nocase-is-ascii-only",
    reason: "SQLite's NOCASE folds only ASCII letters while PostgreSQL lower() folds all of Unicode, so non-ASCII case pairs collide only on PostgreSQL",
};
pub const VARCHAR_NOT_ENFORCED: Quirk = Quirk {
    id: "sqlite-ignores-varchar-length",
    reason: "SQLite ignores the length in VARCHAR(n) (https://sqlite.org/datatype3.html); PostgreSQL enforces it. Add CHECK (length(x) <= n) on SQLite to make both agree",
};
pub const FLOAT_UNDERFLOW: Quirk = Quirk {
    id: "postgres-float-subnormal-range",
    reason: "PostgreSQL rejects or rounds float input in the subnormal range that SQLite stores exactly",
};

pub const INTEGER_OVERFLOW: Quirk = Quirk {
    id: "postgres-errors-on-integer-overflow",
    reason: "arithmetic that overflows 64 bits (e.g. a CHECK summing two BIGINT columns) is an error in PostgreSQL but silently becomes a float in SQLite (https://sqlite.org/datatype3.html)",
};

/// Every quirk the tool knows.
pub const QUIRKS: [Quirk; 6] = [
    NAN_IS_NULL,
    NUL_IN_TEXT,
    NOCASE_ASCII_ONLY,
    VARCHAR_NOT_ENFORCED,
    FLOAT_UNDERFLOW,
    INTEGER_OVERFLOW,
];
