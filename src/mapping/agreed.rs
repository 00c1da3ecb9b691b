//! The agreed domain of a column: the values both engines accept and store
//! alike, from the SQLite side's domain narrowed by the PostgreSQL type and
//! CHECKs; the common ground of a column whose types differ; and whether a
//! column's type or default differs under the mapping (what keeps it out of
//! the rows other properties stand on).

use schema_parity_strategies::{ColumnSpec, Domain, Lit};

use super::checks::bounds;
use super::defaults::same_default;
use super::kind::{Family, PgKind, TextShape};
use super::types::TypeVerdict;
use crate::model::Engine;
use crate::model::schema::Column;
use crate::sql::expr::{self, Atom, DefaultValue};

/// A canonical literal (`'text'`, `12`, `1.5`) as a generated value.
pub fn lit_of(v: &str) -> Lit {
    if let Some(s) = v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        return Lit::Text(s.replace("''", "'"));
    }
    if let Ok(i) = v.parse::<i64>() {
        return Lit::Int(i);
    }
    match v.parse::<f64>() {
        Ok(f) => Lit::Real(f),
        Err(_) => Lit::Text(v.to_string()),
    }
}

/// The agreed domain of a column: `sqlite`'s values narrowed to those the
/// PostgreSQL column (`kind`, its CHECK conjuncts, NOT NULL) accepts and
/// stores alike. A known difference is then met only by the probe aimed at
/// it, not by every row of the table and its children.
pub fn agreed(
    sqlite: &ColumnSpec,
    kind: &PgKind,
    pg_atoms: &[Atom],
    pg_not_null: bool,
) -> ColumnSpec {
    let mut domain = match (&sqlite.domain, kind) {
        (Domain::Integer { .. } | Domain::Flag, k) if k.family() == Family::Boolean => Domain::Flag,
        (Domain::Integer { min, max }, k) => match k.int_range() {
            Some((lo, hi)) => Domain::Integer {
                min: (*min).max(lo),
                max: (*max).min(hi),
            },
            None => sqlite.domain.clone(),
        },
        (
            Domain::Text {
                min_chars,
                max_chars,
                nul,
            },
            PgKind::Varchar(Some(n)),
        ) => {
            let n = usize::try_from(*n).unwrap_or(usize::MAX);
            Domain::Text {
                min_chars: (*min_chars).min(n),
                max_chars: Some(max_chars.map_or(n, |m| m.min(n))),
                nul: *nul,
            }
        }
        // CHAR(n) pads shorter text with spaces: text of exactly n
        // characters is stored alike.
        (Domain::Text { max_chars, nul, .. }, PgKind::Char(n)) => {
            let n = usize::try_from(*n).unwrap_or(usize::MAX);
            if max_chars.is_some_and(|m| m < n) {
                sqlite.domain.clone()
            } else {
                Domain::Text {
                    min_chars: n,
                    max_chars: Some(n),
                    nul: *nul,
                }
            }
        }
        // Text the type parses (a uuid, JSON, a timestamp, a time of day):
        // only values of that shape read back as written.
        (Domain::Text { .. } | Domain::Timestamp, k) => {
            text_shape(k).map_or_else(|| sqlite.domain.clone(), TextShape::domain)
        }
        (d, _) => d.clone(),
    };
    // PostgreSQL's own CHECKs on the column: a value set, a range, a length.
    let b = bounds(&sqlite.name, pg_atoms);
    if let Some(values) = &b.values {
        let pg: Vec<Lit> = values.iter().map(|v| lit_of(v)).collect();
        domain = match domain {
            Domain::OneOf(mine) => {
                let both: Vec<Lit> = mine.iter().filter(|v| pg.contains(v)).cloned().collect();
                if both.is_empty() {
                    Domain::OneOf(mine)
                } else {
                    Domain::OneOf(both)
                }
            }
            Domain::Flag => Domain::Flag,
            Domain::Text { .. } | Domain::Integer { .. } => Domain::OneOf(pg),
            other => other,
        };
    }
    if let Domain::Integer { min, max } = &mut domain {
        let clamp = |v: i128| i64::try_from(v).ok();
        if let Some(lo) = b.min.and_then(clamp) {
            *min = (*min).max(lo);
        }
        if let Some(hi) = b.max.and_then(clamp) {
            *max = (*max).min(hi);
        }
        if min > max {
            domain = sqlite.domain.clone();
        }
    }
    if let (Domain::Text { max_chars, .. }, Some(m)) = (&mut domain, b.max_length) {
        let m = usize::try_from(m).unwrap_or(usize::MAX);
        *max_chars = Some(max_chars.map_or(m, |x| x.min(m)));
    }
    ColumnSpec {
        name: sqlite.name.clone(),
        domain,
        nullable: sqlite.nullable && !pg_not_null,
        realistic: sqlite.realistic,
        samples: sqlite.samples.clone(),
    }
}

