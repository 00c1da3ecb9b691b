//! Type mappings: which PostgreSQL type a SQLite column may have, and how a
//! value read from each side compares under that mapping (1 ↔ true, ISO text
//! ↔ timestamptz instant, REAL ↔ float4 rounding…). The built-in defaults
//! cover the usual SQLite→PostgreSQL conventions so a run needs no config.

use crate::expr::Atom;
use crate::schema::{Column, Value};

/// What SQLite will store in a column, from its declared type
/// (affinity rules: <https://sqlite.org/datatype3.html#determination_of_column_affinity>,
/// refined by the conventional type names that imply a meaning).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteClass {
    Integer,
    Real,
    Text,
    Blob,
    Numeric,
    Boolean,
    Temporal,
    Json,
}

pub fn sqlite_class(declared: &str) -> SqliteClass {
    let t = declared.to_ascii_uppercase();
    let base = t.split('(').next().unwrap_or("").trim();
    match base {
        "BOOLEAN" | "BOOL" => return SqliteClass::Boolean,
        "DATETIME" | "TIMESTAMP" | "TIMESTAMPTZ" | "DATE" | "TIME" => {
            return SqliteClass::Temporal;
        }
        "JSON" | "JSONB" => return SqliteClass::Json,
        _ => {}
    }
    if t.contains("INT") {
        SqliteClass::Integer
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        SqliteClass::Text
    } else if t.contains("BLOB") || t.is_empty() {
        SqliteClass::Blob
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        SqliteClass::Real
    } else {
        SqliteClass::Numeric
    }
}

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
    Json,
    Jsonb,
    Uuid,
    /// The `citext` extension's case-insensitive text.
    Citext,
    /// An array (`text[]`, `integer[]`), with its element type as
    /// `format_type` spells it.
    Array(String),
    Other(String),
}

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
    // Accept DDL spellings too (parity.toml `postgres_type = "TIMESTAMPTZ"`).
    match base.as_str() {
        "smallint" | "int2" => PgKind::SmallInt,
        "integer" | "int" | "int4" | "serial" => PgKind::Integer,
        "bigint" | "int8" | "bigserial" => PgKind::BigInt,
        "boolean" | "bool" => PgKind::Boolean,
        "real" | "float4" => PgKind::Real,
        "double precision" | "float8" => PgKind::Double,
        "numeric" | "decimal" => PgKind::Numeric {
            precision: nums.first().and_then(|p| u32::try_from(*p).ok()),
            scale: nums
                .get(1)
                .and_then(|s| u32::try_from(*s).ok())
                .unwrap_or(0),
        },
        "text" => PgKind::Text,
        "character varying" | "varchar" => PgKind::Varchar(nums.first().copied()),
        "character" | "char" | "bpchar" => PgKind::Char(nums.first().copied().unwrap_or(1)),
        "bytea" => PgKind::Bytea,
        "timestamp with time zone" | "timestamptz" => PgKind::TimestampTz,
        "timestamp without time zone" | "timestamp" => PgKind::Timestamp,
        "date" => PgKind::Date,
        "json" => PgKind::Json,
        "jsonb" => PgKind::Jsonb,
        "uuid" => PgKind::Uuid,
        "citext" => PgKind::Citext,
        _ => PgKind::Other(t),
    }
}

impl PgKind {
    /// The inclusive range of an integer type.
    pub fn int_range(&self) -> Option<(i64, i64)> {
        match self {
            PgKind::SmallInt => Some((i16::MIN.into(), i16::MAX.into())),
            PgKind::Integer => Some((i32::MIN.into(), i32::MAX.into())),
            PgKind::BigInt => Some((i64::MIN, i64::MAX)),
            _ => None,
        }
    }
}

/// The verdict on one column's type correspondence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeVerdict {
    Equivalent,
    /// Not equivalent; the sentence says what differs.
    Different(String),
    /// Equivalent for the values applications write, different at the
    /// edges by the mapping's design (a mapping caveat, severity warning):
    /// what differs, and the fix.
    Caveat {
        why: String,
        fix: String,
    },
}

/// What the SQLite side's CHECKs bound for a column.
#[derive(Debug, Clone, Default)]
pub struct Bounds {
    pub min: Option<i128>,
    pub max: Option<i128>,
    pub max_length: Option<u64>,
    pub min_length: Option<u64>,
    pub values: Option<Vec<String>>,
    /// Every accepted value has exactly this many characters (a GLOB of
    /// single characters, or equal length bounds).
    pub fixed_length: Option<u64>,
}

