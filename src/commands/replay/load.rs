//! One table of the file loaded into PostgreSQL and read back.
//!
//! Rows stream from the file through one cursor and go to PostgreSQL in
//! batches of `COPY` text. A refused batch is split in halves until the
//! refused rows stand alone (one bad row costs about 2·log₂(batch) small
//! COPYs); a row refused alone is tried once more as the `INSERT` `check`
//! would run, so what the mapping does to it (1.5 in an integer column
//! rounded to 2) is what PostgreSQL does, and refused by both it is a
//! refusal. Every piece that loads is read back at once — the rows past
//! the last one read, in physical order (`ctid`: each table's autovacuum
//! is off in the scratch database, so nothing reuses the space refused
//! rows left and rows lie in the order they were sent) — and compared
//! column by column with `round_trip`'s comparison
//! ([`crate::check::same_stored`]). Rows whose key a seed row already has
//! are compared with it and not loaded. A row refused for a reference to
//! its own table waits until the rest of the table is in (a tree's row may
//! name a parent further down the file).

use std::collections::HashMap;

use crate::engine::postgres::{self, PgFailure, Session};
use crate::engine::sqlite::{Cell, Database};
use crate::error::{Error, Result};
use crate::model::schema::Value;
use crate::sql::text::{quote_ident, quote_literal};

use super::rows::{Row, Shape};
use super::tally::{Seen, Tally, What, said};

/// What loading a table did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Loaded {
    /// Rows read from the file.
    pub read: u64,
    /// Rows PostgreSQL took (seed rows matched by key not among them).
    pub loaded: u64,
}

/// Loads one table. `advance(done)` hears how many of its rows are done.
pub fn table(
    file: &Database,
    session: &mut Session,
    shape: &Shape<'_>,
    tally: &mut Tally,
    batch_rows: usize,
    advance: &mut dyn FnMut(u64),
) -> Result<Loaded> {
    let info = shape.info;
    let pg = |e: PgFailure| Error::postgres(format!("failed to replay `{}`: {e}", info.name));
    let table = quote_ident(&info.name);
    session
        .execute(&format!(
            "ALTER TABLE {table} SET (autovacuum_enabled = false)"
        ))
        .map_err(pg)?;
    let seeds = seed_rows(session, shape).map_err(pg)?;
    let last = session
        .query_values(&format!(
            "SELECT ctid FROM {table} ORDER BY ctid DESC LIMIT 1"
        ))
        .map_err(pg)?;
    let last_ctid = match last.first().and_then(|r| r.first()) {
        Some(Value::Text(t)) => t.clone(),
        _ => "(0,0)".to_string(),
    };
    let columns: Vec<String> = info.columns.iter().map(|c| c.name.clone()).collect();
    let mut load = Load {
        session,
        shape,
        tally,
        last_ctid,
        names: shape.loaded_names(),
        done: Loaded::default(),
        waiting: Vec::new(),
    };
    let mut batch: Vec<Row> = Vec::with_capacity(batch_rows);
    let rowid = shape.key.is_empty();
    file.each_row(&info.name, &columns, rowid, |id, cells| -> Result<()> {
        let row = Row { rowid: id, cells };
        load.lost(&row);
        load.done.read += 1;
        if let Some(seed) = shape.key_text(&row).and_then(|k| seeds.get(&k)) {
            load.against_seed(&row, seed);
        } else {
            batch.push(row);
        }
        if batch.len() >= batch_rows {
            load.batch(&std::mem::take(&mut batch))?;
            advance(load.done.read);
        }
        Ok(())
    })?;
    load.batch(&batch)?;
    load.retry_waiting()?;
    advance(load.done.read);
    Ok(load.done)
}

/// Rows the PostgreSQL migrations put in the table, by key (none for a
/// table without a primary key).
fn seed_rows(
    session: &mut Session,
    shape: &Shape<'_>,
) -> Result<HashMap<String, Vec<Value>>, PgFailure> {
    let mut out = HashMap::new();
    if shape.key.is_empty() || shape.loaded.is_empty() {
        return Ok(out);
    }
    let rows = session.query_values(&format!(
        "SELECT {} FROM {}",
        shape.column_list(),
        quote_ident(&shape.info.name)
    ))?;
    for r in rows {
        if let Some(k) = shape.read_key_text(&r) {
            out.insert(k, r);
        }
    }
    Ok(out)
}

