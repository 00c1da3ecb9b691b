//! Which columns a SQLite error is about, from what SQLite says, keyed by
//! its extended result code (<https://sqlite.org/rescode.html>): [`ROWS`]
//! holds one row per code and says where its message names the columns —
//! SQLite has no structured error fields, so they are read from the
//! messages `sqlite3HaltConstraint` and the parser write: the `table.column`
//! list of NOT NULL / UNIQUE / STRICT failures, a unique index's name, the
//! name or the expression text of a failed CHECK (matched as whole
//! identifiers against the table's CHECKs), the column named in "has no
//! column named" (or a generated column's, quoted), the rowid alias of a
//! datatype mismatch. SQLite's foreign-key failures name nothing, so they
//! stay unattributed, as does every code without a row.

use crate::engine::ErrorFields;
use crate::engine::attribution::{
    Assignment, Culprit, Refusal, Row, assigned, by_code, columns_named, key_columns, quoted_after,
};
use crate::model::schema::Table;

/// How each extended result code is attributed.
pub const ROWS: &[Row] = &[
    Row {
        code: "1299",
        name: "SQLITE_CONSTRAINT_NOTNULL",
        read: listed_columns,
    },
    Row {
        code: "2067",
        name: "SQLITE_CONSTRAINT_UNIQUE",
        read: listed_columns,
    },
    Row {
        code: "1555",
        name: "SQLITE_CONSTRAINT_PRIMARYKEY",
        read: listed_columns,
    },
    Row {
        code: "3091",
        name: "SQLITE_CONSTRAINT_DATATYPE",
        read: listed_columns,
    },
    Row {
        code: "275",
        name: "SQLITE_CONSTRAINT_CHECK",
        read: check,
    },
    Row {
        code: "787",
        name: "SQLITE_CONSTRAINT_FOREIGNKEY",
        read: nothing,
    },
    Row {
        code: "1811",
        name: "SQLITE_CONSTRAINT_TRIGGER",
        read: nothing,
    },
    Row {
        code: "1",
        name: "SQLITE_ERROR",
        read: missing_column,
    },
    Row {
        code: "20",
        name: "SQLITE_MISMATCH",
        read: rowid_alias,
    },
];

