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

/// A statement's columns and literals, borrowed, from which each engine's
/// [`engine::Sql`](crate::engine::Sql) is cut: a shaped INSERT the engine
/// may run as a prepared statement, or the text alone.
pub struct Cut<'a> {
    stmt: &'a Statement,
    columns: Vec<&'a str>,
    sqlite: Vec<&'a str>,
    postgres: Vec<&'a str>,
}

impl<'a> Cut<'a> {
    pub fn new(stmt: &'a Statement) -> Self {
        let n = stmt.set.len();
        let mut cut = Cut {
            stmt,
            columns: Vec::with_capacity(n),
            sqlite: Vec::with_capacity(n),
            postgres: Vec::with_capacity(n),
        };
        for (c, s, p) in &stmt.set {
            cut.columns.push(c);
            cut.sqlite.push(s);
            cut.postgres.push(p);
        }
        cut
    }

    pub fn sqlite(&self) -> crate::engine::Sql<'_> {
        self.engine(&self.stmt.sqlite, &self.sqlite)
    }

    pub fn postgres(&self) -> crate::engine::Sql<'_> {
        self.engine(&self.stmt.postgres, &self.postgres)
    }

    fn engine<'s>(&'s self, text: &'s str, literals: &'s [&'s str]) -> crate::engine::Sql<'s> {
        crate::engine::Sql {
            text,
            insert: crate::engine::Insert::cut(text, &self.stmt.table, &self.columns, literals),
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
