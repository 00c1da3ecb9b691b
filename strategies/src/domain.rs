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

impl Domain {
    /// Whether `v`, a value from outside the strategies (a user's own
    /// data), is one of this domain's. Only what can be told for sure is
    /// held: a pattern, JSON or a generator's values are not judged here,
    /// so no outside value reaches those columns.
    pub fn holds(&self, v: &Lit) -> bool {
        match (self, v) {
            (Domain::Integer { min, max }, Lit::Int(i)) => (min..=max).contains(&i),
            (Domain::Flag, Lit::Int(i)) => *i == 0 || *i == 1,
            (Domain::Real { min, max }, Lit::Real(f)) => {
                f.is_finite() && min.is_none_or(|m| *f >= m) && max.is_none_or(|m| *f <= m)
            }
            (
                Domain::Text {
                    min_chars,
                    max_chars,
                    nul,
                },
                Lit::Text(t),
            ) => {
                let n = t.chars().count();
                n >= *min_chars && max_chars.is_none_or(|m| n <= m) && (*nul || !t.contains('\0'))
            }
            (Domain::Blob { min_len, max_len }, Lit::Blob(b)) => {
                (min_len..=max_len).contains(&&b.len())
            }
            (Domain::OneOf(values), v) => values.contains(v),
            (Domain::Timestamp, Lit::Text(t)) => is_timestamp(t),
            _ => false,
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS`, digits where digits go.
fn is_timestamp(t: &str) -> bool {
    const SHAPE: &[u8] = b"dddd-dd-dd dd:dd:dd";
    t.len() == SHAPE.len()
        && t.bytes().zip(SHAPE).all(|(c, s)| match s {
            b'd' => c.is_ascii_digit(),
            s => c == *s,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_what_the_domain_admits_and_nothing_it_cannot_judge() {
        let int = Domain::Integer { min: 0, max: 9 };
        assert!(int.holds(&Lit::Int(9)));
        assert!(!int.holds(&Lit::Int(10)));
        assert!(!int.holds(&Lit::Text("5".into())));
        assert!(Domain::Flag.holds(&Lit::Int(1)));
        assert!(!Domain::Flag.holds(&Lit::Int(2)));
        let real = Domain::Real {
            min: Some(0.0),
            max: None,
        };
        assert!(real.holds(&Lit::Real(1.5)));
        assert!(!real.holds(&Lit::Real(-1.0)));
        assert!(!real.holds(&Lit::Real(f64::NAN)));
        let text = Domain::Text {
            min_chars: 1,
            max_chars: Some(3),
            nul: false,
        };
        assert!(text.holds(&Lit::Text("éé".into())));
        assert!(!text.holds(&Lit::Text("abcd".into())));
        assert!(!text.holds(&Lit::Text("a\0".into())));
        assert!(!text.holds(&Lit::Text(String::new())));
        let blob = Domain::Blob {
            min_len: 0,
            max_len: 2,
        };
        assert!(blob.holds(&Lit::Blob(vec![1, 2])));
        assert!(!blob.holds(&Lit::Blob(vec![1, 2, 3])));
        let set = Domain::OneOf(vec![Lit::Text("a".into())]);
        assert!(set.holds(&Lit::Text("a".into())));
        assert!(!set.holds(&Lit::Text("b".into())));
        assert!(Domain::Timestamp.holds(&Lit::Text("2024-02-29 23:59:01".into())));
        assert!(!Domain::Timestamp.holds(&Lit::Text("2024-02-29T23:59:01Z".into())));
        assert!(!Domain::Json.holds(&Lit::Text("{}".into())));
        assert!(!Domain::Glob("[a-z]*".into()).holds(&Lit::Text("a".into())));
    }
}
