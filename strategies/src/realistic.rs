//! Realistic values mixed in with the edge-weighted ones: fake-made values
//! of a column's [`Generator`], only those its domain holds.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::BoxedStrategy;

use crate::domain::{Domain, Lit};
use crate::generator::{Generator, Rng};

use fake::rand::SeedableRng;

/// A column's realistic values and how much of its values they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Realistic {
    pub generator: Generator,
    pub share: Share,
}

/// How much of a column's values are realistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Share {
    /// Recognised from the column's name: a third, beside the edges.
    Part,
    /// Selected in parity.toml: the large majority.
    Most,
}

impl Share {
    /// (realistic, other) weights.
    fn weights(self) -> (u32, u32) {
        match self {
            Share::Part => (1, 2),
            Share::Most => (5, 1),
        }
    }
}

/// Values of a seed tried before falling back on one known to fit.
const TRIES: usize = 32;

/// Seeds tried up front to learn whether any value fits at all.
const SAMPLES: u64 = 64;

/// Whether `domain` holds the text `generator` made (`text`).
fn holds(domain: &Domain, generator: Generator, text: &str) -> bool {
    match domain {
        Domain::Text {
            min_chars,
            max_chars,
            nul,
        } => {
            let n = text.chars().count();
            n >= *min_chars && max_chars.is_none_or(|m| n <= m) && (*nul || !text.contains('\0'))
        }
        Domain::Generated(g) => *g == generator,
        Domain::OneOf(values) => values
            .iter()
            .any(|v| matches!(v, Lit::Text(t) if t == text)),
        // A pattern, a number, bytes, times, JSON: not what a realistic
        // value of text is for.
        _ => false,
    }
}

/// Fake-made values of `generator` that `keep` accepts, or None when none
/// of [`SAMPLES`] seeds makes one. Each drawn seed tries [`TRIES`] values
/// and, when none is kept, falls back on a sampled one — no proptest
/// rejection, and the same seed always gives the same value.
fn kept(
    generator: Generator,
    keep: impl Fn(&str) -> bool + Clone + Send + Sync + 'static,
) -> Option<BoxedStrategy<Lit>> {
    let fitting: Vec<String> = (0..SAMPLES)
        .map(|s| generator.make_from(s))
        .filter(|v| keep(v))
        .collect();
    if fitting.is_empty() {
        return None;
    }
    Some(
        (any::<u64>(), any::<Index>())
            .prop_map(move |(seed, fallback)| {
                let mut rng = Rng::seed_from_u64(seed);
                let made = (0..TRIES)
                    .map(|_| generator.make(&mut rng))
                    .find(|v| keep(v));
                Lit::Text(made.unwrap_or_else(|| fallback.get(&fitting).clone()))
            })
            .boxed(),
    )
}

/// Fake-made values of `generator` that `domain` holds (a VARCHAR limit
/// in the agreed domain, a CHECK on the length); None when it holds none
/// (a pattern, a value set without one, a number, a limit below them all).
pub fn realistic(generator: Generator, domain: &Domain) -> Option<BoxedStrategy<Lit>> {
    let domain = domain.clone();
    kept(generator, move |v| holds(&domain, generator, v))
}

/// Fake-made values of `generator` that `wide` holds and `narrow` does
/// not: realistic values that tell a column's two domains apart (an email
/// past PostgreSQL's VARCHAR limit); None when no such value is made.
pub fn realistic_outside(
    generator: Generator,
    wide: &Domain,
    narrow: &Domain,
) -> Option<BoxedStrategy<Lit>> {
    let (wide, narrow) = (wide.clone(), narrow.clone());
    kept(generator, move |v| {
        holds(&wide, generator, v) && !holds(&narrow, generator, v)
    })
}

