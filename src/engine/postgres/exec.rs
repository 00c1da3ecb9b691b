//! A blocking PostgreSQL session: a current-thread tokio runtime plus one
//! connection. Rows come back as text (simple query protocol), interpreted
//! by the column's type name.

use sqlx::Either;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgRow};
use sqlx::{AssertSqlSafe, Column, ConnectOptions, Connection, Row, TypeInfo};

use crate::engine::ErrorFields;
use crate::error::{Error, Result};
use crate::model::schema::Value;

/// An error PostgreSQL reported for a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgFailure {
    /// SQLSTATE, e.g. `23505`; empty when the failure was not the server's.
    pub code: String,
    pub message: String,
    /// 1-based character offset into the statement, when the server gave one.
    pub position: Option<usize>,
    /// The error's structured fields (what [`super::attribute`] reads).
    pub fields: Box<ErrorFields>,
}

impl std::fmt::Display for PgFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.code.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} (SQLSTATE {})", self.message, self.code)
        }
    }
}

impl From<sqlx::Error> for PgFailure {
    fn from(e: sqlx::Error) -> Self {
        match e.as_database_error() {
            Some(db) => {
                let pg = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>();
                let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
                let position = pg.and_then(|p| match p.position() {
                    Some(sqlx::postgres::PgErrorPosition::Original(n)) => Some(n),
                    _ => None,
                });
                let fields = ErrorFields {
                    code: code.clone(),
                    message: db.message().to_string(),
                    position,
                    ..pg.map(|p| ErrorFields {
                        detail: p.detail().map(str::to_string),
                        table: p.table().map(str::to_string),
                        column: p.column().map(str::to_string),
                        datatype: p.data_type().map(str::to_string),
                        constraint: p.constraint().map(str::to_string),
                        context: p.r#where().map(str::to_string),
                        ..ErrorFields::default()
                    })
                    .unwrap_or_default()
                };
                PgFailure {
                    code,
                    message: db.message().to_string(),
                    position,
                    fields: Box::new(fields),
                }
            }
            None => PgFailure {
                code: String::new(),
                message: e.to_string(),
                position: None,
                fields: Box::default(),
            },
        }
    }
}

/// Rows of cells in PostgreSQL's text form (`None` is NULL).
pub type TextRows = Vec<Vec<Option<String>>>;

/// What [`Session::query_batch`] brought back.
#[derive(Debug, Default)]
pub struct Batch {
    /// The rows of each segment that ran, in order.
    pub rows: Vec<Vec<Vec<Value>>>,
    /// Why the segment after those stopped the batch, if one did.
    pub failure: Option<PgFailure>,
}

