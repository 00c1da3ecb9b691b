//! `pg_dump` output as a PostgreSQL side: what a plain `psql -f` run needs
//! beyond SQL is handled here.
//!
//! Skipped: session settings (`SET …`, `SELECT pg_catalog.set_config(…)` —
//! pg_dump qualifies every name, so an empty `search_path` is not needed),
//! psql meta-commands (`\connect`, `\restrict`), and ownership and privileges
//! (`ALTER … OWNER TO`, `GRANT`, `REVOKE`: the roles belong to the dumped
//! server, not to the schema). `COPY … FROM stdin;` data up to `\.` becomes
//! one multi-row `INSERT` (text format: tab-separated, `\N` is NULL,
//! backslash escapes as documented at
//! <https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2>).

use super::split::{FileStatement, split_into};
use crate::model::Engine;

pub fn statements(text: &str) -> Vec<FileStatement> {
    let mut out = Vec::new();
    let mut chunk = String::new();
    let mut chunk_line = 1usize;
    let mut lines = text.split_inclusive('\n').enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let number = i + 1;
        let trimmed = line.trim_end();
        let copy = copy_target(trimmed);
        if copy.is_some() || trimmed.starts_with('\\') {
            flush(&mut out, &mut chunk, chunk_line);
            chunk_line = number + 1;
        }
        if let Some(target) = copy {
            let mut rows = Vec::new();
            for (_, data) in lines.by_ref() {
                let data = data.trim_end_matches(['\n', '\r']);
                if data == "\\." {
                    break;
                }
                rows.push(format!("({})", row_literals(data).join(", ")));
            }
            chunk_line = number + rows.len() + 2;
            if !rows.is_empty() {
                out.push(FileStatement {
                    number: 0,
                    line: number,
                    sql: format!("INSERT INTO {target} VALUES\n{};", rows.join(",\n")),
                });
            }
            continue;
        }
        if trimmed.starts_with('\\') {
            continue;
        }
        chunk.push_str(line);
    }
    flush(&mut out, &mut chunk, chunk_line);
    for (i, s) in out.iter_mut().enumerate() {
        s.number = i + 1;
    }
    out
}

fn flush(out: &mut Vec<FileStatement>, chunk: &mut String, first_line: usize) {
    let mut part = Vec::new();
    split_into(&mut part, chunk, Engine::Postgres, first_line);
    out.extend(part.into_iter().filter(|s| !is_environment(&s.sql)));
    chunk.clear();
}

/// Statements about the dumped server rather than the schema.
fn is_environment(sql: &str) -> bool {
    let upper = sql.to_ascii_uppercase();
    let words: Vec<&str> = upper.split_whitespace().collect();
    match words.first().copied() {
        Some("SET" | "GRANT" | "REVOKE") => true,
        Some("SELECT") => upper.contains("PG_CATALOG.SET_CONFIG("),
        Some("ALTER") => {
            words.windows(2).any(|w| w == ["OWNER", "TO"])
                || (words.get(1) == Some(&"DEFAULT") && words.get(2) == Some(&"PRIVILEGES"))
        }
        _ => false,
    }
}

/// `COPY public.t (a, b) FROM stdin;` → `public.t (a, b)`.
fn copy_target(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("COPY ")?;
    let target = rest.strip_suffix(" FROM stdin;")?;
    Some(target.trim())
}

/// One COPY text-format row → SQL literals (untyped, so PostgreSQL casts
/// each to its column's type).
fn row_literals(row: &str) -> Vec<String> {
    row.split('\t')
        .map(|field| {
            if field == "\\N" {
                "NULL".to_string()
            } else {
                crate::sql::text::quote_literal(&unescape(field))
            }
        })
        .collect()
}

fn unescape(field: &str) -> String {
    let mut out = Vec::with_capacity(field.len());
    let bytes = field.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' || i + 1 == bytes.len() {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let c = bytes[i + 1];
        i += 2;
        match c {
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                let mut n = 1;
                while n < 3 && i < bytes.len() && (b'0'..=b'7').contains(&bytes[i]) {
                    v = v * 8 + u32::from(bytes[i] - b'0');
                    i += 1;
                    n += 1;
                }
                out.push(u8::try_from(v & 0xff).unwrap_or(0));
            }
            b'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && i < bytes.len() && bytes[i].is_ascii_hexdigit() {
                    v = v * 16 + char::from(bytes[i]).to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    out.push(b'x');
                } else {
                    out.push(u8::try_from(v).unwrap_or(0));
                }
            }
            other => out.push(other),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_meta_commands_and_owners_are_skipped() {
        let text = "\\restrict abc\nSET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.t (id integer, note text);\nALTER TABLE public.t OWNER TO someone;\nGRANT ALL ON TABLE public.t TO app;\nSELECT pg_catalog.setval('public.s', 3, true);\n\\unrestrict abc\n";
        let s = statements(text);
        let sql: Vec<&str> = s.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(
            sql,
            [
                "CREATE TABLE public.t (id integer, note text);",
                "SELECT pg_catalog.setval('public.s', 3, true);"
            ]
        );
        assert_eq!((s[0].line, s[1].line), (4, 7));
    }

    #[test]
    fn copy_data_becomes_one_insert() {
        let text = "CREATE TABLE public.t (id integer, note text);\nCOPY public.t (id, note) FROM stdin;\n1\tit's\\there\n2\t\\N\n\\.\nCREATE INDEX i ON public.t (id);\n";
        let s = statements(text);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(
            s[1].sql,
            "INSERT INTO public.t (id, note) VALUES\n('1', 'it''s\there'),\n('2', NULL);"
        );
        assert_eq!((s[1].line, s[2].line), (2, 6));
        assert_eq!(s[2].number, 3);
    }
}
