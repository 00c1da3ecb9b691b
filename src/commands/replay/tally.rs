//! What happened to the file's rows, grouped by root cause: one group per
//! (table, column, what happened) — refused with one SQLSTATE, read back
//! different, a seed row that differs, a value PostgreSQL has no column
//! for — counting its rows and keeping the first five as examples. Each
//! group becomes one [`Finding`] with `rows` and `examples`.

use std::collections::{BTreeMap, BTreeSet};

use crate::check::category_of;
use crate::engine::postgres::{self, PgFailure};
use crate::model::finding::{Category, CheckKind, Example, Finding};
use crate::model::schema::Value;

use super::rows::cut;

/// Examples a finding keeps.
pub const EXAMPLES: usize = 5;

/// What happened to a row in one column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum What {
    /// PostgreSQL refused the row, with this SQLSTATE.
    Refused(String),
    /// The row loaded, and the column read back different.
    Altered,
    /// A seed row the PostgreSQL migrations inserted has the row's key,
    /// and the column differs from the file's.
    SeedDiffers,
    /// PostgreSQL has no such column: the file's values are lost.
    Lost,
}

#[derive(Debug, Default)]
struct Group {
    rows: u64,
    examples: Vec<Example>,
    /// SQLite storage classes of the affected values.
    classes: BTreeSet<&'static str>,
    /// What PostgreSQL said, values taken out (refusals only).
    said: String,
}

/// The groups of a run.
#[derive(Debug, Default)]
pub struct Tally {
    groups: BTreeMap<(String, String, What), Group>,
    /// `--no-values`: examples keep keys only.
    pub no_values: bool,
}

/// One affected row, as [`Tally::note`] records it.
pub struct Seen<'a> {
    pub table: &'a str,
    /// Empty when the engine did not say which column.
    pub column: &'a str,
    pub what: What,
    pub key: serde_json::Value,
    pub sqlite: &'a Value,
    /// What PostgreSQL read back, or said.
    pub postgres: String,
    /// What PostgreSQL said with values taken out (refusals).
    pub said: String,
}

fn class(v: &Value) -> &'static str {
    match v {
        Value::Null => "NULL",
        Value::Integer(_) => "INTEGER",
        Value::Real(_) => "REAL",
        Value::Text(_) => "TEXT",
        Value::Blob(_) => "BLOB",
    }
}

impl Tally {
    pub fn new(no_values: bool) -> Self {
        Tally {
            groups: BTreeMap::new(),
            no_values,
        }
    }

    /// Records one affected row.
    pub fn note(&mut self, seen: Seen<'_>) {
        let g = self
            .groups
            .entry((seen.table.to_string(), seen.column.to_string(), seen.what))
            .or_default();
        g.rows += 1;
        g.classes.insert(class(seen.sqlite));
        if g.said.is_empty() {
            g.said = seen.said;
        }
        if g.examples.len() < EXAMPLES {
            g.examples.push(Example {
                key: seen.key,
                sqlite: (!self.no_values).then(|| super::rows::shown(seen.sqlite)),
                postgres: (!self.no_values).then(|| cut(&seen.postgres)),
            });
        }
    }

    /// Adds the groups another tally kept (a stage of the same table's
    /// load: its rows come after this one's in each group they share).
    pub fn absorb(&mut self, other: Tally) {
        for (key, g) in other.groups {
            let mine = self.groups.entry(key).or_default();
            mine.rows += g.rows;
            mine.classes.extend(g.classes);
            if mine.said.is_empty() {
                mine.said = g.said;
            }
            let room = EXAMPLES.saturating_sub(mine.examples.len());
            mine.examples.extend(g.examples.into_iter().take(room));
        }
    }

    /// One finding per group. `declared` gives a column's declared types
    /// (SQLite, PostgreSQL) for the sentence that says why.
    pub fn findings(self, declared: impl Fn(&str, &str) -> (String, String)) -> Vec<Finding> {
        let mut out = Vec::new();
        for ((table, column, what), g) in self.groups {
            let (sqlite_type, pg_type) = declared(&table, &column);
            let classes = g.classes.iter().copied().collect::<Vec<_>>().join(", ");
            let holds = format!(
                "holds {classes} values in a column declared {}",
                if sqlite_type.is_empty() {
                    "without a type".to_string()
                } else {
                    sqlite_type.clone()
                }
            );
            let place = if column.is_empty() {
                format!("`{table}`")
            } else {
                format!("column `{column}` of `{table}`")
            };
            let rows = g.rows;
            let (category, detail, message, sqlite, pg) = match &what {
                What::Refused(code) => {
                    let kind = postgres::classify(code);
                    let category = category_of(kind);
                    let why = match category {
                        Category::ForeignKey => "references a row its parent table lacks (SQLite does not check references while PRAGMA foreign_keys is off)".to_string(),
                        _ => holds.clone(),
                    };
                    (
                        category,
                        format!("refused {code}"),
                        format!("{rows} row(s): PostgreSQL refuses {place} ({})", g.said),
                        why,
                        format!("refuses the row: {} (SQLSTATE {code})", g.said),
                    )
                }
                What::Altered => (
                    Category::Type,
                    "altered".to_string(),
                    format!("{rows} row(s) load but read back different in {place}"),
                    holds.clone(),
                    format!("stores it as {pg_type} and reads back a different value"),
                ),
                What::SeedDiffers => (
                    Category::SeedData,
                    "seed differs".to_string(),
                    format!(
                        "{rows} row(s) share their key with a row the PostgreSQL migrations insert, which differs in {place}"
                    ),
                    "holds the row with this key".to_string(),
                    "seeds a row with this key (its migrations insert it) and another value"
                        .to_string(),
                ),
                What::Lost => (
                    Category::MissingColumn,
                    "lost".to_string(),
                    format!(
                        "{rows} row(s) hold a value in {place}, which PostgreSQL lacks: the values are lost"
                    ),
                    format!("holds {classes} values"),
                    "has no such column".to_string(),
                ),
            };
            let columns: Vec<&str> = if column.is_empty() {
                Vec::new()
            } else {
                vec![column.as_str()]
            };
            let mut f = Finding::new(CheckKind::Replay, category, &table, &columns, &detail)
                .message(message)
                .sides(format!("SQLite {sqlite}"), format!("PostgreSQL {pg}"));
            f.rows = Some(rows);
            f.examples = g.examples;
            out.push(f);
        }
        out
    }
}

