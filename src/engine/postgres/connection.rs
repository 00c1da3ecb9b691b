//! A worker's PostgreSQL copy, where its cases run. A failed statement
//! aborts a PostgreSQL transaction until it is rolled back, so each
//! statement of a case runs under a savepoint — except while the case has
//! had nothing accepted yet: then a refusal is undone by starting the
//! transaction again (`ROLLBACK; BEGIN`), which leaves what the savepoint
//! would, and a case of one statement (most) opens no subtransaction. The
//! case's `BEGIN`, the previous case's `ROLLBACK` and the restore after a
//! refused statement are not sent alone: each waits for the next statement
//! and travels with it (simple query protocol, several statements in one
//! message), saving a round trip apiece.

use std::collections::{HashMap, HashSet};

use crate::engine::{self, Outcome, Shape, Sql};
use crate::error::{Error, Result};
use crate::sql::text::{quote_ident, quote_literal};

use crate::model::schema::Value;

use super::{PgFailure, Session, classify};

/// Where a shape (or a repeated text) stands on a connection.
enum Prepared {
    /// Met once, run as its text.
    Once,
    /// Prepared under this name.
    Name(String),
    /// Runs as its text for good.
    Text,
}

/// Where `EXECUTE` checks a value later than the text does. The text's
/// literal is checked against a column's length or precision, or its
/// domain, before the statement runs; `EXECUTE` takes the argument as the
/// plain type and checks it while it builds the row, after the row's
/// defaults are evaluated. The refusal reads the same (the shaped-statement
/// trials compare them to the byte), but a default that calls `nextval`
/// has moved its sequence first, and an UPDATE that finds no row checks
/// nothing, where the text is refused all the same. So a shape naming such
/// a column is prepared only for an INSERT of values (one row, always
/// built), and in a table where a default moves a sequence (a serial, an
/// identity, a `nextval` default) only when each such column is checked
/// by its length or precision alone: its parameter is then declared as a
/// domain over the column's type (made for this connection, in `pg_temp`),
/// which `EXECUTE` checks while it reads its arguments, before anything
/// runs — as the text is checked before it runs. A refusal of a shape
/// naming such a column that does not name the table (one met before the
/// row was built, where its order against the other arguments' checks may
/// not be the text's) is asked of the text again.
#[derive(Default)]
struct Late {
    /// (table, column) checked late → the type that checks it as the
    /// text does (`character varying(3)`), when its length or precision
    /// is all that is checked (not a domain, not an array).
    columns: HashMap<(String, String), Option<String>>,
    /// Tables with a default that moves a sequence.
    sequenced: HashSet<String>,
    /// Per type checked late, the domain over it made on this connection;
    /// None until [`Connection::stand_ins`] made them.
    domains: Option<HashMap<String, String>>,
}

/// Whether a shape may be prepared now ([`Connection::prepared_as`]).
enum Allowed {
    /// Yes, with these parameter types (`unknown`: inferred), or none.
    Now(Option<Vec<String>>),
    /// Not now: asked again the next time the shape is met.
    Later,
    /// Never: it runs as its text for good.
    Never,
}

pub struct Connection {
    session: Session,
    in_case: bool,
    /// Statements waiting to travel with the next one.
    pending_begin: bool,
    pending_rollback: bool,
    pending_restore: bool,
    /// The case's transaction holds nothing accepted yet: the next
    /// statement needs no savepoint, and a refusal is restored by
    /// starting the transaction again.
    fresh: bool,
    /// The connection failed (not a statement: no SQLSTATE), e.g. the
    /// server went away: the case ends in this error, not in an outcome.
    broken: Option<String>,
    round_trips: u64,
    /// Per INSERT shape met (its template), and per text a case repeats
    /// ([`Sql::repeats`]): whether it is prepared, and under which name.
    prepared: HashMap<String, Prepared>,
    /// Names given so far.
    names: usize,
    /// See [`Self::checked_late`].
    checked_late: Option<Late>,
    /// The shapes prepared with a column checked late ([`Late`]).
    late_names: HashSet<String>,
    prepared_runs: u64,
}

impl Connection {
    pub fn new(mut session: Session) -> Self {
        let _ = session.execute("SET plan_cache_mode = force_generic_plan");
        Connection {
            session,
            in_case: false,
            pending_begin: false,
            pending_rollback: false,
            pending_restore: false,
            fresh: false,
            broken: None,
            round_trips: 0,
            prepared: HashMap::new(),
            names: 0,
            checked_late: None,
            late_names: HashSet::new(),
            prepared_runs: 0,
        }
    }

