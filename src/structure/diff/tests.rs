//! `diff` on in-memory models: the loop, the categories it runs and the
//! folds between them.

use super::*;

mod enum_tests {
    use super::super::*;
    use crate::model::schema::Column;

    fn pair(check: &str, labels: &[&str]) -> Vec<Finding> {
        let sqlite = Table {
            name: "t".into(),
            columns: vec![Column {
                name: "s".into(),
                declared_type: "TEXT".into(),
                ..Column::default()
            }],
            checks: vec![crate::model::schema::Check {
                name: String::new(),
                expr: check.into(),
                column: Some("s".into()),
            }],
            ..Table::default()
        };
        let pg = Table {
            columns: vec![Column {
                name: "s".into(),
                declared_type: "S_KIND".into(),
                enum_labels: Some(labels.iter().map(|l| (*l).to_string()).collect()),
                ..Column::default()
            }],
            checks: Vec::new(),
            ..sqlite.clone()
        };
        let mut out = Vec::new();
        let config = Config::default();
        table(
            &expected::table(&Schema::default(), &sqlite, &config, &Probed::new()),
            &pg,
            &mut out,
        );
        out
    }

    #[test]
    fn enum_against_check_in_compares_the_value_sets() {
        // The same set in another order: the enum enforces the CHECK.
        assert!(pair("s IN ('a', 'b')", &["b", "a"]).is_empty());
        let found = pair("s IN ('a', 'b')", &["a", "c"]);
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        assert_eq!(
            (f.category, f.columns.as_slice()),
            (Category::Check, &["s".to_string()][..])
        );
        assert!(
            f.message.contains("only SQLite's CHECK allows 'b'")
                && f.message.contains("allows 'c'"),
            "{}",
            f.message
        );
        let wider = pair("s IN ('a')", &["a", "c"]);
        assert!(
            wider[0]
                .message
                .contains("enum s_kind also allows 'c', which SQLite's CHECK rejects"),
            "{}",
            wider[0].message
        );
    }
}

mod check_tests {
    use super::super::*;
    use crate::model::schema::Column;

    fn table(checks: &[&str]) -> Table {
        Table {
            name: "t".into(),
            columns: vec![Column {
                name: "age".into(),
                declared_type: "INTEGER".into(),
                ..Column::default()
            }],
            checks: checks
                .iter()
                .map(|c| crate::model::schema::Check {
                    name: String::new(),
                    expr: (*c).into(),
                    column: Some("age".into()),
                })
                .collect(),
            ..Table::default()
        }
    }

    fn found(sqlite: &[&str], pg: &[&str]) -> Vec<Finding> {
        let mut out = Vec::new();
        let (config, sqlite) = (Config::default(), table(sqlite));
        let schema = Schema::default();
        super::table(
            &expected::table(&schema, &sqlite, &config, &Probed::new()),
            &table(pg),
            &mut out,
        );
        out.into_iter()
            .filter(|f| f.category == Category::Check)
            .collect()
    }

    #[test]
    fn a_missing_range_is_one_finding_and_ids_never_collide() {
        // Both bounds of one range, missing in PostgreSQL: one finding.
        let f = found(&["age BETWEEN 0 AND 100"], &[]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("AND"), "{}", f[0].message);
        // `>= 0` against `> 0`: two findings, two ids.
        let f = found(&["age >= 0"], &["age > 0"]);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_ne!(f[0].id, f[1].id);
        // The same CHECK on both sides: none.
        assert!(found(&["age >= 0"], &["age >= 0"]).is_empty());
    }
}

/// `structure` on in-memory models: a difference of each kind is one
/// finding on the right column, an equivalent pair none.
mod structure_tests {
    use super::super::*;
    use crate::model::finding::Severity;
    use crate::model::schema::Column;

    fn col(name: &str, declared_type: &str, not_null: bool) -> Column {
        Column {
            not_null,
            ..Column::typed(name, declared_type)
        }
    }

    fn schema(columns: Vec<Column>) -> Schema {
        let mut s = Schema::default();
        s.tables.insert(
            "notes".into(),
            Table {
                name: "notes".into(),
                columns,
                ..Table::default()
            },
        );
        s
    }

    fn sqlite() -> Schema {
        schema(vec![
            col("body", "TEXT", true),
            col("views", "INTEGER", false),
            col("score", "REAL", false),
        ])
    }

    fn found(pg: Vec<Column>) -> Vec<(Category, Vec<String>, Severity)> {
        structure(&sqlite(), &schema(pg), &Probed::new(), &Config::default())
            .into_iter()
            .map(|f| (f.category, f.columns, f.severity))
            .collect()
    }

    #[test]
    fn an_equivalent_pair_is_quiet() {
        let pg = vec![
            col("body", "TEXT", true),
            col("views", "BIGINT", false),
            col("score", "DOUBLE PRECISION", false),
        ];
        assert_eq!(found(pg), vec![]);
    }

    #[test]
    fn each_difference_is_one_finding_on_its_column() {
        let error = Severity::Error;
        let cases = [
            (
                vec![
                    col("body", "TEXT", true),
                    col("score", "DOUBLE PRECISION", false),
                ],
                (Category::MissingColumn, "views"),
            ),
            (
                vec![
                    col("body", "TEXT", false),
                    col("views", "BIGINT", false),
                    col("score", "DOUBLE PRECISION", false),
                ],
                (Category::Nullability, "body"),
            ),
            (
                vec![
                    col("body", "TEXT", true),
                    col("views", "INTEGER", false),
                    col("score", "DOUBLE PRECISION", false),
                ],
                (Category::Type, "views"),
            ),
        ];
        for (pg, (category, column)) in cases {
            assert_eq!(
                found(pg),
                vec![(category, vec![column.to_string()], error)],
                "{category:?} on {column}"
            );
        }
    }
}
