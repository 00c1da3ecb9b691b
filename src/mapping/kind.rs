//! A PostgreSQL column type as the mapping reads it, from `format_type()`
//! (or a DDL spelling in parity.toml), and [`KINDS`]: one row per type the
//! mapping knows, holding every fact about it that does not depend on the
//! SQLite column it is paired with — its names, its family, its range, the
//! SQLite classes it holds exactly, the CHECK it enforces by itself and the
//! shape text must have in it. A new type is a variant and a row; the rules
//! in the sibling modules read the row.

use schema_parity_strategies::{Domain, Generator};

use super::class::{SqliteClass, base_name};

/// A PostgreSQL column type, from `format_type()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PgKind {
    SmallInt,
    Integer,
    BigInt,
    Boolean,
    Real,
    Double,
    Numeric {
        precision: Option<u32>,
        scale: u32,
    },
    Text,
    Varchar(Option<u64>),
    Char(u64),
    Bytea,
    TimestampTz,
    Timestamp,
    Date,
    /// `time without time zone`: a time of day.
    Time,
    Json,
    Jsonb,
    Uuid,
    /// The `citext` extension's case-insensitive text.
    Citext,
    /// A full-text search document.
    Tsvector,
    /// An array (`text[]`, `integer[]`), with its element type as
    /// `format_type` spells it.
    Array(String),
    Other(String),
}

/// What a PostgreSQL type holds, for the rules that do not depend on its
/// exact width or length (how a value compares, how a literal is spelled,
/// what a probe may write into it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// smallint, integer, bigint.
    Integer,
    Boolean,
    /// real, double precision: binary floats.
    Float,
    /// numeric: decimal digits.
    Decimal,
    /// text, varchar, char, citext.
    Text,
    Bytes,
    /// timestamps and dates.
    Temporal,
    /// json, jsonb.
    Json,
    Uuid,
    Array,
    Other,
}

/// The SQLite CHECK a PostgreSQL type enforces by itself (so PostgreSQL
/// needs no CHECK for it, and a refusal by type is the same reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enforced {
    Nothing,
    /// `CHECK (c IN (0, 1))`, `c >= 0`, `c <= 1`: true/false only.
    Flag,
    /// `CHECK (length(c) <= n)`, when the type has a length (`varchar(n)`,
    /// `char(n)`; a different limit is a type finding of its own).
    Length,
    /// `CHECK (json_valid(c))`: the type's input parser.
    JsonText,
    /// `CHECK (c GLOB '[0-9a-f]…-…')` holding text to canonical lower-case
    /// UUIDs: the type's input parser, and the form it reads back in.
    CanonicalUuid,
}

/// One PostgreSQL type the mapping knows.
pub struct KindRow {
    /// The base names [`pg_kind`] reads: `format_type()`'s spelling first,
    /// then the DDL spellings parity.toml may use.
    pub names: &'static [&'static str],
    /// The kind, from the numbers of its type modifier (`(20)`, `(10,2)`).
    pub make: fn(&[u64]) -> PgKind,
    pub family: Family,
    /// The inclusive range of an integer type.
    pub range: Option<(i64, i64)>,
    /// The SQLite classes it holds exactly, whatever the column's CHECKs
    /// (the pairings that need a CHECK or a name are judged in `types`).
    pub holds: &'static [SqliteClass],
    pub enforces: Enforced,
    /// The shape text written into it must have to read back as written:
    /// a SQLite text column's agreed domain against this type.
    pub text_shape: Option<TextShape>,
    /// The SQLite declared type (its name, upper case) that means exactly
    /// this type: a column so declared pairs with it, and gets it as its
    /// standard PostgreSQL type (DATE ↔ date).
    pub sqlite_name: Option<&'static str>,
}

/// Text a type parses: only values of this shape read back as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextShape {
    /// `YYYY-MM-DD HH:MM:SS`.
    Timestamp,
    /// A JSON document.
    Json,
    Uuid,
    /// `HH:MM:SS`.
    TimeOfDay,
}

impl TextShape {
    /// The values of this shape, as a generation domain.
    pub fn domain(self) -> Domain {
        match self {
            TextShape::Timestamp => Domain::Timestamp,
            TextShape::Json => Domain::Json,
            TextShape::Uuid => Domain::Generated(Generator::Uuid),
            TextShape::TimeOfDay => Domain::Glob("[01][0-9]:[0-5][0-9]:[0-5][0-9]".into()),
        }
    }
}

const fn row(
    names: &'static [&'static str],
    make: fn(&[u64]) -> PgKind,
    family: Family,
) -> KindRow {
    KindRow {
        names,
        make,
        family,
        range: None,
        holds: &[],
        enforces: Enforced::Nothing,
        text_shape: None,
        sqlite_name: None,
    }
}