/// For a column whose two types do not correspond, values both engines
/// take alike: the domain already narrowed to the PostgreSQL type when it
/// is of that type's family, otherwise one text literal both parse the same
/// way for it (a quoted literal has no type of its own in PostgreSQL: `'1'`
/// is a number or a boolean there, `'abc'` text or bytes).
pub fn common_ground(narrowed: &Domain, kind: &PgKind) -> Domain {
    let one = |t: &str| Domain::OneOf(vec![Lit::Text(t.into())]);
    let numeric = kind.is_number();
    match (narrowed, kind) {
        (Domain::Integer { .. } | Domain::Flag | Domain::OneOf(_), _) if numeric => {
            narrowed.clone()
        }
        (Domain::Real { .. }, k) if k.is_fractional() => narrowed.clone(),
        (_, k) if k.family() == Family::Boolean => Domain::Flag,
        (_, _) if numeric => one("1"),
        (Domain::Text { .. } | Domain::OneOf(_) | Domain::Glob(_) | Domain::Generated(_), k)
            if k.family() == Family::Text =>
        {
            narrowed.clone()
        }
        (Domain::Blob { .. }, PgKind::Bytea) => narrowed.clone(),
        // Letters only: a NUMERIC-affinity SQLite column (e.g. declared
        // `bytea`) would turn digits into a number. Many of them, so a
        // unique key over the column still has room.
        (_, PgKind::Text | PgKind::Varchar(None) | PgKind::Bytea) => {
            Domain::OneOf(('a'..='z').map(|c| Lit::Text(format!("ab{c}"))).collect())
        }
        (_, PgKind::Date) => one("2001-02-03"),
        // The empty list is '{}' to both: text in SQLite, an array literal
        // PostgreSQL reads back as written.
        (_, PgKind::Array(_)) => one("{}"),
        // A type that parses text of one shape (a timestamp, JSON, a uuid):
        // values of that shape.
        (d, k) => text_shape(k).map_or_else(|| d.clone(), TextShape::domain),
    }
}

fn text_shape(kind: &PgKind) -> Option<TextShape> {
    kind.row().and_then(|r| r.text_shape)
}

/// Whether a column's two types are not equivalent under the mapping (a
/// structural `type` finding, a caveat included, or a pairing no rule
/// covers that was not probed): rows compare the column only in its own
/// probe.
pub fn type_differs(verdict: &TypeVerdict) -> bool {
    !matches!(verdict, TypeVerdict::Equivalent)
}

/// Whether the PostgreSQL column's default gives another value than the
/// SQLite one (`sqlite`, already read) under the mapping (a structural
/// `default` finding): only the default property leaves the column out.
pub fn default_differs(sqlite: &DefaultValue, pg: &Column, kind: &PgKind) -> bool {
    let p = pg.default.as_deref().map_or(DefaultValue::Null, |d| {
        expr::default_value(d, Engine::Postgres)
    });
    !same_default(sqlite, &p, kind)
}
