//! A worker: its own copy of each database (SQLite: a copy of the pristine
//! in-memory database; PostgreSQL: a database cloned from the migrated one by
//! `CREATE DATABASE … TEMPLATE`), a committed FK-consistent set of parent
//! rows, and a case at a time run on both, inside a transaction that is
//! always rolled back. How each engine runs a case is the engine's
//! ([`engine::Connection`]); the worker decides which statements to run.

use std::collections::{BTreeMap, VecDeque};

use crate::engine::{self, Sql, postgres, sqlite};
use crate::error::Result;
use crate::model::Both;
use crate::model::schema::Value;
use crate::provision::ScratchDatabase;

use super::parents::ParentRow;
use super::sql::{Cut, Statement};
use crate::engine::Outcome;

/// The automatic-id state of one table on both engines.
#[derive(Debug, Clone)]
pub struct SequenceState {
    pub statement: Statement,
    pub outcome: Both<Outcome>,
}

impl SequenceState {
    /// `(largest id, next automatic id)` from one engine's outcome.
    pub fn read(o: &Outcome) -> Option<(i64, i64)> {
        match o.rows().first().map(Vec::as_slice) {
            Some([Value::Integer(max), Value::Integer(next)]) => Some((*max, *next)),
            _ => None,
        }
    }
}

pub struct Worker {
    /// Each engine's copy of the database.
    pub(super) db: Both<Box<dyn engine::Connection>>,
    _scratch: ScratchDatabase,
    pub parents: BTreeMap<String, Vec<ParentRow>>,
    /// Per auto-increment table, right after the migrations: the largest id
    /// and the next automatic id on each engine, and how that was read.
    pub sequence_probe: BTreeMap<String, SequenceState>,
    /// Time spent in each engine's calls so far (for the benchmark):
    /// PostgreSQL's is the driver's and the server's together.
    pub time: Both<std::time::Duration>,
    /// Statements a case announced ([`Self::ahead`]) that both engines
    /// have run, with their outcomes, in order: [`Self::run_sql`] hands
    /// them out as the case gets to them.
    ahead: VecDeque<(Both<String>, Both<Outcome>)>,
    /// The statement that puts every PostgreSQL sequence back where it
    /// was once the parent rows were in ([`Self::mark_sequences`]).
    sequences: Option<String>,
}

impl Worker {
    /// Clones both pristine databases for worker `index`.
    pub fn new(
        pristine: &sqlite::Database,
        template: &ScratchDatabase,
        index: usize,
    ) -> Result<Self> {
        let db = template.copy(&format!("{}_w{index}", template.name))?;
        Self::on(pristine, db)
    }

    /// A worker on a copy of `pristine` and on `db` itself (which it owns
    /// and drops), e.g. a mutant's database used once.
    pub fn on(pristine: &sqlite::Database, db: ScratchDatabase) -> Result<Self> {
        let session = db.connect()?;
        Self::on_session(pristine, db, session)
    }

    /// [`Self::on`] with `session`, already connected to `db` (a new
    /// backend starts with cold catalog caches: one less per mutant).
    pub fn on_session(
        pristine: &sqlite::Database,
        db: ScratchDatabase,
        session: postgres::Session,
    ) -> Result<Self> {
        let sqlite = sqlite::Connection::new(pristine.copy()?)?;
        let postgres = postgres::Connection::new(session);
        Ok(Worker {
            db: Both {
                sqlite: Box::new(sqlite),
                postgres: Box::new(postgres),
            },
            _scratch: db,
            parents: BTreeMap::new(),
            sequence_probe: BTreeMap::new(),
            time: Both::default(),
            ahead: VecDeque::new(),
            sequences: None,
        })
    }

    /// Starts a case on both engines.
    pub fn begin(&mut self) -> Result<()> {
        self.ahead.clear();
        self.db.sqlite.begin()?;
        self.db.postgres.begin()
    }

    /// Ends a case, undoing everything it did; an error when a connection
    /// broke during it.
    pub fn rollback(&mut self) -> Result<()> {
        self.ahead.clear();
        self.db.postgres.rollback()?;
        self.db.sqlite.rollback()
    }

    /// Runs one statement on both engines.
    pub fn run(&mut self, stmt: &Statement) -> Both<Outcome> {
        let cut = Cut::new(stmt);
        self.run_both(Both {
            sqlite: cut.sqlite(),
            postgres: cut.postgres(),
        })
    }

    /// Runs each engine's text on it, SQLite's first.
    pub fn run_sql(&mut self, sql: Both<&str>) -> Both<Outcome> {
        self.run_both(Both {
            sqlite: sql.sqlite.into(),
            postgres: sql.postgres.into(),
        })
    }

