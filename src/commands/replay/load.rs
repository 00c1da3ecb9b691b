//! One table of the file loaded into PostgreSQL and read back.
//!
//! Rows stream from the file through one cursor and go to PostgreSQL in
//! batches of `COPY` text. A refused batch is split in halves until the
//! refused rows stand alone (one bad row costs about 2·log₂(batch) small
//! COPYs); a row refused alone is tried once more as the `INSERT` `check`
//! would run, so what the mapping does to it (1.5 in an integer column
//! rounded to 2) is what PostgreSQL does, and refused by both it is a
//! refusal. Every piece that loads is read back — the rows past the last
//! one read, in physical order (`ctid`: each table's autovacuum is off in
//! the scratch database, so nothing reuses the space refused rows left
//! and rows lie in the order they were sent) — while the next one loads,
//! and compared
//! column by column with `round_trip`'s comparison
//! ([`crate::check::same_stored`]). Rows whose key a seed row already has
//! are compared with it and not loaded. A row refused for a reference to
//! its own table waits until the rest of the table is in (a tree's row may
//! name a parent further down the file).

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

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
}

/// Batches in flight between two stages: enough to keep the next stage
/// busy, few enough that memory stays bounded by a handful of batches.
const IN_FLIGHT: usize = 2;

/// A batch on its way to PostgreSQL: its rows and their `COPY` text.
struct Batch {
    rows: Vec<Row>,
    data: Vec<u8>,
}

/// Loads one table. `advance(done)` hears how many of its rows are done.
///
/// Three stages run at once, so that the two cores work on different rows:
/// this thread reads the file and writes each batch's `COPY` text; a
/// loader sends the batches over `session` (bisecting refused ones); a
/// reader reads each loaded piece back over `readback`, a second
/// connection, and compares it. PostgreSQL runs the `COPY` of one batch
/// and the read-back of the one before it in two backends at once. Each
/// stage keeps its own tally (rows lost and seed rows here, refusals in
/// the loader, altered values in the reader: never the same group), and
/// they are added to `tally` at the end, so a finding's examples are its
/// first rows in file order, as when one thread did everything.
pub fn table(
    file: &Database,
    sessions: (&mut Session, &mut Session),
    shape: &Shape<'_>,
    tally: &mut Tally,
    batch_rows: usize,
    advance: &mut dyn FnMut(u64),
) -> Result<Loaded> {
    let (session, readback) = sessions;
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
    let no_values = tally.no_values;
    let (to_load, batches) = sync_channel::<Batch>(IN_FLIGHT);
    let (to_read, loaded) = sync_channel::<Vec<Row>>(IN_FLIGHT);
    let mut reading = Tally::new(no_values);
    let mut read = 0;
    let (read_result, loader, reader) = std::thread::scope(|scope| {
        let loader = scope.spawn(move || {
            let mut load = Load {
                session,
                shape,
                tally: Tally::new(no_values),
                names: shape.loaded_names(),
                waiting: Vec::new(),
                read_back: to_read,
            };
            load.run(&batches).map(|()| load.tally)
        });
        let reader = scope.spawn(move || {
            let mut back = ReadBack {
                session: readback,
                shape,
                tally: Tally::new(no_values),
                last_ctid,
            };
            back.run(&loaded).map(|()| back.tally)
        });
        let read_result = read_file(
            file,
            shape,
            &seeds,
            &mut reading,
            batch_rows,
            &to_load,
            &mut |n| {
                read = n;
                advance(n);
            },
        );
        drop(to_load);
        (read_result, loader.join(), reader.join())
    });
    fn joined<T>(r: std::thread::Result<Result<T>>, table: &str) -> Result<T> {
        r.unwrap_or_else(|_| {
            Err(Error::postgres(format!(
                "failed to replay `{table}`: a stage of its load panicked"
            )))
        })
    }
    // A stage that ends early closes its channel, and the stage before it
    // then stops too: the error to report is the last stage's first (the
    // read-back's, then the loader's, then the file's).
    let read_tally = joined(reader, &info.name)?;
    let loaded_tally = joined(loader, &info.name)?;
    read_result?;
    tally.absorb(reading);
    tally.absorb(loaded_tally);
    tally.absorb(read_tally);
    Ok(Loaded { read })
}

