//! The type verdict: whether a PostgreSQL column type holds exactly what
//! SQLite accepts for the column, and the standard PostgreSQL type of a
//! SQLite column.

use std::borrow::Cow;

use super::checks::Bounds;
use super::class::{SqliteClass, base_name, sqlite_class};
use super::kind::{PgKind, named_by_sqlite, pg_kind};
use crate::model::schema::Column;

/// The verdict on one column's type correspondence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeVerdict {
    Equivalent,
    /// Not equivalent: what differs, and the rule that says so.
    Different(TypeDifference),
    /// Equivalent for the values applications write, different at the
    /// edges by the mapping's design (a mapping caveat, severity warning):
    /// what differs, and the fix.
    Caveat {
        /// What differs and its fix, as [`TypeDifference`] says it.
        difference: TypeDifference,
        fix: String,
    },
    /// A pairing no rule covers: what it does is decided by probing both
    /// engines (`mapping::Probed`, from `engine::probe`), never reported
    /// as it stands.
    Unknown,
}

/// One type difference, as the rule that found it says it. Findings of one
/// rule are one pattern (docs/reference.md, "What it checks": groups are keyed by the
/// rule, never by the rendered text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDifference {
    /// The rule that found it: a stable slug, the group key (a probed
    /// pairing's names its two types).
    pub rule: Cow<'static, str>,
    /// What differs, said of this column (it may name the column's own
    /// particulars: VARCHAR(255), NUMERIC(10,2)).
    pub why: String,
    /// What differs, said of every column the rule finds (no particulars).
    pub pattern: String,
    /// This column's particulars, when `why` names any (`VARCHAR(255)`).
    pub detail: Option<String>,
}

impl TypeDifference {
    /// A difference whose sentence is the same for every column.
    pub fn new(rule: impl Into<Cow<'static, str>>, why: impl Into<String>) -> Self {
        let why = why.into();
        TypeDifference {
            rule: rule.into(),
            pattern: why.clone(),
            why,
            detail: None,
        }
    }

    /// A difference whose sentence names the column's particulars
    /// (`detail`); `pattern` says it of every column.
    pub fn with_detail(
        rule: impl Into<Cow<'static, str>>,
        why: impl Into<String>,
        pattern: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        TypeDifference {
            rule: rule.into(),
            why: why.into(),
            pattern: pattern.into(),
            detail: Some(detail.into()),
        }
    }
}

/// The standard PostgreSQL type for a SQLite column (the built-in
/// mapping: a 0/1 flag is BOOLEAN, DATE is date), as `format_type()` spells
/// it: what emit-validate expects and what a column PostgreSQL lacks is
/// generated as.
pub fn standard_pg_type(c: &crate::model::schema::Column, b: &Bounds) -> &'static str {
    let flag = b
        .values
        .as_ref()
        .is_some_and(|v| !v.is_empty() && v.iter().all(|x| x == "0" || x == "1"))
        || (b.min == Some(0) && b.max == Some(1));
    match sqlite_class(&c.declared_type) {
        SqliteClass::Integer if flag => "boolean",
        SqliteClass::Integer => "bigint",
        SqliteClass::Boolean => "boolean",
        SqliteClass::Real => "double precision",
        SqliteClass::Text => "text",
        SqliteClass::Blob => "bytea",
        SqliteClass::Numeric => "numeric",
        SqliteClass::Json => "jsonb",
        // DATE is date, TIME time: the row that names it.
        SqliteClass::Temporal => named_by_sqlite(&c.declared_type)
            .and_then(|r| r.names.first().copied())
            .unwrap_or("timestamp with time zone"),
    }
}

