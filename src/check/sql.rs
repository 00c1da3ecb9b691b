//! The statements the checks run, the same for each engine. The literals
//! in them are rendered by the mapping ([`crate::mapping::lit_sqlite`],
//! [`crate::mapping::lit_postgres`]).

pub use crate::mapping::{lit_postgres, lit_sqlite, value_postgres, value_sqlite};
pub use crate::sql::text::quote_ident;

/// The same statement for each engine.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statement {
    pub sqlite: String,
    pub postgres: String,
    /// The table an INSERT/UPDATE writes, and the literal each column is
    /// set to per engine `(column, sqlite, postgres)`: what attribution
    /// matches an engine's complaint about a value against.
    pub table: String,
    pub set: Vec<(String, String, String)>,
    /// The columns an INSERT's `RETURNING` lists (empty otherwise).
    pub returning: Vec<String>,
    /// The same text every case (no literal of the case in it): an engine
    /// may prepare it once ([`engine::Sql::repeats`](crate::engine::Sql)).
    pub repeats: bool,
    /// Where the literals are in each text, for a statement [`Writer`]
    /// wrote (an INSERT's are found from `set`).
    pub spans: Option<Box<Spans>>,
}

/// Where a statement's literals are in each engine's text, as [`Writer`]
/// noted them: each a value set to a column, or a row's key as the engine
/// stored it, compared with its column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spans {
    /// The table the columns are in.
    pub table: String,
    /// Per literal, its column.
    pub columns: Vec<String>,
    pub sqlite: Vec<std::ops::Range<usize>>,
    pub postgres: Vec<std::ops::Range<usize>>,
    /// The texts' lengths as written: a text changed since runs as text.
    written: (usize, usize),
}

/// Both engines' texts of a statement, written side by side, noting where
/// each literal lands ([`Spans`]) so that an engine can run the statement
/// as its shape ([`engine::Shape`](crate::engine::Shape)).
#[derive(Debug, Default)]
pub struct Writer {
    sqlite: String,
    postgres: String,
    spans: Spans,
}

impl Writer {
    /// A statement on `table`'s columns.
    pub fn on(table: &str) -> Self {
        Writer {
            spans: Spans {
                table: table.to_string(),
                ..Spans::default()
            },
            ..Writer::default()
        }
    }

    /// The same text on both engines.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.sqlite.push_str(text);
        self.postgres.push_str(text);
        self
    }

    /// A literal per engine, set to `column` or compared with it as that
    /// engine stored it.
    pub fn literal(&mut self, column: &str, sqlite: &str, postgres: &str) -> &mut Self {
        let at = (self.sqlite.len(), self.postgres.len());
        self.sqlite.push_str(sqlite);
        self.postgres.push_str(postgres);
        self.spans.columns.push(column.to_string());
        self.spans.sqlite.push(at.0..self.sqlite.len());
        self.spans.postgres.push(at.1..self.postgres.len());
        self
    }

    /// `"k1" = lit AND "k2" = lit`: the row of `key` (each column with its
    /// literal per engine). Each literal must spell a value that engine
    /// returned for that column: a parameter in its place then compares as
    /// the literal does. Another literal may not (PostgreSQL's
    /// `int_col = 1.5` is false, while a parameter of the column's type
    /// takes 1.5 as 2).
    pub fn key(&mut self, key: &[(&str, String, String)]) -> &mut Self {
        for (i, (column, sqlite, postgres)) in key.iter().enumerate() {
            if i > 0 {
                self.text(" AND ");
            }
            self.text(&quote_ident(column)).text(" = ");
            self.literal(column, sqlite, postgres);
        }
        self
    }

    /// The statement written.
    pub fn done(self) -> Statement {
        let mut spans = self.spans;
        spans.written = (self.sqlite.len(), self.postgres.len());
        Statement {
            sqlite: self.sqlite,
            postgres: self.postgres,
            spans: (!spans.columns.is_empty()).then(|| Box::new(spans)),
            ..Statement::default()
        }
    }
}

impl Statement {
    /// The SQLite side's assignments, for attribution.
    pub fn sqlite_set(&self) -> Vec<crate::engine::attribution::Assignment<'_>> {
        self.set
            .iter()
            .map(|(c, s, _)| crate::engine::attribution::Assignment {
                column: c,
                literal: s,
            })
            .collect()
    }

    /// The PostgreSQL side's assignments, for attribution.
    pub fn postgres_set(&self) -> Vec<crate::engine::attribution::Assignment<'_>> {
        self.set
            .iter()
            .map(|(c, _, p)| crate::engine::attribution::Assignment {
                column: c,
                literal: p,
            })
            .collect()
    }
}

