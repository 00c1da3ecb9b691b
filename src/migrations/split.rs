//! Splitting SQL text into statements with their line numbers (so an engine
//! error can name file, statement and line).

use crate::engine::sqlite;
use crate::model::Engine;

/// One statement of a migration file with where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStatement {
    /// 1-based number of the statement within the file.
    pub number: usize,
    /// 1-based line of the statement's first non-blank character.
    pub line: usize,
    pub sql: String,
}

/// Splits SQL text into statements. Comments and quoted text are honoured;
/// for SQLite, SQLite's own tokenizer decides whether a `;` ends the
/// statement ([`sqlite::is_complete`]: it knows trigger bodies), for
/// PostgreSQL dollar quotes are tracked.
pub fn split(sql: &str, engine: Engine) -> Vec<FileStatement> {
    let mut out = Vec::new();
    split_into(&mut out, sql, engine, 1);
    out
}

/// [`split`] for a part of a file that starts on line `first_line`,
/// appending to `out` (statement numbers continue from its length).
pub(super) fn split_into(
    out: &mut Vec<FileStatement>,
    sql: &str,
    engine: Engine,
    first_line: usize,
) {
    let bytes = sql.as_bytes();
    let mut start = 0usize;
    let mut i = 0usize;
    let n = bytes.len();
    let offset = first_line - 1;
    while i < n {
        let c = bytes[i];
        match c {
            b'\'' | b'"' | b'`' => {
                i += 1;
                while i < n {
                    if bytes[i] == c {
                        if i + 1 < n && bytes[i + 1] == c {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'[' if engine == Engine::Sqlite => {
                while i < n && bytes[i] != b']' {
                    i += 1;
                }
                i += 1;
            }
            b'-' if i + 1 < n && bytes[i + 1] == b'-' => {
                while i < n && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if i + 1 < n && bytes[i + 1] == b'*' => {
                i += 2;
                while i + 1 < n && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'$' if engine == Engine::Postgres => {
                // $tag$ … $tag$ (tag may be empty); `$1` parameters are not quotes.
                let mut j = i + 1;
                while j < n && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                    j += 1;
                }
                let is_tag =
                    j < n && bytes[j] == b'$' && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                if is_tag {
                    let tag = &sql[i..=j];
                    match sql[j + 1..].find(tag) {
                        Some(end) => i = j + 1 + end + tag.len(),
                        None => i = n,
                    }
                } else {
                    i += 1;
                }
            }
            b';' => {
                let candidate = &sql[start..=i];
                if engine == Engine::Postgres || sqlite::is_complete(candidate) {
                    push_statement(out, sql, start, i + 1, offset);
                    start = i + 1;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if start < n {
        push_statement(out, sql, start, n, offset);
    }
}

fn push_statement(
    out: &mut Vec<FileStatement>,
    sql: &str,
    start: usize,
    end: usize,
    offset: usize,
) {
    let text = &sql[start..end.min(sql.len())];
    let Some(lead) = code_offset(text) else {
        return;
    };
    let line = sql[..start + lead].matches('\n').count() + 1 + offset;
    out.push(FileStatement {
        number: out.len() + 1,
        line,
        sql: text[lead..].trim_end().to_string(),
    });
}

/// Offset of the first character that is not whitespace, a comment or `;`.
pub(super) fn code_offset(text: &str) -> Option<usize> {
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
        if let Some(r) = rest.strip_prefix("--") {
            rest = r.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |(_, after)| after);
        } else if rest.is_empty() {
            return None;
        } else {
            return Some(text.len() - rest.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_split_keeps_trigger_bodies_whole() {
        let sql = "CREATE TABLE a(x);\n-- c; d\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE a SET x = 1;\n  UPDATE a SET x = ';';\nEND;\nINSERT INTO a VALUES (1)";
        let s = split(sql, Engine::Sqlite);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[1].sql.starts_with("CREATE TRIGGER"));
        assert!(s[1].sql.ends_with("END;"));
        assert_eq!(s[1].line, 3);
        assert_eq!(s[2].line, 7);
        assert_eq!(s[2].number, 3);
    }

    #[test]
    fn postgres_split_keeps_dollar_bodies_whole() {
        let sql = "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.x := 1; RETURN NEW; END $$ LANGUAGE plpgsql;\nSELECT $1;\nSELECT 'a;b';";
        let s = split(sql, Engine::Postgres);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[2].sql, "SELECT 'a;b';");
        assert_eq!(s[1].line, 2);
    }

    #[test]
    fn comment_only_tail_is_not_a_statement() {
        let s = split("SELECT 1;\n-- done\n", Engine::Postgres);
        assert_eq!(s.len(), 1);
    }
}
