//! Which columns a PostgreSQL error is about, from what the server says:
//! the error's structured fields (column, constraint; see
//! <https://www.postgresql.org/docs/current/protocol-error-fields.html>),
//! the constraint looked up in the introspected table, the `Key (…)` of the
//! detail, and for invalid-input / out-of-range errors the offending literal
//! matched to the column it was sent for. What none of these names stays
//! unattributed.

use crate::engine::attribution::{
    Assignment, Culprit, columns_named, key_columns, literal_text, quoted_after,
};
use crate::schema::Table;

use super::ErrorFields;

/// The columns of `table` that an error (its fields, raised by statement
/// `sql` setting `set`) is about.
pub fn attribute(f: &ErrorFields, sql: &str, table: &Table, set: &[Assignment<'_>]) -> Culprit {
    let constraint = f.constraint.clone();
    let with = |columns: Vec<String>| Culprit {
        columns,
        constraint: constraint.clone(),
    };
    if let Some(c) = f.column.as_deref().and_then(|c| table.column(c)) {
        return with(vec![c.name.clone()]);
    }
    if let Some(name) = f.constraint.as_deref() {
        let cols = constraint_columns(table, name);
        if !cols.is_empty() {
            return with(cols);
        }
    }
    if let Some(cols) = f
        .detail
        .as_deref()
        .and_then(|d| detail_key_columns(d, table))
        && !cols.is_empty()
    {
        return with(cols);
    }
    let m = f.message.as_str();
    if let Some(c) = quoted_after(m, "column ").and_then(|c| table.column(c)) {
        return with(vec![c.name.clone()]);
    }
    if let Some(c) = offending_literal(m, table, set) {
        return with(vec![c]);
    }
    // The server points at the literal it could not take.
    with(
        f.position
            .and_then(|p| literal_at(sql, p, set))
            .into_iter()
            .collect(),
    )
}

/// The column whose literal (in `set` order, as written in `sql`) covers
/// the 1-based character position `pos`.
/// The trigger of `tables` whose function raised an error, from the
/// error's context (`PL/pgSQL function gc_track(…) line 6 at SQL statement`)
/// matched, as a whole name, to the function a trigger executes: `(table,
/// trigger)`. None when the error did not arise in a trigger's function.
pub fn trigger_of<'a>(
    f: &ErrorFields,
    tables: impl IntoIterator<Item = &'a Table>,
) -> Option<(String, String)> {
    let context = f.context.as_deref()?;
    let after = context.split("function ").nth(1)?;
    let name = after.split('(').next()?.trim();
    let bare = name.rsplit('.').next()?.trim_matches('"');
    tables.into_iter().find_map(|t| {
        t.triggers.iter().find_map(|tr| {
            let upper = tr.sql.to_ascii_uppercase();
            let calls = ["FUNCTION", "PROCEDURE"].iter().any(|kw| {
                upper.split(&format!("EXECUTE {kw} ")).skip(1).any(|rest| {
                    let called = rest.split('(').next().unwrap_or("").trim();
                    let called = called.rsplit('.').next().unwrap_or("").trim_matches('"');
                    called.eq_ignore_ascii_case(bare)
                })
            });
            calls.then(|| (t.name.clone(), tr.name.clone()))
        })
    })
}

