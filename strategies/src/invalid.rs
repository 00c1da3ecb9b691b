//! Values a column's rules must refuse, or that sit right on a rule's
//! bound, and values a wider domain holds that a narrower one leaves out:
//! what the constraint property plants one at a time and what a round-trip
//! probe inserts. Yielded, never judged: which engine must refuse what is
//! the checks' business.

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};

use crate::domain::{Domain, Lit};
use crate::generator::Generator;
use crate::realistic::realistic_outside;
use crate::row::{ColumnSpec, column_value};

/// How a column's values are written, as far as making one goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Integers up to `max`, when the type has a limit.
    Integer {
        max: Option<i64>,
    },
    /// Floating-point or decimal numbers.
    Real,
    Text,
    /// Text holding a uuid.
    Uuid,
    Blob,
}

/// A comparison a rule makes between a column's value and a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `>=`
    AtLeast,
    /// `>`
    Above,
    /// `<=`
    AtMost,
    /// `<`
    Below,
    /// `=`
    Equal,
}

/// One rule on a column's values (a CHECK conjunct), in the terms that say
/// which value breaks it.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// The value is one of these canonical literals (`'text'`, `12`).
    OneOf(Vec<String>),
    /// The value is none of these canonical literals (`x <> 0`,
    /// `x NOT IN ('a', 'b')`).
    NoneOf(Vec<String>),
    /// `value <comparison> bound`.
    Compare(Comparison, i64),
    /// At least this many characters (bytes for a blob).
    MinLength(u64),
    /// At most this many characters (bytes for a blob).
    MaxLength(u64),
    /// The whole value matches a pattern.
    Pattern,
}

/// What [`violating`] yields for a [`Rule::Pattern`]: a placeholder for
/// "a valid value with a `!` in front" (see [`broken_pattern`]).
pub const PATTERN_BREAKER: &str = "!";

/// A valid value of a pattern-matched column broken by a `!` in front: it
/// fails an anchored GLOB but passes an unanchored regex, which a bare `!`
/// would not tell apart.
pub fn broken_pattern(valid: &str) -> Lit {
    Lit::Text(format!("{PATTERN_BREAKER}{valid}"))
}

/// A value of `shape` that breaks `rule`, when one can be said.
pub fn violating(rule: &Rule, shape: Shape) -> Option<Lit> {
    Some(match rule {
        Rule::OneOf(values) => {
            if values.iter().all(|v| v.parse::<i64>().is_ok()) {
                let max = values
                    .iter()
                    .filter_map(|v| v.parse::<i64>().ok())
                    .max()
                    .unwrap_or(0);
                Lit::Int(max.saturating_add(7))
            } else {
                Lit::Text("zz_not_in_the_set".into())
            }
        }
        Rule::NoneOf(values) => {
            let first = values.first()?;
            match first.parse::<i64>() {
                Ok(n) => number(n, shape),
                Err(_) => Lit::Text(unquoted(first)),
            }
        }
        Rule::Compare(op, v) => {
            let bad = match op {
                Comparison::AtLeast => v.checked_sub(1)?,
                Comparison::Above | Comparison::Equal | Comparison::Below => *v,
                Comparison::AtMost => v.checked_add(1)?,
            };
            number(bad, shape)
        }
        Rule::MinLength(min) if *min > 0 => match shape {
            Shape::Blob => Lit::Blob(vec![7; usize::try_from(*min).ok()? - 1]),
            _ => Lit::Text("x".repeat(usize::try_from(*min).ok()? - 1)),
        },
        Rule::MaxLength(max) if shape == Shape::Blob => {
            Lit::Blob(vec![7; usize::try_from(*max).ok()?.checked_add(1)?])
        }
        Rule::MaxLength(max) => Lit::Text("x".repeat(usize::try_from(*max).ok()?.checked_add(1)?)),
        Rule::Pattern => Lit::Text(PATTERN_BREAKER.into()),
        Rule::MinLength(_) => return None,
    })
}

/// The value a range rule admits at its bound (`x >= 5` → 5, `x < 5` → 4).
pub fn at_bound(rule: &Rule, shape: Shape) -> Option<Lit> {
    let Rule::Compare(op, v) = rule else {
        return None;
    };
    let at = match op {
        Comparison::AtLeast | Comparison::AtMost | Comparison::Equal => *v,
        Comparison::Above => v.checked_add(1)?,
        Comparison::Below => v.checked_sub(1)?,
    };
    Some(number(at, shape))
}

/// A canonical literal's text: `'it''s'` → `it's`; anything else as it is.
fn unquoted(literal: &str) -> String {
    literal
        .strip_prefix('\'')
        .and_then(|l| l.strip_suffix('\''))
        .map_or_else(|| literal.to_string(), |l| l.replace("''", "'"))
}

/// `n` written as `shape` writes numbers (a float for a real column).
fn number(n: i64, shape: Shape) -> Lit {
    if shape == Shape::Real {
        #[expect(clippy::cast_precision_loss, reason = "small CHECK bounds")]
        let f = n as f64;
        Lit::Real(f)
    } else {
        Lit::Int(n)
    }
}

