//! Probing a pairing of column types no mapping rule covers: the same
//! values stored in a column of each engine's type and read back, or
//! refused, so that what the pairing does is decided by what the engines
//! do (`mapping::Probed` reads the outcomes). Each value runs in a case of
//! its own through the engines' [`Connection`]s, rolled back; the probe
//! tables live in a fresh in-memory SQLite database and in a PostgreSQL
//! session's temporary schema, so nothing outlives the probe.

use crate::error::{Error, Result};

use super::{Connection, Outcome, postgres, sqlite};
use crate::model::Both;

/// One pairing to probe: each engine's column type (as that engine spells
/// it in a `CREATE TABLE`) and the same values as each engine's literals.
#[derive(Debug, Clone)]
pub struct Probe {
    pub types: Both<String>,
    pub literals: Vec<Both<String>>,
}

/// What each engine did with each literal of each probe: `Ok` with the
/// value read back (PostgreSQL's in its text form, as its output function
/// writes it), or why it refused the INSERT. A pairing whose probe table
/// an engine refuses (a type name it cannot resolve) gets that engine's
/// reason instead. `session` is a session on the database whose types the
/// PostgreSQL columns name (the migrated one); it is closed at the end.
pub fn store_and_read(
    session: postgres::Session,
    probes: &[Probe],
) -> Result<Vec<std::result::Result<Vec<Both<Outcome>>, String>>> {
    let mut lite = sqlite::Connection::new(sqlite::open_memory()?)?;
    let mut pg = postgres::Connection::new(session);
    let mut out = Vec::with_capacity(probes.len());
    for probe in probes {
        out.push(one(&mut lite, &mut pg, probe)?);
    }
    pg.into_session().close();
    Ok(out)
}

fn one(
    lite: &mut sqlite::Connection,
    pg: &mut postgres::Connection,
    probe: &Probe,
) -> Result<std::result::Result<Vec<Both<Outcome>>, String>> {
    let made = Both {
        sqlite: lite.run(&format!(
            "CREATE TABLE parity_probe (c {})",
            probe.types.sqlite
        )),
        postgres: pg.run(&format!(
            "CREATE TEMPORARY TABLE parity_probe (c {})",
            probe.types.postgres
        )),
    };
    let refused = [("SQLite", &made.sqlite), ("PostgreSQL", &made.postgres)]
        .into_iter()
        .find(|(_, o)| !o.is_ok())
        .map(|(engine, o)| format!("{engine} refused a column of that type: {}", o.describe()));
    let mut outcomes = Vec::with_capacity(probe.literals.len());
    if refused.is_none() {
        for lit in &probe.literals {
            outcomes.push(Both {
                sqlite: stored(lite, &lit.sqlite, "c")?,
                postgres: stored(pg, &lit.postgres, "format('%s', c)")?,
            });
        }
    }
    if made.sqlite.is_ok()
        && let Outcome::Rejected { message, .. } = lite.run("DROP TABLE parity_probe")
    {
        return Err(Error::sqlite(format!(
            "failed to drop a probe table: {message}"
        )));
    }
    if made.postgres.is_ok()
        && let Outcome::Rejected { message, .. } = pg.run("DROP TABLE parity_probe")
    {
        return Err(Error::postgres(format!(
            "failed to drop a probe table: {message}"
        )));
    }
    Ok(match refused {
        Some(why) => Err(why),
        None => Ok(outcomes),
    })
}

/// Inserts `literal` in a case of its own and reads `read` of the row back.
fn stored(conn: &mut dyn Connection, literal: &str, read: &str) -> Result<Outcome> {
    conn.begin()?;
    let inserted = conn.run(&format!("INSERT INTO parity_probe (c) VALUES ({literal})"));
    let outcome = if inserted.is_ok() {
        conn.run(&format!("SELECT {read} FROM parity_probe"))
    } else {
        inserted
    };
    conn.rollback()?;
    Ok(outcome)
}
