//! Which columns a SQLite error is about, from what SQLite says: the
//! `table.column` list of NOT NULL / UNIQUE failures, the name or the
//! expression text of a failed CHECK (matched as whole identifiers against
//! the table's CHECKs), the `table.column` of a STRICT type error, the
//! column named in "has no column named". SQLite's foreign-key failures name
//! nothing, so they stay unattributed.
//! Messages: <https://sqlite.org/rescode.html>, `sqlite3HaltConstraint`.

use crate::engine::attribution::{Assignment, Culprit, columns_named, key_columns};
use crate::schema::Table;

/// The columns of `table` that `message` is about. SQLite's messages name
/// columns, never values, so the statement's assignments are not needed
/// (the parameter keeps both engines' functions alike).
pub fn attribute(message: &str, table: &Table, _set: &[Assignment<'_>]) -> Culprit {
    let after = |prefix: &str| {
        message
            .find(prefix)
            .map(|i| message[i + prefix.len()..].trim())
    };
    // "NOT NULL constraint failed: t.a", "UNIQUE constraint failed: t.a, t.b"
    for prefix in [
        "NOT NULL constraint failed: ",
        "UNIQUE constraint failed: ",
        "cannot store ",
    ] {
        if let Some(rest) = after(prefix) {
            let rest = match prefix {
                // "cannot store TEXT value in INTEGER column t.c" (STRICT)
                "cannot store " => rest.rsplit(" column ").next().unwrap_or(rest),
                _ => rest,
            };
            if let Some(index) = rest.strip_prefix("index '") {
                let name = index.trim_end_matches('\'');
                return Culprit {
                    columns: table
                        .uniques
                        .iter()
                        .find(|u| u.name == name)
                        .map(|u| key_columns(&u.key.parts, table))
                        .unwrap_or_default(),
                    constraint: Some(name.to_string()),
                };
            }
            let columns = rest
                .split(", ")
                .filter_map(|qualified| {
                    let (t, c) = qualified.trim().split_once('.')?;
                    (t.eq_ignore_ascii_case(&table.name))
                        .then(|| table.column(c).map(|c| c.name.clone()))
                        .flatten()
                })
                .collect();
            return Culprit::columns(columns);
        }
    }
    // "CHECK constraint failed: name" or (unnamed) the expression itself.
    if let Some(rest) = after("CHECK constraint failed: ") {
        if let Some(ch) = table
            .checks
            .iter()
            .find(|c| !c.name.is_empty() && c.name == rest)
        {
            return Culprit {
                columns: match &ch.column {
                    Some(c) => vec![c.clone()],
                    None => columns_named(&ch.expr, table),
                },
                constraint: Some(rest.to_string()),
            };
        }
        return Culprit::columns(columns_named(rest, table));
    }
    // "table t has no column named x"
    if let Some(rest) = after("has no column named ")
        && let Some(c) = table.column(rest)
    {
        return Culprit::columns(vec![c.name.clone()]);
    }
    Culprit::default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Check, Column};

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

    fn cols(message: &str) -> Vec<String> {
        attribute(message, &table(), &[]).columns
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
        assert_eq!(cols("table t has no column named b"), vec!["b"]);
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
        assert!(cols("near \"id\": syntax error").is_empty());
    }
}