    /// The name the shape of `text` is prepared under; None when it runs
    /// as its text: the first time it is met (a shape met once is cheaper
    /// parsed once than prepared), when PostgreSQL would not prepare it
    /// (e.g. a column it lacks), or when a column it names is checked late
    /// ([`Late`]), unless it is an INSERT into a table where no default
    /// moves a sequence.
    fn prepared(&mut self, text: &str, shape: &Shape<'_>) -> Option<String> {
        let template = shape.template(text, '$');
        let mut late = false;
        let name = self.prepared_as(&template, |conn| {
            let Some(checked) = conn.checked_late() else {
                return Allowed::Never;
            };
            let kinds: Vec<Option<&Option<String>>> = shape
                .columns
                .iter()
                .map(|c| {
                    checked
                        .columns
                        .get(&(shape.table.to_string(), (*c).to_string()))
                })
                .collect();
            late = kinds.iter().any(Option::is_some);
            // An INSERT of values builds its one row whatever else holds;
            // an UPDATE builds none where it finds none.
            let builds_its_row = text.starts_with("INSERT INTO ");
            if !late {
                return Allowed::Now(None);
            }
            if !builds_its_row {
                return Allowed::Never;
            }
            if !checked.sequenced.contains(shape.table) {
                return Allowed::Now(None);
            }
            // A sequence moves before the row is built: each late column's
            // parameter is checked as the text is, or the shape runs as
            // its text.
            if kinds.iter().any(|k| matches!(k, Some(None))) {
                return Allowed::Never;
            }
            let kinds: Vec<Option<String>> =
                kinds.into_iter().map(|k| k.cloned().flatten()).collect();
            let Some(domains) = conn.stand_ins() else {
                return Allowed::Later;
            };
            let declared: Option<Vec<String>> = kinds
                .iter()
                .map(|k| match k {
                    Some(ty) => domains.get(ty).cloned(),
                    None => Some("unknown".into()),
                })
                .collect();
            declared.map_or(Allowed::Never, |d| Allowed::Now(Some(d)))
        })?;
        if late {
            self.late_names.insert(name.clone());
        }
        Some(name)
    }

    /// The name the text a case repeats is prepared under; None the first
    /// time it is met, or when PostgreSQL would not prepare it.
    fn prepared_text(&mut self, text: &str) -> Option<String> {
        self.prepared_as(text, |_| Allowed::Now(None))
    }

    /// The name `sql` is prepared under: None the first time it is met;
    /// prepared the second, when `allowed` says it may be (one round
    /// trip), or a later time when it says not yet; None for good when it
    /// may not be or PostgreSQL refuses it.
    fn prepared_as(
        &mut self,
        sql: &str,
        allowed: impl FnOnce(&mut Self) -> Allowed,
    ) -> Option<String> {
        match self.prepared.get(sql) {
            None => {
                self.prepared.insert(sql.to_string(), Prepared::Once);
                return None;
            }
            Some(Prepared::Name(name)) => return Some(name.clone()),
            Some(Prepared::Text) => return None,
            Some(Prepared::Once) => {}
        }
        let types = match allowed(self) {
            Allowed::Later => return None,
            Allowed::Never => None,
            Allowed::Now(types) => Some(types),
        };
        self.names += 1;
        let name = format!("parity_{}", self.names);
        let prepared = types.is_some_and(|t| self.prepare(&name, t.as_deref(), sql));
        let entry = if prepared {
            Prepared::Name(name.clone())
        } else {
            Prepared::Text
        };
        self.prepared.insert(sql.to_string(), entry);
        prepared.then_some(name)
    }

    /// `PREPARE name [(types)] AS sql`; whether PostgreSQL took it.
    /// Preparing changes nothing a case wrote, so a fresh case stays fresh.
    fn prepare(&mut self, name: &str, types: Option<&[String]>, sql: &str) -> bool {
        let fresh = self.fresh;
        let command = match types {
            Some(types) => format!("PREPARE {name} ({}) AS {sql}", types.join(", ")),
            None => format!("PREPARE {name} AS {sql}"),
        };
        let prepared = engine::Connection::run(self, &command).is_ok();
        self.fresh = fresh;
        prepared
    }