/// Judges whether the PostgreSQL column type holds exactly what SQLite
/// accepts for this column. `declared` is a `[[column]] postgres_type` from
/// parity.toml, which makes the pairing intentional.
pub fn judge(sqlite: &Column, pg: &Column, b: &Bounds, declared: Option<&str>) -> TypeVerdict {
    let class = sqlite_class(&sqlite.declared_type);
    let kind = pg_kind(&pg.declared_type);
    if let Some(d) = declared {
        return if pg_kind(d) == kind {
            TypeVerdict::Equivalent
        } else {
            TypeVerdict::Different(TypeDifference::with_detail(
                "declared-type",
                format!(
                    "parity.toml declares {} but PostgreSQL has {}",
                    d.to_uppercase(),
                    pg.declared_type
                ),
                "PostgreSQL's type is not the one parity.toml declares",
                format!(
                    "declared {}, PostgreSQL {}",
                    d.to_uppercase(),
                    pg.declared_type
                ),
            ))
        };
    }
    // The pairings the PostgreSQL type's row says it holds, whatever the
    // CHECKs (BIGINT holds INTEGER, TEXT holds TEXT, BYTEA holds BLOB…).
    if kind.row().is_some_and(|r| r.holds.contains(&class)) {
        return TypeVerdict::Equivalent;
    }
    let p = Pairing {
        sqlite,
        pg,
        b,
        class,
        kind,
        pair: format!(
            "SQLite {}, PostgreSQL {}",
            sqlite_or_untyped(sqlite),
            pg.declared_type
        ),
        sq: sqlite_or_untyped(sqlite),
    };
    // The arms, in order: numbers and flags first, then text, JSON, UUID,
    // BLOB, temporal and array pairings. Any other pairing: probed on both
    // engines (`mapping::Probed`).
    numbers(&p)
        .or_else(|| texts(&p))
        .or_else(|| others(&p))
        .unwrap_or(TypeVerdict::Unknown)
}

/// The SQLite declared type as a sentence names it.
fn sqlite_or_untyped(sqlite: &Column) -> String {
    if sqlite.declared_type.is_empty() {
        "no declared type".to_string()
    } else {
        sqlite.declared_type.clone()
    }
}

/// One pairing `judge` decides by its arms.
struct Pairing<'a> {
    sqlite: &'a Column,
    pg: &'a Column,
    b: &'a Bounds,
    class: SqliteClass,
    kind: PgKind,
    /// SQLite's declared type, as a sentence names it.
    sq: String,
    /// Both declared types: the detail of a difference.
    pair: String,
}

impl Pairing<'_> {
    /// One rule, said of this column (naming both declared types) and of
    /// every column it finds.
    fn diff(&self, rule: &'static str, why: &str) -> TypeVerdict {
        TypeVerdict::Different(TypeDifference::with_detail(
            rule,
            format!(
                "SQLite {} {why}, PostgreSQL {}",
                self.sq, self.pg.declared_type
            ),
            why.to_string(),
            self.pair.clone(),
        ))
    }
}

fn is_01(b: &Bounds) -> bool {
    b.values
        .as_ref()
        .is_some_and(|v| v.iter().all(|x| x == "0" || x == "1"))
        || (b.min == Some(0) && b.max == Some(1))
}