/// The columns of `table` that an error (its code and message, raised by
/// statement `sql` setting `set`) is about, read by the row of its code in
/// [`ROWS`]. The same shape as PostgreSQL's `attribute`; SQLite's messages
/// name columns, not values, so only a missing column and the rowid read
/// the assignments.
pub fn attribute(f: &ErrorFields, sql: &str, table: &Table, set: &[Assignment<'_>]) -> Culprit {
    let r = Refusal {
        error: f,
        sql,
        table,
        set,
    };
    by_code(ROWS, &r, nothing)
}

/// `NOT NULL constraint failed: t.a`, `UNIQUE constraint failed: t.a, t.b`
/// (a primary key's too), `cannot store TEXT value in INTEGER column t.c`
/// (STRICT): the `table.column`s listed; `UNIQUE constraint failed: index
/// 'name'` (a unique index on expressions): that index's columns.
fn listed_columns(r: &Refusal<'_>) -> Culprit {
    let m = r.message();
    let Some(list) = m
        .split_once(" constraint failed: ")
        .map(|(_, list)| list)
        .or_else(|| m.rsplit_once(" column ").map(|(_, list)| list))
    else {
        return Culprit::default();
    };
    if let Some(index) = list.strip_prefix("index '") {
        let name = index.trim_end_matches('\'');
        return Culprit {
            columns: r
                .table
                .uniques
                .iter()
                .find(|u| u.name == name)
                .map(|u| key_columns(&u.key.parts, r.table))
                .unwrap_or_default(),
            constraint: Some(name.to_string()),
        };
    }
    Culprit::columns(
        list.split(", ")
            .filter_map(|qualified| {
                let (t, c) = qualified.trim().split_once('.')?;
                (t.eq_ignore_ascii_case(&r.table.name))
                    .then(|| r.table.column(c).map(|c| c.name.clone()))
                    .flatten()
            })
            .collect(),
    )
}

/// `CHECK constraint failed: name`, or (unnamed) the expression itself:
/// the named CHECK's columns, else the columns the expression names.
fn check(r: &Refusal<'_>) -> Culprit {
    let Some((_, rest)) = r.message().split_once("CHECK constraint failed: ") else {
        return Culprit::default();
    };
    let rest = rest.trim();
    if let Some(ch) = r
        .table
        .checks
        .iter()
        .find(|c| !c.name.is_empty() && c.name == rest)
    {
        return Culprit {
            columns: match &ch.column {
                Some(c) => vec![c.clone()],
                None => columns_named(&ch.expr, r.table),
            },
            constraint: Some(rest.to_string()),
        };
    }
    Culprit::columns(columns_named(rest, r.table))
}

/// `FOREIGN KEY constraint failed` (787; 1811 for a RESTRICT action, which
/// SQLite runs as a trigger) names neither the key nor a column; nor does
/// a trigger's own `RAISE(ABORT, …)` (1811), whose text is the trigger's.
fn nothing(_: &Refusal<'_>) -> Culprit {
    Culprit::default()
}

/// `table t has no column named x` (INSERT), `no such column: x`
/// (UPDATE): x, when the statement assigns a column of that name — which
/// the table lacks, and that is the difference; `cannot INSERT into
/// generated column "g"` (`cannot UPDATE …`): g. Any other SQLITE_ERROR (a
/// syntax error) names nothing.
fn missing_column(r: &Refusal<'_>) -> Culprit {
    let m = r.message();
    let missing = m
        .split_once(" has no column named ")
        .or_else(|| m.split_once("no such column: "))
        .and_then(|(_, name)| assigned(r.set, name.trim()));
    let generated = || {
        quoted_after(m, "generated column ")
            .and_then(|c| r.table.column(c))
            .map(|c| c.name.clone())
    };
    Culprit::columns(missing.or_else(generated).into_iter().collect())
}

/// `datatype mismatch`: the rowid must be an integer, and only the rowid
/// alias (`INTEGER PRIMARY KEY`) makes SQLite refuse a value by its type
/// outside STRICT tables (<https://sqlite.org/rescode.html#mismatch>):
/// that column, when the statement sets it.
fn rowid_alias(r: &Refusal<'_>) -> Culprit {
    Culprit::columns(
        r.table
            .columns
            .iter()
            .filter(|c| c.auto_increment)
            .filter_map(|c| assigned(r.set, &c.name))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::{Check, Column, Index, IndexKey, KeyPart};

    fn table() -> Table {
        Table {
            name: "t".into(),
            columns: ["id", "kind", "uuid_ref", "a", "b"]
                .iter()
                .map(|c| Column {
                    name: (*c).to_string(),
                    ..Column::default()
                })
                .collect(),
            checks: vec![Check {
                name: "kind_known".into(),
                expr: "kind IN ('id', 'x')".into(),
                column: None,
            }],
            ..Table::default()
        }
    }

    /// The columns `message`, with extended result `code`, is about.
    fn read(code: &str, message: &str, set: &[Assignment<'_>]) -> Vec<String> {
        let f = ErrorFields {
            code: code.into(),
            message: message.into(),
            ..ErrorFields::default()
        };
        attribute(&f, "", &table(), set).columns
    }

    fn cols(message: &str) -> Vec<String> {
        let code = match message {
            m if m.starts_with("NOT NULL") => "1299",
            m if m.starts_with("UNIQUE") => "2067",
            m if m.starts_with("CHECK") => "275",
            m if m.starts_with("cannot store") => "3091",
            m if m.starts_with("FOREIGN KEY") => "787",
            _ => "1",
        };
        read(code, message, &[])
    }

    #[test]
    fn named_columns_are_read_whole() {
        assert_eq!(
            cols("NOT NULL constraint failed: t.uuid_ref"),
            vec!["uuid_ref"]
        );
        assert_eq!(cols("UNIQUE constraint failed: t.a, t.b"), vec!["a", "b"]);
        assert_eq!(
            cols("cannot store TEXT value in INTEGER column t.id"),
            vec!["id"]
        );
    }

    #[test]
    fn a_missing_column_is_the_assigned_one_the_table_lacks() {
        let set = [
            Assignment {
                column: "id",
                literal: "1",
            },
            Assignment {
                column: "fine_cents",
                literal: "2",
            },
        ];
        assert_eq!(
            read("1", "table t has no column named fine_cents", &set),
            vec!["fine_cents"]
        );
        assert_eq!(
            read("1", "no such column: fine_cents", &set),
            vec!["fine_cents"]
        );
        // Not assigned (a WHERE's), or another SQLITE_ERROR: nothing.
        assert!(read("1", "no such column: other", &set).is_empty());
        assert!(read("1", "near \"id\": syntax error", &set).is_empty());
        // A generated column SQLite will not take a value for.
        assert_eq!(
            read("1", "cannot INSERT into generated column \"kind\"", &set),
            vec!["kind"]
        );
    }

    #[test]
    fn a_datatype_mismatch_is_the_rowid_alias_when_set() {
        let mut t = table();
        t.columns[0].auto_increment = true;
        let f = ErrorFields {
            code: "20".into(),
            message: "datatype mismatch".into(),
            ..ErrorFields::default()
        };
        let set = |column| {
            [Assignment {
                column,
                literal: "'abc'",
            }]
        };
        assert_eq!(attribute(&f, "", &t, &set("id")).columns, vec!["id"]);
        assert!(attribute(&f, "", &t, &set("kind")).columns.is_empty());
    }

    #[test]
    fn a_unique_index_is_read_by_its_name() {
        let mut t = table();
        t.uniques.push(Index {
            name: "t_lower_b".into(),
            key: IndexKey {
                parts: vec![KeyPart::Expr {
                    text: "lower(b)".into(),
                    desc: false,
                }],
                predicate: None,
            },
            raw_predicate: None,
        });
        let f = ErrorFields {
            code: "2067".into(),
            message: "UNIQUE constraint failed: index 't_lower_b'".into(),
            ..ErrorFields::default()
        };
        let culprit = attribute(&f, "", &t, &[]);
        assert_eq!(culprit.columns, vec!["b"]);
        assert_eq!(culprit.constraint.as_deref(), Some("t_lower_b"));
    }

    #[test]
    fn each_code_has_one_row() {
        for (i, row) in ROWS.iter().enumerate() {
            assert!(
                ROWS[..i].iter().all(|r| r.code != row.code),
                "{} twice",
                row.code
            );
        }
    }

    #[test]
    fn checks_by_name_or_by_expression() {
        assert_eq!(cols("CHECK constraint failed: kind_known"), vec!["kind"]);
        // An unnamed CHECK is reported by its text; 'id' inside a string is
        // not the column id.
        assert_eq!(
            cols("CHECK constraint failed: kind IN ('id', 'x')"),
            vec!["kind"]
        );
        assert_eq!(cols("CHECK constraint failed: length(a) <= 3"), vec!["a"]);
    }

    #[test]
    fn foreign_keys_and_others_stay_unattributed() {
        assert!(cols("FOREIGN KEY constraint failed").is_empty());
        assert!(read("1811", "FOREIGN KEY constraint failed", &[]).is_empty());
        assert!(read("1811", "column a is wrong", &[]).is_empty());
        assert!(cols("near \"id\": syntax error").is_empty());
        // A code without a row names nothing, whatever its message says.
        assert!(read("1555", "near \"id\": syntax error", &[]).is_empty());
        // SQLITE_CONSTRAINT_VTAB has no row.
        assert!(read("2323", "NOT NULL constraint failed: t.a", &[]).is_empty());
        assert!(read("", "NOT NULL constraint failed: t.a", &[]).is_empty());
    }
}
