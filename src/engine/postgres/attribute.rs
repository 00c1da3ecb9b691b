//! Which columns a PostgreSQL error is about, from what the server says,
//! keyed by its SQLSTATE
//! (<https://www.postgresql.org/docs/current/errcodes-appendix.html>):
//! [`ROWS`] holds one row per code whose errors name something, and says
//! where that code names it — a structured field (column, constraint;
//! <https://www.postgresql.org/docs/current/protocol-error-fields.html>),
//! the constraint looked up in the introspected table, the `Key (…)` of the
//! detail, a quoted name in the message, or the offending literal matched
//! to the column it was sent for (the value the message quotes, the
//! position it points at). A code without a row is read by its fields
//! alone; what none of these names stays unattributed, never guessed.

use crate::engine::attribution::{
    Assignment, Culprit, Refusal, Row, assigned, by_code, columns_named, key_columns, literal_text,
    quoted_after,
};
use crate::model::schema::Table;

use super::ErrorFields;

/// How each SQLSTATE that names something is attributed.
pub const ROWS: &[Row] = &[
    Row {
        code: "42703",
        name: "undefined_column",
        read: assigned_column,
    },
    Row {
        code: "23502",
        name: "not_null_violation",
        read: column_field,
    },
    Row {
        code: "23503",
        name: "foreign_key_violation",
        read: key_constraint,
    },
    Row {
        code: "23505",
        name: "unique_violation",
        read: key_constraint,
    },
    Row {
        code: "23514",
        name: "check_violation",
        read: check_constraint,
    },
    Row {
        code: "22001",
        name: "string_data_right_truncation",
        read: too_long,
    },
    Row {
        code: "22003",
        name: "numeric_value_out_of_range",
        read: out_of_range,
    },
    Row {
        code: "22P02",
        name: "invalid_text_representation",
        read: invalid_input,
    },
    Row {
        code: "22007",
        name: "invalid_datetime_format",
        read: invalid_input,
    },
    Row {
        code: "22008",
        name: "datetime_field_overflow",
        read: invalid_input,
    },
    Row {
        code: "22021",
        name: "character_not_in_repertoire",
        read: nul_character,
    },
    Row {
        code: "54000",
        name: "program_limit_exceeded",
        read: nul_character,
    },
    Row {
        code: "42804",
        name: "datatype_mismatch",
        read: named_column,
    },
    Row {
        code: "428C9",
        name: "generated_always",
        read: named_column,
    },
];