    /// The domains that check a late column's value as the text does
    /// ([`Late`]), by the type they are over; made on this connection the
    /// first time they are asked for between two transactions (a domain
    /// made inside a case would go with its rollback), one round trip.
    /// None until then, or when they could not be made.
    fn stand_ins(&mut self) -> Option<&HashMap<String, String>> {
        let between = !self.in_case || self.pending_begin;
        let late = self.checked_late.as_mut()?;
        if late.domains.is_none() && between {
            let mut types: Vec<&String> = late.columns.values().flatten().collect();
            types.sort();
            types.dedup();
            let domains: HashMap<String, String> = types
                .into_iter()
                .enumerate()
                .map(|(i, ty)| (ty.clone(), format!("pg_temp.parity_late_{}", i + 1)))
                .collect();
            let mut made = true;
            if !domains.is_empty() {
                let mut ddl = String::new();
                if self.pending_rollback {
                    ddl.push_str("ROLLBACK; ");
                }
                for (ty, domain) in &domains {
                    ddl.push_str(&format!("CREATE DOMAIN {domain} AS {ty}; "));
                }
                self.round_trips += 1;
                made = self.session.execute(&ddl).is_ok();
                self.pending_rollback = false;
            }
            // Not made (e.g. no right to make temporary objects): none is
            // asked for again, and every such shape runs as its text.
            late.domains = Some(if made { domains } else { HashMap::new() });
        }
        self.checked_late.as_ref()?.domains.as_ref()
    }

