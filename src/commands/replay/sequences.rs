//! What a migration needs after the rows are in: a PostgreSQL sequence
//! behind the ids the file's rows brought (explicit ids do not advance
//! it, so the next default would collide) needs a `setval`, given as SQL.

use crate::engine::postgres::Session;
use crate::error::{Error, Result};
use crate::model::finding::{Category, CheckKind, Finding};
use crate::model::schema::{Table, Value};
use crate::sql::text::{quote_ident, quote_literal};

/// One `setval` per sequence of `table`'s columns that its rows overtook,
/// as a finding of severity note (it fails nothing: it is what to run).
pub fn overtaken(session: &mut Session, table: &Table) -> Result<Vec<Finding>> {
    let pg = |e| Error::postgres(format!("failed to read `{}`'s sequences: {e}", table.name));
    let mut out = Vec::new();
    for c in table.columns.iter().filter(|c| c.auto_increment) {
        let rows = session
            .query_values(&format!(
                "SELECT pg_get_serial_sequence({}, {})",
                quote_literal(&quote_ident(&table.name)),
                quote_literal(&c.name)
            ))
            .map_err(pg)?;
        let Some(Value::Text(sequence)) = rows.first().and_then(|r| r.first()).cloned() else {
            continue;
        };
        let state = session
            .query_values(&format!(
                "SELECT s.last_value, s.is_called, (SELECT max({}) FROM {}) FROM {sequence} s",
                quote_ident(&c.name),
                quote_ident(&table.name)
            ))
            .map_err(pg)?;
        let Some(
            [
                Value::Integer(last),
                Value::Integer(called),
                Value::Integer(max),
            ],
        ) = state.first().map(Vec::as_slice)
        else {
            continue;
        };
        let next = if *called != 0 { last + 1 } else { *last };
        if *max < next {
            continue;
        }
        let sql = format!("SELECT setval({}, {max});", quote_literal(&sequence));
        let mut f = Finding::new(
            CheckKind::Replay,
            Category::Default,
            &table.name,
            &[&c.name],
            "setval",
        )
        .message(format!(
            "the loaded ids of `{}`.`{}` reach {max}, past the next value of its sequence ({next}): after the migration run {sql}",
            table.name, c.name
        ))
        .sides(
            format!("SQLite's next id is above {max}"),
            format!("PostgreSQL's sequence {sequence} would hand out {next}: {sql}"),
        );
        f.severity = crate::model::finding::Severity::Note;
        out.push(f);
    }
    Ok(out)
}