/// The columns of `table` that an error (its fields, raised by statement
/// `sql` setting `set`) is about, read by the row of its SQLSTATE in
/// [`ROWS`]; the constraint is the one the error names.
pub fn attribute(f: &ErrorFields, sql: &str, table: &Table, set: &[Assignment<'_>]) -> Culprit {
    let r = Refusal {
        error: f,
        sql,
        table,
        set,
    };
    let found = by_code(ROWS, &r, fields);
    Culprit {
        constraint: found.constraint.or_else(|| f.constraint.clone()),
        ..found
    }
}

/// A code without a row: the column field, else the constraint field's
/// columns.
fn fields(r: &Refusal<'_>) -> Culprit {
    let column = column_field(r);
    if !column.columns.is_empty() {
        return column;
    }
    Culprit::columns(
        r.error
            .constraint
            .as_deref()
            .map(|name| constraint_columns(r, name))
            .unwrap_or_default(),
    )
}

/// 42703, `column "fine_cents" of relation "loans" does not exist`: the
/// quoted name, when the statement assigns a column of that name — which
/// the table lacks, and that is the difference.
fn assigned_column(r: &Refusal<'_>) -> Culprit {
    Culprit::columns(
        quoted_after(r.message(), "column ")
            .and_then(|name| assigned(r.set, name))
            .into_iter()
            .collect(),
    )
}

/// 23502: the column field.
fn column_field(r: &Refusal<'_>) -> Culprit {
    Culprit::columns(
        r.error
            .column
            .as_deref()
            .and_then(|c| r.table.column(c))
            .map(|c| c.name.clone())
            .into_iter()
            .collect(),
    )
}

/// 42804 (`column "flag" is of type boolean but expression is of type
/// integer`), 428C9 (`cannot insert a non-DEFAULT value into column "g"`):
/// the column the message quotes.
fn named_column(r: &Refusal<'_>) -> Culprit {
    Culprit::columns(
        quoted_after(r.message(), "column ")
            .and_then(|c| r.table.column(c))
            .map(|c| c.name.clone())
            .into_iter()
            .collect(),
    )
}

/// 23503, 23505: the constraint's columns, else the `Key (…)` of the
/// detail (a refused DELETE of a parent row names the child's foreign key,
/// and its detail the parent's key), else the primary key when the
/// constraint has its default name `<table>_pkey`.
fn key_constraint(r: &Refusal<'_>) -> Culprit {
    let name = r.error.constraint.as_deref();
    let named = name.map(|n| constraint_columns(r, n)).unwrap_or_default();
    if !named.is_empty() {
        return Culprit::columns(named);
    }
    if let Some(cols) = r
        .error
        .detail
        .as_deref()
        .and_then(|d| detail_key_columns(d, r.table))
        && !cols.is_empty()
    {
        return Culprit::columns(cols);
    }
    if name.is_some_and(|n| n == format!("{}_pkey", r.table.name)) {
        return Culprit::columns(r.table.primary_key.clone());
    }
    Culprit::default()
}

/// 23514: the columns of the CHECK the constraint field names (a
/// domain's CHECK is one per column of the domain: those the statement
/// sets, when it sets any).
fn check_constraint(r: &Refusal<'_>) -> Culprit {
    Culprit::columns(
        r.error
            .constraint
            .as_deref()
            .map(|name| constraint_columns(r, name))
            .unwrap_or_default(),
    )
}

/// 22001, `value too long for type character varying(5)`: the first
/// literal sent to a column of that type that is longer, trailing spaces
/// aside (PostgreSQL drops those silently).
fn too_long(r: &Refusal<'_>) -> Culprit {
    let Some(ty) = r.message().strip_prefix("value too long for type ") else {
        return Culprit::default();
    };
    let Some(n) = ty
        .split_once('(')
        .and_then(|(_, rest)| rest.trim_end_matches(')').parse::<usize>().ok())
    else {
        return Culprit::default();
    };
    first_sent(r, |a| {
        of_type(r.table, a.column, ty)
            && literal_text(a.literal)
                .trim_end_matches(' ')
                .chars()
                .count()
                > n
    })
}

/// 22003: the value the message quotes (`value "v" is out of range for
/// type integer`, `"v" is out of range for type real`) → the column it was
/// sent for, or the first literal its column's type cannot hold
/// (`integer out of range`, `numeric field overflow`, `value out of range:
/// overflow` of a real), or the literal the server points at.
fn out_of_range(r: &Refusal<'_>) -> Culprit {
    let m = r.message();
    let quoted = m
        .strip_prefix("value \"")
        .or_else(|| m.strip_prefix('"'))
        .and_then(|rest| rest.rsplit_once("\" is out of range for type "));
    if let Some((value, ty)) = quoted
        && let Some(c) = sent_value(r, value, Some(ty))
    {
        return Culprit::columns(vec![c]);
    }
    // Whether a column's type holds the number its literal carries; None
    // for a literal that is no number or a type the message is not about.
    let held = |a: &Assignment<'_>| -> Option<bool> {
        let text = literal_text(a.literal);
        let x: f64 = text.parse().ok()?;
        let ty = type_of(r.table, a.column)?;
        if let Some(integer) = ["smallint", "integer", "bigint"]
            .into_iter()
            .find(|t| m.starts_with(&format!("{t} out of range")))
        {
            return (ty == integer).then(|| fits_integer(&text, integer));
        }
        if m.starts_with("numeric field overflow") {
            // Rounded to the scale, under 10^(p - s); NaN fits any.
            let (p, s) = numeric_digits(&ty)?;
            let bound = 10f64.powi(p - s) - 0.5 * 10f64.powi(-s);
            return Some(x.is_nan() || x.is_finite() && x.abs() < bound);
        }
        if m.starts_with("value out of range: ") && ty == "real" {
            // A double that becomes an infinite or a zero real.
            let tiny = f64::from(f32::from_bits(1)) / 2.0;
            return Some(
                !x.is_finite() || x.abs() <= f64::from(f32::MAX) && (x == 0.0 || x.abs() > tiny),
            );
        }
        None
    };
    let culprit = first_sent(r, |a| held(a) == Some(false));
    if culprit.columns.is_empty() {
        at_position(r)
    } else {
        culprit
    }
}