impl KindRow {
    const fn range(self, lo: i64, hi: i64) -> Self {
        KindRow {
            range: Some((lo, hi)),
            ..self
        }
    }

    const fn holds(self, holds: &'static [SqliteClass]) -> Self {
        KindRow { holds, ..self }
    }

    const fn enforces(self, enforces: Enforced) -> Self {
        KindRow { enforces, ..self }
    }

    const fn text_shape(self, shape: TextShape) -> Self {
        KindRow {
            text_shape: Some(shape),
            ..self
        }
    }

    const fn sqlite_name(self, name: &'static str) -> Self {
        KindRow {
            sqlite_name: Some(name),
            ..self
        }
    }
}

/// The row whose type a SQLite column declared `declared` means exactly
/// ([`KindRow::sqlite_name`]; letter case and a type modifier aside).
pub fn named_by_sqlite(declared: &str) -> Option<&'static KindRow> {
    let base = base_name(declared);
    KINDS.iter().find(|r| r.sqlite_name == Some(base.as_str()))
}

fn first_u32(n: &[u64], at: usize) -> Option<u32> {
    n.get(at).and_then(|p| u32::try_from(*p).ok())
}

/// Every PostgreSQL type the mapping knows, one row each. An array and any
/// other type (an enum, a type the mapping lacks) have none.
pub const KINDS: &[KindRow] = &[
    row(&["smallint", "int2"], |_| PgKind::SmallInt, Family::Integer)
        .range(i16::MIN as i64, i16::MAX as i64),
    row(
        &["integer", "int", "int4", "serial"],
        |_| PgKind::Integer,
        Family::Integer,
    )
    .range(i32::MIN as i64, i32::MAX as i64),
    row(
        &["bigint", "int8", "bigserial"],
        |_| PgKind::BigInt,
        Family::Integer,
    )
    .range(i64::MIN, i64::MAX)
    .holds(&[SqliteClass::Integer]),
    // A declared BOOLEAN is NUMERIC affinity in SQLite: it holds true/false
    // only under a 0/1 CHECK (`types::judge`).
    row(&["boolean", "bool"], |_| PgKind::Boolean, Family::Boolean).enforces(Enforced::Flag),
    row(&["real", "float4"], |_| PgKind::Real, Family::Float),
    row(
        &["double precision", "float8"],
        |_| PgKind::Double,
        Family::Float,
    )
    .holds(&[SqliteClass::Real]),
    row(
        &["numeric", "decimal"],
        |n| PgKind::Numeric {
            precision: first_u32(n, 0),
            scale: first_u32(n, 1).unwrap_or(0),
        },
        Family::Decimal,
    ),
    row(&["text"], |_| PgKind::Text, Family::Text).holds(&[
        SqliteClass::Text,
        SqliteClass::Json,
        SqliteClass::Temporal,
    ]),
    row(
        &["character varying", "varchar"],
        |n| PgKind::Varchar(n.first().copied()),
        Family::Text,
    )
    .enforces(Enforced::Length),
    row(
        &["character", "char", "bpchar"],
        |n| PgKind::Char(n.first().copied().unwrap_or(1)),
        Family::Text,
    )
    .enforces(Enforced::Length),
    row(&["bytea"], |_| PgKind::Bytea, Family::Bytes).holds(&[SqliteClass::Blob]),
    row(
        &["timestamp with time zone", "timestamptz"],
        |_| PgKind::TimestampTz,
        Family::Temporal,
    )
    .holds(&[SqliteClass::Temporal])
    .text_shape(TextShape::Timestamp),
    row(
        &["timestamp without time zone", "timestamp"],
        |_| PgKind::Timestamp,
        Family::Temporal,
    )
    .holds(&[SqliteClass::Temporal])
    .text_shape(TextShape::Timestamp),
    row(&["date"], |_| PgKind::Date, Family::Temporal).sqlite_name("DATE"),
    row(
        &["time without time zone", "time"],
        |_| PgKind::Time,
        Family::Temporal,
    )
    .text_shape(TextShape::TimeOfDay)
    .sqlite_name("TIME"),
    // JSON text pairs with json/jsonb under CHECK (json_valid(col))
    // (`types::judge`): SQLite's declared JSON checks nothing by itself.
    row(&["json"], |_| PgKind::Json, Family::Json)
        .enforces(Enforced::JsonText)
        .text_shape(TextShape::Json),
    row(&["jsonb"], |_| PgKind::Jsonb, Family::Json)
        .enforces(Enforced::JsonText)
        .text_shape(TextShape::Json),
    row(&["uuid"], |_| PgKind::Uuid, Family::Uuid)
        .enforces(Enforced::CanonicalUuid)
        .text_shape(TextShape::Uuid),
    row(&["citext"], |_| PgKind::Citext, Family::Text),
    // A full-text search document: what a SQLite FTS virtual table's
    // index is in PostgreSQL (one finding for the table, `diff`).
    row(&["tsvector"], |_| PgKind::Tsvector, Family::Other),
];

