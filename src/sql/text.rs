//! A small lexer for the `CREATE` text SQLite keeps in `sqlite_master`.
//! SQLite exposes CHECK bodies, column collations, index expressions and
//! trigger timing only through that stored text, so introspection reads the
//! engine-accepted text with this lexer (never the migration files). Also
//! the one way an identifier or a string literal is quoted in the SQL the
//! tool writes.

/// `name` as a quoted identifier, the same on both engines.
pub fn quote_ident(name: &str) -> String {
    quoted(name, '"')
}

/// `text` as an SQL string literal, the same on both engines (PostgreSQL
/// with standard_conforming_strings, its default).
pub fn quote_literal(text: &str) -> String {
    quoted(text, '\'')
}

/// `text` between two `quote`s, each `quote` inside doubled: one
/// allocation (a case renders many of these).
fn quoted(text: &str, quote: char) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        if c == quote {
            out.push(quote);
        }
        out.push(c);
    }
    out.push(quote);
    out
}

/// A lexical token with its byte span in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    /// Identifier value (unquoted), literal text, or punctuation.
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    QuotedIdent,
    Str,
    Number,
    Punct,
}

impl Token {
    pub fn is_word(&self, w: &str) -> bool {
        self.kind == TokenKind::Word && self.text.eq_ignore_ascii_case(w)
    }
    pub fn is_punct(&self, p: &str) -> bool {
        self.kind == TokenKind::Punct && self.text == p
    }
    /// An identifier, quoted or not, lower-cased.
    pub fn ident(&self) -> Option<String> {
        matches!(
            self.kind,
            TokenKind::Word | TokenKind::QuotedIdent | TokenKind::Str
        )
        .then(|| self.text.to_lowercase())
    }
}

pub fn tokenize(sql: &str) -> Vec<Token> {
    let b = sql.as_bytes();
    let n = b.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let c = b[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'-' && i + 1 < n && b[i + 1] == b'-' {
            while i < n && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && i + 1 < n && b[i + 1] == b'*' {
            i += 2;
            while i + 1 < n && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i = (i + 2).min(n);
            continue;
        }
        let (kind, text) = match c {
            b'\'' | b'"' | b'`' => {
                let mut s = String::new();
                i += 1;
                let from = i;
                let mut seg = from;
                while i < n {
                    if b[i] == c {
                        if i + 1 < n && b[i + 1] == c {
                            s.push_str(&sql[seg..=i]);
                            i += 2;
                            seg = i;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                s.push_str(&sql[seg..i.min(n)]);
                i = (i + 1).min(n);
                let kind = if c == b'\'' {
                    TokenKind::Str
                } else {
                    TokenKind::QuotedIdent
                };
                (kind, s)
            }
            b'[' => {
                i += 1;
                let from = i;
                while i < n && b[i] != b']' {
                    i += 1;
                }
                let s = sql[from..i.min(n)].to_string();
                i = (i + 1).min(n);
                (TokenKind::QuotedIdent, s)
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                while i < n
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || b[i] == b'$'
                        || b[i] >= 0x80)
                {
                    i += 1;
                }
                (TokenKind::Word, sql[start..i].to_string())
            }
            c if c.is_ascii_digit() || (c == b'.' && i + 1 < n && b[i + 1].is_ascii_digit()) => {
                while i < n && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                    i += 1;
                }
                (TokenKind::Number, sql[start..i].to_string())
            }
            _ => {
                let two = sql.get(i..i + 2).unwrap_or("");
                let len = if ["<=", ">=", "<>", "!=", "==", "||", "::"].contains(&two) {
                    2
                } else {
                    sql[i..].chars().next().map_or(1, char::len_utf8)
                };
                i += len;
                (TokenKind::Punct, sql[start..i].to_string())
            }
        };
        out.push(Token {
            kind,
            text,
            start,
            end: i,
        });
    }
    out
}

/// Index of the `)` matching the `(` at `open`, if any.
pub fn matching_paren(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (k, t) in tokens.iter().enumerate().skip(open) {
        if t.is_punct("(") {
            depth += 1;
        } else if t.is_punct(")") {
            depth -= 1;
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

/// Splits `tokens[from..to]` at top-level commas into token index ranges.
pub fn split_commas(tokens: &[Token], from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = from;
    for (k, t) in tokens.iter().enumerate().take(to).skip(from) {
        if t.is_punct("(") {
            depth += 1;
        } else if t.is_punct(")") {
            depth -= 1;
        } else if t.is_punct(",") && depth == 0 {
            out.push((start, k));
            start = k + 1;
        }
    }
    if start < to {
        out.push((start, to));
    }
    out
}

/// The source text covered by tokens `from..to` (exclusive).
pub fn text_of<'a>(sql: &'a str, tokens: &[Token], from: usize, to: usize) -> &'a str {
    if from >= to || to > tokens.len() {
        return "";
    }
    &sql[tokens[from].start..tokens[to - 1].end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexes_quotes_and_brackets() {
        let t = tokenize("CREATE TABLE \"a b\" ([c] TEXT DEFAULT 'it''s' CHECK (c <= 5))");
        assert_eq!(t[2].text, "a b");
        assert_eq!(t[4].text, "c");
        assert_eq!(t[7].text, "it's");
        assert!(t.iter().any(|x| x.is_punct("<=")));
    }
}
