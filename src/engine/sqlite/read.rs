//! A user's database file read in place, for `replay`: opened read-only
//! (immutable when no write-ahead log sits beside it, so SQLite takes no
//! lock and writes nothing: <https://sqlite.org/uri.html#uriimmutable>),
//! its rows streamed through one statement cursor — a table is never
//! held in memory.

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::Database;
use crate::error::{Error, Result};
use crate::model::schema::Value;

/// One stored value as SQLite holds it: a value, or TEXT whose bytes are
/// not UTF-8 (kept as they are: PostgreSQL must see what the file holds).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Value(Value),
    InvalidText(Vec<u8>),
}

impl Cell {
    /// The value, invalid text read lossily (for display and comparison).
    pub fn value(&self) -> Value {
        match self {
            Cell::Value(v) => v.clone(),
            Cell::InvalidText(b) => Value::Text(String::from_utf8_lossy(b).into_owned()),
        }
    }
}

fn cell(v: ValueRef<'_>) -> Cell {
    match v {
        ValueRef::Null => Cell::Value(Value::Null),
        ValueRef::Integer(i) => Cell::Value(Value::Integer(i)),
        ValueRef::Real(f) => Cell::Value(Value::Real(f)),
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => Cell::Value(Value::Text(s.to_string())),
            Err(_) => Cell::InvalidText(t.to_vec()),
        },
        ValueRef::Blob(b) => Cell::Value(Value::Blob(b.to_vec())),
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Database {
    /// Opens an existing database file read-only, in place (no copy). Bad
    /// input (exit 2) when the file is not a SQLite database.
    pub fn open_read_only(path: &Path) -> Result<Self> {
        let bad = |reason: String| Error::MigrationDir {
            dir: path.to_path_buf(),
            reason,
        };
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let immutable = !Path::new(&wal).exists();
        let absolute = std::fs::canonicalize(path)
            .map_err(|e| bad(format!("failed to open the SQLite database: {e}")))?;
        // URI filenames: `?`, `#` and `%` in a path must be escaped.
        let escaped: String = absolute
            .to_string_lossy()
            .chars()
            .map(|c| match c {
                '?' => "%3f".to_string(),
                '#' => "%23".to_string(),
                '%' => "%25".to_string(),
                c => c.to_string(),
            })
            .collect();
        let uri = format!(
            "file:{escaped}?mode=ro{}",
            if immutable { "&immutable=1" } else { "" }
        );
        super::database::untracked_memory();
        let conn = Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| bad(format!("failed to open the SQLite database read-only: {e}")))?;
        // Opening is lazy: the first read says whether this is a database.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|e| bad(format!("not a SQLite database: {e}")))?;
        Ok(Database::wrap(conn))
    }

    /// How many rows `table` holds.
    pub fn count_rows(&self, table: &str) -> Result<u64> {
        let n: i64 = self
            .conn()
            .query_row(&format!("SELECT count(*) FROM {}", quote(table)), [], |r| {
                r.get(0)
            })
            .map_err(Error::sqlite)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Streams every row of `table`: `columns` in order, after the rowid
    /// when `rowid` (a table without a primary key is told apart by it).
    /// `each` gets the rowid (0 without `rowid`) and the row's cells; its
    /// `Err` stops the scan and is returned.
    pub fn each_row<E: From<Error>>(
        &self,
        table: &str,
        columns: &[String],
        rowid: bool,
        mut each: impl FnMut(i64, Vec<Cell>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut names: Vec<String> = columns.iter().map(|c| quote(c)).collect();
        if rowid {
            names.insert(0, "rowid".to_string());
        }
        let sql = format!("SELECT {} FROM {}", names.join(", "), quote(table));
        let mut stmt = self.conn().prepare(&sql).map_err(Error::sqlite)?;
        let mut rows = stmt.query([]).map_err(Error::sqlite)?;
        let skip = usize::from(rowid);
        while let Some(r) = rows.next().map_err(Error::sqlite)? {
            let id = if rowid {
                r.get::<_, i64>(0).map_err(Error::sqlite)?
            } else {
                0
            };
            let mut cells = Vec::with_capacity(columns.len());
            for i in 0..columns.len() {
                cells.push(cell(r.get_ref(i + skip).map_err(Error::sqlite)?));
            }
            each(id, cells)?;
        }
        Ok(())
    }

    /// Up to `limit` distinct non-NULL values of each of `columns` of
    /// `table` that the file has, in the order SQLite finds them (the same
    /// for the same file). A table or column the file lacks gives none;
    /// text whose bytes are not UTF-8 is left out.
    pub fn distinct_values(
        &self,
        table: &str,
        columns: &[String],
        limit: usize,
    ) -> Result<Vec<(String, Vec<Value>)>> {
        let present: Vec<String> = {
            let mut stmt = self
                .conn()
                .prepare("SELECT name FROM pragma_table_info(?1)")
                .map_err(Error::sqlite)?;
            stmt.query_map([table], |r| r.get::<_, String>(0))
                .map_err(Error::sqlite)?
                .collect::<rusqlite::Result<_>>()
                .map_err(Error::sqlite)?
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut out = Vec::new();
        for column in columns.iter().filter(|c| present.contains(c)) {
            let sql = format!(
                "SELECT DISTINCT {c} FROM {t} WHERE {c} IS NOT NULL LIMIT ?1",
                c = quote(column),
                t = quote(table)
            );
            let mut stmt = self.conn().prepare(&sql).map_err(Error::sqlite)?;
            let mut rows = stmt.query([limit]).map_err(Error::sqlite)?;
            let mut values = Vec::new();
            while let Some(row) = rows.next().map_err(Error::sqlite)? {
                if let Cell::Value(v) = cell(row.get_ref(0).map_err(Error::sqlite)?) {
                    values.push(v);
                }
            }
            out.push((column.clone(), values));
        }
        Ok(out)
    }
}
