//! A row of the user's file and how it travels: its key (for examples and
//! for matching seed rows), its line of `COPY` text and its `INSERT` (both
//! spelled by `mapping`, the one home of how a value is written to
//! PostgreSQL), and a value as an example shows it.

use crate::check::TableInfo;
use crate::engine::sqlite::Cell;
use crate::mapping;
use crate::model::schema::Value;
use crate::sql::text::quote_ident;

/// A row read from the file: its rowid (0 when the table has a primary
/// key) and its cells, in the order of the table's SQLite columns.
#[derive(Debug, Clone)]
pub struct Row {
    pub rowid: i64,
    pub cells: Vec<Cell>,
}

/// How a table's rows are written and read: which SQLite columns are
/// loaded (those PostgreSQL has and neither side computes) and which make
/// the key.
pub struct Shape<'a> {
    pub info: &'a TableInfo,
    /// Indices into `info.columns` of the columns loaded, in load order.
    pub loaded: Vec<usize>,
    /// Indices into `info.columns` of the primary key's columns (empty:
    /// rows are told apart by rowid).
    pub key: Vec<usize>,
    /// PostgreSQL refuses an explicit value in a `GENERATED ALWAYS`
    /// identity column unless the INSERT overrides it.
    overriding: bool,
}

impl<'a> Shape<'a> {
    pub fn new(info: &'a TableInfo) -> Self {
        let loaded = (info.columns.iter().enumerate())
            .filter(|(_, c)| !c.missing_on_pg && !c.generated)
            .map(|(i, _)| i)
            .collect();
        let key = (info.primary_key.iter())
            .filter_map(|k| info.columns.iter().position(|c| &c.name == k))
            .collect();
        let overriding = info.pg_table.columns.iter().any(|c| c.identity_always);
        Shape {
            info,
            loaded,
            key,
            overriding,
        }
    }

    /// The names of the loaded columns, in load order.
    pub fn loaded_names(&self) -> Vec<&'a str> {
        let info = self.info;
        (self.loaded.iter())
            .filter_map(|&i| info.columns.get(i).map(|c| c.name.as_str()))
            .collect()
    }

    /// The loaded columns, quoted and comma-separated.
    pub fn column_list(&self) -> String {
        (self.loaded_names().iter())
            .map(|c| quote_ident(c))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Appends the row's line of `COPY` text format to `out`.
    pub fn copy_line(&self, row: &Row, out: &mut Vec<u8>) {
        for (n, &i) in self.loaded.iter().enumerate() {
            if n > 0 {
                out.push(b'\t');
            }
            let (Some(cell), Some(col)) = (row.cells.get(i), self.info.columns.get(i)) else {
                out.extend_from_slice(b"\\N");
                continue;
            };
            match cell {
                Cell::Value(v) => mapping::copy_postgres(v, &col.pg_kind, out),
                Cell::InvalidText(b) => mapping::copy_text(b, out),
            }
        }
        out.push(b'\n');
    }

    /// The row as the `INSERT` `check` would run (its literals from
    /// [`mapping::lit_postgres`]), with each column's literal for
    /// attribution; `None` when a cell holds text that is not UTF-8, which
    /// no literal can carry.
    pub fn insert(&self, row: &Row) -> Option<(String, Vec<(String, String)>)> {
        let mut set = Vec::with_capacity(self.loaded.len());
        for &i in &self.loaded {
            let col = self.info.columns.get(i)?;
            let Cell::Value(v) = row.cells.get(i)? else {
                return None;
            };
            set.push((
                col.name.clone(),
                mapping::lit_postgres(&v.lit(), &col.pg_kind),
            ));
        }
        let sql = format!(
            "INSERT INTO {} ({}){} VALUES ({})",
            quote_ident(&self.info.name),
            self.column_list(),
            if self.overriding {
                " OVERRIDING SYSTEM VALUE"
            } else {
                ""
            },
            set.iter()
                .map(|(_, l)| l.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        Some((sql, set))
    }

    /// The row's key as an example names it: `{column: value}` for each
    /// primary key column, `{"rowid": n}` without a primary key.
    pub fn key_json(&self, row: &Row) -> serde_json::Value {
        let mut key = serde_json::Map::new();
        if self.key.is_empty() {
            key.insert("rowid".into(), row.rowid.into());
        }
        for &i in &self.key {
            let (Some(col), Some(cell)) = (self.info.columns.get(i), row.cells.get(i)) else {
                continue;
            };
            key.insert(col.name.clone(), json_of(&cell.value()));
        }
        serde_json::Value::Object(key)
    }

    /// The row's key as a string that a seed row read back from
    /// PostgreSQL with the same key has too (`None` without a key).
    pub fn key_text(&self, row: &Row) -> Option<String> {
        if self.key.is_empty() {
            return None;
        }
        let values: Vec<Value> = (self.key.iter())
            .filter_map(|&i| row.cells.get(i).map(Cell::value))
            .collect();
        Some(format!("{values:?}"))
    }

    /// The key of a row read back from PostgreSQL (its values in load
    /// order), as [`Shape::key_text`] spells it.
    pub fn read_key_text(&self, values: &[Value]) -> Option<String> {
        if self.key.is_empty() {
            return None;
        }
        let picked: Vec<Value> = (self.key.iter())
            .filter_map(|k| self.loaded.iter().position(|l| l == k))
            .filter_map(|p| values.get(p).cloned())
            .collect();
        Some(format!("{picked:?}"))
    }
}

fn json_of(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => (*i).into(),
        Value::Real(f) => serde_json::Number::from_f64(*f)
            .map_or_else(|| shown(v).into(), serde_json::Value::Number),
        Value::Text(_) | Value::Blob(_) => shown(v).into(),
    }
}

/// The longest a value in an example is, in characters.
pub const SHOWN_CHARS: usize = 64;

/// A value as an example shows it: text as it is, a blob as `x'…'` hex,
/// NULL as `NULL`; cut at [`SHOWN_CHARS`] characters (the last one `…`).
pub fn shown(v: &Value) -> String {
    let full = match v {
        Value::Null => "NULL".to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => format!("{f:?}"),
        Value::Text(s) => s.clone(),
        Value::Blob(b) => format!(
            "x'{}'",
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        ),
    };
    cut(&full)
}

/// `s` cut at [`SHOWN_CHARS`] characters, the last one `…` when cut.
pub fn cut(s: &str) -> String {
    if s.chars().count() <= SHOWN_CHARS {
        return s.to_string();
    }
    let mut out: String = s.chars().take(SHOWN_CHARS - 1).collect();
    out.push('\u{2026}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_values_are_cut_at_64_characters() {
        let long = "x".repeat(100);
        let s = shown(&Value::Text(long));
        assert_eq!(s.chars().count(), SHOWN_CHARS);
        assert!(s.ends_with('\u{2026}'));
        assert_eq!(shown(&Value::Text("short".into())), "short");
        assert_eq!(shown(&Value::Blob(vec![0, 255])), "x'00ff'");
        assert_eq!(shown(&Value::Null), "NULL");
    }
}