/// A reference no parent row holds, of the referencing column's shape and
/// inside its type (a narrower reference column is its own probe's
/// business, not a dangling reference's).
pub fn no_parent(shape: Shape) -> Lit {
    match shape {
        Shape::Blob => Lit::Blob(vec![0xde, 0xad, 0xbe, 0xef]),
        Shape::Text => Lit::Text("no-such-parent".into()),
        Shape::Uuid => Lit::Text("00000000-0000-4000-8000-00000000dead".into()),
        Shape::Integer { max: Some(hi) } => Lit::Int(hi.min(987_654_321) - 7),
        Shape::Integer { max: None } | Shape::Real => Lit::Int(987_654_321),
    }
}

/// Values the domain `wide` holds and the domain `agreed` leaves out: one
/// per way the two differ.
pub fn outside_values(wide: &ColumnSpec, agreed: &ColumnSpec) -> Vec<Lit> {
    let mut out = Vec::new();
    if wide.nullable && !agreed.nullable {
        out.push(Lit::Null);
    }
    match (&wide.domain, &agreed.domain) {
        (Domain::Integer { min, max }, Domain::Flag) if (*min..=*max).contains(&2) => {
            out.push(Lit::Int(2));
        }
        (Domain::Integer { min, max }, Domain::Integer { min: lo, max: hi }) => {
            if hi < max {
                out.push(Lit::Int(hi.saturating_add(1)));
            }
            if lo > min {
                out.push(Lit::Int(lo.saturating_sub(1)));
            }
        }
        (
            Domain::Text {
                max_chars: wide_max,
                ..
            },
            Domain::Text {
                max_chars: Some(n), ..
            },
        ) if wide_max.is_none_or(|w| w > *n) => {
            out.push(Lit::Text("x".repeat(n.saturating_add(1))));
        }
        (Domain::Text { .. }, Domain::Generated(Generator::Uuid)) => {
            out.push(Lit::Text("not-a-uuid".into()));
        }
        (Domain::Text { .. }, Domain::Json) => out.push(Lit::Text("not json".into())),
        (Domain::Text { .. }, Domain::Timestamp) => out.push(Lit::Text("not a time".into())),
        (Domain::OneOf(mine), Domain::OneOf(both)) => {
            out.extend(mine.iter().filter(|v| !both.contains(v)).take(1).cloned());
        }
        (Domain::Text { .. }, Domain::OneOf(_)) => {
            out.push(Lit::Text("zz_not_in_the_set".into()));
        }
        _ => {}
    }
    out
}

/// Values of `wide` for a probe of where it differs from `agreed`: the
/// values that tell the two apart first — realistic ones where the
/// column's generator makes some (an email past a VARCHAR limit: proptest
/// shrinks toward a union's first options, so the witness is a value an
/// application stores), then those of [`outside_values`] — then any value
/// of `wide` (shrinking finds the smallest that differs).
pub fn outside(wide: &ColumnSpec, agreed: &ColumnSpec) -> BoxedStrategy<Lit> {
    let mut options: Vec<(u32, BoxedStrategy<Lit>)> = Vec::new();
    if let Some(telling) = wide
        .realistic
        .and_then(|r| realistic_outside(r.generator, &wide.domain, &agreed.domain))
    {
        options.push((3, telling));
    }
    let fixed = outside_values(wide, agreed);
    if !fixed.is_empty() {
        options.push((3, proptest::sample::select(fixed).boxed()));
    }
    options.push((1, column_value(wide)));
    Union::new_weighted(options).boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_is_broken_just_past_its_bound() {
        let int = Shape::Integer { max: None };
        assert_eq!(
            violating(&Rule::Compare(Comparison::AtLeast, 5), int),
            Some(Lit::Int(4))
        );
        assert_eq!(
            violating(&Rule::Compare(Comparison::AtMost, 5), Shape::Real),
            Some(Lit::Real(6.0))
        );
        assert_eq!(
            violating(&Rule::OneOf(vec!["1".into(), "3".into()]), int),
            Some(Lit::Int(10))
        );
        assert_eq!(
            violating(&Rule::OneOf(vec!["'a'".into()]), Shape::Text),
            Some(Lit::Text("zz_not_in_the_set".into()))
        );
        assert_eq!(
            violating(&Rule::MaxLength(2), Shape::Blob),
            Some(Lit::Blob(vec![7; 3]))
        );
        assert_eq!(
            violating(&Rule::NoneOf(vec!["0".into()]), int),
            Some(Lit::Int(0))
        );
        assert_eq!(
            violating(&Rule::NoneOf(vec!["'it''s'".into()]), Shape::Text),
            Some(Lit::Text("it's".into()))
        );
        assert_eq!(violating(&Rule::MinLength(0), Shape::Text), None);
        assert_eq!(
            at_bound(&Rule::Compare(Comparison::Below, 5), int),
            Some(Lit::Int(4))
        );
    }

    #[test]
    fn a_missing_parent_stays_inside_the_reference_type() {
        assert_eq!(
            no_parent(Shape::Integer {
                max: Some(i64::from(i16::MAX))
            }),
            Lit::Int(i64::from(i16::MAX) - 7)
        );
        assert_eq!(
            no_parent(Shape::Integer {
                max: Some(i64::MAX)
            }),
            Lit::Int(987_654_314)
        );
    }
}
