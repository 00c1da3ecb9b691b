//! Bulk loading with `COPY … FROM STDIN` (text format), for `replay`: the
//! rows of a batch sent as one stream, the whole batch refused if one row
//! is (<https://www.postgresql.org/docs/current/sql-copy.html>).

use super::exec::{PgFailure, Session};

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Session {
    /// Loads `data` (COPY text format: tab-separated fields, `\N` for
    /// NULL, one row per line) into `columns` of `table` in one statement,
    /// in its own transaction. Returns the rows loaded; a refused row
    /// refuses the batch, and the server's error says why.
    pub fn copy_in(
        &mut self,
        table: &str,
        columns: &[&str],
        data: &[u8],
    ) -> Result<u64, PgFailure> {
        let cols: Vec<String> = columns.iter().map(|c| quote(c)).collect();
        let statement = format!("COPY {} ({}) FROM STDIN", quote(table), cols.join(", "));
        let (rt, conn) = self.parts();
        rt.block_on(async {
            let mut copy = conn.copy_in_raw(&statement).await?;
            // A refused row does not fail the send: the server skips the
            // rest of the stream, and its error is what `finish` reads.
            copy.send(data).await?;
            copy.finish().await
        })
        .map_err(PgFailure::from)
    }
}