/// A statement's columns and where its literals are, from which each
/// engine's [`engine::Sql`](crate::engine::Sql) is cut: a shaped statement
/// the engine may run as a prepared statement, or the text alone.
pub struct Cut<'a> {
    stmt: &'a Statement,
    table: &'a str,
    columns: Vec<&'a str>,
    sqlite: Option<std::borrow::Cow<'a, [std::ops::Range<usize>]>>,
    postgres: Option<std::borrow::Cow<'a, [std::ops::Range<usize>]>>,
}

impl<'a> Cut<'a> {
    pub fn new(stmt: &'a Statement) -> Self {
        use std::borrow::Cow;
        if let Some(spans) = &stmt.spans {
            let fits = |text: &str, written| text.len() == written;
            return Cut {
                stmt,
                table: &spans.table,
                columns: spans.columns.iter().map(String::as_str).collect(),
                sqlite: fits(&stmt.sqlite, spans.written.0).then_some(Cow::Borrowed(&spans.sqlite)),
                postgres: fits(&stmt.postgres, spans.written.1)
                    .then_some(Cow::Borrowed(&spans.postgres)),
            };
        }
        let columns: Vec<&str> = stmt.set.iter().map(|(c, _, _)| c.as_str()).collect();
        let spans = |text: &str, literal: fn(&(String, String, String)) -> &str| {
            let literals: Vec<&str> = stmt.set.iter().map(literal).collect();
            crate::engine::insert_spans(text, &literals).map(Cow::Owned)
        };
        Cut {
            stmt,
            table: &stmt.table,
            sqlite: spans(&stmt.sqlite, |c| &c.1),
            postgres: spans(&stmt.postgres, |c| &c.2),
            columns,
        }
    }

    pub fn sqlite(&self) -> crate::engine::Sql<'_> {
        self.engine(&self.stmt.sqlite, self.sqlite.as_deref())
    }

    pub fn postgres(&self) -> crate::engine::Sql<'_> {
        self.engine(&self.stmt.postgres, self.postgres.as_deref())
    }

    fn engine<'s>(
        &'s self,
        text: &'s str,
        spans: Option<&'s [std::ops::Range<usize>]>,
    ) -> crate::engine::Sql<'s> {
        crate::engine::Sql {
            text,
            shape: spans.and_then(|s| crate::engine::Shape::of(text, self.table, &self.columns, s)),
            repeats: self.stmt.repeats,
        }
    }
}

/// `INSERT INTO t (cols) VALUES (...) RETURNING <returning>` for both engines.
pub fn insert(table: &str, cols: &[(String, String, String)], returning: &[String]) -> Statement {
    insert_owned(table, cols.to_vec(), returning.to_vec())
}

/// [`insert`] taking its columns and `RETURNING` list (a generated row's
/// INSERT is built once per case: no copy of them).
pub fn insert_owned(
    table: &str,
    cols: Vec<(String, String, String)>,
    returning: Vec<String>,
) -> Statement {
    let mut head = String::with_capacity(64);
    head.push_str("INSERT INTO ");
    head.push_str(&quote_ident(table));
    let mut tail = String::new();
    for (i, c) in returning.iter().enumerate() {
        tail.push_str(if i == 0 { " RETURNING " } else { ", " });
        tail.push_str(&quote_ident(c));
    }
    let (sqlite, postgres) = if cols.is_empty() {
        head.push_str(" DEFAULT VALUES");
        head.push_str(&tail);
        (head.clone(), head)
    } else {
        head.push_str(" (");
        for (i, (c, _, _)) in cols.iter().enumerate() {
            if i > 0 {
                head.push_str(", ");
            }
            head.push_str(&quote_ident(c));
        }
        head.push_str(") VALUES (");
        let spell = |literal: &dyn Fn(&(String, String, String)) -> &str| {
            let mut out = String::with_capacity(
                head.len()
                    + tail.len()
                    + 1
                    + cols.iter().map(|c| literal(c).len() + 2).sum::<usize>(),
            );
            out.push_str(&head);
            for (i, c) in cols.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(literal(c));
            }
            out.push(')');
            out.push_str(&tail);
            out
        };
        (spell(&|c| c.1.as_str()), spell(&|c| c.2.as_str()))
    };
    Statement {
        sqlite,
        postgres,
        table: table.to_string(),
        set: cols,
        returning,
        repeats: false,
        spans: None,
    }
}