pub fn bounds(column: &str, atoms: &[Atom]) -> Bounds {
    let mut b = Bounds::default();
    for a in atoms {
        match a {
            Atom::Compare {
                column: c,
                op,
                value,
            } if c == column => {
                let Ok(v) = value.parse::<i128>() else {
                    continue;
                };
                match op.as_str() {
                    ">=" => b.min = Some(b.min.map_or(v, |m| m.max(v))),
                    ">" => b.min = Some(b.min.map_or(v + 1, |m| m.max(v + 1))),
                    "<=" => b.max = Some(b.max.map_or(v, |m| m.min(v))),
                    "<" => b.max = Some(b.max.map_or(v - 1, |m| m.min(v - 1))),
                    _ => {}
                }
            }
            Atom::MinLength { column: c, min } if c == column => {
                b.min_length = Some(b.min_length.map_or(*min, |m| m.max(*min)));
            }
            Atom::MaxLength { column: c, max } if c == column => {
                b.max_length = Some(b.max_length.map_or(*max, |m| m.min(*max)));
            }
            Atom::InSet {
                column: c,
                values,
                negated: false,
            } if c == column => {
                b.values = Some(values.iter().cloned().collect());
                // Only these strings: none longer than the longest.
                let longest = values
                    .iter()
                    .filter_map(|v| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                    .map(|v| {
                        u64::try_from(v.replace("''", "'").chars().count()).unwrap_or(u64::MAX)
                    })
                    .max();
                if let Some(l) = longest.filter(|_| values.iter().all(|v| v.starts_with('\''))) {
                    b.max_length = Some(b.max_length.map_or(l, |m| m.min(l)));
                }
            }
            Atom::Pattern {
                column: c,
                regex,
                negated: false,
            } if c == column => {
                // A GLOB without `*` matches strings of one length.
                if let Some(l) = fixed_regex_length(regex) {
                    b.max_length = Some(b.max_length.map_or(l, |m| m.min(l)));
                    b.fixed_length = Some(l);
                }
            }
            _ => {}
        }
    }
    if b.fixed_length.is_none() && b.min_length.is_some() && b.min_length == b.max_length {
        b.fixed_length = b.min_length;
    }
    b
}

/// The length of every string an anchored regex of single characters and
/// bracket classes matches, if it has one (no `.*`, `+`, `?`, `{}`, `|`).
fn fixed_regex_length(re: &str) -> Option<u64> {
    let body = re.strip_prefix('^')?.strip_suffix('$')?;
    let mut n = 0u64;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' => {
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                }
            }
            '\\' => {
                chars.next();
            }
            '*' | '+' | '?' | '{' | '|' | '(' => return None,
            _ => {}
        }
        n += 1;
    }
    Some(n)
}

/// The standard PostgreSQL type for a SQLite column (the built-in
/// mapping: a 0/1 flag is BOOLEAN, DATE is date), as `format_type()` spells
/// it: what emit-validate expects and what a column PostgreSQL lacks is
/// generated as.
pub fn standard_pg_type(c: &crate::schema::Column, b: &Bounds) -> &'static str {
    let flag = b
        .values
        .as_ref()
        .is_some_and(|v| !v.is_empty() && v.iter().all(|x| x == "0" || x == "1"))
        || (b.min == Some(0) && b.max == Some(1));
    let upper = c.declared_type.to_ascii_uppercase();
    match sqlite_class(&c.declared_type) {
        SqliteClass::Integer if flag => "boolean",
        SqliteClass::Integer => "bigint",
        SqliteClass::Boolean => "boolean",
        SqliteClass::Real => "double precision",
        SqliteClass::Text => "text",
        SqliteClass::Blob => "bytea",
        SqliteClass::Numeric => "numeric",
        SqliteClass::Json => "jsonb",
        SqliteClass::Temporal if upper.starts_with("DATE") && !upper.starts_with("DATETIME") => {
            "date"
        }
        SqliteClass::Temporal => "timestamp with time zone",
    }
}

