//! Tools that keep both directions in one file: goose (`-- +goose Up` /
//! `-- +goose Down`, with `StatementBegin`/`StatementEnd` around statements
//! that contain semicolons) and dbmate (`-- migrate:up` / `-- migrate:down`).
//! Only the up section is applied; statements keep their file lines.

use super::split::{FileStatement, code_offset, split_into};
use crate::model::Engine;

/// The goose annotation on a line (`-- +goose Up` → `up`), lowercased.
fn goose_annotation(line: &str) -> Option<String> {
    let rest = line.trim().strip_prefix("--")?.trim_start();
    let word = rest.strip_prefix("+goose")?.split_whitespace().next()?;
    Some(word.to_ascii_lowercase())
}

/// The statements of a goose file's Up section. Outside `StatementBegin` /
/// `StatementEnd` blocks statements end at `;` as usual; a block is one
/// statement, semicolons and all.
pub fn goose_up(text: &str, engine: Engine) -> Result<Vec<FileStatement>, String> {
    let mut out = Vec::new();
    let mut in_up = false;
    let mut seen_up = false;
    let mut chunk = String::new();
    let mut chunk_line = 0usize;
    let mut block: Option<(usize, String)> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let number = i + 1;
        match goose_annotation(line).as_deref() {
            Some("up") => {
                in_up = true;
                seen_up = true;
                continue;
            }
            Some("down") => {
                if in_up {
                    flush(&mut out, &mut chunk, chunk_line, engine);
                }
                in_up = false;
                continue;
            }
            Some("statementbegin") if in_up => {
                flush(&mut out, &mut chunk, chunk_line, engine);
                block = Some((number + 1, String::new()));
                continue;
            }
            Some("statementend") if in_up => {
                if let Some((first, body)) = block.take() {
                    push_whole(&mut out, &body, first);
                }
                continue;
            }
            _ => {}
        }
        if !in_up {
            continue;
        }
        if let Some((_, body)) = block.as_mut() {
            body.push_str(line);
        } else {
            if chunk.is_empty() {
                chunk_line = number;
            }
            chunk.push_str(line);
        }
    }
    if block.is_some() {
        return Err("a `-- +goose StatementBegin` has no `-- +goose StatementEnd`".into());
    }
    if !seen_up {
        return Err("no `-- +goose Up` annotation: goose needs one to know what to apply".into());
    }
    flush(&mut out, &mut chunk, chunk_line, engine);
    Ok(out)
}

/// The statements of a dbmate file's `-- migrate:up` section.
pub fn dbmate_up(text: &str, engine: Engine) -> Result<Vec<FileStatement>, String> {
    let mut out = Vec::new();
    let mut chunk = String::new();
    let mut chunk_line = 0usize;
    let mut in_up = false;
    let mut seen_up = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let directive = line
            .trim()
            .strip_prefix("--")
            .map(str::trim_start)
            .and_then(|l| l.strip_prefix("migrate:"));
        match directive {
            Some(d) if d.starts_with("up") => {
                in_up = true;
                seen_up = true;
                chunk_line = i + 2;
                continue;
            }
            Some(d) if d.starts_with("down") => {
                in_up = false;
                continue;
            }
            _ => {}
        }
        if in_up {
            chunk.push_str(line);
        }
    }
    if !seen_up {
        return Err("no `-- migrate:up` section: dbmate needs one to know what to apply".into());
    }
    flush(&mut out, &mut chunk, chunk_line, engine);
    Ok(out)
}

fn flush(out: &mut Vec<FileStatement>, chunk: &mut String, first_line: usize, engine: Engine) {
    if !chunk.trim().is_empty() {
        split_into(out, chunk, engine, first_line);
    }
    chunk.clear();
}

fn push_whole(out: &mut Vec<FileStatement>, body: &str, first_line: usize) {
    let Some(lead) = code_offset(body) else {
        return;
    };
    out.push(FileStatement {
        number: out.len() + 1,
        line: first_line + body[..lead].matches('\n').count(),
        sql: body[lead..].trim_end().to_string(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goose_applies_only_up_and_keeps_blocks_whole() {
        let text = "-- +goose Up\nCREATE TABLE a (x INT);\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS 'SELECT 1; SELECT 2' LANGUAGE sql;\nSELECT 3;\n-- +goose StatementEnd\nCREATE TABLE b (y INT);\n-- +goose Down\nDROP TABLE a;\n";
        let s = goose_up(text, Engine::Postgres).unwrap_or_default();
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[0].line, 2);
        assert!(s[1].sql.starts_with("CREATE FUNCTION") && s[1].sql.ends_with("SELECT 3;"));
        assert_eq!(s[1].line, 4);
        assert_eq!((s[2].line, s[2].number), (7, 3));
        assert!(!s.iter().any(|st| st.sql.contains("DROP")));
    }

    #[test]
    fn goose_without_up_is_an_error() {
        assert!(goose_up("CREATE TABLE a (x INT);", Engine::Sqlite).is_err());
    }

    #[test]
    fn dbmate_applies_only_up() {
        let text = "-- migrate:up transaction:false\nCREATE TABLE a (x INT);\n\nCREATE TABLE b (y INT);\n-- migrate:down\nDROP TABLE b;\n";
        let s = dbmate_up(text, Engine::Sqlite).unwrap_or_default();
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!((s[0].line, s[1].line), (2, 4));
    }
}
