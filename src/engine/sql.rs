//! What a case asks a connection to run: a statement's literal SQL and,
//! when it is an INSERT of literals, the same statement cut into its shape
//! and its literals. An engine runs a shaped statement as a prepared
//! statement kept per connection (keyed by the shape: table, columns,
//! `RETURNING`) with the literals as its arguments, so the server parses
//! and plans a shape once instead of every case; the literal SQL stays what
//! a witness shows, and what the engine falls back to.

/// A statement for one engine.
#[derive(Debug, Clone, Copy)]
pub struct Sql<'a> {
    /// The statement as literal SQL: what it means, and what a witness shows.
    pub text: &'a str,
    /// `text` as its shape and literals, when it is an INSERT of literals.
    pub insert: Option<Insert<'a>>,
    /// The same text runs again and again (e.g. every case of a
    /// property): worth preparing as it is.
    pub repeats: bool,
}

/// An `INSERT … VALUES (…)` cut at its literals: `text` is exactly
/// `head`, the `literals` joined by `", "`, then `tail`.
#[derive(Debug, Clone, Copy)]
pub struct Insert<'a> {
    /// The table written, and the columns set, in the order of `literals`.
    pub table: &'a str,
    pub columns: &'a [&'a str],
    /// `INSERT INTO t (a, b) VALUES (`
    pub head: &'a str,
    /// Each value's literal, in the engine's spelling, in column order.
    pub literals: &'a [&'a str],
    /// `)` and what follows it (`RETURNING …`).
    pub tail: &'a str,
}

impl<'a> From<&'a str> for Sql<'a> {
    fn from(text: &'a str) -> Self {
        Sql {
            text,
            insert: None,
            repeats: false,
        }
    }
}

impl<'a> Insert<'a> {
    /// `text`, an INSERT into `table` setting `columns` to `literals`, as
    /// `head`, `literals` and the rest, when it is spelled exactly so: the
    /// literals in order after `) VALUES (`, separated by `", "`, then `)`.
    /// None otherwise (e.g. the text was rewritten after the literals were
    /// chosen), and the statement runs as its text.
    pub fn cut(
        text: &'a str,
        table: &'a str,
        columns: &'a [&'a str],
        literals: &'a [&'a str],
    ) -> Option<Self> {
        const VALUES: &str = ") VALUES (";
        if literals.is_empty()
            || columns.len() != literals.len()
            || !text.starts_with("INSERT INTO ")
        {
            return None;
        }
        let head = &text[..text.find(VALUES)? + VALUES.len()];
        let mut rest = &text[head.len()..];
        for (i, literal) in literals.iter().enumerate() {
            if i > 0 {
                rest = rest.strip_prefix(", ")?;
            }
            rest = rest.strip_prefix(literal)?;
        }
        rest.starts_with(')').then_some(Insert {
            table,
            columns,
            head,
            literals,
            tail: rest,
        })
    }

    /// The shape: each literal replaced by a numbered parameter, `sigil`
    /// then its 1-based number (SQLite `?1`, PostgreSQL `$1`).
    pub fn template(&self, sigil: char) -> String {
        use std::fmt::Write as _;
        let mut out =
            String::with_capacity(self.head.len() + self.tail.len() + 5 * self.literals.len());
        out.push_str(self.head);
        for i in 1..=self.literals.len() {
            if i > 1 {
                out.push_str(", ");
            }
            // Writing to a String cannot fail.
            let _ = write!(out, "{sigil}{i}");
        }
        out.push_str(self.tail);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_insert_is_cut_at_its_literals() {
        let text = r#"INSERT INTO "t" ("a", "b") VALUES ('x, y', 2) RETURNING "a""#;
        let literals = ["'x, y'", "2"];
        let cut = Insert::cut(text, "t", &["a", "b"], &literals).expect("cut");
        assert_eq!(cut.head, r#"INSERT INTO "t" ("a", "b") VALUES ("#);
        assert_eq!(cut.tail, r#") RETURNING "a""#);
        assert_eq!(
            cut.template('$'),
            r#"INSERT INTO "t" ("a", "b") VALUES ($1, $2) RETURNING "a""#
        );
    }

    #[test]
    fn text_that_is_not_its_literals_is_not_cut() {
        let text = r#"INSERT INTO "t" ("a", "b") VALUES ('x', 3)"#;
        let ab = ["a", "b"];
        assert!(Insert::cut(text, "t", &ab, &["'x'", "2"]).is_none());
        assert!(Insert::cut(text, "t", &ab[..1], &["'x'"]).is_none());
        assert!(Insert::cut(text, "t", &[], &[]).is_none());
        assert!(Insert::cut("UPDATE t SET a = 1) VALUES (2)", "t", &ab[..1], &["2"]).is_none());
        assert!(Insert::cut(text, "t", &ab, &["'x'", "3"]).is_some());
    }
}
