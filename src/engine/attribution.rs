//! What a rejection is about, in engine-neutral terms: the columns (and the
//! constraint) an engine's error names. Each engine reads its own errors in
//! `engine/<engine>/attribute.rs`; this file holds the shared vocabulary and
//! the whole-identifier matching both use. Names are matched as whole
//! identifiers, never as substrings: `id` is inside "invalid" and "uuid".

use crate::schema::{KeyPart, Table};

/// One column a statement sets, and the literal it sends to one engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment<'a> {
    pub column: &'a str,
    pub literal: &'a str,
}

/// The columns (and constraint) a rejection is attributed to; no columns
/// when the engine's report does not say (never a guess).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Culprit {
    pub columns: Vec<String>,
    pub constraint: Option<String>,
}

impl Culprit {
    pub fn columns(columns: Vec<String>) -> Self {
        Culprit {
            columns,
            constraint: None,
        }
    }
}

/// The identifiers in SQL text, in order, lower-cased: bare words and
/// `"quoted"` names; string literals and numbers are skipped.
pub fn identifiers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                // A string literal ('' is an escaped quote).
                while let Some(d) = chars.next() {
                    if d == '\'' {
                        if chars.peek() == Some(&'\'') {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
            }
            '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                let mut name = String::new();
                while let Some(d) = chars.next() {
                    if d == close {
                        if chars.peek() == Some(&close) {
                            chars.next();
                            name.push(d);
                        } else {
                            break;
                        }
                    } else {
                        name.push(d);
                    }
                }
                out.push(name.to_lowercase());
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut word = String::from(c);
                while let Some(&d) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '$' {
                        word.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(word.to_lowercase());
            }
            c if c.is_ascii_digit() => {
                while chars
                    .peek()
                    .is_some_and(|d| d.is_alphanumeric() || *d == '.' || *d == '_')
                {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    out
}

/// The columns of `table` that `text` names as whole identifiers, each once,
/// in the order the text names them.
pub fn columns_named(text: &str, table: &Table) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in identifiers(text) {
        if let Some(c) = table.columns.iter().find(|c| c.name.to_lowercase() == word)
            && !out.contains(&c.name)
        {
            out.push(c.name.clone());
        }
    }
    out
}

/// The columns an index key covers (expression parts by the columns they name).
pub fn key_columns(parts: &[KeyPart], table: &Table) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        let named = match p {
            KeyPart::Column { name, .. } => vec![name.clone()],
            KeyPart::Expr { text, .. } => columns_named(text, table),
        };
        for c in named {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// The text a literal carries: `'it''s'` → `it's`, `'2'::boolean` → `2`,
/// `12` → `12`; a NUL spliced in with `char(0)`/`chr(0)` becomes `\0`.
pub fn literal_text(literal: &str) -> String {
    let l = literal.trim();
    let l = match l.rfind("::") {
        Some(i) if !l[i..].contains('\'') => &l[..i],
        _ => l,
    };
    if !l.starts_with('\'') {
        return l.to_string();
    }
    let mut out = String::new();
    let mut in_quote = false;
    let mut chars = l.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quote {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    out.push('\'');
                } else {
                    in_quote = false;
                }
            } else {
                out.push(c);
            }
        } else if c == '\'' {
            in_quote = true;
        } else if c == '(' {
            out.push('\0');
            for d in chars.by_ref() {
                if d == ')' {
                    break;
                }
            }
        }
    }
    out
}

/// A name in an engine message between double quotes after `prefix`
/// (`column "x"` → `x`), matched as a whole word.
pub fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let at = message.find(prefix)?;
    let rest = message[at + prefix.len()..].strip_prefix('"')?;
    rest.split('"').next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Column;

    fn table(cols: &[&str]) -> Table {
        Table {
            name: "t".into(),
            columns: cols
                .iter()
                .map(|c| Column {
                    name: (*c).to_string(),
                    ..Column::default()
                })
                .collect(),
            ..Table::default()
        }
    }

    #[test]
    fn whole_identifiers_only() {
        let t = table(&["id", "uuid_ref", "kind"]);
        assert!(columns_named("invalid input syntax for type uuid", &t).is_empty());
        assert_eq!(columns_named("kind IN ('id', 'x')", &t), vec!["kind"]);
        assert_eq!(
            columns_named("\"uuid_ref\" IS NOT NULL AND id > 0", &t),
            vec!["uuid_ref", "id"]
        );
    }

    #[test]
    fn literal_text_unquotes() {
        assert_eq!(literal_text("'it''s'"), "it's");
        assert_eq!(literal_text("'2'::boolean"), "2");
        assert_eq!(literal_text("12"), "12");
        assert_eq!(literal_text("'a' || chr(0) || 'b'"), "a\0b");
        assert_eq!(literal_text("'a::b'"), "a::b");
    }

    #[test]
    fn quoted_names_after_a_prefix() {
        assert_eq!(
            quoted_after("column \"flag\" is of type boolean", "column "),
            Some("flag")
        );
        assert_eq!(quoted_after("no quotes here", "column "), None);
    }
}