    /// What the catalog says of checking late ([`Late`]), read once per
    /// connection; None when it could not be read (nothing is prepared
    /// then).
    fn checked_late(&mut self) -> Option<&Late> {
        if self.checked_late.is_none() {
            let fresh = self.fresh;
            let rows = engine::Connection::run(
                self,
                "SELECT 'column', c.relname, a.attname, \
                 CASE WHEN t.typtype = 'b' AND t.typcategory <> 'A' AND a.atttypmod >= 0 \
                 THEN format_type(a.atttypid, a.atttypmod) END \
                 FROM pg_attribute a \
                 JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid \
                 WHERE pg_table_is_visible(c.oid) AND a.attnum > 0 AND NOT a.attisdropped \
                 AND (a.atttypmod >= 0 OR t.typtype = 'd' \
                 OR EXISTS (SELECT 1 FROM pg_type e WHERE e.oid = t.typelem AND e.typtype = 'd')) \
                 UNION ALL \
                 SELECT 'sequenced', c.relname, a.attname, NULL FROM pg_attribute a \
                 JOIN pg_class c ON c.oid = a.attrelid \
                 LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
                 WHERE pg_table_is_visible(c.oid) AND a.attnum > 0 AND NOT a.attisdropped \
                 AND (a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval(%')",
            );
            let Outcome::Ok(rows) = rows else {
                return None;
            };
            // A read changes nothing a case wrote.
            self.fresh = fresh;
            let mut late = Late::default();
            for row in rows {
                if let [Value::Text(what), Value::Text(t), Value::Text(c), ty] = row.as_slice() {
                    if what == "column" {
                        let ty = match ty {
                            Value::Text(ty) => Some(ty.clone()),
                            _ => None,
                        };
                        late.columns.insert((t.clone(), c.clone()), ty);
                    } else {
                        late.sequenced.insert(t.clone());
                    }
                }
            }
            self.checked_late = Some(late);
        }
        self.checked_late.as_ref()
    }

    /// The command that runs `sql` here, and the name of the prepared
    /// statement it executes: `EXECUTE` of its shape (its literals the
    /// arguments) or of its text when a case repeats it, else the text
    /// itself and no name.
    fn command(&mut self, sql: &Sql<'_>) -> (String, Option<String>) {
        let name = match &sql.shape {
            Some(shape) => self.prepared(sql.text, shape),
            None if sql.repeats => self.prepared_text(sql.text),
            None => None,
        };
        let Some(name) = name else {
            return (sql.text.to_string(), None);
        };
        self.prepared_runs += 1;
        let call = match &sql.shape {
            Some(shape) => {
                let mut call = format!("EXECUTE {name}(");
                for (i, literal) in shape.literals(sql.text).enumerate() {
                    if i > 0 {
                        call.push_str(", ");
                    }
                    call.push_str(literal);
                }
                call.push(')');
                call
            }
            None => format!("EXECUTE {name}"),
        };
        (call, Some(name))
    }

    /// What the server said to `command` (from [`Self::command`]) as the
    /// outcome of `sql`'s text: a shape's `EXECUTE` by [`Self::as_text`];
    /// a repeated text's `EXECUTE` has no parameters, so what it can
    /// refuse is what the executor refuses, in the same words (a parse
    /// error is PREPARE's, and the text then runs as it is).
    fn settled(&mut self, outcome: Outcome, sql: &Sql<'_>, name: Option<&str>) -> Outcome {
        match (&sql.shape, name) {
            (Some(shape), Some(name)) => self.as_text(outcome, sql.text, shape, name),
            _ => outcome,
        }
    }

    /// The outcome of `EXECUTE name(…)` as that of its `text`: a refusal
    /// before running is asked of the text again; any other error's
    /// position is moved to the same character of the same literal in the
    /// text.
    fn as_text(&mut self, outcome: Outcome, text: &str, shape: &Shape<'_>, name: &str) -> Outcome {
        let Outcome::Rejected {
            kind,
            message,
            mut fields,
        } = outcome
        else {
            return outcome;
        };
        let before_running = fields.code.starts_with("42") || fields.code.starts_with("0A");
        // A refusal naming the table came once the row was built, after
        // every late check passed, as the text's would; another may be an
        // argument's or a late check's, in another order than the text's.
        let maybe_late = self.late_names.contains(name) && fields.table.is_none();
        if self.broken.is_none() && (before_running || maybe_late) {
            return engine::Connection::run(self, text);
        }
        if let Some(p) = fields.position.as_mut() {
            *p = position_in_text(*p, text, shape, name);
        }
        Outcome::Rejected {
            kind,
            message,
            fields,
        }
    }

    /// The session back, for work outside cases (or to close it).
    pub fn into_session(self) -> Session {
        self.session
    }

    /// The commands that take `sql` to the server: those waiting to travel
    /// with the next statement, then in a case a savepoint to restore
    /// should it be refused (none while the case is fresh), then `sql`.
    fn carrying(&mut self, sql: &str) -> Vec<String> {
        let mut commands = Vec::new();
        if std::mem::take(&mut self.pending_rollback) {
            commands.push("ROLLBACK".to_string());
        }
        if std::mem::take(&mut self.pending_begin) {
            commands.push("BEGIN".to_string());
        }
        if self.in_case {
            if std::mem::take(&mut self.pending_restore) {
                if self.fresh {
                    commands.push("ROLLBACK".to_string());
                    commands.push("BEGIN".to_string());
                } else {
                    commands.push("ROLLBACK TO SAVEPOINT case_step".to_string());
                }
            }
            if !self.fresh {
                commands.push("SAVEPOINT case_step".to_string());
            }
        }
        commands.push(sql.to_string());
        commands
    }

    /// The server's answer to a statement as an outcome.
    fn outcome(&mut self, result: std::result::Result<Vec<Vec<Value>>, PgFailure>) -> Outcome {
        match result {
            Ok(rows) => {
                self.fresh = false;
                Outcome::Ok(rows)
            }
            Err(f) => {
                // The transaction is aborted until it is restored: that
                // goes with the next statement.
                self.pending_restore = self.in_case;
                if f.code.is_empty() {
                    self.broken = Some(f.to_string());
                }
                Outcome::Rejected {
                    kind: classify(&f.code),
                    message: f.to_string(),
                    fields: f.fields,
                }
            }
        }
    }

    fn settle(&mut self) -> Result<()> {
        if let Some(why) = &self.broken {
            return Err(Error::postgres(why));
        }
        if self.in_case || !self.pending_rollback {
            return Ok(());
        }
        self.pending_rollback = false;
        self.round_trips += 1;
        self.session.execute("ROLLBACK").map_err(Error::postgres)
    }
}

/// A 1-based character position in `EXECUTE name(l1, l2, …)` moved to
/// the same character of the same literal in `text`; one before the
/// first argument is left as it is.
fn position_in_text(position: usize, text: &str, shape: &Shape<'_>, name: &str) -> usize {
    let mut at = "EXECUTE ".len() + name.chars().count() + 1;
    let mut moved = position;
    for (literal, start) in shape.literals(text).zip(shape.char_starts(text)) {
        if position <= at {
            break;
        }
        moved = position - at + start;
        at += literal.chars().count() + 2;
    }
    moved
}

impl engine::Connection for Connection {
    /// `BEGIN` is sent with the case's first statement.
    fn begin(&mut self) -> Result<()> {
        self.in_case = true;
        self.pending_begin = true;
        self.fresh = true;
        Ok(())
    }

    /// `ROLLBACK` is sent with the next statement (or before work outside
    /// cases); a case that sent nothing needs none.
    fn rollback(&mut self) -> Result<()> {
        if let Some(why) = &self.broken {
            return Err(Error::postgres(why));
        }
        if !self.in_case {
            return Ok(());
        }
        self.in_case = false;
        self.pending_restore = false;
        if self.pending_begin {
            self.pending_begin = false;
            return Ok(());
        }
        self.pending_rollback = true;
        Ok(())
    }

    fn run(&mut self, sql: &str) -> Outcome {
        let commands = self.carrying(sql);
        // The server counts an error's position from the start of the
        // whole message; attribution reads it in `sql` alone.
        let before: usize = commands[..commands.len() - 1]
            .iter()
            .map(|c| c.chars().count() + 2)
            .sum();
        let text = commands.join("; ");
        self.round_trips += 1;
        let result = self.session.query_values(&text).map_err(|mut f| {
            let shift = |p: Option<usize>| p.map(|p| if p > before { p - before } else { p });
            f.position = shift(f.position);
            f.fields.position = shift(f.fields.position);
            f
        });
        self.outcome(result)
    }

    fn run_sql(&mut self, sql: Sql<'_>) -> Outcome {
        let (command, name) = self.command(&sql);
        let outcome = engine::Connection::run(self, &command);
        self.settled(outcome, &sql, name.as_deref())
    }

    /// All in one message: the server runs them in order and skips the
    /// rest after the first it refuses
    /// (<https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT>),
    /// each under its savepoint as [`engine::Connection::run`] sends it.
    fn run_ahead(&mut self, sql: &[Sql<'_>]) -> Vec<Outcome> {
        // The batch tells statements apart by their completions: one
        // command each (a `;` inside a literal is fine, a trailing one not).
        if !self.in_case || sql.len() < 2 || sql.iter().any(|s| s.text.trim_end().ends_with(';')) {
            let mut out = Vec::with_capacity(sql.len());
            for s in sql {
                let outcome = engine::Connection::run_sql(self, *s);
                let refused = !outcome.is_ok();
                out.push(outcome);
                if refused {
                    break;
                }
            }
            return out;
        }
        // Shapes met for the second time are prepared before the batch.
        let (commands, names): (Vec<String>, Vec<Option<String>>) =
            sql.iter().map(|s| self.command(s)).unzip();
        let segments: Vec<Vec<String>> = commands
            .iter()
            .enumerate()
            .map(|(i, c)| match i {
                0 => self.carrying(c),
                _ => vec!["SAVEPOINT case_step".to_string(), c.clone()],
            })
            .collect();
        self.round_trips += 1;
        let batch = self.session.query_batch(&segments);
        if !batch.rows.is_empty() {
            self.fresh = false;
        }
        let mut out: Vec<Outcome> = batch.rows.into_iter().map(Outcome::Ok).collect();
        if let Some(f) = batch.failure {
            let refused = self.outcome(Err(f));
            let at = out.len();
            let settled = self.settled(refused, &sql[at], names[at].as_deref());
            out.push(settled);
        }
        out
    }

    /// It sent only what it was given and stopped where the server did: it
    /// keeps what ran; undoing more is not asked of it.
    fn keep_ahead(&mut self, kept: usize) -> bool {
        let _ = kept;
        false
    }

    /// The newest tuple is the row just inserted (nothing else writes here).
    fn undo_last_insert(&mut self, table: &str) -> Result<()> {
        self.settle()?;
        self.session
            .execute(&format!(
                "DELETE FROM {t} WHERE ctid = (SELECT max(ctid) FROM {t})",
                t = quote_ident(table)
            ))
            .map_err(Error::postgres)
    }

    /// The column's sequence (serial or identity), read without advancing it.
    fn next_id_query(&mut self, table: &str, column: &str) -> Option<String> {
        let (t, c) = (quote_ident(table), quote_ident(column));
        let seq = self.run(&format!(
            "SELECT pg_get_serial_sequence({}, {})",
            quote_literal(&t),
            quote_literal(column)
        ));
        let Some(crate::model::schema::Value::Text(seq)) =
            seq.rows().first().and_then(|r| r.first())
        else {
            return None;
        };
        Some(format!(
            "SELECT coalesce(max({c}), 0), (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM {seq}) FROM {t}"
        ))
    }

    fn prepared_runs(&self) -> u64 {
        self.prepared_runs
    }

    fn round_trips(&self) -> u64 {
        self.round_trips
    }
}
