//! Applies a PostgreSQL migration folder, statement by statement, reporting a
//! failure with file, statement number, line and the server's message.

use crate::engine::Step;
use crate::error::{Error, Result};
use crate::model::Engine;

use super::Session;

/// Runs every step in order; stops at the first failing one with its file,
/// statement number and line (the server's error position turned into the
/// file's line).
pub fn apply(session: &mut Session, steps: &[Step]) -> Result<()> {
    for step in steps {
        if let Err(f) = session.execute(&step.sql) {
            // The server's position points into the statement: turn it
            // into the file line the user can jump to.
            let line = f.position.map_or(step.line, |p| {
                let lead = step
                    .sql
                    .chars()
                    .take(p.saturating_sub(1))
                    .filter(|&c| c == '\n')
                    .count();
                step.line + lead
            });
            return Err(Error::Migration {
                engine: Engine::Postgres,
                file: step.file.clone(),
                statement: step.statement,
                line,
                message: f.to_string(),
            });
        }
    }
    Ok(())
}