/// 22P02, 22007, 22008 (`invalid input syntax for type uuid: "abc"`,
/// `invalid input value for enum mood: "x"`, `date/time field value out of
/// range: "2024-02-30"`): the quoted value → the column it was sent for
/// (the one of the message's type when several were sent it); else the
/// literal the server points at; else, for `invalid input syntax for type
/// json`, which quotes no value, the literal sent to a json column that is
/// not JSON.
fn invalid_input(r: &Refusal<'_>) -> Culprit {
    let m = r.message();
    let ty = m
        .split_once("for type ")
        .or_else(|| m.split_once("for enum "))
        .map(|(_, t)| t.split(':').next().unwrap_or(t).trim());
    if let Some((_, rest)) = m.split_once(": \"")
        && let Some(c) = sent_value(r, rest.strip_suffix('"').unwrap_or(rest), ty)
    {
        return Culprit::columns(vec![c]);
    }
    // The literal the server points at, when its column is of the type
    // the message names (a json error is a json or jsonb column's).
    let json = |t: &str| t == "json" || t == "jsonb";
    let pointed = at_position(r);
    let fits = |c: &String| {
        ty.is_none_or(|ty| {
            type_of(r.table, c).is_some_and(|t| {
                (ty == "json" && json(&t)) || of_type(r.table, c, ty) || !known_type(ty)
            })
        })
    };
    if pointed.columns.iter().all(fits) && !pointed.columns.is_empty() {
        return pointed;
    }
    if ty != Some("json") {
        return if pointed.columns.iter().all(fits) {
            pointed
        } else {
            Culprit::default()
        };
    }
    first_sent(r, |a| {
        type_of(r.table, a.column).is_some_and(|t| t == "json" || t == "jsonb")
            && a.literal != "NULL"
            && serde_json::from_str::<serde_json::Value>(&literal_text(a.literal)).is_err()
    })
}

/// 22021 (`invalid byte sequence for encoding "UTF8": 0x00`) and 54000
/// (`null character not permitted`, from `chr(0)`): the first literal
/// carrying a NUL. Other limits of 54000 name no column.
fn nul_character(r: &Refusal<'_>) -> Culprit {
    let m = r.message();
    if !(m.ends_with(": 0x00") || m == "null character not permitted") {
        return Culprit::default();
    }
    first_sent(r, |a| {
        let l = a.literal.to_ascii_lowercase();
        l.contains("chr(0)")
            || l.starts_with("e'") && ["\\x00", "\\000", "\\u0000"].iter().any(|e| l.contains(e))
    })
}

/// The first column (in the statement's order, which is the order
/// PostgreSQL evaluates them in) whose literal passes `test`.
fn first_sent(r: &Refusal<'_>, test: impl Fn(&Assignment<'_>) -> bool) -> Culprit {
    Culprit::columns(
        r.set
            .iter()
            .find(|a| test(a))
            .map(|a| a.column.to_string())
            .into_iter()
            .collect(),
    )
}