/// Whether column `column`'s PostgreSQL type `kind` already enforces the
/// SQLite CHECK conjunct `a` (so PostgreSQL needs no CHECK for it, and a
/// refusal by type is the same reason): 0/1 bounds or sets on a BOOLEAN, a
/// length limit on VARCHAR(n)/CHAR(n) (a different limit is a type finding
/// of its own), `json_valid(col)` on JSON/JSONB (their input parser).
pub fn type_enforces(a: &crate::expr::Atom, column: &str, kind: &PgKind) -> bool {
    use crate::expr::Atom;
    if let Atom::Other(text) = a {
        return matches!(kind, PgKind::Json | PgKind::Jsonb)
            && text.replace(' ', "") == format!("json_valid({column})");
    }
    if a.column() != Some(column) {
        return false;
    }
    match (a, kind) {
        (
            Atom::InSet {
                values,
                negated: false,
                ..
            },
            PgKind::Boolean,
        ) => values.iter().all(|v| v == "0" || v == "1"),
        (Atom::Compare { op, value, .. }, PgKind::Boolean) => {
            matches!((op.as_str(), value.as_str()), (">=", "0") | ("<=", "1"))
        }
        (Atom::MaxLength { .. }, PgKind::Varchar(Some(_)) | PgKind::Char(_)) => true,
        _ => false,
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
            TypeVerdict::Different(format!(
                "parity.toml declares {} but PostgreSQL has {}",
                d.to_uppercase(),
                pg.declared_type
            ))
        };
    }
    let sq = if sqlite.declared_type.is_empty() {
        "no declared type".to_string()
    } else {
        sqlite.declared_type.clone()
    };
    let diff = |why: &str| {
        TypeVerdict::Different(format!(
            "SQLite {sq} {why}, PostgreSQL {}",
            pg.declared_type
        ))
    };
    let is_01 = |b: &Bounds| {
        b.values
            .as_ref()
            .is_some_and(|v| v.iter().all(|x| x == "0" || x == "1"))
            || (b.min == Some(0) && b.max == Some(1))
    };
    match (class, &kind) {
        (SqliteClass::Integer, PgKind::BigInt) => TypeVerdict::Equivalent,
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
                // SQLite: one pattern, whatever the declared spelling.
                TypeVerdict::Different(format!(
                    "SQLite INTEGER stores any 64-bit integer but the PostgreSQL type holds only {lo}..={hi}, PostgreSQL {}",
                    pg.declared_type
                ))
            }
        }
        (SqliteClass::Integer | SqliteClass::Numeric, PgKind::Boolean) if is_01(b) => {
            TypeVerdict::Equivalent
        }
        (SqliteClass::Boolean, PgKind::Boolean) => TypeVerdict::Equivalent,
        (SqliteClass::Integer, PgKind::Boolean) => TypeVerdict::Caveat {
            why: format!(
                "SQLite {sq} is a 0/1 flag without CHECK ({c} IN (0,1)), so SQLite also stores 2 or -1 where PostgreSQL {} takes only true/false",
                pg.declared_type,
                c = sqlite.name
            ),
            fix: format!("add CHECK ({} IN (0, 1)) on the SQLite side", sqlite.name),
        },
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
                diff(&format!(
                    "stores any 64-bit integer but NUMERIC({p},{scale}) holds only {digits} digits before the point"
                ))
            }
        }
        (SqliteClass::Real, PgKind::Double) => TypeVerdict::Equivalent,
        (SqliteClass::Real, PgKind::Real) => diff("keeps 64-bit floats but REAL rounds to 32 bits"),
        (SqliteClass::Real, PgKind::Numeric { .. }) => diff(&format!(
            "keeps binary floats (0.125 stays 0.125) but {} rounds to decimal digits{}",
            pg.declared_type,
            match &kind {
                PgKind::Numeric {
                    precision: Some(_),
                    scale,
                } => format!(" ({scale} after the point) and rejects larger values"),
                _ => String::new(),
            }
        )),
        (
            SqliteClass::Numeric,
            PgKind::Numeric {
                precision: None, ..
            },
        ) => TypeVerdict::Equivalent,
        (SqliteClass::Numeric, PgKind::Numeric { .. }) => {
            diff("keeps any number but the NUMERIC typmod rounds or rejects")
        }
        (SqliteClass::Text, PgKind::Text) => TypeVerdict::Equivalent,
        // citext compares ignoring letter case, as COLLATE NOCASE does.
        (SqliteClass::Text, PgKind::Citext) if sqlite.nocase() => TypeVerdict::Equivalent,
        (SqliteClass::Text, PgKind::Citext) => diff(
            "compares letter case exactly (no COLLATE NOCASE) but citext ignores it, so equality and uniqueness differ",
        ),
        (SqliteClass::Text, PgKind::Varchar(None)) => TypeVerdict::Equivalent,
        (SqliteClass::Text, PgKind::Varchar(Some(n))) => match b.max_length {
            Some(m) if m <= *n => TypeVerdict::Equivalent,
            Some(m) => diff(&format!(
                "accepts up to {m} characters (CHECK length) but VARCHAR holds {n}"
            )),
            None => diff(&format!(
                "accepts text of any length but VARCHAR({n}) rejects longer values"
            )),
        },
        // CHAR(n) blank-pads shorter text (and reads it back padded) and
        // ignores trailing blanks when comparing: text that is always
        // exactly n characters long is stored and compared alike.
        (SqliteClass::Text, PgKind::Char(n)) if b.fixed_length == Some(*n) => {
            TypeVerdict::Equivalent
        }
        (SqliteClass::Text, PgKind::Char(n)) => diff(&format!(
            "keeps text as given but CHAR({n}) pads shorter values with blanks (read back padded; trailing blanks ignored in comparisons) and rejects longer ones"
        )),
        (SqliteClass::Text, PgKind::Json | PgKind::Jsonb)
            if sqlite.name.ends_with("_json") || sqlite.name == "json" =>
        {
            TypeVerdict::Equivalent
        }
        (SqliteClass::Json, PgKind::Json | PgKind::Jsonb) => TypeVerdict::Equivalent,
        (SqliteClass::Json, PgKind::Text) => TypeVerdict::Equivalent,
        (SqliteClass::Blob, PgKind::Bytea) => TypeVerdict::Equivalent,
        (SqliteClass::Temporal, PgKind::TimestampTz | PgKind::Timestamp) => TypeVerdict::Equivalent,
        (SqliteClass::Temporal, PgKind::Date)
            if sqlite.declared_type.starts_with("DATE")
                && !sqlite.declared_type.starts_with("DATETIME") =>
        {
            TypeVerdict::Equivalent
        }
        (SqliteClass::Temporal, PgKind::Text) => TypeVerdict::Equivalent,
        // A list kept as JSON text in SQLite ('["a","b"]') is an array
        // literal in PostgreSQL ('{a,b}'): the same list is written and read
        // in another syntax, and JSON text is no valid array input.
        (SqliteClass::Text | SqliteClass::Json, PgKind::Array(element)) => diff(&format!(
            "holds text (a list as JSON, '[\"a\",\"b\"]') but the PostgreSQL column is an array of {element}, written and read as '{{a,b}}' (fix: jsonb on the PostgreSQL side, or one row per element)"
        )),
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
                diff(&format!(
                    "accepts any text but the enum takes only {}",
                    labels.into_iter().collect::<Vec<_>>().join(", ")
                ))
            }
        }
        // A declared BYTEA (or another name without a known affinity) has
        // NUMERIC affinity: bytes stay bytes, but text that reads as a
        // number is stored as that number. https://sqlite.org/datatype3.html
        (SqliteClass::Numeric, PgKind::Bytea) => TypeVerdict::Caveat {
            why: format!(
                "SQLite {sq} has NUMERIC affinity: bytes are stored as written, but a text value that reads as a number (e.g. '12') is stored as that number, where PostgreSQL {} keeps bytes",
                pg.declared_type
            ),
            fix: "declare the SQLite column BLOB".into(),
        },
        _ => diff("is not a standard pairing"),
    }
}

