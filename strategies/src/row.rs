//! Rows: one value per column, honouring NOT NULL and the column's domain.

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::domain::{Domain, Lit};
use crate::realistic::{Realistic, mixed};
use crate::value::{plain_value, tame_value, value};

/// One column as generation sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSpec {
    pub name: String,
    pub domain: Domain,
    /// NULL is a valid value.
    pub nullable: bool,
    /// What the column holds, when it holds emails, names, URLs…: those
    /// values are mixed in with the domain's own, where the domain holds them.
    pub realistic: Option<Realistic>,
    /// Values from the user's own data (`check --values-from`), each one
    /// the domain holds: half of a column's draws pick one of them.
    pub samples: Vec<Lit>,
}

/// One value of `spec`'s domain (never NULL), realistic ones mixed in:
/// what a probe of one column draws.
pub fn column_value(spec: &ColumnSpec) -> BoxedStrategy<Lit> {
    with_samples(
        spec,
        mixed(spec.realistic, &spec.domain, value(&spec.domain)),
    )
}

/// `other` with the column's own samples (the user's data) as half of its
/// draws. They come second: proptest shrinks a union toward its first
/// option, so a witness keeps a sample only when no made value shows the
/// difference.
/// Only samples the spec's domain holds are drawn: a spec narrowed after
/// its samples were set (a probe's own domain) keeps within it.
fn with_samples(spec: &ColumnSpec, other: BoxedStrategy<Lit>) -> BoxedStrategy<Lit> {
    let held: Vec<Lit> = (spec.samples.iter())
        .filter(|v| spec.domain.holds(v))
        .cloned()
        .collect();
    if held.is_empty() {
        return other;
    }
    prop_oneof![other, proptest::sample::select(held)].boxed()
}

/// Columns per row, on average, that get the full edge-weighted values; the
/// rest get tame ones. On a wide table, edges in every column would make
/// almost every row hit some inherent engine difference (a NUL here, a NaN
/// there) and spend the case on it.
const WILD_PER_ROW: u32 = 3;

/// A valid row for `columns` (NULL sometimes, where allowed), with about
/// [`WILD_PER_ROW`] columns drawn from the edge-weighted values.
pub fn row(columns: &[ColumnSpec]) -> BoxedStrategy<Vec<Lit>> {
    let n = u32::try_from(columns.len()).unwrap_or(u32::MAX);
    let tame_weight = n.saturating_sub(WILD_PER_ROW);
    assemble(columns, |d| {
        if tame_weight == 0 {
            value(d)
        } else {
            prop_oneof![WILD_PER_ROW => value(d), tame_weight => tame_value(d)].boxed()
        }
    })
}

/// A valid row for `columns` with tame values only (see [`tame_value`]).
pub fn tame_row(columns: &[ColumnSpec]) -> BoxedStrategy<Vec<Lit>> {
    assemble(columns, tame_value)
}

/// A valid row for `columns` with mostly plain values (see
/// [`plain_value`]) and some tame ones, for rows that are there to be
/// referred to: a CHECK a plain value does not meet is still met sometimes.
pub fn plain_row(columns: &[ColumnSpec]) -> BoxedStrategy<Vec<Lit>> {
    assemble(columns, |d| {
        prop_oneof![7 => plain_value(d), 1 => tame_value(d)].boxed()
    })
}

/// A valid row for `columns` of plain values only (see [`plain_value`]):
/// the parent rows a witness carries, as short as they can be (no
/// samples of the user's data either).
pub fn plainest_row(columns: &[ColumnSpec]) -> BoxedStrategy<Vec<Lit>> {
    let plain: Vec<ColumnSpec> = columns
        .iter()
        .map(|c| ColumnSpec {
            samples: Vec::new(),
            ..c.clone()
        })
        .collect();
    assemble(&plain, plain_value)
}