struct Load<'a, 's> {
    session: &'a mut Session,
    shape: &'a Shape<'s>,
    tally: &'a mut Tally,
    /// The `ctid` of the last row read back: rows past it are new.
    last_ctid: String,
    names: Vec<&'s str>,
    done: Loaded,
    /// Rows refused for a reference to their own table: the row they
    /// reference may come later in the file. Tried again once the rest of
    /// the table is in, until no more load.
    waiting: Vec<(Row, PgFailure, String)>,
}

impl Load<'_, '_> {
    /// A row's values in the columns PostgreSQL lacks are lost.
    fn lost(&mut self, row: &Row) {
        for (i, c) in self.shape.info.columns.iter().enumerate() {
            if !c.missing_on_pg {
                continue;
            }
            let Some(v) = row.cells.get(i).map(Cell::value) else {
                continue;
            };
            if v.is_null() {
                continue;
            }
            self.tally.note(Seen {
                table: &self.shape.info.name,
                column: &c.name,
                what: What::Lost,
                key: self.shape.key_json(row),
                sqlite: &v,
                postgres: "no such column".into(),
                said: String::new(),
            });
        }
    }

    /// Compares a row with the seed row of the same key (not loaded). A
    /// column whose SQLite default draws anew for each row (a clock,
    /// random bytes) compares by presence, as `check`'s seed_data compares
    /// it: the two were drawn at different times by nature.
    fn against_seed(&mut self, row: &Row, seed: &[Value]) {
        let info = self.shape.info;
        let drawn: Vec<Value> = (self.shape.loaded.iter().zip(seed))
            .map(|(&i, pv)| {
                let varies = info.columns.get(i).is_some_and(|c| c.default.varies());
                match row.cells.get(i).map(Cell::value) {
                    Some(sv) if varies && sv.is_null() != pv.is_null() => pv.clone(),
                    Some(sv) if varies => sv,
                    _ => pv.clone(),
                }
            })
            .collect();
        self.compare(row, &drawn, What::SeedDiffers);
    }

    /// Compares the loaded columns of a row of the file with a row read
    /// back (values in load order).
    fn compare(&mut self, row: &Row, back: &[Value], what: What) {
        let info = self.shape.info;
        for (n, &i) in self.shape.loaded.iter().enumerate() {
            let (Some(col), Some(cell), Some(pv)) =
                (info.columns.get(i), row.cells.get(i), back.get(n))
            else {
                continue;
            };
            let sv = cell.value();
            if crate::check::same_stored(col, &sv, pv) {
                continue;
            }
            self.tally.note(Seen {
                table: &info.name,
                column: &col.name,
                what: what.clone(),
                key: self.shape.key_json(row),
                sqlite: &sv,
                postgres: super::rows::shown(pv),
                said: String::new(),
            });
        }
    }

    /// Loads a batch with one COPY, or its halves when it is refused.
    fn batch(&mut self, rows: &[Row]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut data = Vec::with_capacity(rows.len() * 64);
        for r in rows {
            self.shape.copy_line(r, &mut data);
        }
        match self
            .session
            .copy_in(&self.shape.info.name, &self.names, &data)
        {
            Ok(_) => self.read_back(rows),
            Err(f) if f.code.is_empty() => Err(Error::postgres(format!(
                "failed to load `{}`: {f}",
                self.shape.info.name
            ))),
            Err(f) => match rows {
                [row] => self.alone(row, &f),
                _ => {
                    let (a, b) = rows.split_at(rows.len() / 2);
                    self.batch(a)?;
                    self.batch(b)
                }
            },
        }
    }