/// The arms for integers of each width, flags and numerics; `None` when no arm covers the pairing.
fn numbers(p: &Pairing) -> Option<TypeVerdict> {
    let (sqlite, pg, b, class, kind, sq, pair) =
        (p.sqlite, p.pg, p.b, p.class, &p.kind, &p.sq, &p.pair);
    let diff = |rule: &'static str, why: &str| p.diff(rule, why);
    Some(match (class, kind) {
        (SqliteClass::Integer, PgKind::Integer | PgKind::SmallInt) => {
            let (lo, hi) = kind.int_range().unwrap_or((0, 0));
            let fits = b.min.is_some_and(|m| m >= i128::from(lo))
                && b.max.is_some_and(|m| m <= i128::from(hi));
            let fits_set = b.values.as_ref().is_some_and(|v| {
                v.iter().all(|x| {
                    x.parse::<i128>()
                        .is_ok_and(|n| n >= lo.into() && n <= hi.into())
                })
            });
            if fits || fits_set {
                TypeVerdict::Equivalent
            } else {
                // INT, BIGINT, SMALLINT … all have INTEGER affinity in
                // SQLite: one pattern per PostgreSQL width, whatever the
                // declared spelling.
                let why = format!(
                    "SQLite INTEGER stores any 64-bit integer but the PostgreSQL type holds only {lo}..={hi}"
                );
                TypeVerdict::Different(TypeDifference::with_detail(
                    if hi == i64::from(i16::MAX) {
                        "integer-narrower-16"
                    } else {
                        "integer-narrower-32"
                    },
                    format!("{why}, PostgreSQL {}", pg.declared_type),
                    why,
                    pair.clone(),
                ))
            }
        }
        // A flag: INTEGER, or a declared BOOLEAN/BOOL (NUMERIC affinity,
        // https://sqlite.org/datatype3.html#affinity_name_examples), holds
        // true/false only under a CHECK keeping it to 0/1. Without one
        // SQLite also stores 2, -1, or text that is no number ('yes', 'true'
        // stay text), which PostgreSQL refuses (2) or reads as a boolean.
        (SqliteClass::Integer | SqliteClass::Numeric | SqliteClass::Boolean, PgKind::Boolean)
            if is_01(b) =>
        {
            TypeVerdict::Equivalent
        }
        (SqliteClass::Integer | SqliteClass::Numeric | SqliteClass::Boolean, PgKind::Boolean) => {
            TypeVerdict::Caveat {
                difference: TypeDifference::with_detail(
                    "flag-unchecked",
                    format!(
                        "SQLite {sq} is a 0/1 flag without CHECK ({c} IN (0, 1)), so SQLite also stores 2, -1 or text such as 'yes', which PostgreSQL {} refuses (2) or reads back as true/false ('yes')",
                        pg.declared_type,
                        c = sqlite.name
                    ),
                    "a SQLite 0/1 flag without a CHECK (column IN (0, 1)) also stores 2, -1 or text such as 'yes', which PostgreSQL BOOLEAN refuses (2) or reads back as true/false ('yes')",
                    pair.clone(),
                ),
                fix: "add CHECK (column IN (0, 1)) on the SQLite side".into(),
            }
        }
        (
            SqliteClass::Integer,
            PgKind::Numeric {
                precision: None, ..
            },
        ) => TypeVerdict::Equivalent,
        // numeric(p, s) holds integers of up to p - s digits exactly.
        (
            SqliteClass::Integer,
            PgKind::Numeric {
                precision: Some(p),
                scale,
            },
        ) => {
            let digits = p.saturating_sub(*scale);
            let limit = 10i128.checked_pow(digits).map_or(i128::MAX, |l| l - 1);
            let fits = b.min.is_some_and(|m| m >= -limit) && b.max.is_some_and(|m| m <= limit);
            let fits_set = b.values.as_ref().is_some_and(|v| {
                v.iter()
                    .all(|x| x.parse::<i128>().is_ok_and(|n| n.abs() <= limit))
            });
            if fits || fits_set {
                TypeVerdict::Equivalent
            } else {
                TypeVerdict::Different(TypeDifference::with_detail(
                    "integer-numeric-digits",
                    format!(
                        "SQLite {sq} stores any 64-bit integer but NUMERIC({p},{scale}) holds only {digits} digits before the point, PostgreSQL {}",
                        pg.declared_type
                    ),
                    "SQLite stores any 64-bit integer but a NUMERIC with a precision holds fewer digits before the point",
                    pair.clone(),
                ))
            }
        }
        (SqliteClass::Real, PgKind::Real) => diff(
            "real-float4",
            "keeps 64-bit floats but REAL rounds to 32 bits",
        ),
        (SqliteClass::Real, PgKind::Numeric { precision, .. }) => diff(
            if precision.is_some() {
                "real-numeric-typmod"
            } else {
                "real-numeric"
            },
            if precision.is_some() {
                "keeps binary floats (0.125 stays 0.125) but a NUMERIC with a precision rounds to its decimal digits and rejects larger values"
            } else {
                "keeps binary floats (0.125 stays 0.125) but NUMERIC rounds to decimal digits"
            },
        ),
        (
            SqliteClass::Numeric,
            PgKind::Numeric {
                precision: None, ..
            },
        ) => TypeVerdict::Equivalent,
        (SqliteClass::Numeric, PgKind::Numeric { .. }) => diff(
            "numeric-typmod",
            "keeps any number but the NUMERIC typmod rounds or rejects",
        ),
        _ => return None,
    })
}