/// Reads the table's rows from the file in batches for the loader: a row
/// whose key a seed row has is compared with it here and not loaded, and
/// values in columns PostgreSQL lacks are noted as lost.
fn read_file(
    file: &Database,
    shape: &Shape<'_>,
    seeds: &HashMap<String, Vec<Value>>,
    tally: &mut Tally,
    batch_rows: usize,
    to_load: &SyncSender<Batch>,
    advance: &mut dyn FnMut(u64),
) -> Result<()> {
    let info = shape.info;
    let columns: Vec<String> = info.columns.iter().map(|c| c.name.clone()).collect();
    let mut rows: Vec<Row> = Vec::with_capacity(batch_rows);
    let mut data: Vec<u8> = Vec::new();
    let mut read: u64 = 0;
    // The loader went away: its error is the one to report.
    let stopped = || {
        Error::postgres(format!(
            "failed to replay `{}`: the loader stopped",
            info.name
        ))
    };
    let rowid = shape.key.is_empty();
    file.each_row(&info.name, &columns, rowid, |id, cells| -> Result<()> {
        let row = Row { rowid: id, cells };
        lost(shape, tally, &row);
        read += 1;
        let seed = (!seeds.is_empty())
            .then(|| shape.key_text(&row))
            .flatten()
            .and_then(|k| seeds.get(&k));
        if let Some(seed) = seed {
            against_seed(shape, tally, &row, seed);
        } else {
            shape.copy_line(&row, &mut data);
            rows.push(row);
        }
        if rows.len() >= batch_rows {
            let batch = Batch {
                rows: std::mem::replace(&mut rows, Vec::with_capacity(batch_rows)),
                data: std::mem::take(&mut data),
            };
            to_load.send(batch).map_err(|_| stopped())?;
            advance(read);
        }
        Ok(())
    })?;
    if !rows.is_empty() {
        to_load.send(Batch { rows, data }).map_err(|_| stopped())?;
    }
    advance(read);
    Ok(())
}

/// A row's values in the columns PostgreSQL lacks are lost.
fn lost(shape: &Shape<'_>, tally: &mut Tally, row: &Row) {
    for (i, c) in shape.info.columns.iter().enumerate() {
        if !c.missing_on_pg {
            continue;
        }
        let Some(v) = row.cells.get(i).map(Cell::value) else {
            continue;
        };
        if v.is_null() {
            continue;
        }
        tally.note(Seen {
            table: &shape.info.name,
            column: &c.name,
            what: What::Lost,
            key: shape.key_json(row),
            sqlite: &v,
            postgres: "no such column".into(),
            said: String::new(),
        });
    }
}

/// Compares a row with the seed row of the same key (not loaded). A
/// column whose SQLite default draws anew for each row (a clock, random
/// bytes) compares by presence, as `check`'s seed_data compares it: the
/// two were drawn at different times by nature.
fn against_seed(shape: &Shape<'_>, tally: &mut Tally, row: &Row, seed: &[Value]) {
    let info = shape.info;
    let drawn: Vec<Value> = (shape.loaded.iter().zip(seed))
        .map(|(&i, pv)| {
            let varies = info.columns.get(i).is_some_and(|c| c.default.varies());
            match row.cells.get(i).map(Cell::value) {
                Some(sv) if varies && sv.is_null() != pv.is_null() => pv.clone(),
                Some(sv) if varies => sv,
                _ => pv.clone(),
            }
        })
        .collect();
    compare(shape, tally, row, &drawn, What::SeedDiffers);
}

