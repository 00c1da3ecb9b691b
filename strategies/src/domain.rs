//! What a column may hold, as far as generation is concerned.

use crate::generator::Generator;

/// A literal value, engine-neutral.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// The set of values a column accepts on the SQLite side.
#[derive(Debug, Clone, PartialEq)]
pub enum Domain {
    /// Integers in `min..=max`.
    Integer {
        min: i64,
        max: i64,
    },
    /// 0 or 1 (a boolean flag).
    Flag,
    /// Floats, optionally bounded; unbounded domains include NaN and ±inf.
    Real {
        min: Option<f64>,
        max: Option<f64>,
    },
    /// Text of `min_chars..=max_chars` characters (None: long strings too);
    /// `nul` allows NUL characters.
    Text {
        min_chars: usize,
        max_chars: Option<usize>,
        nul: bool,
    },
    Blob {
        min_len: usize,
        max_len: usize,
    },
    /// Exactly one of these values.
    OneOf(Vec<Lit>),
    /// Text matching a SQLite GLOB pattern.
    Glob(String),
    /// `YYYY-MM-DD HH:MM:SS` text.
    Timestamp,
    /// A JSON document as text.
    Json,
    /// Only the values of a realistic generator (a PostgreSQL `uuid`
    /// column's agreed domain: uuids).
    Generated(Generator),
}