/// The arms for text, citext, VARCHAR, CHAR and JSON pairings; `None`
/// when no arm covers the pairing.
fn texts(p: &Pairing) -> Option<TypeVerdict> {
    let (sqlite, pg, b, class, kind, sq, pair) =
        (p.sqlite, p.pg, p.b, p.class, &p.kind, &p.sq, &p.pair);
    let diff = |rule: &'static str, why: &str| p.diff(rule, why);
    Some(match (class, kind) {
        // citext compares ignoring letter case, as COLLATE NOCASE does.
        (SqliteClass::Text, PgKind::Citext) if sqlite.nocase() => TypeVerdict::Equivalent,
        (SqliteClass::Text, PgKind::Citext) => diff(
            "text-citext",
            "compares letter case exactly (no COLLATE NOCASE) but citext ignores it, so equality and uniqueness differ",
        ),
        (SqliteClass::Text, PgKind::Varchar(None)) => TypeVerdict::Equivalent,
        (SqliteClass::Text, PgKind::Varchar(Some(n))) => match b.max_length {
            Some(m) if m <= *n => TypeVerdict::Equivalent,
            Some(m) => TypeVerdict::Different(TypeDifference::with_detail(
                "text-varchar-shorter-check",
                format!(
                    "SQLite {sq} accepts up to {m} characters (CHECK length) but VARCHAR holds {n}, PostgreSQL {}",
                    pg.declared_type
                ),
                "SQLite's CHECK on the length allows longer text than PostgreSQL's VARCHAR holds",
                format!("SQLite up to {m}, PostgreSQL VARCHAR({n})"),
            )),
            None => TypeVerdict::Different(TypeDifference::with_detail(
                "text-varchar-length",
                format!(
                    "SQLite {sq} accepts text of any length but VARCHAR({n}) rejects longer values, PostgreSQL {}",
                    pg.declared_type
                ),
                "PostgreSQL enforces a declared VARCHAR length that SQLite does not: longer text is stored by SQLite and rejected by PostgreSQL",
                format!("VARCHAR({n})"),
            )),
        },
        // CHAR(n) blank-pads shorter text (and reads it back padded) and
        // ignores trailing blanks when comparing: text that is always
        // exactly n characters long is stored and compared alike.
        (SqliteClass::Text, PgKind::Char(n)) if b.fixed_length == Some(*n) => {
            TypeVerdict::Equivalent
        }
        (SqliteClass::Text, PgKind::Char(n)) => {
            TypeVerdict::Different(TypeDifference::with_detail(
                "text-char-padded",
                format!(
                    "SQLite {sq} keeps text as given but CHAR({n}) pads shorter values with blanks (read back padded; trailing blanks ignored in comparisons) and rejects longer ones, PostgreSQL {}",
                    pg.declared_type
                ),
                "SQLite keeps text as given but PostgreSQL CHAR pads shorter values with blanks (read back padded; trailing blanks ignored in comparisons) and rejects longer ones",
                format!("CHAR({n})"),
            ))
        }
        // JSON text ↔ json/jsonb, decided by SQLite's CHECK (json_valid(col)),
        // whatever the column is called. json keeps the text as written
        // (whitespace, key order, duplicate keys): what json_valid lets in
        // reads back byte for byte.
        (SqliteClass::Text | SqliteClass::Json, PgKind::Json) if b.json_valid => {
            TypeVerdict::Equivalent
        }
        // jsonb stores the parsed document: it reads back another text
        // ('{"b": 1, "a": 2}' as '{"a": 2, "b": 1}', a duplicate key once,
        // the last, where SQLite's json_extract reads the first). The same
        // documents are accepted, so a caveat: applications that parse what
        // they read never see it; those that compare or sign the text do.
        (SqliteClass::Text | SqliteClass::Json, PgKind::Jsonb) if b.json_valid => {
            TypeVerdict::Caveat {
                difference: TypeDifference::with_detail(
                    "json-text-jsonb",
                    format!(
                        "SQLite {sq} with CHECK (json_valid({c})) keeps JSON text as written but PostgreSQL {} reads it back normalised (whitespace and key order rewritten, a duplicate key kept once: the last, where SQLite's json_extract reads the first)",
                        pg.declared_type,
                        c = sqlite.name
                    ),
                    "SQLite keeps JSON text as written but PostgreSQL jsonb reads it back normalised (whitespace and key order rewritten, a duplicate key kept once: the last, where SQLite's json_extract reads the first)",
                    pair.clone(),
                ),
                fix: "json on the PostgreSQL side keeps the text as written; with jsonb, compare parsed documents, never the text".into(),
            }
        }
        // Without the CHECK SQLite stores any text; PostgreSQL's input
        // parser refuses what is not JSON.
        (SqliteClass::Text | SqliteClass::Json, PgKind::Json | PgKind::Jsonb) => {
            let (rule, also) = if *kind == PgKind::Jsonb {
                (
                    "text-jsonb-unchecked",
                    " (and reads what it takes back normalised: whitespace, key order, duplicate keys)",
                )
            } else {
                ("text-json-unchecked", "")
            };
            TypeVerdict::Different(TypeDifference::with_detail(
                rule,
                format!(
                    "SQLite {sq} without CHECK (json_valid({c})) stores any text but PostgreSQL {pg} refuses text that is not JSON ('{{a:1}}', 'yes'){also}",
                    c = sqlite.name,
                    pg = pg.declared_type
                ),
                format!(
                    "SQLite stores any text where there is no CHECK (json_valid(column)) but PostgreSQL {} refuses text that is not JSON ('{{a:1}}', 'yes'){also} (fix: add the CHECK on the SQLite side)",
                    kind.format_type()
                ),
                pair.clone(),
            ))
        }
        _ => return None,
    })
}