/// The kind of a type as `format_type()` (or DDL) spells it.
pub fn pg_kind(formatted: &str) -> PgKind {
    let t = formatted.to_ascii_lowercase();
    if let Some(element) = t.trim().strip_suffix("[]") {
        return PgKind::Array(element.trim_end_matches("[]").to_string());
    }
    let (base, args) = match t.split_once('(') {
        Some((b, a)) => (b.trim().to_string(), a.trim_end_matches(')').to_string()),
        None => (t.trim().to_string(), String::new()),
    };
    let nums: Vec<u64> = args
        .split(',')
        .filter_map(|x| x.trim().parse().ok())
        .collect();
    KINDS
        .iter()
        .find(|r| r.names.contains(&base.as_str()))
        .map_or(PgKind::Other(t.clone()), |r| (r.make)(&nums))
}

impl PgKind {
    /// This kind's row in [`KINDS`] (none for an array or another type).
    pub fn row(&self) -> Option<&'static KindRow> {
        let me = std::mem::discriminant(self);
        KINDS
            .iter()
            .find(|r| std::mem::discriminant(&(r.make)(&[])) == me)
    }

    pub fn family(&self) -> Family {
        match self {
            PgKind::Array(_) => Family::Array,
            k => k.row().map_or(Family::Other, |r| r.family),
        }
    }

    /// The inclusive range of an integer type.
    pub fn int_range(&self) -> Option<(i64, i64)> {
        self.row().and_then(|r| r.range)
    }

    /// A number type: integer, float or decimal.
    pub fn is_number(&self) -> bool {
        matches!(
            self.family(),
            Family::Integer | Family::Float | Family::Decimal
        )
    }

    /// A type that takes fractions (float or decimal).
    pub fn is_fractional(&self) -> bool {
        matches!(self.family(), Family::Float | Family::Decimal)
    }

    /// Text compared and ordered exactly as written (as SQLite's BINARY
    /// collation does): not citext (letter case ignored), not char(n)
    /// (trailing blanks ignored).
    pub fn is_exact_text(&self) -> bool {
        matches!(self, PgKind::Text | PgKind::Varchar(_))
    }

    /// The length limit of `varchar(n)` / `char(n)`.
    pub fn length(&self) -> Option<u64> {
        match self {
            PgKind::Varchar(n) => *n,
            PgKind::Char(n) => Some(*n),
            _ => None,
        }
    }

    /// The type as `format_type()` spells it (`character varying(20)`).
    pub fn format_type(&self) -> String {
        let name = self.row().and_then(|r| r.names.first()).copied();
        match (self, name) {
            (PgKind::Array(e), _) => format!("{e}[]"),
            (PgKind::Other(t), _) => t.clone(),
            (
                PgKind::Numeric {
                    precision: Some(p),
                    scale,
                },
                Some(n),
            ) => format!("{n}({p},{scale})"),
            (PgKind::Varchar(Some(l)) | PgKind::Char(l), Some(n)) => format!("{n}({l})"),
            (_, Some(n)) => n.to_string(),
            (_, None) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row's names read back as its kind, and its kind spells itself
    /// with the row's first name.
    #[test]
    fn every_row_reads_its_names_and_spells_its_first() {
        for r in KINDS {
            let kind = (r.make)(&[]);
            for name in r.names {
                assert_eq!(
                    std::mem::discriminant(&pg_kind(name)),
                    std::mem::discriminant(&kind),
                    "{name}"
                );
            }
            assert_eq!(kind.row().map(|x| x.names), Some(r.names));
        }
        for (spelled, kind) in [
            ("character varying(20)", PgKind::Varchar(Some(20))),
            ("character varying", PgKind::Varchar(None)),
            ("character(3)", PgKind::Char(3)),
            (
                "numeric(10,2)",
                PgKind::Numeric {
                    precision: Some(10),
                    scale: 2,
                },
            ),
            (
                "numeric",
                PgKind::Numeric {
                    precision: None,
                    scale: 0,
                },
            ),
            ("timestamp with time zone", PgKind::TimestampTz),
            ("time without time zone", PgKind::Time),
            ("text[]", PgKind::Array("text".into())),
            ("order_status", PgKind::Other("order_status".into())),
        ] {
            assert_eq!(pg_kind(spelled), kind, "{spelled}");
            assert_eq!(kind.format_type(), spelled);
        }
        assert_eq!(PgKind::SmallInt.int_range(), Some((-32768, 32767)));
        assert_eq!(PgKind::Text.int_range(), None);
    }
}