/// `other` with `realistic`'s values mixed in at its share, where the
/// domain holds some. The realistic values come first: proptest shrinks a
/// union toward its first options, so a difference a realistic value also
/// shows is witnessed by one.
pub fn mixed(
    realistic_values: Option<Realistic>,
    domain: &Domain,
    other: BoxedStrategy<Lit>,
) -> BoxedStrategy<Lit> {
    let Some((r, values)) =
        realistic_values.and_then(|r| Some((r, realistic(r.generator, domain)?)))
    else {
        return other;
    };
    let (rw, ow) = r.share.weights();
    prop_oneof![rw => values, ow => other].boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::TestRunner;

    fn draw(s: &BoxedStrategy<Lit>, n: usize) -> Vec<String> {
        let mut r = TestRunner::deterministic();
        (0..n)
            .map(|_| match s.new_tree(&mut r).expect("tree").current() {
                Lit::Text(t) => t,
                other => panic!("not text: {other:?}"),
            })
            .collect()
    }

    fn text(min: usize, max: Option<usize>) -> Domain {
        Domain::Text {
            min_chars: min,
            max_chars: max,
            nul: true,
        }
    }

    #[test]
    fn realistic_values_stay_inside_the_length_bounds() {
        for g in Generator::ALL {
            let d = text(6, Some(20));
            let Some(s) = realistic(g, &d) else {
                continue;
            };
            for v in draw(&s, 200) {
                let n = v.chars().count();
                assert!((6..=20).contains(&n), "{}: {v:?}", g.name());
            }
        }
        // Emails fit 20 characters sometimes, not always: the bound is
        // what keeps them inside.
        assert!(realistic(Generator::Email, &text(6, Some(20))).is_some());
        let unbounded = draw(
            &realistic(Generator::Email, &text(0, None)).expect("emails"),
            200,
        );
        assert!(unbounded.iter().any(|e| e.chars().count() > 20));
    }

    #[test]
    fn a_domain_that_holds_none_gets_none() {
        for d in [
            text(0, Some(2)),
            Domain::Integer { min: 0, max: 9 },
            Domain::Glob("[A-Z]*".into()),
            Domain::OneOf(vec![Lit::Text("a".into())]),
            Domain::Timestamp,
        ] {
            assert!(realistic(Generator::Email, &d).is_none(), "{d:?}");
        }
        // A value set of codes holds the codes fake makes among them.
        let set = Domain::OneOf(
            ["EUR", "USD", "GBP", "JPY", "CHF", "CAD", "AUD", "CNY"]
                .map(|c| Lit::Text(c.into()))
                .to_vec(),
        );
        let v = draw(
            &realistic(Generator::CurrencyCode, &set).expect("codes"),
            50,
        );
        assert!(
            v.iter().all(|c| holds(&set, Generator::CurrencyCode, c)),
            "{v:?}"
        );
        // Uuids fit the uuid domain; emails do not.
        let uuid = Domain::Generated(Generator::Uuid);
        assert!(realistic(Generator::Uuid, &uuid).is_some());
        assert!(realistic(Generator::Email, &uuid).is_none());
    }

    #[test]
    fn values_outside_tell_two_domains_apart() {
        let s = realistic_outside(Generator::Email, &text(0, None), &text(0, Some(20)))
            .expect("emails past 20");
        let v = draw(&s, 100);
        assert!(
            v.iter().all(|e| e.chars().count() > 20 && e.contains('@')),
            "{v:?}"
        );
        // No realistic email is past 255.
        assert!(realistic_outside(Generator::Email, &text(0, None), &text(0, Some(255))).is_none());
    }

    #[test]
    fn the_share_decides_how_many_values_are_realistic() {
        let d = text(0, None);
        let other = || Just(Lit::Text("edge".into())).boxed();
        let count = |share| {
            let s = mixed(
                Some(Realistic {
                    generator: Generator::Email,
                    share,
                }),
                &d,
                other(),
            );
            draw(&s, 600).iter().filter(|v| v.contains('@')).count()
        };
        let (some, most) = (count(Share::Part), count(Share::Most));
        assert!((120..=280).contains(&some), "{some} of 600");
        assert!(most >= 440, "{most} of 600");
        // Where the domain holds none, only the other values.
        let none = mixed(
            Some(Realistic {
                generator: Generator::Email,
                share: Share::Most,
            }),
            &text(0, Some(3)),
            other(),
        );
        assert!(draw(&none, 50).iter().all(|v| v == "edge"));
    }
}
