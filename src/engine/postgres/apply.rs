//! Applies a PostgreSQL migration folder, statement by statement, reporting a
//! failure with file, statement number, line and the server's message.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::migrations::MigrationSet;

use super::Session;

pub fn apply(session: &mut Session, set: &MigrationSet) -> Result<()> {
    for (i, sql) in set.preamble.iter().enumerate() {
        if let Err(f) = session.execute(sql) {
            return Err(Error::Migration {
                engine: Engine::Postgres,
                file: set.source.join(format!("({} bookkeeping)", set.layout)),
                statement: i + 1,
                line: 1,
                message: f.to_string(),
            });
        }
    }
    for m in &set.migrations {
        for stmt in m.statements(Engine::Postgres)? {
            if let Err(f) = session.execute(&stmt.sql) {
                // The server's position points into the statement: turn it
                // into the file line the user can jump to.
                let line = f.position.map_or(stmt.line, |p| {
                    let lead = stmt
                        .sql
                        .chars()
                        .take(p.saturating_sub(1))
                        .filter(|&c| c == '\n')
                        .count();
                    stmt.line + lead
                });
                return Err(Error::Migration {
                    engine: Engine::Postgres,
                    file: m.path.clone(),
                    statement: stmt.number,
                    line,
                    message: f.to_string(),
                });
            }
        }
    }
    Ok(())
}
