//! What a case asks a connection to run: a statement's literal SQL and,
//! when its builder knows where its literals are, the same statement cut
//! into its shape and its literals. An engine runs a shaped statement as a
//! prepared statement kept per connection (keyed by the shape: the text
//! with each literal replaced by a parameter) with the literals as its
//! arguments, so the server parses and plans a shape once instead of every
//! case; the literal SQL stays what a witness shows, and what the engine
//! falls back to.

use std::ops::Range;

/// A statement for one engine.
#[derive(Debug, Clone, Copy)]
pub struct Sql<'a> {
    /// The statement as literal SQL: what it means, and what a witness shows.
    pub text: &'a str,
    /// Where `text`'s literals are, when its builder knows.
    pub shape: Option<Shape<'a>>,
    /// The same text runs again and again (e.g. every case of a
    /// property): worth preparing as it is.
    pub repeats: bool,
}

/// Where a statement's literals are: each one a value the statement sets a
/// column to (an INSERT's or an UPDATE's) or compares a column with (a
/// row's key, as the engine stored it), so that a parameter in its place
/// takes the column's type and means what the literal did.
#[derive(Debug, Clone, Copy)]
pub struct Shape<'a> {
    /// The table the columns are in.
    pub table: &'a str,
    /// Per literal, the column it is set to or compared with.
    pub columns: &'a [&'a str],
    /// Per literal, its bytes in the text: in order, apart, none empty.
    pub spans: &'a [Range<usize>],
}

impl<'a> From<&'a str> for Sql<'a> {
    fn from(text: &'a str) -> Self {
        Sql {
            text,
            shape: None,
            repeats: false,
        }
    }
}

impl<'a> Shape<'a> {
    /// A shape of `text` when `spans` fit it: one column per span, in
    /// order, apart, not empty, on character boundaries. None otherwise
    /// (the statement then runs as its text).
    pub fn of(
        text: &str,
        table: &'a str,
        columns: &'a [&'a str],
        spans: &'a [Range<usize>],
    ) -> Option<Self> {
        let mut end = 0;
        for span in spans {
            if span.start < end
                || span.is_empty()
                || !text.is_char_boundary(span.start)
                || !text.is_char_boundary(span.end)
                || span.end > text.len()
            {
                return None;
            }
            end = span.end;
        }
        (!spans.is_empty() && columns.len() == spans.len()).then_some(Shape {
            table,
            columns,
            spans,
        })
    }

    /// Each literal of `text`, in order.
    pub fn literals<'t>(&self, text: &'t str) -> impl Iterator<Item = &'t str> + use<'t, '_> {
        self.spans.iter().map(move |s| &text[s.clone()])
    }

    /// The shape: `text` with each literal replaced by a numbered
    /// parameter, `sigil` then its 1-based number (SQLite `?1`,
    /// PostgreSQL `$1`).
    pub fn template(&self, text: &str, sigil: char) -> String {
        use std::fmt::Write as _;
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (i, span) in self.spans.iter().enumerate() {
            out.push_str(&text[at..span.start]);
            // Writing to a String cannot fail.
            let _ = write!(out, "{sigil}{}", i + 1);
            at = span.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// Where in `text`, in characters from 0, each literal starts.
    pub fn char_starts(&self, text: &str) -> Vec<usize> {
        let mut starts = Vec::with_capacity(self.spans.len());
        let (mut bytes, mut chars) = (0, 0);
        for span in self.spans {
            chars += text[bytes..span.start].chars().count();
            starts.push(chars);
            bytes = span.start;
        }
        starts
    }
}

/// Where each literal of `text`, an `INSERT … VALUES (…)` setting its
/// columns to `literals`, is: the literals in order after `) VALUES (`,
/// separated by `", "`, then `)`. None when the text is not spelled so
/// (e.g. it was rewritten after the literals were chosen).
pub fn insert_spans(text: &str, literals: &[&str]) -> Option<Vec<Range<usize>>> {
    const VALUES: &str = ") VALUES (";
    if literals.is_empty() || !text.starts_with("INSERT INTO ") {
        return None;
    }
    let mut at = text.find(VALUES)? + VALUES.len();
    let mut spans = Vec::with_capacity(literals.len());
    for (i, literal) in literals.iter().enumerate() {
        if i > 0 {
            at += text[at..].strip_prefix(", ").map(|_| 2)?;
        }
        text[at..].strip_prefix(literal)?;
        spans.push(at..at + literal.len());
        at += literal.len();
    }
    text[at..].starts_with(')').then_some(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_insert_is_cut_at_its_literals() {
        let text = r#"INSERT INTO "t" ("a", "b") VALUES ('x, y', 2) RETURNING "a""#;
        let spans = insert_spans(text, &["'x, y'", "2"]).expect("cut");
        let shape = Shape::of(text, "t", &["a", "b"], &spans).expect("fits");
        assert_eq!(shape.literals(text).collect::<Vec<_>>(), ["'x, y'", "2"]);
        assert_eq!(
            shape.template(text, '$'),
            r#"INSERT INTO "t" ("a", "b") VALUES ($1, $2) RETURNING "a""#
        );
    }

    #[test]
    fn text_that_is_not_its_literals_is_not_cut() {
        let text = r#"INSERT INTO "t" ("a", "b") VALUES ('x', 3)"#;
        assert!(insert_spans(text, &["'x'", "2"]).is_none());
        assert!(insert_spans(text, &["'x'"]).is_none());
        assert!(insert_spans(text, &[]).is_none());
        assert!(insert_spans("UPDATE t SET a = 1) VALUES (2)", &["2"]).is_none());
        assert!(insert_spans(text, &["'x'", "3"]).is_some());
    }

    #[test]
    #[expect(clippy::single_range_in_vec_init, reason = "one span, on purpose")]
    fn spans_that_do_not_fit_the_text_make_no_shape() {
        let text = "UPDATE t SET é = 'é' WHERE k = 1";
        let good = [18..22, 33..34];
        let shape = Shape::of(text, "t", &["é", "k"], &good).expect("fits");
        assert_eq!(
            shape.template(text, '?'),
            "UPDATE t SET é = ?1 WHERE k = ?2"
        );
        assert_eq!(shape.char_starts(text), [17, 31]);
        assert!(
            Shape::of(text, "t", &["é"], &good).is_none(),
            "a column per span"
        );
        assert!(
            Shape::of(text, "t", &["k", "é"], &[33..34, 18..22]).is_none(),
            "in order"
        );
        assert!(
            Shape::of(text, "t", &["é"], &[20..22]).is_none(),
            "inside a character"
        );
        assert!(
            Shape::of(text, "t", &["k"], &[33..40]).is_none(),
            "past the end"
        );
        assert!(Shape::of(text, "t", &["k"], &[33..33]).is_none(), "empty");
        assert!(Shape::of(text, "t", &[], &[]).is_none(), "no literal");
    }
}