/// The arms for UUID, untyped, temporal, array and NUMERIC-affinity byte
/// pairings; `None` when no arm covers the pairing.
fn others(p: &Pairing) -> Option<TypeVerdict> {
    let (sqlite, pg, b, class, kind, sq, pair) =
        (p.sqlite, p.pg, p.b, p.class, &p.kind, &p.sq, &p.pair);
    let diff = |rule: &'static str, why: &str| p.diff(rule, why);
    Some(match (class, kind) {
        // A UUID kept as text (TEXT, CHAR(36), VARCHAR(36)) or in a column
        // declared UUID (NUMERIC affinity: text stays text unless it reads
        // as a number): PostgreSQL's uuid refuses what is not a UUID and
        // reads every UUID back in one form, lower-case 8-4-4-4-12 (from
        // upper case, braces or no hyphens alike), where SQLite keeps the
        // text as written. A GLOB holding the column to that one form makes
        // the two store and read back alike: every value SQLite then takes
        // reads back unchanged. (PostgreSQL still takes the other spellings
        // the GLOB refuses: that is the CHECK's own finding, unless
        // PostgreSQL has the same CHECK.)
        (SqliteClass::Text | SqliteClass::Numeric, PgKind::Uuid)
            if class == SqliteClass::Text || base_name(&sqlite.declared_type) == "UUID" =>
        {
            if b.canonical_uuid {
                TypeVerdict::Equivalent
            } else {
                TypeVerdict::Different(TypeDifference::with_detail(
                    "text-uuid",
                    format!(
                        "SQLite {sq} keeps any text as written but PostgreSQL {} refuses text that is not a UUID and reads every UUID back in lower case, hyphenated ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' and '{{a0eebc999c0b4ef8bb6d6bb9bd380a11}}' both as 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')",
                        pg.declared_type
                    ),
                    "SQLite keeps any text as written but PostgreSQL uuid refuses text that is not a UUID and reads every UUID back in lower case, hyphenated ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' and '{a0eebc999c0b4ef8bb6d6bb9bd380a11}' both as 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11') (fix: a CHECK (column GLOB …) holding SQLite to lower-case hyphenated UUIDs)",
                    format!("SQLite {sq}"),
                ))
            }
        }
        // No declared type (BLOB affinity): SQLite keeps each value as
        // written and reads back its type (12 the integer, X'00ff' bytes);
        // PostgreSQL's text turns every value into text ('12', '\x00ff').
        (SqliteClass::Blob, PgKind::Text | PgKind::Varchar(None))
            if sqlite.declared_type.is_empty() =>
        {
            TypeVerdict::Different(TypeDifference::with_detail(
                "untyped-text",
                format!(
                    "SQLite's column has no declared type, so it keeps integers, reals and blobs as written and reads them back as such (12 as the integer 12, X'00ff' as bytes), but PostgreSQL {} turns them into text ('12', '\\x00ff')",
                    pg.declared_type
                ),
                "a SQLite column with no declared type keeps integers, reals and blobs as written and reads them back as such (12 as the integer 12, X'00ff' as bytes), but PostgreSQL text turns them into text ('12', '\\x00ff') (fix: declare the SQLite column TEXT)",
                pair.clone(),
            ))
        }
        // DATE ↔ date, TIME ↔ time: the type the SQLite name means
        // exactly (a row's `sqlite_name`).
        (SqliteClass::Temporal, k)
            if named_by_sqlite(&sqlite.declared_type)
                .is_some_and(|r| k.row().is_some_and(|kr| std::ptr::eq(r, kr))) =>
        {
            TypeVerdict::Equivalent
        }
        // A list kept as JSON text in SQLite ('["a","b"]') is an array
        // literal in PostgreSQL ('{a,b}'): the same list is written and read
        // in another syntax, and JSON text is no valid array input.
        (SqliteClass::Text | SqliteClass::Json, PgKind::Array(_)) => diff(
            "text-array",
            "holds text (a list as JSON, '[\"a\",\"b\"]') but the PostgreSQL column is an array, written and read as '{a,b}' (fix: json or jsonb on the PostgreSQL side with CHECK (json_valid(column)) on the SQLite side, or one row per element)",
        ),
        // Enum ↔ TEXT + CHECK (col IN (…)): the value sets are compared as
        // checks (`diff`), not as types.
        (SqliteClass::Text, _) if pg.enum_labels.is_some() => {
            if b.values
                .as_ref()
                .is_some_and(|v| v.iter().all(|x| x.starts_with('\'')))
            {
                TypeVerdict::Equivalent
            } else {
                let labels = enum_literals(pg.enum_labels.as_deref().unwrap_or_default());
                let labels = labels.into_iter().collect::<Vec<_>>().join(", ");
                TypeVerdict::Different(TypeDifference::with_detail(
                    "text-enum",
                    format!(
                        "SQLite {sq} accepts any text but the enum takes only {labels}, PostgreSQL {}",
                        pg.declared_type
                    ),
                    "SQLite accepts any text but the PostgreSQL enum takes only its labels",
                    format!("{}: {labels}", pg.declared_type),
                ))
            }
        }
        // A declared BYTEA (or another name without a known affinity) has
        // NUMERIC affinity: bytes stay bytes, but text that reads as a
        // number is stored as that number. https://sqlite.org/datatype3.html
        (SqliteClass::Numeric, PgKind::Bytea) => TypeVerdict::Caveat {
            difference: TypeDifference::with_detail(
                "numeric-affinity-bytea",
                format!(
                    "SQLite {sq} has NUMERIC affinity: bytes are stored as written, but a text value that reads as a number (e.g. '12') is stored as that number, where PostgreSQL {} keeps bytes",
                    pg.declared_type
                ),
                "a SQLite column whose declared type has NUMERIC affinity stores text that reads as a number (e.g. '12') as that number, where PostgreSQL BYTEA keeps bytes",
                pair.clone(),
            ),
            fix: "declare the SQLite column BLOB".into(),
        },
        // Any other pairing: probed on both engines (`mapping::Probed`).
        _ => return None,
    })
}