impl Statement {
    /// An INSERT that [`insert`] built (and so can build again with other
    /// columns or literals).
    fn rebuildable(&self) -> bool {
        !self.table.is_empty()
            && self.sqlite.starts_with("INSERT INTO ")
            && insert(&self.table, &self.set, &self.returning) == *self
    }

    /// The INSERT without `column`, when this is an INSERT [`insert`] built.
    pub fn without(&self, column: &str) -> Option<Statement> {
        if !self.rebuildable() {
            return None;
        }
        let cols: Vec<(String, String, String)> = self
            .set
            .iter()
            .filter(|(c, _, _)| c != column)
            .cloned()
            .collect();
        (cols.len() < self.set.len()).then(|| insert(&self.table, &cols, &self.returning))
    }

    /// The same INSERT returning only `columns` (nothing when empty); None
    /// when this is not an INSERT built by [`insert`].
    pub fn returning_only(&self, columns: &[String]) -> Option<Statement> {
        self.rebuildable()
            .then(|| insert(&self.table, &self.set, columns))
    }

    /// This INSERT with `column` set to `literal` on both engines, added
    /// when the INSERT does not name it.
    pub fn setting(self, column: &str, literal: &str) -> Statement {
        self.setting_each(column, literal.to_string(), literal.to_string())
    }

    /// [`Self::setting`] with a literal per engine (`sqlite`, `postgres`).
    pub fn setting_each(self, column: &str, sqlite: String, postgres: String) -> Statement {
        if let Some(set) = self.with_value(column, sqlite.clone(), postgres.clone()) {
            return set;
        }
        let mut cols = self.set.clone();
        cols.insert(0, (column.to_string(), sqlite, postgres));
        insert(&self.table, &cols, &self.returning)
    }

    /// The same INSERT with `column` set to other literals (`sqlite`,
    /// `postgres`); None when this is not an INSERT built by [`insert`] or
    /// does not set the column.
    pub fn with_value(&self, column: &str, sqlite: String, postgres: String) -> Option<Statement> {
        if !self.rebuildable() || !self.set.iter().any(|(c, _, _)| c == column) {
            return None;
        }
        let cols: Vec<(String, String, String)> = self
            .set
            .iter()
            .map(|(c, s, p)| {
                if c == column {
                    (c.clone(), sqlite.clone(), postgres.clone())
                } else {
                    (c.clone(), s.clone(), p.clone())
                }
            })
            .collect();
        Some(insert(&self.table, &cols, &self.returning))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_statement_is_cut_where_its_literals_are() {
        let mut w = Writer::on("t");
        w.text(r#"UPDATE "t" SET "a" = "#)
            .literal("a", "X'00'", r"'\x00'::bytea")
            .text(" WHERE ")
            .key(&[
                ("k", "1".into(), "1".into()),
                ("é", "'x'".into(), "'y'".into()),
            ]);
        let st = w.done();
        assert_eq!(
            st.sqlite,
            r#"UPDATE "t" SET "a" = X'00' WHERE "k" = 1 AND "é" = 'x'"#
        );
        assert_eq!(
            st.postgres,
            r#"UPDATE "t" SET "a" = '\x00'::bytea WHERE "k" = 1 AND "é" = 'y'"#
        );
        let cut = Cut::new(&st);
        let (s, p) = (cut.sqlite(), cut.postgres());
        let shape = |sql: &crate::engine::Sql<'_>, sigil| {
            sql.shape.map(|shape| {
                assert_eq!(shape.columns, ["a", "k", "é"]);
                shape.template(sql.text, sigil)
            })
        };
        assert_eq!(
            shape(&s, '?').as_deref(),
            Some(r#"UPDATE "t" SET "a" = ?1 WHERE "k" = ?2 AND "é" = ?3"#)
        );
        assert_eq!(
            shape(&p, '$').as_deref(),
            Some(r#"UPDATE "t" SET "a" = $1 WHERE "k" = $2 AND "é" = $3"#)
        );
        // A text changed after it was written runs as its text.
        let mut changed = st.clone();
        changed.sqlite.push_str(" AND 1");
        let cut = Cut::new(&changed);
        assert!(cut.sqlite().shape.is_none());
        assert!(cut.postgres().shape.is_some());
        // Nothing written as a literal: no shape.
        let mut plain = Writer::on("t");
        plain.text("SELECT 1");
        assert!(Cut::new(&plain.done()).sqlite().shape.is_none());
    }
}
