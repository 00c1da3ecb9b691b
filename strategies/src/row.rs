//! Rows: one value per column, honouring NOT NULL and the column's domain.

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::domain::{Domain, Lit};
use crate::value::{plain_value, tame_value, value};

/// One column as generation sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSpec {
    pub name: String,
    pub domain: Domain,
    /// NULL is a valid value.
    pub nullable: bool,
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

fn assemble(
    columns: &[ColumnSpec],
    value: impl Fn(&Domain) -> BoxedStrategy<Lit>,
) -> BoxedStrategy<Vec<Lit>> {
    let parts: Vec<BoxedStrategy<Lit>> = columns
        .iter()
        .map(|c| {
            let v = value(&c.domain);
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
            },
            ColumnSpec {
                name: "b".into(),
                domain: Domain::Flag,
                nullable: true,
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
}