fn assemble(
    columns: &[ColumnSpec],
    value: impl Fn(&Domain) -> BoxedStrategy<Lit>,
) -> BoxedStrategy<Vec<Lit>> {
    let parts: Vec<BoxedStrategy<Lit>> = columns
        .iter()
        .map(|c| {
            let v = with_samples(c, mixed(c.realistic, &c.domain, value(&c.domain)));
            if c.nullable {
                prop_oneof![1 => Just(Lit::Null), 5 => v].boxed()
            } else {
                v
            }
        })
        .collect();
    parts.boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::TestRunner;

    #[test]
    fn not_null_columns_never_get_null() {
        let cols = vec![
            ColumnSpec {
                name: "a".into(),
                domain: Domain::Flag,
                nullable: false,
                realistic: None,
                samples: Vec::new(),
            },
            ColumnSpec {
                name: "b".into(),
                domain: Domain::Flag,
                nullable: true,
                realistic: None,
                samples: Vec::new(),
            },
        ];
        let mut r = TestRunner::deterministic();
        let s = row(&cols);
        let rows: Vec<Vec<Lit>> = (0..200)
            .map(|_| s.new_tree(&mut r).expect("tree").current())
            .collect();
        assert!(rows.iter().all(|r| r[0] != Lit::Null));
        assert!(rows.iter().any(|r| r[1] == Lit::Null));
    }

    #[test]
    fn samples_of_the_users_data_are_half_the_draws_but_never_in_plainest_rows() {
        let spec = ColumnSpec {
            name: "code".into(),
            domain: Domain::Text {
                min_chars: 0,
                max_chars: None,
                nul: true,
            },
            nullable: false,
            realistic: None,
            samples: vec![Lit::Text("legacy-7".into())],
        };
        let mut r = TestRunner::deterministic();
        let drawn = |s: BoxedStrategy<Vec<Lit>>, r: &mut TestRunner| {
            (0..400)
                .filter(|_| {
                    s.new_tree(r).expect("tree").current()[0] == Lit::Text("legacy-7".into())
                })
                .count()
        };
        for strategy in [
            row(std::slice::from_ref(&spec)),
            tame_row(std::slice::from_ref(&spec)),
            plain_row(std::slice::from_ref(&spec)),
        ] {
            let n = drawn(strategy, &mut r);
            assert!((120..=280).contains(&n), "{n} of 400 draws were the sample");
        }
        assert_eq!(drawn(plainest_row(std::slice::from_ref(&spec)), &mut r), 0);
        let one = column_value(&spec);
        let n = (0..400)
            .filter(|_| {
                one.new_tree(&mut r).expect("tree").current() == Lit::Text("legacy-7".into())
            })
            .count();
        assert!(
            (120..=280).contains(&n),
            "{n} of 400 values were the sample"
        );
    }

    #[test]
    fn rows_mix_realistic_values_in_within_the_domain() {
        use crate::generator::Generator;
        use crate::realistic::Share;
        let email = |share| ColumnSpec {
            name: "contact".into(),
            domain: Domain::Text {
                min_chars: 0,
                max_chars: Some(30),
                nul: true,
            },
            nullable: true,
            realistic: Some(Realistic {
                generator: Generator::Email,
                share,
            }),
            samples: Vec::new(),
        };
        let mut r = TestRunner::deterministic();
        for (share, strategy) in [
            (Share::Most, row(&[email(Share::Most)])),
            (Share::Most, tame_row(&[email(Share::Most)])),
            (Share::Most, plain_row(&[email(Share::Most)])),
            (Share::Part, row(&[email(Share::Part)])),
        ] {
            let values: Vec<Lit> = (0..300)
                .map(|_| strategy.new_tree(&mut r).expect("tree").current()[0].clone())
                .collect();
            assert!(values.iter().all(|v| match v {
                Lit::Text(t) => t.chars().count() <= 30,
                _ => *v == Lit::Null,
            }));
            assert!(values.contains(&Lit::Null));
            let emails = values
                .iter()
                .filter(|v| matches!(v, Lit::Text(t) if t.contains('@')))
                .count();
            let floor = match share {
                Share::Most => 180,
                Share::Part => 50,
            };
            assert!(emails >= floor, "{share:?}: {emails} of 300");
            assert!(emails < 290, "{share:?}: other values too");
        }
    }
}