/// The type names of the rows' columns (none without a row).
fn type_names(rows: &[PgRow]) -> Vec<String> {
    rows.first()
        .map(|r| {
            r.columns()
                .iter()
                .map(|c| c.type_info().name().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Rows read as engine-neutral values by their columns' type names, as
/// [`Session::query_values`] reads them.
fn values_of(rows: &[PgRow]) -> Result<Vec<Vec<Value>>, PgFailure> {
    let types = type_names(rows);
    rows.iter()
        .map(|r| {
            (0..r.len())
                .map(|i| {
                    let cell: Option<String> = r.try_get_unchecked(i).map_err(PgFailure::from)?;
                    Ok(text_to_value(
                        cell,
                        types.get(i).map_or("TEXT", String::as_str),
                    ))
                })
                .collect()
        })
        .collect()
}

pub struct Session {
    rt: tokio::runtime::Runtime,
    conn: Option<PgConnection>,
}

impl Session {
    /// Connects with `options`; the session's TimeZone is UTC so timestamps
    /// read back as comparable text.
    pub fn connect(options: &PgConnectOptions) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::postgres(format!("failed to start a runtime: {e}")))?;
        let opts = options
            .clone()
            .options([("TimeZone", "UTC"), ("client_min_messages", "warning")])
            .disable_statement_logging();
        let conn = rt
            .block_on(PgConnection::connect_with(&opts))
            .map_err(Error::postgres)?;
        let mut session = Session {
            rt,
            conn: Some(conn),
        };
        // JIT compiles a query the planner thinks costly (the catalog
        // queries of introspection are), and that costs more than it saves
        // on queries that run once: measured on a mutation run, LLVM took
        // a third of all CPU. A server without JIT (before 11, or built
        // without LLVM) refuses or ignores the setting; either is fine.
        // <https://www.postgresql.org/docs/current/jit-decision.html>
        let _ = session.execute("SET jit = off");
        Ok(session)
    }

    fn conn(&mut self) -> &mut PgConnection {
        self.conn
            .as_mut()
            .expect("session connection is present until drop")
    }

    /// Runs one or more statements (simple protocol), discarding rows.
    pub fn execute(&mut self, sql: &str) -> Result<(), PgFailure> {
        let sql = sql.to_string();
        let Session { rt, conn } = self;
        let conn = conn
            .as_mut()
            .expect("session connection is present until drop");
        rt.block_on(sqlx::raw_sql(AssertSqlSafe(sql)).execute(conn))
            .map(|_| ())
            .map_err(PgFailure::from)
    }

    /// Runs a query and returns each cell as PostgreSQL's text form (or NULL)
    /// together with the column type names.
    pub fn query_text(&mut self, sql: &str) -> Result<(Vec<String>, TextRows), PgFailure> {
        let sql = sql.to_string();
        let Session { rt, conn } = self;
        let conn = conn
            .as_mut()
            .expect("session connection is present until drop");
        let rows = rt
            .block_on(sqlx::raw_sql(AssertSqlSafe(sql)).fetch_all(conn))
            .map_err(PgFailure::from)?;
        let types = type_names(&rows);
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut cells = Vec::with_capacity(r.len());
            for i in 0..r.len() {
                let v: Option<String> = r.try_get_unchecked(i).map_err(PgFailure::from)?;
                cells.push(v);
            }
            out.push(cells);
        }
        Ok((types, out))
    }

    /// Runs a query whose result is read as engine-neutral values.
    pub fn query_values(&mut self, sql: &str) -> Result<Vec<Vec<Value>>, PgFailure> {
        let (types, rows) = self.query_text(sql)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .enumerate()
                    .map(|(i, cell)| {
                        text_to_value(cell, types.get(i).map_or("TEXT", String::as_str))
                    })
                    .collect()
            })
            .collect())
    }

    /// Runs several statements in one round trip: one simple-query message
    /// holding every command of every segment, joined by `; `. The server
    /// runs them in order and skips the rest after the first that fails
    /// (<https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT>).
    /// Each segment is one or more commands (e.g. a `SAVEPOINT`, then the
    /// statement), none holding a `;` of its own; its result is its last
    /// command's rows. Returns the rows of each segment that ran, in order,
    /// and the failure of the segment that stopped the batch — its
    /// position counted from the failing command's start, as if it had
    /// been sent alone.
    pub fn query_batch(&mut self, segments: &[Vec<String>]) -> Batch {
        let mut text = String::new();
        // Where each command of each segment starts in `text`, in
        // characters: a failure's position is counted from its own
        // command (a segment may open with a `SAVEPOINT`).
        let mut starts: Vec<Vec<usize>> = Vec::with_capacity(segments.len());
        let mut chars = 0;
        for (i, segment) in segments.iter().enumerate() {
            let mut mine = Vec::with_capacity(segment.len());
            for (j, command) in segment.iter().enumerate() {
                if i + j > 0 {
                    text.push_str("; ");
                    chars += 2;
                }
                mine.push(chars);
                text.push_str(command);
                chars += command.chars().count();
            }
            starts.push(mine);
        }
        let Session { rt, conn } = self;
        let conn = conn
            .as_mut()
            .expect("session connection is present until drop");
        let mut out = Batch::default();
        let mut rows: Vec<PgRow> = Vec::new();
        // Commands completed within the current segment.
        let mut done = 0;
        let failure = rt.block_on(async {
            let mut stream = sqlx::raw_sql(AssertSqlSafe(text)).fetch_many(conn);
            loop {
                match std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
                    Some(Ok(Either::Right(row))) => rows.push(row),
                    Some(Ok(Either::Left(_))) => {
                        done += 1;
                        let Some(segment) = segments.get(out.rows.len()) else {
                            continue;
                        };
                        if done == segment.len() {
                            done = 0;
                            out.rows.push(values_of(&std::mem::take(&mut rows))?);
                        }
                    }
                    None => return Ok(()),
                    Some(Err(e)) => return Err(PgFailure::from(e)),
                }
            }
        });
        if let Err(mut f) = failure {
            // Counted from the failing command's start, as if it had been
            // sent alone.
            let start = starts
                .get(out.rows.len())
                .and_then(|s| s.get(done).or(s.last()))
                .copied()
                .unwrap_or(0);
            let shift = |p: Option<usize>| p.map(|p| if p > start { p - start } else { p });
            f.position = shift(f.position);
            f.fields.position = shift(f.fields.position);
            out.failure = Some(f);
        }
        out
    }

    /// `server_version`, e.g. `15.18`.
    pub fn server_setting(&mut self, name: &str) -> Result<String, PgFailure> {
        let (_, rows) = self.query_text(&format!("SHOW {name}"))?;
        Ok(rows
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next().flatten())
            .unwrap_or_default())
    }

    /// `current_schema()`: where unqualified names resolve (empty when no
    /// schema on the search path exists).
    pub fn current_schema(&mut self) -> Result<String, PgFailure> {
        let (_, rows) = self.query_text("SELECT current_schema()")?;
        Ok(rows
            .first()
            .and_then(|r| r.first().cloned().flatten())
            .unwrap_or_default())
    }

    pub fn close(mut self) {
        if let Some(c) = self.conn.take() {
            let _ = self.rt.block_on(c.close());
        }
    }

    /// The runtime and the connection, for the engine's own modules
    /// (`copy.rs`).
    pub(super) fn parts(&mut self) -> (&tokio::runtime::Runtime, &mut PgConnection) {
        let Session { rt, conn } = self;
        (
            rt,
            conn.as_mut()
                .expect("session connection is present until drop"),
        )
    }

    #[doc(hidden)]
    pub fn raw(&mut self) -> &mut PgConnection {
        self.conn()
    }
}

