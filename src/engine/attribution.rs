//! What a rejection is about, in engine-neutral terms: the columns (and the
//! constraint) an engine's error names. Each engine reads its own errors in
//! `engine/<engine>/attribute.rs`, as a table with one [`Row`] per error
//! code; this file holds the shared vocabulary ([`Refusal`], [`Row`],
//! [`by_code`]) and the whole-identifier matching both use. Names are
//! matched as whole identifiers, never as substrings: `id` is inside
//! "invalid" and "uuid".

use crate::engine::ErrorFields;
use crate::model::schema::{KeyPart, Table};

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

/// A refused statement, as attribution reads it: what the engine said, the
/// statement, the table it writes (as that engine's introspection reads
/// it) and the columns it sets, with the literal each is sent.
#[derive(Debug, Clone, Copy)]
pub struct Refusal<'a> {
    pub error: &'a ErrorFields,
    pub sql: &'a str,
    pub table: &'a Table,
    pub set: &'a [Assignment<'a>],
}

impl Refusal<'_> {
    pub fn message(&self) -> &str {
        &self.error.message
    }
}

/// How one engine's errors with one code are attributed.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// The engine's code ([`ErrorFields::code`]).
    pub code: &'static str,
    /// The code's name in the engine's documentation
    /// (`unique_violation`, `SQLITE_CONSTRAINT_UNIQUE`).
    pub name: &'static str,
    /// What an error with this code names, and where it says it.
    pub read: fn(&Refusal<'_>) -> Culprit,
}

/// The row of `rows` for `code`.
pub fn row<'r>(rows: &'r [Row], code: &str) -> Option<&'r Row> {
    rows.iter().find(|r| r.code == code)
}

/// What `r` is about, by the row of its code; a code without a row by
/// `otherwise`.
pub fn by_code(rows: &[Row], r: &Refusal<'_>, otherwise: fn(&Refusal<'_>) -> Culprit) -> Culprit {
    match row(rows, &r.error.code) {
        Some(row) => (row.read)(r),
        None => otherwise(r),
    }
}

/// The column `set` assigns under the name `name` (a whole identifier,
/// ASCII letter case aside, as both engines fold it), spelled as the
/// statement spells it — whether or not the table has such a column: an
/// engine refusing a column it lacks names it, and that column is the
/// difference.
pub fn assigned(set: &[Assignment<'_>], name: &str) -> Option<String> {
    set.iter()
        .find(|a| a.column.eq_ignore_ascii_case(name))
        .map(|a| a.column.to_string())
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
/// (`column "x"` → `x`), the prefix matched as a whole word (`column` is
/// not the end of `subcolumn`).
pub fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    message.match_indices(prefix).find_map(|(at, _)| {
        let whole = !message[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let rest = message[at + prefix.len()..].strip_prefix('"')?;
        whole.then(|| rest.split('"').next()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::Column;

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
        assert_eq!(
            quoted_after("subcolumn \"a\" and column \"b\"", "column "),
            Some("b")
        );
    }

    #[test]
    fn an_assigned_name_is_matched_whole_even_when_the_table_lacks_it() {
        let set = [
            Assignment {
                column: "id",
                literal: "1",
            },
            Assignment {
                column: "Fine_Cents",
                literal: "2",
            },
        ];
        assert_eq!(assigned(&set, "fine_cents").as_deref(), Some("Fine_Cents"));
        assert_eq!(assigned(&set, "fine"), None);
        assert_eq!(assigned(&set, "i"), None);
    }
}
