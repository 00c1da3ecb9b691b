//! The script on in-memory models.

use super::*;
use crate::config::Config;
use crate::mapping::{self, Probed};
use crate::model::schema::{Column, Index, IndexKey, KeyPart, SeedRows, Table, Value};
use crate::structure::{diff, expected};

fn col(name: &str, declared_type: &str) -> Column {
    Column::typed(name, declared_type)
}

#[test]
fn canonical_types_follow_the_default_mappings() {
    let none = mapping::Bounds::default();
    let flag = mapping::Bounds {
        values: Some(vec!["0".into(), "1".into()]),
        ..mapping::Bounds::default()
    };
    for (ty, b, want) in [
        ("INTEGER", &none, "bigint"),
        ("INTEGER", &flag, "boolean"),
        ("REAL", &none, "double precision"),
        ("TEXT", &none, "text"),
        ("BLOB", &none, "bytea"),
        ("DATETIME", &none, "timestamp with time zone"),
        ("DATE", &none, "date"),
        ("NUMERIC", &none, "numeric"),
    ] {
        assert_eq!(mapping::standard_pg_type(&col("c", ty), b), want, "{ty}");
    }
    // How declared types are spelled: expected.rs's
    // declared_types_are_spelled_as_format_type_does.
}

#[test]
fn script_checks_every_table_part_and_escapes_seed_text() {
    let mut id = col("id", "INTEGER");
    id.auto_increment = true;
    id.not_null = true;
    let mut name = col("name", "TEXT");
    name.not_null = true;
    let table = Table {
        name: "plans".into(),
        columns: vec![id, name],
        primary_key: vec!["id".into()],
        uniques: vec![Index {
            name: "u".into(),
            key: IndexKey {
                parts: vec![KeyPart::Column {
                    name: "name".into(),
                    nocase: true,
                    desc: false,
                }],
                predicate: None,
            },
            raw_predicate: None,
        }],
        ..Table::default()
    };
    let mut sqlite = Schema::default();
    sqlite.tables.insert("plans".into(), table);
    sqlite.seed.insert(
        "plans".into(),
        SeedRows {
            columns: vec!["id".into(), "name".into()],
            rows: vec![vec![Value::Integer(1), Value::Text("50% o'clock".into())]],
        },
    );
    let (config, probed, reference) = (Config::default(), Probed::new(), Schema::default());
    let expected = expected::schema(&sqlite, &config, &probed);
    let findings = diff::findings(&expected, &reference);
    let s = script(&expected, &reference, &findings, &Origin::default());
    for want in [
        "'plans: table'",
        "'plans.id: type', 'bigint'",
        "'plans.id: automatic ids', 'sequence or identity'",
        "'plans.name: default', 'no default'",
        "'plans: primary key', '(id)'",
        "'plans: UNIQUE (lower(name))'",
        "'plans: seed rows', '1 of 1 present'",
        // format(): `%` doubled, quotes doubled twice (literal in a literal).
        "CAST(''50%% o''''clock'' AS text)",
        "FROM %s t WHERE",
        "'schema: no other tables'",
        "RAISE EXCEPTION",
    ] {
        assert!(s.contains(want), "missing {want}\n{s}");
    }
    // The reference differs (it has no table at all): said in the header.
    assert!(s.contains("differs from the SQLite chain"));
}