/// The value families [`text_to_value`] tells apart by a column's type
/// name (sqlx's names are upper case, e.g. `INT8`, `BOOL`, `BYTEA`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextKind {
    Integer,
    Boolean,
    Float,
    Bytea,
    Other,
}

fn text_kind(ty: &str) -> TextKind {
    let is = |names: &[&str]| names.iter().any(|n| ty.eq_ignore_ascii_case(n));
    if is(&["INT2", "INT4", "INT8", "OID"]) {
        TextKind::Integer
    } else if is(&["BOOL"]) {
        TextKind::Boolean
    } else if is(&["FLOAT4", "FLOAT8"]) {
        TextKind::Float
    } else if is(&["BYTEA"]) {
        TextKind::Bytea
    } else {
        TextKind::Other
    }
}

/// Interprets PostgreSQL's text output of a value of type `ty`.
pub fn text_to_value(cell: Option<String>, ty: &str) -> Value {
    let Some(s) = cell else { return Value::Null };
    match text_kind(ty) {
        TextKind::Integer => s.parse().map_or(Value::Text(s), Value::Integer),
        TextKind::Boolean => Value::Integer(i64::from(s == "t")),
        TextKind::Float => match s.as_str() {
            "NaN" => Value::Real(f64::NAN),
            "Infinity" => Value::Real(f64::INFINITY),
            "-Infinity" => Value::Real(f64::NEG_INFINITY),
            _ => s.parse().map_or(Value::Text(s), Value::Real),
        },
        TextKind::Bytea => match s.strip_prefix("\\x") {
            Some(hex) => (0..hex.len())
                .step_by(2)
                .map(|i| {
                    hex.get(i..i + 2)
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                })
                .collect::<Option<Vec<u8>>>()
                .map_or(Value::Text(s.clone()), Value::Blob),
            None => Value::Text(s),
        },
        TextKind::Other => Value::Text(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_read_by_the_columns_type_name_in_any_case() {
        let v = |s: &str, ty: &str| text_to_value(Some(s.to_string()), ty);
        assert_eq!(v("42", "INT8"), Value::Integer(42));
        assert_eq!(v("42", "int4"), Value::Integer(42));
        assert_eq!(v("t", "BOOL"), Value::Integer(1));
        assert_eq!(v("f", "bool"), Value::Integer(0));
        assert_eq!(v("1.5", "FLOAT8"), Value::Real(1.5));
        assert!(matches!(v("NaN", "float4"), Value::Real(f) if f.is_nan()));
        assert_eq!(v("\\x01ff", "BYTEA"), Value::Blob(vec![1, 255]));
        assert_eq!(v("\\x0", "BYTEA"), Value::Text("\\x0".into()));
        assert_eq!(v("42", "TEXT"), Value::Text("42".into()));
        assert_eq!(v("1.50", "NUMERIC"), Value::Text("1.50".into()));
        assert_eq!(text_to_value(None, "INT8"), Value::Null);
    }
}
