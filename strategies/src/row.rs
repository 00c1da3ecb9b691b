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
}

/// One value of `spec`'s domain (never NULL), realistic ones mixed in:
/// what a probe of one column draws.
pub fn column_value(spec: &ColumnSpec) -> BoxedStrategy<Lit> {
    mixed(spec.realistic, &spec.domain, value(&spec.domain))
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
/// the parent rows a witness carries, as short as they can be.
pub fn plainest_row(columns: &[ColumnSpec]) -> BoxedStrategy<Vec<Lit>> {
    assemble(columns, plain_value)
}

fn assemble(
    columns: &[ColumnSpec],
    value: impl Fn(&Domain) -> BoxedStrategy<Lit>,
) -> BoxedStrategy<Vec<Lit>> {
    let parts: Vec<BoxedStrategy<Lit>> = columns
        .iter()
        .map(|c| {
            let v = mixed(c.realistic, &c.domain, value(&c.domain));
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
            },
            ColumnSpec {
                name: "b".into(),
                domain: Domain::Flag,
                nullable: true,
                realistic: None,
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