fn literal_at(sql: &str, pos: usize, set: &[Assignment<'_>]) -> Option<String> {
    let byte = sql
        .char_indices()
        .nth(pos.checked_sub(1)?)
        .map(|(b, _)| b)?;
    let mut from = sql.find(" VALUES (").or_else(|| sql.find(" SET "))?;
    for a in set {
        let at = from + sql[from..].find(a.literal)?;
        let end = at + a.literal.len();
        if (at..end).contains(&byte) {
            return Some(a.column.to_string());
        }
        from = end;
    }
    None
}

/// The columns a named constraint of `table` covers.
fn constraint_columns(table: &Table, name: &str) -> Vec<String> {
    if let Some(ch) = table.checks.iter().find(|c| c.name == name) {
        return match &ch.column {
            Some(c) => vec![c.clone()],
            None => columns_named(&ch.expr, table),
        };
    }
    if let Some(fk) = table.foreign_keys.iter().find(|k| k.name == name) {
        return fk.columns.clone();
    }
    if let Some(ix) = table.uniques.iter().find(|u| u.name == name) {
        return key_columns(&ix.key.parts, table);
    }
    if name == format!("{}_pkey", table.name) {
        return table.primary_key.clone();
    }
    Vec::new()
}

/// `Key (a, lower(b))=(…) …` → the columns named inside the key.
fn detail_key_columns(detail: &str, table: &Table) -> Option<Vec<String>> {
    let rest = detail.strip_prefix("Key (")?;
    let end = rest.find(")=(")?;
    Some(columns_named(&rest[..end], table))
}

/// The column whose literal an invalid-input or out-of-range error is about.
fn offending_literal(message: &str, table: &Table, set: &[Assignment<'_>]) -> Option<String> {
    let type_of = |col: &str| {
        table
            .column(col)
            .map(|c| c.declared_type.to_lowercase())
            .unwrap_or_default()
    };
    // `invalid input syntax for type T: "v"`, `value "v" is out of range for
    // type T`, `invalid input value for enum T: "v"`, `date/time field value
    // out of range: "v"`: the value (and the type) are in the message.
    let quoted_value = message
        .rfind(": \"")
        .map(|i| &message[i + 3..])
        .or_else(|| message.strip_prefix("value \""))
        .and_then(|v| v.split('"').next());
    let type_name = message
        .find("for type ")
        .map(|i| &message[i + "for type ".len()..])
        .or_else(|| message.find("for enum ").map(|i| &message[i + 9..]))
        .map(|t| t.split(':').next().unwrap_or(t).trim().to_lowercase());
    if let Some(v) = quoted_value {
        let hits: Vec<&Assignment<'_>> = set
            .iter()
            .filter(|a| literal_text(a.literal) == v)
            .collect();
        let typed = hits
            .iter()
            .find(|a| type_name.as_deref().is_some_and(|t| type_of(a.column) == t));
        return typed.or(hits.first()).map(|a| a.column.to_string());
    }
    // `invalid input syntax for type json` names no value: the literal sent
    // to a json/jsonb column that is not JSON.
    if type_name.as_deref() == Some("json") {
        return set
            .iter()
            .find(|a| {
                matches!(type_of(a.column).as_str(), "json" | "jsonb")
                    && a.literal != "NULL"
                    && serde_json::from_str::<serde_json::Value>(&literal_text(a.literal)).is_err()
            })
            .map(|a| a.column.to_string());
    }
    // `integer out of range`, `smallint out of range`: an integer literal
    // the column's type cannot hold.
    for (ty, lo, hi) in [
        ("smallint", i64::from(i16::MIN), i64::from(i16::MAX)),
        ("integer", i64::from(i32::MIN), i64::from(i32::MAX)),
    ] {
        if message.starts_with(&format!("{ty} out of range")) {
            return set
                .iter()
                .find(|a| {
                    type_of(a.column) == ty
                        && literal_text(a.literal)
                            .parse::<i64>()
                            .is_ok_and(|n| n < lo || n > hi)
                })
                .map(|a| a.column.to_string());
        }
    }
    // `value too long for type character varying(5)`.
    if let Some(t) = message.strip_prefix("value too long for type ") {
        let n: Option<usize> = t
            .split_once('(')
            .and_then(|(_, r)| r.trim_end_matches(')').parse().ok());
        return set
            .iter()
            .find(|a| {
                type_of(a.column) == t.to_lowercase()
                    && n.is_some_and(|n| literal_text(a.literal).chars().count() > n)
            })
            .map(|a| a.column.to_string());
    }
    // `numeric field overflow`: a value past a numeric(p,s) column's digits.
    if message.starts_with("numeric field overflow") {
        return set
            .iter()
            .find(|a| {
                let ty = type_of(a.column);
                numeric_digits(&ty).is_some_and(|d| {
                    literal_text(a.literal)
                        .parse::<f64>()
                        .is_ok_and(|x| x.is_finite() && x.abs() >= 10f64.powi(d))
                })
            })
            .map(|a| a.column.to_string());
    }
    // `invalid byte sequence for encoding "UTF8": 0x00`: a NUL character.
    if message.contains("0x00") {
        return set
            .iter()
            .find(|a| a.literal.contains("chr(0)"))
            .map(|a| a.column.to_string());
    }
    None
}

/// Integer digits a `numeric(p,s)` type holds (p - s).
fn numeric_digits(ty: &str) -> Option<i32> {
    let inner = ty.strip_prefix("numeric(")?.strip_suffix(')')?;
    let (p, s) = inner.split_once(',').unwrap_or((inner, "0"));
    Some(p.trim().parse::<i32>().ok()? - s.trim().parse::<i32>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Check, Column, ForeignKey, Index, IndexKey, KeyPart};

    fn table() -> Table {
        let col = |name: &str, ty: &str| Column {
            name: name.into(),
            declared_type: ty.into(),
            ..Column::default()
        };
        Table {
            name: "t".into(),
            columns: vec![
                col("id", "BIGINT"),
                col("uuid_ref", "UUID"),
                col("flag", "BOOLEAN"),
                col("small", "INTEGER"),
                col("code", "CHARACTER VARYING(3)"),
                col("price", "NUMERIC(5,2)"),
                col("parent_id", "BIGINT"),
                col("meta", "JSONB"),
                col("doc", "JSONB"),
            ],
            primary_key: vec!["id".into()],
            uniques: vec![Index {
                name: "t_code_key".into(),
                key: IndexKey {
                    parts: vec![KeyPart::Expr {
                        text: "lower((code)::text)".into(),
                        desc: false,
                    }],
                    predicate: None,
                },
                raw_predicate: None,
            }],
            foreign_keys: vec![ForeignKey {
                name: "t_parent_fk".into(),
                columns: vec!["parent_id".into()],
                target_table: "p".into(),
                target_columns: vec!["id".into()],
                on_delete: crate::schema::FkAction::NoAction,
                on_update: crate::schema::FkAction::NoAction,
                deferred: false,
            }],
            checks: vec![Check {
                name: "t_small_check".into(),
                expr: "(small >= 0)".into(),
                column: None,
            }],
            ..Table::default()
        }
    }

    fn failure(_code: &str, message: &str, fields: ErrorFields) -> ErrorFields {
        ErrorFields {
            message: message.into(),
            ..fields
        }
    }

    const SET: &[Assignment<'static>] = &[
        Assignment {
            column: "id",
            literal: "2",
        },
        Assignment {
            column: "uuid_ref",
            literal: "'abc'",
        },
        Assignment {
            column: "flag",
            literal: "'2'::boolean",
        },
        Assignment {
            column: "small",
            literal: "3000000000",
        },
        Assignment {
            column: "code",
            literal: "'abcd'",
        },
        Assignment {
            column: "price",
            literal: "12345.5",
        },
        Assignment {
            column: "meta",
            literal: "'{}'",
        },
        Assignment {
            column: "doc",
            literal: "'not json'",
        },
    ];

    fn cols(f: &ErrorFields) -> Vec<String> {
        attribute(f, "", &table(), SET).columns
    }

    #[test]
    fn the_position_points_at_the_literal() {
        let sql = "INSERT INTO \"t\" (\"a\", \"doc\") VALUES ('x', 'not json')";
        let set = [
            Assignment {
                column: "a",
                literal: "'x'",
            },
            Assignment {
                column: "doc",
                literal: "'not json'",
            },
        ];
        let at = sql.find("'not").expect("literal") + 1;
        let f = ErrorFields {
            message: "invalid input syntax for type json".into(),
            position: Some(at),
            ..ErrorFields::default()
        };
        assert_eq!(attribute(&f, sql, &table(), &set).columns, vec!["doc"]);
    }

    #[test]
    fn invalid_input_goes_to_the_literal_not_to_a_substring() {
        // "invalid" and "uuid" contain "id": the literal decides.
        let f = failure(
            "22P02",
            "invalid input syntax for type uuid: \"abc\"",
            ErrorFields::default(),
        );
        assert_eq!(cols(&f), vec!["uuid_ref"]);
        // The value 2 is sent for id too; the type says which one failed.
        let f = failure(
            "22P02",
            "invalid input syntax for type boolean: \"2\"",
            ErrorFields::default(),
        );
        assert_eq!(cols(&f), vec!["flag"]);
    }

    #[test]
    fn out_of_range_and_length_go_to_the_value_that_does_not_fit() {
        let f = failure("22003", "integer out of range", ErrorFields::default());
        assert_eq!(cols(&f), vec!["small"]);
        let f = failure(
            "22001",
            "value too long for type character varying(3)",
            ErrorFields::default(),
        );
        assert_eq!(cols(&f), vec!["code"]);
        let f = failure("22003", "numeric field overflow", ErrorFields::default());
        assert_eq!(cols(&f), vec!["price"]);
    }

    #[test]
    fn invalid_json_goes_to_the_literal_that_is_not_json() {
        let f = failure(
            "22P02",
            "invalid input syntax for type json",
            ErrorFields::default(),
        );
        assert_eq!(cols(&f), vec!["doc"]);
    }

    #[test]
    fn structured_fields_and_constraints() {
        let f = failure(
            "23502",
            "null value in column \"flag\" of relation \"t\" violates not-null constraint",
            ErrorFields {
                column: Some("flag".into()),
                ..ErrorFields::default()
            },
        );
        assert_eq!(cols(&f), vec!["flag"]);
        let by_name = |code: &str, name: &str| {
            failure(
                code,
                "violates",
                ErrorFields {
                    constraint: Some(name.into()),
                    ..ErrorFields::default()
                },
            )
        };
        assert_eq!(cols(&by_name("23514", "t_small_check")), vec!["small"]);
        assert_eq!(cols(&by_name("23503", "t_parent_fk")), vec!["parent_id"]);
        assert_eq!(cols(&by_name("23505", "t_code_key")), vec!["code"]);
        assert_eq!(cols(&by_name("23505", "t_pkey")), vec!["id"]);
        let f = failure(
            "23505",
            "duplicate key",
            ErrorFields {
                detail: Some("Key (lower(code::text))=(abc) already exists.".into()),
                ..ErrorFields::default()
            },
        );
        assert_eq!(cols(&f), vec!["code"]);
    }

    #[test]
    fn unattributable_stays_unattributed() {
        let f = failure(
            "42601",
            "syntax error at or near \"id\"",
            ErrorFields::default(),
        );
        assert!(cols(&f).is_empty());
        // No json column was sent a value: nothing to point at.
        let f = failure(
            "22P02",
            "invalid input syntax for type json",
            ErrorFields::default(),
        );
        assert!(attribute(&f, "", &table(), &SET[..6]).columns.is_empty());
    }

    #[test]
    fn a_trigger_is_named_by_the_function_in_the_error_context() {
        let trigger = |name: &str, function: &str| crate::schema::Trigger {
            name: name.into(),
            timing: "AFTER".into(),
            events: Vec::new(),
            sql: format!(
                "CREATE TRIGGER {name} AFTER DELETE ON public.books FOR EACH ROW EXECUTE FUNCTION public.{function}()"
            ),
        };
        let books = Table {
            name: "books".into(),
            triggers: vec![
                trigger("track_trigger", "track"),
                trigger("track_more_trigger", "track_more"),
            ],
            ..Table::default()
        };
        let from = |context: Option<&str>| ErrorFields {
            context: context.map(str::to_string),
            ..ErrorFields::default()
        };
        let hit = |context| trigger_of(&from(context), [&books]);
        assert_eq!(
            hit(Some(
                "SQL statement \"INSERT INTO q …\"\nPL/pgSQL function track_more() line 6 at SQL statement"
            )),
            Some(("books".into(), "track_more_trigger".into()))
        );
        // A whole name: `track` is not `track_more`.
        assert_eq!(
            hit(Some("PL/pgSQL function track() line 2 at RAISE")),
            Some(("books".into(), "track_trigger".into()))
        );
        assert_eq!(hit(Some("PL/pgSQL function other() line 2 at RAISE")), None);
        assert_eq!(hit(None), None);
    }
}