/// What PostgreSQL said of a refused row with the row's values taken out
/// (a message names the value it refused: `invalid input syntax for type
/// bigint: "abc"`), so that rows refused for one reason say one thing,
/// and no value reaches a report through it.
pub fn said(failure: &PgFailure) -> String {
    let m = failure.message.as_str();
    // `…: "value"` and `value "…" is out of range`.
    let mut out = String::with_capacity(m.len());
    let mut rest = m;
    if let Some(at) = rest.find(": 0x") {
        return format!("{}: 0x…", &rest[..at]);
    }
    while let Some(open) = rest.find('"') {
        let Some(close) = rest[open + 1..].find('"') else {
            break;
        };
        let quoted = &rest[open + 1..open + 1 + close];
        out.push_str(&rest[..open]);
        let before = rest[..open].trim_end();
        // Identifiers follow `relation`, `constraint`, `column`, `type`,
        // `table`, `encoding`; anything else quoted is a value.
        let identifier = [
            "relation",
            "constraint",
            "column",
            "type",
            "table",
            "encoding",
        ]
        .iter()
        .any(|w| before.ends_with(w));
        if identifier {
            out.push('"');
            out.push_str(quoted);
            out.push('"');
        } else {
            out.push_str("\"\u{2026}\"");
        }
        rest = &rest[open + 1 + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(message: &str) -> PgFailure {
        PgFailure {
            code: "22P02".into(),
            message: message.into(),
            position: None,
            fields: Box::default(),
        }
    }

    #[test]
    fn values_are_taken_out_of_what_postgres_said() {
        assert_eq!(
            said(&failure(r#"invalid input syntax for type bigint: "abc""#)),
            "invalid input syntax for type bigint: \"\u{2026}\""
        );
        assert_eq!(
            said(&failure(
                r#"value "99999999999" is out of range for type integer"#
            )),
            "value \"\u{2026}\" is out of range for type integer"
        );
        assert_eq!(
            said(&failure(
                r#"insert or update on table "orders" violates foreign key constraint "orders_customer_fkey""#
            )),
            r#"insert or update on table "orders" violates foreign key constraint "orders_customer_fkey""#
        );
        assert_eq!(
            said(&failure(
                r#"invalid byte sequence for encoding "UTF8": 0xff"#
            )),
            r#"invalid byte sequence for encoding "UTF8": 0x…"#
        );
    }

    fn seen<'a>(key: i64, value: &'a Value, what: What) -> Seen<'a> {
        Seen {
            table: "t",
            column: "c",
            what,
            key: serde_json::json!({ "id": key }),
            sqlite: value,
            postgres: "back".into(),
            said: String::new(),
        }
    }

    #[test]
    fn a_stage_s_tally_is_added_after_the_rows_already_kept() {
        let v = Value::Integer(1);
        let mut first = Tally::new(false);
        for k in 1..=3 {
            first.note(seen(k, &v, What::Altered));
        }
        first.note(seen(100, &v, What::Lost));
        let mut second = Tally::new(false);
        for k in 4..=9 {
            second.note(seen(k, &v, What::Altered));
        }
        second.note(seen(
            200,
            &Value::Text("x".into()),
            What::Refused("22P02".into()),
        ));
        first.absorb(second);
        let by_what = |w: What| {
            first
                .groups
                .get(&("t".to_string(), "c".to_string(), w))
                .map(|g| {
                    (
                        g.rows,
                        g.examples
                            .iter()
                            .map(|e| e.key["id"].as_i64().unwrap_or(0))
                            .collect::<Vec<_>>(),
                    )
                })
        };
        assert_eq!(by_what(What::Altered), Some((9, vec![1, 2, 3, 4, 5])));
        assert_eq!(by_what(What::Lost), Some((1, vec![100])));
        assert_eq!(by_what(What::Refused("22P02".into())), Some((1, vec![200])));
    }
}
