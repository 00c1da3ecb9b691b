//! Migration folders: discovering versioned files in the accepted layouts,
//! ordering them numerically, and splitting a file into statements with their
//! line numbers (so an engine error can name file, statement and line).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One migration file to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// Numeric version (`001` → 1, `20230101120000` → 20230101120000).
    pub version: u128,
    pub name: String,
    pub path: PathBuf,
}

/// A folder's migrations in apply order plus the files left out.
#[derive(Debug, Clone, Default)]
pub struct MigrationSet {
    pub migrations: Vec<Migration>,
    /// Files that look like SQL but carry no version (e.g. validate_schema.sql).
    pub skipped: Vec<PathBuf>,
}

/// Reads `dir` and returns its migrations in version order.
///
/// Accepted layouts: `NNN_name.sql`, `NNN_name.up.sql` (`.down.sql` ignored),
/// refinery `V1__name.sql`, and diesel folders `YYYY-MM-DD-HHMMSS_name/up.sql`.
pub fn load(dir: &Path) -> Result<MigrationSet> {
    let bad = |reason: String| Error::MigrationDir {
        dir: dir.to_path_buf(),
        reason,
    };
    if !dir.is_dir() {
        return Err(bad(if dir.exists() {
            "it is not a directory".into()
        } else {
            "no such directory".into()
        }));
    }
    let mut set = MigrationSet::default();
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            let up = path.join("up.sql");
            if up.is_file() {
                match parse_version(&file_name, true) {
                    Some((version, name)) => set.migrations.push(Migration {
                        version,
                        name,
                        path: up,
                    }),
                    None => set.skipped.push(up),
                }
            }
            continue;
        }
        let Some(stem) = file_name.strip_suffix(".sql") else {
            continue;
        };
        if stem.ends_with(".down") {
            continue;
        }
        let stem = stem.strip_suffix(".up").unwrap_or(stem);
        match parse_version(stem, false) {
            Some((version, name)) => set.migrations.push(Migration {
                version,
                name,
                path,
            }),
            None => set.skipped.push(path),
        }
    }
    set.migrations
        .sort_by(|a, b| a.version.cmp(&b.version).then(a.path.cmp(&b.path)));
    for pair in set.migrations.windows(2) {
        if pair[0].version == pair[1].version {
            return Err(bad(format!(
                "two migrations share version {}: {} and {}; rename one so the order is unambiguous",
                pair[0].version,
                pair[0].path.display(),
                pair[1].path.display()
            )));
        }
    }
    if set.migrations.is_empty() {
        return Err(bad(
            "no versioned migration files (expected e.g. 001_init.sql, 20230101120000_init.up.sql, V1__init.sql or 2023-01-01-120000_init/up.sql)".into(),
        ));
    }
    Ok(set)
}

/// Splits `NNN_name` / `V1__name` / `YYYY-MM-DD-HHMMSS_name` into version and name.
fn parse_version(stem: &str, diesel: bool) -> Option<(u128, String)> {
    let (prefix, name) = if let Some(rest) = stem.strip_prefix(['V', 'v']) {
        let (v, n) = rest.split_once("__")?;
        (v.to_string(), n.to_string())
    } else {
        let (v, n) = stem.split_once('_').unwrap_or((stem, ""));
        let v = if diesel {
            v.replace('-', "")
        } else {
            v.to_string()
        };
        (v, n.to_string())
    };
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((prefix.parse().ok()?, name))
}

/// One statement of a migration file with where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// 1-based number of the statement within the file.
    pub number: usize,
    /// 1-based line of the statement's first non-blank character.
    pub line: usize,
    pub sql: String,
}

/// Which statement-terminator rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `;` ends a statement unless inside `CREATE TRIGGER … BEGIN … END`.
    Sqlite,
    /// `;` ends a statement unless inside quotes or a `$tag$` body.
    Postgres,
}

/// Splits SQL text into statements. Comments and quoted text are honoured;
/// for SQLite, `sqlite3_complete` decides whether a `;` ends the statement
/// (it knows trigger bodies), for PostgreSQL dollar quotes are tracked.
pub fn split(sql: &str, dialect: Dialect) -> Vec<Statement> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    let n = bytes.len();
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
            b'[' if dialect == Dialect::Sqlite => {
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
            b'$' if dialect == Dialect::Postgres => {
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
                if dialect == Dialect::Postgres || sqlite_complete(candidate) {
                    push_statement(&mut out, sql, start, i + 1);
                    start = i + 1;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if start < n {
        push_statement(&mut out, sql, start, n);
    }
    out
}

fn push_statement(out: &mut Vec<Statement>, sql: &str, start: usize, end: usize) {
    let text = &sql[start..end.min(sql.len())];
    let Some(lead) = code_offset(text) else {
        return;
    };
    let line = sql[..start + lead].matches('\n').count() + 1;
    out.push(Statement {
        number: out.len() + 1,
        line,
        sql: text[lead..].trim_end().to_string(),
    });
}

/// Offset of the first character that is not whitespace, a comment or `;`.
fn code_offset(text: &str) -> Option<usize> {
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

fn sqlite_complete(sql: &str) -> bool {
    let Ok(c) = std::ffi::CString::new(sql) else {
        return true;
    };
    // SAFETY: `c` is a valid NUL-terminated string for the duration of the call;
    // sqlite3_complete only reads it.
    unsafe { rusqlite::ffi::sqlite3_complete(c.as_ptr()) != 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_in_every_layout() {
        assert_eq!(parse_version("001_init", false), Some((1, "init".into())));
        assert_eq!(
            parse_version("20230101120000_add", false),
            Some((20_230_101_120_000, "add".into()))
        );
        assert_eq!(
            parse_version("V12__users", false),
            Some((12, "users".into()))
        );
        assert_eq!(
            parse_version("2023-01-01-120000_create", true),
            Some((20_230_101_120_000, "create".into()))
        );
        assert_eq!(parse_version("validate_schema", false), None);
        assert_eq!(parse_version("V1_bad", false), None);
    }

    #[test]
    fn sqlite_split_keeps_trigger_bodies_whole() {
        let sql = "CREATE TABLE a(x);\n-- c; d\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE a SET x = 1;\n  UPDATE a SET x = ';';\nEND;\nINSERT INTO a VALUES (1)";
        let s = split(sql, Dialect::Sqlite);
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
        let s = split(sql, Dialect::Postgres);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[2].sql, "SELECT 'a;b';");
        assert_eq!(s[1].line, 2);
    }

    #[test]
    fn comment_only_tail_is_not_a_statement() {
        let s = split("SELECT 1;\n-- done\n", Dialect::Postgres);
        assert_eq!(s.len(), 1);
    }
}
