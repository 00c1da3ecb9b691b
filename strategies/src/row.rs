//! Rows: one value per column, honouring NOT NULL and the column's domain.

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::domain::{Domain, Lit};
use crate::value::value;

/// One column as generation sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSpec {
    pub name: String,
    pub domain: Domain,
    /// NULL is a valid value.
    pub nullable: bool,
}

/// A valid row for `columns` (NULL sometimes, where allowed).
pub fn row(columns: &[ColumnSpec]) -> BoxedStrategy<Vec<Lit>> {
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