/// Compares the loaded columns of a row of the file with a row read back
/// (values in load order).
fn compare(shape: &Shape<'_>, tally: &mut Tally, row: &Row, back: &[Value], what: What) {
    let info = shape.info;
    for (n, &i) in shape.loaded.iter().enumerate() {
        let (Some(col), Some(cell), Some(pv)) =
            (info.columns.get(i), row.cells.get(i), back.get(n))
        else {
            continue;
        };
        let same = match cell {
            Cell::Value(sv) => crate::check::same_stored(col, sv, pv),
            Cell::InvalidText(_) => crate::check::same_stored(col, &cell.value(), pv),
        };
        if same {
            continue;
        }
        tally.note(Seen {
            table: &info.name,
            column: &col.name,
            what: what.clone(),
            key: shape.key_json(row),
            sqlite: &cell.value(),
            postgres: super::rows::shown(pv),
            said: String::new(),
        });
    }
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

/// The loader: sends batches with `COPY`, bisects refused ones, and hands
/// every piece that loaded to the reader, in the order it loaded.
struct Load<'a, 's> {
    session: &'a mut Session,
    shape: &'a Shape<'s>,
    tally: Tally,
    names: Vec<&'s str>,
    /// Rows refused for a reference to their own table: the row they
    /// reference may come later in the file. Tried again once the rest of
    /// the table is in, until no more load.
    waiting: Vec<(Row, PgFailure, String)>,
    read_back: SyncSender<Vec<Row>>,
}

impl Load<'_, '_> {
    /// Loads every batch the file's reader sends, then the rows that
    /// waited for a row of their own table.
    fn run(&mut self, batches: &Receiver<Batch>) -> Result<()> {
        for batch in batches {
            self.copy(batch.rows, &batch.data)?;
        }
        self.retry_waiting()
    }

    /// Loads a batch with one COPY of `data` (its rows' text), or its
    /// halves when it is refused.
    fn copy(&mut self, mut rows: Vec<Row>, data: &[u8]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        match self
            .session
            .copy_in(&self.shape.info.name, &self.names, data)
        {
            Ok(_) => self.loaded(rows),
            Err(f) if f.code.is_empty() => Err(Error::postgres(format!(
                "failed to load `{}`: {f}",
                self.shape.info.name
            ))),
            Err(f) if rows.len() == 1 => match rows.pop() {
                Some(row) => self.alone(row, &f),
                None => Ok(()),
            },
            Err(_) => {
                let second = rows.split_off(rows.len() / 2);
                self.batch(rows)?;
                self.batch(second)
            }
        }
    }

    /// [`Self::copy`] of rows whose text is not written yet.
    fn batch(&mut self, rows: Vec<Row>) -> Result<()> {
        let mut data = Vec::with_capacity(rows.len() * 64);
        for r in &rows {
            self.shape.copy_line(r, &mut data);
        }
        self.copy(rows, &data)
    }

    /// Rows that loaded go to the reader.
    fn loaded(&mut self, rows: Vec<Row>) -> Result<()> {
        self.read_back.send(rows).map_err(|_| {
            Error::postgres(format!(
                "failed to replay `{}`: the read-back stopped",
                self.shape.info.name
            ))
        })
    }

    /// A row COPY refused, tried as the INSERT `check` would run.
    fn alone(&mut self, row: Row, copy_refused: &PgFailure) -> Result<()> {
        let Some((sql, set)) = self.shape.insert(&row) else {
            // Text that is not UTF-8: the column holding it is the cause.
            let column = (self.shape.info.columns.iter().zip(&row.cells))
                .find(|(_, c)| matches!(c, Cell::InvalidText(_)))
                .map(|(c, _)| c.name.clone())
                .unwrap_or_default();
            self.refused(&row, &column, copy_refused);
            return Ok(());
        };
        match self.session.execute(&sql) {
            Ok(()) => self.loaded(vec![row]),
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
                    self.waiting.push((row, f, column));
                } else {
                    self.refused(&row, &column, &f);
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
            for (row, _, _) in waiting {
                self.batch(vec![row])?;
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
}

/// The reader: reads back each piece the loader loaded, on a connection
/// of its own, and compares it with the file's rows.
struct ReadBack<'a, 's> {
    session: &'a mut Session,
    shape: &'a Shape<'s>,
    tally: Tally,
    /// The `ctid` of the last row read back: rows past it are new.
    last_ctid: String,
}

impl ReadBack<'_, '_> {
    fn run(&mut self, pieces: &Receiver<Vec<Row>>) -> Result<()> {
        for rows in pieces {
            self.read_back(&rows)?;
        }
        Ok(())
    }

    /// Reads back the rows of one loaded piece — the first `rows.len()`
    /// past the last read, in physical order: the loader's next piece
    /// lies after them, and may already be in — and compares them with
    /// the file's.
    fn read_back(&mut self, rows: &[Row]) -> Result<()> {
        let info = self.shape.info;
        let list = self.shape.column_list();
        let sql = format!(
            "SELECT ctid{}{list} FROM {} WHERE ctid > {}::tid ORDER BY ctid LIMIT {}",
            if list.is_empty() { "" } else { ", " },
            quote_ident(&info.name),
            quote_literal(&self.last_ctid),
            rows.len()
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
            compare(
                self.shape,
                &mut self.tally,
                row,
                b.get(1..).unwrap_or_default(),
                What::Altered,
            );
        }
        if let Some(Value::Text(t)) = back.last().and_then(|r| r.first()) {
            self.last_ctid = t.clone();
        }
        Ok(())
    }
}