/// An enum's labels as the canonical SQL literals CHECK atoms hold (`'a'`).
pub fn enum_literals(labels: &[String]) -> std::collections::BTreeSet<String> {
    labels
        .iter()
        .map(|l| format!("'{}'", l.replace('\'', "''")))
        .collect()
}

/// True when two values read back from the engines are the same under the
/// column's mapping. `pg` values come from [`crate::engine::postgres`] with
/// booleans as 0/1 integers and bytea as blobs.
pub fn same_value(sqlite: &Value, pg: &Value, kind: &PgKind) -> bool {
    match (sqlite, pg) {
        (Value::Null, Value::Null) => return true,
        (Value::Null, _) | (_, Value::Null) => return false,
        _ => {}
    }
    match kind {
        PgKind::Real | PgKind::Double => {
            let (Some(a), Some(b)) = (as_f64(sqlite), as_f64(pg)) else {
                return false;
            };
            if a.is_nan() || b.is_nan() {
                return a.is_nan() && b.is_nan();
            }
            if *kind == PgKind::Real {
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "float4 rounding is the point"
                )]
                let a32 = a as f32;
                f64::from(a32) == b
            } else {
                a == b
            }
        }
        // SQLite keeps every digit of a REAL (or NUMERIC-affinity) value;
        // NUMERIC(p, s) rounds to s places: that rounding is a difference.
        PgKind::Numeric { .. } => match (as_f64(sqlite), as_f64(pg)) {
            (Some(a), Some(b)) => a == b || (a - b).abs() <= f64::EPSILON * a.abs().max(b.abs()),
            _ => false,
        },
        // CHAR(n) reads back blank-padded: 'ab' stored in CHAR(3) is 'ab '
        // to the application, not 'ab'.
        PgKind::Char(_) => sqlite == pg,
        PgKind::TimestampTz | PgKind::Timestamp | PgKind::Date => match (sqlite, pg) {
            (Value::Text(a), Value::Text(b)) => canonical_time(a) == canonical_time(b),
            _ => false,
        },
        PgKind::Json | PgKind::Jsonb => match (sqlite, pg) {
            (Value::Text(a), Value::Text(b)) => {
                match (
                    serde_json::from_str::<serde_json::Value>(a),
                    serde_json::from_str::<serde_json::Value>(b),
                ) {
                    (Ok(x), Ok(y)) => x == y,
                    _ => a == b,
                }
            }
            _ => false,
        },
        PgKind::Uuid => match (sqlite, pg) {
            (Value::Text(a), Value::Text(b)) => a.to_lowercase() == b.to_lowercase(),
            (Value::Blob(a), Value::Text(b)) => {
                let hex: String = a.iter().map(|x| format!("{x:02x}")).collect();
                hex == b.replace('-', "")
            }
            _ => false,
        },
        _ => sqlite == pg,
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        #[expect(clippy::cast_precision_loss, reason = "comparing as floats on purpose")]
        Value::Integer(i) => Some(*i as f64),
        Value::Real(f) => Some(*f),
        Value::Text(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `2024-01-02T03:04:05.000Z`, `2024-01-02 03:04:05+00` → `2024-01-02 03:04:05`.
pub fn canonical_time(s: &str) -> String {
    let mut t = s.trim().replace('T', " ");
    for suffix in ["+00:00", "+00", "Z", "z"] {
        if let Some(x) = t.strip_suffix(suffix) {
            t = x.to_string();
            break;
        }
    }
    if let Some((main, frac)) = t.split_once('.') {
        let frac = frac.trim_end_matches('0');
        t = if frac.is_empty() {
            main.to_string()
        } else {
            format!("{main}.{frac}")
        };
    }
    if t.len() == 16 {
        t.push_str(":00");
    }
    t
}

/// What a SQLite column's collation makes equal that PostgreSQL keeps apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collation {
    /// `COLLATE NOCASE`: 'abc' = 'ABC'.
    Nocase,
    /// `COLLATE RTRIM`: 'abc' = 'abc '.
    Rtrim,
}