    fn run_both(&mut self, sql: Both<Sql<'_>>) -> Both<Outcome> {
        if self.ahead.front().is_some_and(|(texts, _)| {
            texts.sqlite == sql.sqlite.text && texts.postgres == sql.postgres.text
        }) && let Some((_, outcome)) = self.ahead.pop_front()
        {
            return outcome;
        }
        self.ahead.clear();
        let started = std::time::Instant::now();
        let sqlite = self.db.sqlite.run_sql(sql.sqlite);
        let between = std::time::Instant::now();
        let postgres = self.db.postgres.run_sql(sql.postgres);
        self.time.sqlite += between - started;
        self.time.postgres += between.elapsed();
        Both { sqlite, postgres }
    }

    /// Runs `statements` — what the case runs next, in this order, for as
    /// long as both engines accept each — in as few round trips as the
    /// engines can ([`engine::Connection::run_ahead`]: PostgreSQL's one),
    /// keeping their outcomes for [`Self::run`] to hand out as the case
    /// gets to them. SQLite goes first, up to its first refusal; PostgreSQL
    /// gets those statements and stops at its own first refusal; what
    /// SQLite ran past that is undone. So each engine runs what the case,
    /// one statement at a time, would have — provided the case goes on
    /// while both engines accept: after a step at which it may stop though
    /// both accepted, only reads may follow.
    pub fn ahead(&mut self, statements: &[&Statement]) {
        self.ahead.clear();
        if statements.len() < 2 {
            return;
        }
        let cuts: Vec<Cut<'_>> = statements.iter().map(|s| Cut::new(s)).collect();
        let sqlite_sql: Vec<Sql<'_>> = cuts.iter().map(Cut::sqlite).collect();
        let postgres_sql: Vec<Sql<'_>> = cuts.iter().map(Cut::postgres).collect();
        let started = std::time::Instant::now();
        let sqlite = self.db.sqlite.run_ahead(&sqlite_sql);
        let between = std::time::Instant::now();
        let postgres = self.db.postgres.run_ahead(&postgres_sql[..sqlite.len()]);
        let after = std::time::Instant::now();
        // SQLite undoes what it ran past PostgreSQL's refusal (it cannot
        // only when a conflict resolved by ROLLBACK ended its transaction,
        // which the outcomes handed out already show).
        let _ = self.db.sqlite.keep_ahead(postgres.len());
        self.time.sqlite += between - started + after.elapsed();
        self.time.postgres += after - between;
        self.ahead = statements
            .iter()
            .zip(sqlite)
            .zip(postgres)
            .map(|((st, sqlite), postgres)| {
                (
                    Both {
                        sqlite: st.sqlite.clone(),
                        postgres: st.postgres.clone(),
                    },
                    Both { sqlite, postgres },
                )
            })
            .collect();
    }

    /// Notes where every PostgreSQL sequence stands now (parent rows in),
    /// for [`Self::restore_sequences`]. A sequence is not rolled back with
    /// a case: without this, the ids a job's cases get would depend on the
    /// jobs the worker ran before, and a fixed seed would not give the
    /// same report.
    pub fn mark_sequences(&mut self) -> Result<()> {
        let outcome = self.db.postgres.run(
            "SELECT format('setval(%L::regclass, %s, %s)', \
             quote_ident(schemaname) || '.' || quote_ident(sequencename), \
             coalesce(last_value, start_value), \
             CASE WHEN last_value IS NULL THEN 'false' ELSE 'true' END) \
             FROM pg_sequences ORDER BY schemaname, sequencename",
        );
        if let Outcome::Rejected { message, .. } = &outcome {
            return Err(crate::error::Error::postgres(format!(
                "failed to read the sequences: {message}"
            )));
        }
        let calls: Vec<String> = outcome
            .rows()
            .iter()
            .filter_map(|r| match r.first() {
                Some(Value::Text(call)) => Some(call.clone()),
                _ => None,
            })
            .collect();
        self.sequences = (!calls.is_empty()).then(|| format!("SELECT {}", calls.join(", ")));
        Ok(())
    }

    /// Puts every PostgreSQL sequence back where [`Self::mark_sequences`]
    /// found it (nothing before it was called).
    pub fn restore_sequences(&mut self) -> Result<()> {
        let Some(sql) = &self.sequences else {
            return Ok(());
        };
        if let Outcome::Rejected { message, .. } = self.db.postgres.run(sql) {
            return Err(crate::error::Error::postgres(format!(
                "failed to restore the sequences: {message}"
            )));
        }
        Ok(())
    }

    /// Messages sent to a server so far (for the benchmark).
    pub fn round_trips(&self) -> u64 {
        self.db.sqlite.round_trips() + self.db.postgres.round_trips()
    }
}

pub fn seed_bytes(seed: u64) -> [u8; 32] {
    let mut b = [0u8; 32];
    for (i, chunk) in b.chunks_mut(8).enumerate() {
        let v = seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(u64::try_from(i).unwrap_or(0));
        chunk.copy_from_slice(&v.to_le_bytes());
    }
    b
}