/// The column `value` was sent for: the one of type `ty` when several
/// were, else the only one. A number matches by value (`1e39` is
/// `1000000000000000000000000000000000000000`).
fn sent_value(r: &Refusal<'_>, value: &str, ty: Option<&str>) -> Option<String> {
    let number = value.parse::<f64>().ok();
    let hits: Vec<&Assignment<'_>> = r
        .set
        .iter()
        .filter(|a| a.literal != "NULL")
        .filter(|a| {
            let text = literal_text(a.literal);
            text == value || number.is_some_and(|n| text.parse::<f64>().is_ok_and(|x| x == n))
        })
        .collect();
    let typed = hits
        .iter()
        .find(|a| ty.is_some_and(|t| of_type(r.table, a.column, t)));
    match (typed, hits.as_slice()) {
        (Some(a), _) | (None, [a]) => Some(a.column.to_string()),
        _ => None,
    }
}

/// The literal the server points at (its `position`).
fn at_position(r: &Refusal<'_>) -> Culprit {
    Culprit::columns(
        r.error
            .position
            .and_then(|p| literal_at(r.sql, p, r.set))
            .into_iter()
            .collect(),
    )
}

/// Whether a type name from a message is one a column's declared type
/// spells the same way (`uuid`, `json`, `integer`…): for a type the table
/// spells otherwise (`timestamp with time zone` in a message, a domain),
/// the position alone decides.
fn known_type(ty: &str) -> bool {
    matches!(
        ty,
        "uuid"
            | "json"
            | "jsonb"
            | "integer"
            | "smallint"
            | "bigint"
            | "boolean"
            | "bytea"
            | "numeric"
            | "inet"
            | "cidr"
            | "macaddr"
            | "date"
            | "interval"
    )
}

/// A column's type as `format_type` spells it, lower-cased.
fn type_of(table: &Table, column: &str) -> Option<String> {
    table.column(column).map(|c| c.declared_type.to_lowercase())
}

/// Whether `column` is of the type a message names (an enum's name may be
/// schema-qualified in the table, never in the message).
fn of_type(table: &Table, column: &str, ty: &str) -> bool {
    let ty = ty.to_lowercase();
    type_of(table, column).is_some_and(|t| t == ty || t.ends_with(&format!(".{ty}")))
}

/// Whether an integer type holds the number `text` carries (a
/// fractional one rounded half to even, as PostgreSQL rounds).
fn fits_integer(text: &str, ty: &str) -> bool {
    let bits = match ty {
        "smallint" => 16,
        "integer" => 32,
        _ => 64,
    };
    // [-2^(bits-1), 2^(bits-1)): exact as integers and as doubles.
    let end = 1i128 << (bits - 1);
    if let Ok(n) = text.parse::<i128>() {
        return (-end..end).contains(&n);
    }
    let half = 2f64.powi(bits - 1);
    text.parse::<f64>().is_ok_and(|x| {
        let x = x.round_ties_even();
        x >= -half && x < half
    })
}

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

/// The column whose literal (in `set` order, as written in `sql`) covers
/// the 1-based character position `pos`.
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