/// The collation difference of one column, if any. NOCASE matches a
/// `citext` column or a `lower(col)` key (the port's usual spelling of
/// it); RTRIM has no PostgreSQL counterpart. A NOCASE column in a SQLite
/// unique key is the unique-key comparison's business (its finding already
/// says "case-insensitive in SQLite but case-sensitive in PostgreSQL").
pub fn collation_difference(
    sc: &crate::schema::Column,
    pc: &crate::schema::Column,
    st: &crate::schema::Table,
    pt: &crate::schema::Table,
) -> Option<Collation> {
    fn nocase_key<'a>(
        keys: impl IntoIterator<Item = &'a crate::schema::Index>,
        column: &str,
    ) -> bool {
        keys.into_iter().any(|ix| {
            ix.key.parts.iter().any(|p| {
                matches!(p, crate::schema::KeyPart::Column { name, nocase: true, .. } if name == column)
            })
        })
    }
    match sc.collation.as_deref() {
        Some("NOCASE")
            if !pc.nocase()
                && !nocase_key(pt.uniques.iter().chain(&pt.indexes), &sc.name)
                && !nocase_key(&st.uniques, &sc.name) =>
        {
            Some(Collation::Nocase)
        }
        Some("RTRIM") => Some(Collation::Rtrim),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checks_a_postgres_type_enforces_one_row_per_rule() {
        use crate::expr::Atom;
        let set = |v: &[&str]| Atom::InSet {
            column: "c".into(),
            values: v.iter().map(|x| x.to_string()).collect(),
            negated: false,
        };
        let cmp = |op: &str, v: &str| Atom::Compare {
            column: "c".into(),
            op: op.into(),
            value: v.into(),
        };
        let max = Atom::MaxLength {
            column: "c".into(),
            max: 8,
        };
        for (atom, kind, enforced) in [
            (set(&["0", "1"]), PgKind::Boolean, true),
            (set(&["0", "1", "2"]), PgKind::Boolean, false),
            (set(&["0", "1"]), PgKind::BigInt, false),
            (cmp(">=", "0"), PgKind::Boolean, true),
            (cmp("<=", "1"), PgKind::Boolean, true),
            (cmp(">", "0"), PgKind::Boolean, false),
            (max.clone(), PgKind::Varchar(Some(8)), true),
            (max.clone(), PgKind::Char(8), true),
            (max, PgKind::Text, false),
            (Atom::Other("json_valid(c)".into()), PgKind::Jsonb, true),
            (Atom::Other("json_valid( c )".into()), PgKind::Json, true),
            (Atom::Other("json_valid(c)".into()), PgKind::Text, false),
            (Atom::Other("json_valid(d)".into()), PgKind::Jsonb, false),
        ] {
            assert_eq!(
                type_enforces(&atom, "c", &kind),
                enforced,
                "{atom:?} on {kind:?}"
            );
        }
    }

    fn col(name: &str, ty: &str) -> Column {
        Column {
            name: name.into(),
            declared_type: ty.into(),
            ..Column::default()
        }
    }

    #[test]
    fn affinity_follows_sqlite_rules() {
        assert_eq!(sqlite_class("INTEGER"), SqliteClass::Integer);
        assert_eq!(sqlite_class("VARCHAR(20)"), SqliteClass::Text);
        assert_eq!(sqlite_class(""), SqliteClass::Blob);
        assert_eq!(sqlite_class("DOUBLE"), SqliteClass::Real);
        assert_eq!(sqlite_class("DATETIME"), SqliteClass::Temporal);
        assert_eq!(sqlite_class("DECIMAL(10,2)"), SqliteClass::Numeric);
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
        let atoms = crate::expr::check_atoms(
            "status IN ('pending', 'other')",
            crate::expr::Engine::Sqlite,
        );
        assert_eq!(
            judge(&s, &e, &bounds("status", &atoms), None),
            TypeVerdict::Equivalent
        );
        let TypeVerdict::Different(why) = judge(&s, &e, &Bounds::default(), None) else {
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
        let atoms = crate::expr::check_atoms(
            "t IN ('hour', 'month') AND t GLOB '[a-z]*'",
            crate::expr::Engine::Sqlite,
        );
        let b = bounds("t", &atoms);
        assert_eq!(b.max_length, Some(5));
        assert_eq!(
            judge(&s, &col("t", "character varying(8)"), &b, None),
            TypeVerdict::Equivalent
        );
        let g = crate::expr::check_atoms(
            "t GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'",
            crate::expr::Engine::Sqlite,
        );
        assert_eq!(bounds("t", &g).max_length, Some(7));
        assert_eq!(pg_kind("TIMESTAMPTZ"), PgKind::TimestampTz);
        assert_eq!(pg_kind("VARCHAR(20)"), PgKind::Varchar(Some(20)));
    }

    #[test]
    fn char_numeric_and_array_pairings() {
        let text = col("code", "TEXT");
        let glob =
            crate::expr::check_atoms("code GLOB '[A-Z][A-Z][A-Z]'", crate::expr::Engine::Sqlite);
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

    #[test]
    fn values_compare_under_mapping() {
        assert!(same_value(
            &Value::Integer(1),
            &Value::Integer(1),
            &PgKind::Boolean
        ));
        assert!(same_value(
            &Value::Text("2024-01-02 03:04:05".into()),
            &Value::Text("2024-01-02 03:04:05+00".into()),
            &PgKind::TimestampTz
        ));
        assert!(!same_value(
            &Value::Real(0.1),
            &Value::Real(0.1f32.into()),
            &PgKind::Double
        ));
        assert!(same_value(
            &Value::Real(0.1),
            &Value::Real(0.1f32.into()),
            &PgKind::Real
        ));
        let cents = PgKind::Numeric {
            precision: Some(10),
            scale: 2,
        };
        assert!(!same_value(
            &Value::Real(0.125),
            &Value::Text("0.13".into()),
            &cents
        ));
        assert!(same_value(
            &Value::Real(9.99),
            &Value::Text("9.99".into()),
            &cents
        ));
        assert!(same_value(
            &Value::Text("{\"a\": 1}".into()),
            &Value::Text("{\"a\":1}".into()),
            &PgKind::Jsonb
        ));
    }
}
