//! The engine boundary, enforced: a database driver (`rusqlite`, `sqlx`) is
//! named in code only under `src/engine/` and `src/provision/`. Everything
//! else reaches an engine through `engine`'s API. Comments and string
//! literals may name the tools (`Layout::Sqlx => "sqlx"`,
//! `_sqlx_migrations`); code may not.

use std::path::{Path, PathBuf};

/// The drivers' crate names (and their sub-crates' prefix).
const DRIVERS: &[&str] = &["rusqlite", "sqlx", "libsqlite3_sys"];
const DRIVER_PREFIXES: &[&str] = &["sqlx_", "libsqlite3_"];

/// Where drivers may be used, relative to `src/`.
const ALLOWED: &[&str] = &["engine", "provision"];

#[test]
fn drivers_are_used_only_in_engine_and_provision() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(
        files.len() > 50,
        "found only {} files under src/",
        files.len()
    );
    let mut uses = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap_or(file);
        if rel
            .components()
            .next()
            .is_some_and(|c| ALLOWED.iter().any(|a| c.as_os_str() == *a))
        {
            continue;
        }
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("failed to read {}: {e}", file.display()));
        for (line, ident) in driver_uses(&text) {
            uses.push(format!("src/{}:{line}: {ident}", rel.display()));
        }
    }
    assert!(
        uses.is_empty(),
        "a database driver is used outside src/engine/ and src/provision/ \
         (reach the engine through `crate::engine` instead):\n  {}",
        uses.join("\n  ")
    );
}

#[test]
fn code_is_told_apart_from_comments_and_strings() {
    let lines = |text: &str| -> Vec<usize> { driver_uses(text).into_iter().map(|u| u.0).collect() };
    assert_eq!(lines("use rusqlite::Connection;"), [1]);
    assert_eq!(lines("fn f(o: &sqlx::postgres::PgConnectOptions) {}"), [1]);
    assert_eq!(lines("let x = 1;\n  ::rusqlite::version()"), [2]);
    assert_eq!(lines("let e: sqlx_core::Error;"), [1]);
    assert_eq!(lines("unsafe { libsqlite3_sys::sqlite3_complete(p) }"), [1]);
    // Named, not used:
    assert!(lines("Layout::Sqlx => \"sqlx\",").is_empty());
    assert!(lines("\"_sqlx_migrations\",").is_empty());
    assert!(lines("// rusqlite is bundled\n/// with sqlx\n//! sqlx").is_empty());
    assert!(lines("/* a /* nested */ rusqlite */ let a = 1;").is_empty());
    assert!(lines("let s = r#\"rusqlite \"quoted\" sqlx\"#;").is_empty());
    assert!(lines("let s = \"esc \\\" rusqlite\";").is_empty());
    assert!(lines("let b = b\"sqlx\"; let c = '\"'; let d = 'x';").is_empty());
    assert!(lines("let not_sqlx = my_rusqlite_like;").is_empty());
    // A lifetime is not a character literal: what follows is code.
    assert_eq!(lines("fn f<'a>(x: &'a str) -> sqlx::Error {}"), [1]);
    assert_eq!(lines("let q = '\\''; rusqlite::version()"), [1]);
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("failed to read {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each identifier in code (not in a comment or a literal) that names a
/// driver, with its 1-based line.
fn driver_uses(text: &str) -> Vec<(usize, String)> {
    let is_driver = |ident: &str| {
        DRIVERS.contains(&ident) || DRIVER_PREFIXES.iter().any(|p| ident.starts_with(p))
    };
    code_identifiers(text)
        .into_iter()
        .filter(|(_, ident)| is_driver(ident))
        .collect()
}

/// The identifiers of Rust source outside comments, string, byte-string,
/// raw-string and character literals, with their 1-based lines.
fn code_identifiers(text: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Advances past `chars[i]`, counting lines.
    let step = |i: &mut usize, line: &mut usize| {
        if chars[*i] == '\n' {
            *line += 1;
        }
        *i += 1;
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    step(&mut i, &mut line);
                }
            }
        } else if let Some(hashes) = raw_string_start(&chars, i) {
            // r"…", r#"…"#, br#"…"#: no escapes, ends at `"` and the hashes.
            while chars[i] != '"' {
                i += 1;
            }
            i += 1;
            while i < chars.len() {
                if chars[i] == '"'
                    && chars[i + 1..].iter().take_while(|&&h| h == '#').count() >= hashes
                {
                    i += 1 + hashes;
                    break;
                }
                step(&mut i, &mut line);
            }
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            i += if c == 'b' { 2 } else { 1 };
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    step(&mut i, &mut line);
                }
                if i < chars.len() {
                    step(&mut i, &mut line);
                }
            }
            i += 1;
        } else if c == '\'' || (c == 'b' && next == Some('\'')) {
            let start = if c == 'b' { i + 1 } else { i };
            match char_literal_end(&chars, start) {
                Some(end) => i = end,
                // A lifetime or label: its name is read as an identifier next.
                None => i = start + 1,
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((line, chars[start..i].iter().collect()));
        } else {
            step(&mut i, &mut line);
        }
    }
    out
}

/// At `r"`, `r#"`, `br"`, `br#"`…: the number of `#`s.
fn raw_string_start(chars: &[char], i: usize) -> Option<usize> {
    let after_prefix = match (chars.get(i), chars.get(i + 1)) {
        (Some('r'), _) => i + 1,
        (Some('b'), Some('r')) => i + 2,
        _ => return None,
    };
    // `r` must start a token, not end an identifier such as `for`.
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let hashes = chars[after_prefix..]
        .iter()
        .take_while(|&&h| h == '#')
        .count();
    (chars.get(after_prefix + hashes) == Some(&'"')).then_some(hashes)
}

/// At a `'`: the index past the character literal it opens, or `None` when
/// it opens a lifetime or label (`'a`, `'static`).
fn char_literal_end(chars: &[char], quote: usize) -> Option<usize> {
    match chars.get(quote + 1)? {
        '\\' => {
            // An escape: '\n', '\'', '\u{…}' (the escaped character is
            // never the closing quote).
            let close = chars.get(quote + 3..)?.iter().position(|&c| c == '\'')?;
            Some(quote + 3 + close + 1)
        }
        _ if chars.get(quote + 2) == Some(&'\'') => Some(quote + 3),
        _ => None,
    }
}