/// The columns a named constraint of `r`'s table covers: a CHECK's (a
/// domain's CHECK, the same name on each column of the domain: those the
/// statement sets, when it sets any), a foreign key's, a unique key's.
fn constraint_columns(r: &Refusal<'_>, name: &str) -> Vec<String> {
    let table = r.table;
    let checks: Vec<_> = table.checks.iter().filter(|c| c.name == name).collect();
    if !checks.is_empty() {
        let mut out: Vec<String> = Vec::new();
        for ch in &checks {
            let cols = match &ch.column {
                Some(c) => vec![c.clone()],
                None => columns_named(&ch.expr, table),
            };
            for c in cols {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        if checks.len() > 1 {
            let set: Vec<String> = out
                .iter()
                .filter(|c| assigned(r.set, c).is_some())
                .cloned()
                .collect();
            if !set.is_empty() {
                return set;
            }
        }
        return out;
    }
    if let Some(fk) = table.foreign_keys.iter().find(|k| k.name == name) {
        return fk.columns.clone();
    }
    if let Some(ix) = table.uniques.iter().find(|u| u.name == name) {
        return key_columns(&ix.key.parts, table);
    }
    Vec::new()
}

/// `Key (a, lower(b))=(…) …` → the columns named inside the key.
fn detail_key_columns(detail: &str, table: &Table) -> Option<Vec<String>> {
    let rest = detail.strip_prefix("Key (")?;
    let end = rest.find(")=(")?;
    Some(columns_named(&rest[..end], table))
}

/// The (precision, scale) of a `numeric(p,s)` type.
fn numeric_digits(ty: &str) -> Option<(i32, i32)> {
    let inner = ty.strip_prefix("numeric(")?.strip_suffix(')')?;
    let (p, s) = inner.split_once(',').unwrap_or((inner, "0"));
    Some((p.trim().parse().ok()?, s.trim().parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::{Check, Column, ForeignKey, Index, IndexKey, KeyPart};

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
                on_delete: crate::model::schema::FkAction::NoAction,
                on_update: crate::model::schema::FkAction::NoAction,
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

    fn failure(code: &str, message: &str, fields: ErrorFields) -> ErrorFields {
        ErrorFields {
            code: code.into(),
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
    fn a_json_error_is_a_json_column_s_whatever_the_position() {
        // A position past the literal (counted from a batch's SAVEPOINT,
        // say) points at a text column: the message's type rules it out.
        let sql = "INSERT INTO \"t\" (\"doc\", \"code\") VALUES ('not json', 'xxxx')";
        let set = [
            Assignment {
                column: "doc",
                literal: "'not json'",
            },
            Assignment {
                column: "code",
                literal: "'xxxx'",
            },
        ];
        let f = ErrorFields {
            code: "22P02".into(),
            message: "invalid input syntax for type json".into(),
            position: Some(sql.find("'xxxx").expect("literal") + 1),
            ..ErrorFields::default()
        };
        assert_eq!(attribute(&f, sql, &table(), &set).columns, vec!["doc"]);
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
            code: "22P02".into(),
            message: "invalid input syntax for type json".into(),
            position: Some(at),
            ..ErrorFields::default()
        };
        assert_eq!(attribute(&f, sql, &table(), &set).columns, vec!["doc"]);
        // The same value sent to two columns, neither of the message's
        // type: the position decides.
        let sql = "INSERT INTO \"t\" (\"a\", \"b\") VALUES ('x', 'x')";
        let set = [
            Assignment {
                column: "a",
                literal: "'x'",
            },
            Assignment {
                column: "b",
                literal: "'x'",
            },
        ];
        let f = ErrorFields {
            code: "22P02".into(),
            message: "malformed array literal: \"x\"".into(),
            position: Some(sql.rfind("'x'").expect("literal") + 1),
            ..ErrorFields::default()
        };
        assert_eq!(attribute(&f, sql, &table(), &set).columns, vec!["b"]);
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
        let f = failure(
            "42703",
            "column \"fine_cents\" of relation \"t\" does not exist",
            ErrorFields::default(),
        );
        assert_eq!(
            attribute(&f, "", &table(), &set).columns,
            vec!["fine_cents"]
        );
        // A name the statement does not assign (a WHERE's) is not taken.
        let f = failure(
            "42703",
            "column \"other\" does not exist",
            ErrorFields::default(),
        );
        assert!(attribute(&f, "", &table(), &set).columns.is_empty());
    }

    #[test]
    fn a_code_without_a_row_is_read_by_its_fields_alone() {
        // The message is not read: a trigger may say anything.
        let f = failure("P0001", "column \"flag\" is wrong", ErrorFields::default());
        assert!(cols(&f).is_empty());
        let f = failure(
            "P0001",
            "raised",
            ErrorFields {
                column: Some("flag".into()),
                ..ErrorFields::default()
            },
        );
        assert_eq!(cols(&f), vec!["flag"]);
        let f = failure(
            "23P01",
            "conflicting key value violates exclusion constraint",
            ErrorFields {
                constraint: Some("t_small_check".into()),
                ..ErrorFields::default()
            },
        );
        let culprit = attribute(&f, "", &table(), SET);
        assert_eq!(culprit.columns, vec!["small"]);
        assert_eq!(culprit.constraint.as_deref(), Some("t_small_check"));
    }

    #[test]
    fn the_quoted_column_of_a_type_mismatch_or_a_generated_column() {
        let f = failure(
            "42804",
            "column \"flag\" is of type boolean but expression is of type integer",
            ErrorFields::default(),
        );
        assert_eq!(cols(&f), vec!["flag"]);
        let f = failure(
            "428C9",
            "cannot insert a non-DEFAULT value into column \"id\"",
            ErrorFields::default(),
        );
        assert_eq!(cols(&f), vec!["id"]);
    }

    #[test]
    fn a_nul_goes_to_the_literal_carrying_it() {
        let set = [
            Assignment {
                column: "code",
                literal: "'a'",
            },
            Assignment {
                column: "meta",
                literal: "'a' || chr(0) || 'b'",
            },
        ];
        let f = failure(
            "54000",
            "null character not permitted",
            ErrorFields::default(),
        );
        assert_eq!(attribute(&f, "", &table(), &set).columns, vec!["meta"]);
        // Another limit of 54000 names nothing.
        let f = failure(
            "54000",
            "index row size 3000 exceeds btree version 4 maximum 2704 for index \"t_code_key\"",
            ErrorFields::default(),
        );
        assert!(attribute(&f, "", &table(), &set).columns.is_empty());
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
        // A value the message quotes, as a number: by value.
        let set = [
            Assignment {
                column: "id",
                literal: "1e39",
            },
            Assignment {
                column: "ratio",
                literal: "1e39",
            },
        ];
        let mut t = table();
        t.columns.push(Column {
            name: "ratio".into(),
            declared_type: "REAL".into(),
            ..Column::default()
        });
        let f = failure(
            "22003",
            &format!("\"1{}\" is out of range for type real", "0".repeat(39)),
            ErrorFields::default(),
        );
        assert_eq!(attribute(&f, "", &t, &set).columns, vec!["ratio"]);
        let f = failure(
            "22003",
            "value out of range: overflow",
            ErrorFields::default(),
        );
        assert_eq!(attribute(&f, "", &t, &set).columns, vec!["ratio"]);
        // An infinite double is no integer; NULL is no number.
        let set = [
            Assignment {
                column: "small",
                literal: "NULL",
            },
            Assignment {
                column: "id",
                literal: "'Infinity'::float8",
            },
        ];
        let f = failure("22003", "bigint out of range", ErrorFields::default());
        assert_eq!(attribute(&f, "", &t, &set).columns, vec!["id"]);
        let f = failure("22003", "integer out of range", ErrorFields::default());
        assert!(attribute(&f, "", &t, &set).columns.is_empty());
    }

    #[test]
    fn integer_bounds_are_exact() {
        assert!(fits_integer("32767", "smallint"));
        assert!(!fits_integer("32768", "smallint"));
        assert!(fits_integer("-32768.5", "smallint"));
        assert!(!fits_integer("32767.5", "smallint"));
        assert!(fits_integer("9223372036854775807", "bigint"));
        assert!(!fits_integer("9223372036854775808", "bigint"));
        assert!(!fits_integer("9.3e18", "bigint"));
        assert!(!fits_integer("Infinity", "integer"));
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
        // A domain's CHECK, on two columns: the one the statement sets.
        let mut t = table();
        for c in ["id", "small"] {
            t.checks.push(Check {
                name: "positive_check".into(),
                expr: format!("({c} > 0)"),
                column: Some(c.into()),
            });
        }
        let one = [Assignment {
            column: "small",
            literal: "-1",
        }];
        assert_eq!(
            attribute(&by_name("23514", "positive_check"), "", &t, &one).columns,
            vec!["small"]
        );
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
        let trigger = |name: &str, function: &str| crate::model::schema::Trigger {
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