    /// A row COPY refused, tried as the INSERT `check` would run.
    fn alone(&mut self, row: &Row, copy_refused: &PgFailure) -> Result<()> {
        let Some((sql, set)) = self.shape.insert(row) else {
            // Text that is not UTF-8: the column holding it is the cause.
            let column = (self.shape.info.columns.iter().zip(&row.cells))
                .find(|(_, c)| matches!(c, Cell::InvalidText(_)))
                .map(|(c, _)| c.name.clone())
                .unwrap_or_default();
            self.refused(row, &column, copy_refused);
            return Ok(());
        };
        match self.session.execute(&sql) {
            Ok(()) => self.read_back(std::slice::from_ref(row)),
            Err(f) if f.code.is_empty() => Err(Error::postgres(format!(
                "failed to load `{}`: {f}",
                self.shape.info.name
            ))),
            Err(f) => {
                let assignments: Vec<crate::engine::attribution::Assignment<'_>> = set
                    .iter()
                    .map(|(c, l)| crate::engine::attribution::Assignment {
                        column: c,
                        literal: l,
                    })
                    .collect();
                let culprit =
                    postgres::attribute(&f.fields, &sql, &self.shape.info.pg_table, &assignments);
                let column = culprit.columns.first().cloned().unwrap_or_default();
                if self.self_reference(&f, &culprit.columns) {
                    self.waiting.push((row.clone(), f, column));
                } else {
                    self.refused(row, &column, &f);
                }
                Ok(())
            }
        }
    }

    /// A refusal for a reference to the row's own table (a tree: a
    /// `parent_id` naming a row further down the file).
    fn self_reference(&self, f: &PgFailure, columns: &[String]) -> bool {
        let info = self.shape.info;
        f.code == "23503"
            && info.foreign_keys.iter().any(|fk| {
                fk.target_table == info.name && fk.columns.iter().any(|c| columns.contains(c))
            })
    }

    /// Tries the rows that waited for a row of their own table, one by
    /// one, as long as some load; those left are refused.
    fn retry_waiting(&mut self) -> Result<()> {
        loop {
            let waiting = std::mem::take(&mut self.waiting);
            let before = waiting.len();
            for (row, _, _) in &waiting {
                self.batch(std::slice::from_ref(row))?;
            }
            if self.waiting.is_empty() || self.waiting.len() == before {
                break;
            }
        }
        for (row, f, column) in std::mem::take(&mut self.waiting) {
            self.refused(&row, &column, &f);
        }
        Ok(())
    }

    fn refused(&mut self, row: &Row, column: &str, f: &PgFailure) {
        let info = self.shape.info;
        let value = info
            .columns
            .iter()
            .position(|c| c.name == column)
            .and_then(|i| row.cells.get(i))
            .map_or(Value::Null, Cell::value);
        self.tally.note(Seen {
            table: &info.name,
            column,
            what: What::Refused(f.code.clone()),
            key: self.shape.key_json(row),
            sqlite: &value,
            postgres: f.message.clone(),
            said: said(f),
        });
    }

    /// Reads back the rows just loaded (those past the last read) and
    /// compares them with the file's.
    fn read_back(&mut self, rows: &[Row]) -> Result<()> {
        let info = self.shape.info;
        let list = self.shape.column_list();
        let sql = format!(
            "SELECT ctid{}{list} FROM {} WHERE ctid > {}::tid ORDER BY ctid",
            if list.is_empty() { "" } else { ", " },
            quote_ident(&info.name),
            quote_literal(&self.last_ctid)
        );
        let back = self
            .session
            .query_values(&sql)
            .map_err(|e| Error::postgres(format!("failed to read back `{}`: {e}", info.name)))?;
        if back.len() != rows.len() {
            return Err(Error::postgres(format!(
                "failed to read back `{}`: {} row(s) loaded, {} found past {}",
                info.name,
                rows.len(),
                back.len(),
                self.last_ctid
            )));
        }
        for (row, b) in rows.iter().zip(&back) {
            self.compare(row, b.get(1..).unwrap_or_default(), What::Altered);
        }
        if let Some(Value::Text(t)) = back.last().and_then(|r| r.first()) {
            self.last_ctid = t.clone();
        }
        self.done.loaded += u64::try_from(rows.len()).unwrap_or(u64::MAX);
        Ok(())
    }
}