/// An enum's labels as the canonical SQL literals CHECK atoms hold (`'a'`).
pub fn enum_literals(labels: &[String]) -> std::collections::BTreeSet<String> {
    labels
        .iter()
        .map(|l| crate::sql::text::quote_literal(l))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::{bounds, same_value};
    use crate::model::schema::Value;

    fn col(name: &str, declared_type: &str) -> Column {
        Column::typed(name, declared_type)
    }

    #[test]
    fn temporal_columns_pair_by_their_declared_name() {
        let none = Bounds::default();
        for (sqlite, pg, verdict) in [
            ("TIME", "time without time zone", true),
            ("DATETIME", "time without time zone", false),
            ("TIME", "timestamp with time zone", true),
            ("DATE", "date", true),
            // SQLite type names ignore letter case.
            ("date", "date", true),
            ("DATETIME", "date", false),
        ] {
            assert_eq!(
                judge(&col("t", sqlite), &col("t", pg), &none, None) == TypeVerdict::Equivalent,
                verdict,
                "{sqlite} ↔ {pg}"
            );
        }
        assert_eq!(
            standard_pg_type(&col("t", "TIME"), &none),
            "time without time zone"
        );
        assert_eq!(
            standard_pg_type(&col("t", "TIMESTAMP"), &none),
            "timestamp with time zone"
        );
    }

    #[test]
    fn integer_width_needs_bounds() {
        let s = col("n", "INTEGER");
        let none = Bounds::default();
        assert_eq!(
            judge(&s, &col("n", "bigint"), &none, None),
            TypeVerdict::Equivalent
        );
        assert!(matches!(
            judge(&s, &col("n", "integer"), &none, None),
            TypeVerdict::Different(_)
        ));
        let small = Bounds {
            min: Some(0),
            max: Some(100),
            ..Bounds::default()
        };
        assert_eq!(
            judge(&s, &col("n", "smallint"), &small, None),
            TypeVerdict::Equivalent
        );
    }

    #[test]
    fn flags_need_a_zero_one_check() {
        let s = col("f", "INTEGER");
        let flag = Bounds {
            values: Some(vec!["0".into(), "1".into()]),
            ..Bounds::default()
        };
        assert_eq!(
            judge(&s, &col("f", "boolean"), &flag, None),
            TypeVerdict::Equivalent
        );
        // Without the CHECK it is a mapping caveat (a warning with its fix).
        assert!(matches!(
            judge(&s, &col("f", "boolean"), &Bounds::default(), None),
            TypeVerdict::Caveat { .. }
        ));
    }

    #[test]
    fn varchar_length_against_check() {
        let s = col("t", "TEXT");
        let b = Bounds {
            max_length: Some(20),
            ..Bounds::default()
        };
        assert_eq!(
            judge(&s, &col("t", "character varying(20)"), &b, None),
            TypeVerdict::Equivalent
        );
        assert!(matches!(
            judge(&s, &col("t", "character varying(10)"), &b, None),
            TypeVerdict::Different(_)
        ));
        assert!(matches!(
            judge(
                &s,
                &col("t", "character varying(10)"),
                &Bounds::default(),
                None
            ),
            TypeVerdict::Different(_)
        ));
    }

    #[test]
    fn enum_column_against_text_with_and_without_check_in() {
        let mut e = col("status", "ORDER_STATUS");
        e.enum_labels = Some(vec!["pending".into(), "it's".into()]);
        let s = col("status", "TEXT");
        // With CHECK IN, the sets are compared as checks (diff), not types.
        let atoms = crate::sql::expr::check_atoms(
            "status IN ('pending', 'other')",
            crate::model::Engine::Sqlite,
        );
        assert_eq!(
            judge(&s, &e, &bounds("status", &atoms), None),
            TypeVerdict::Equivalent
        );
        let TypeVerdict::Different(TypeDifference { why, .. }) =
            judge(&s, &e, &Bounds::default(), None)
        else {
            panic!("TEXT without CHECK against an enum is a type difference");
        };
        assert!(why.contains("'it''s', 'pending'"), "{why}");
        assert_eq!(
            enum_literals(&["a".into(), "it's".into()])
                .into_iter()
                .collect::<Vec<_>>(),
            ["'a'", "'it''s'"]
        );
    }

    #[test]
    fn enum_and_fixed_glob_checks_bound_the_length() {
        let s = col("t", "TEXT");
        let atoms = crate::sql::expr::check_atoms(
            "t IN ('hour', 'month') AND t GLOB '[a-z]*'",
            crate::model::Engine::Sqlite,
        );
        let b = bounds("t", &atoms);
        assert_eq!(b.max_length, Some(5));
        assert_eq!(
            judge(&s, &col("t", "character varying(8)"), &b, None),
            TypeVerdict::Equivalent
        );
        let g = crate::sql::expr::check_atoms(
            "t GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'",
            crate::model::Engine::Sqlite,
        );
        assert_eq!(bounds("t", &g).max_length, Some(7));
        assert_eq!(pg_kind("TIMESTAMPTZ"), PgKind::TimestampTz);
        assert_eq!(pg_kind("VARCHAR(20)"), PgKind::Varchar(Some(20)));
    }

    #[test]
    fn char_numeric_and_array_pairings() {
        let text = col("code", "TEXT");
        let glob = crate::sql::expr::check_atoms(
            "code GLOB '[A-Z][A-Z][A-Z]'",
            crate::model::Engine::Sqlite,
        );
        let fixed = bounds("code", &glob);
        assert_eq!(fixed.fixed_length, Some(3));
        assert_eq!(
            judge(&text, &col("code", "character(3)"), &fixed, None),
            TypeVerdict::Equivalent
        );
        let at_most = Bounds {
            max_length: Some(3),
            ..Bounds::default()
        };
        assert!(matches!(
            judge(&text, &col("code", "character(3)"), &at_most, None),
            TypeVerdict::Different(_)
        ));
        // CHAR(n) reads back padded: 'ab' is not 'ab '.
        assert!(!same_value(
            &Value::Text("ab".into()),
            &Value::Text("ab ".into()),
            &PgKind::Char(3)
        ));
        let n = col("qty", "INTEGER");
        let three_digits = Bounds {
            min: Some(-999),
            max: Some(999),
            ..Bounds::default()
        };
        assert_eq!(
            judge(&n, &col("qty", "numeric(3,0)"), &three_digits, None),
            TypeVerdict::Equivalent
        );
        assert!(matches!(
            judge(&n, &col("qty", "numeric(5,3)"), &three_digits, None),
            TypeVerdict::Different(_)
        ));
        assert_eq!(pg_kind("text[]"), PgKind::Array("text".into()));
        assert_eq!(pg_kind("integer[][]"), PgKind::Array("integer".into()));
        assert!(matches!(
            judge(&text, &col("tags", "text[]"), &Bounds::default(), None),
            TypeVerdict::Different(_)
        ));
    }
}
