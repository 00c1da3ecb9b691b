//! Tables, columns, keys, constraints, indexes and triggers as read from a live
//! database. Names are lower-cased by introspection so both engines compare.

use std::collections::{BTreeMap, BTreeSet};

use super::Value;

/// A whole database schema after its migrations ran.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
    /// Rows present right after the migrations (seed data), per table.
    pub seed: BTreeMap<String, SeedRows>,
    /// Views by name (both engines).
    pub views: BTreeMap<String, View>,
    /// Objects only PostgreSQL has (empty for SQLite).
    pub pg_objects: PgObjects,
}

/// A view: its columns, and the tables it reads rows from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    pub columns: Vec<ViewColumn>,
    /// The tables whose rows the view selects, directly or through other
    /// views (PostgreSQL's dependencies; on SQLite, the tables its columns
    /// come from).
    pub reads: BTreeSet<String>,
    /// A materialized view (PostgreSQL): its rows change only on refresh.
    pub materialized: bool,
}

impl View {
    pub fn column_names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ViewColumn {
    /// Lower-cased.
    pub name: String,
    /// The type as `format_type` spells it (PostgreSQL; empty for SQLite).
    pub pg_type: String,
    /// The table column it shows unchanged, where the engine can tell
    /// (SQLite's column metadata; `None` for an expression).
    pub origin: Option<(String, String)>,
}

/// PostgreSQL objects with no SQLite counterpart, created by the schema
/// itself (objects an extension owns are left out), with what uses them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PgObjects {
    /// Enum types by name.
    pub enum_types: BTreeMap<String, EnumType>,
    /// Sequences by name.
    pub sequences: BTreeMap<String, Sequence>,
    /// Domains (`CREATE DOMAIN`) by name.
    pub domains: BTreeMap<String, DomainType>,
    /// Functions and procedures by signature, e.g. `touch(integer)`.
    pub functions: BTreeMap<String, Function>,
    /// Installed extensions (not `plpgsql`, which every database has).
    pub extensions: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnumType {
    /// Labels in their sort order.
    pub labels: Vec<String>,
    /// A column (of a table or view, directly, as an array or via a domain)
    /// has this type.
    pub used: bool,
}

/// A `CREATE DOMAIN`: a base type with CHECKs (a column of the domain
/// is read as its base type with those CHECKs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DomainType {
    /// The base type, as `format_type` spells it.
    pub base_type: String,
    /// A column (of a table or view, directly or as an array) has this type.
    pub used: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sequence {
    /// A column default draws from it (`nextval`), or an identity column
    /// owns it: something in the schema hands out its numbers.
    pub used: bool,
    /// `table.column` of an `OWNED BY` (a serial's) column, whether or not
    /// that column's default still draws from it.
    pub owned_by: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Function {
    /// `function` or `procedure`.
    pub kind: String,
    /// A trigger function (compared with its trigger), or run by a trigger.
    pub used_by_trigger: bool,
}

/// How big a schema is, as the tool counts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub migrations: usize,
    pub tables: usize,
    pub columns: usize,
    pub foreign_keys: usize,
    pub checks: usize,
    pub unique: usize,
    pub indexes: usize,
    pub triggers: usize,
    pub seed_rows: usize,
}

impl Schema {
    /// Names of everything besides tables a finding can be about: views,
    /// enum types, sequences, functions (without their arguments).
    pub fn object_names(&self) -> impl Iterator<Item = &str> {
        let o = &self.pg_objects;
        self.views
            .keys()
            .chain(o.enum_types.keys())
            .chain(o.sequences.keys())
            .chain(o.domains.keys())
            .map(String::as_str)
            .chain(
                o.functions
                    .keys()
                    .map(|f| f.split_once('(').map_or(f.as_str(), |(n, _)| n)),
            )
    }

    pub fn counts(&self, migrations: usize) -> Counts {
        let t = self.tables.values();
        Counts {
            migrations,
            tables: self.tables.len(),
            columns: t.clone().map(|t| t.columns.len()).sum(),
            foreign_keys: t.clone().map(|t| t.foreign_keys.len()).sum(),
            checks: t.clone().map(|t| t.checks.len()).sum(),
            unique: t.clone().map(|t| t.uniques.len()).sum(),
            indexes: t.clone().map(|t| t.indexes.len()).sum(),
            triggers: t.map(|t| t.triggers.len()).sum(),
            seed_rows: self.seed.values().map(|s| s.rows.len()).sum(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeedRows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    /// Primary key column names in key order; empty when there is none.
    pub primary_key: Vec<String>,
    /// Unique constraints and unique indexes (not the primary key).
    pub uniques: Vec<Index>,
    /// Non-unique indexes.
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    pub checks: Vec<Check>,
    pub triggers: Vec<Trigger>,
    /// SQLite: the rowid alias is declared `AUTOINCREMENT`, so ids of
    /// deleted rows are never handed out again (without it, deleting the
    /// row with the largest id makes that id the next one).
    /// <https://sqlite.org/autoinc.html>
    pub autoincrement: bool,
    /// SQLite: a `STRICT` table (declared types enforced).
    /// <https://sqlite.org/stricttables.html>
    pub strict: bool,
    /// SQLite: a virtual table, by its module (`fts5`, `fts4`, `rtree`),
    /// lower-cased; its shadow tables (`<name>_content`, …) are its
    /// storage and not tables of the model.
    /// <https://sqlite.org/vtab.html>
    pub virtual_module: Option<String>,
}

impl Table {
    /// A SQLite full-text search virtual table (FTS3, FTS4, FTS5).
    pub fn full_text_search(&self) -> bool {
        self.virtual_module
            .as_deref()
            .is_some_and(|m| m.starts_with("fts"))
    }
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Column {
    pub name: String,
    /// The type as declared (SQLite) or formatted by the catalog (PostgreSQL),
    /// upper-cased, e.g. `INTEGER`, `CHARACTER VARYING(20)`, `BIGINT`.
    pub declared_type: String,
    pub not_null: bool,
    /// Default expression text as the engine stores it.
    pub default: Option<String>,
    /// Explicit collation (`NOCASE`, `C`), upper-cased; `None` for the default.
    pub collation: Option<String>,
    /// SQLite rowid alias (`INTEGER PRIMARY KEY`) or PostgreSQL serial/identity.
    pub auto_increment: bool,
    /// PostgreSQL: the labels of the column's enum type, in sort order.
    pub enum_labels: Option<Vec<String>>,
    /// A generated column's expression (SQLite `VIRTUAL`/`STORED`,
    /// PostgreSQL `GENERATED ALWAYS AS (…) STORED`): computed, never
    /// written. <https://sqlite.org/gencol.html>
    pub generated: Option<String>,
    /// PostgreSQL: the column's domain (`CREATE DOMAIN`), whose base type is
    /// `declared_type` and whose CHECKs are among the table's checks.
    pub domain: Option<String>,
    /// PostgreSQL `GENERATED ALWAYS AS IDENTITY`: an explicit value is
    /// refused unless the INSERT says `OVERRIDING SYSTEM VALUE`.
    /// <https://www.postgresql.org/docs/current/sql-createtable.html>
    pub identity_always: bool,
}

impl Column {
    /// A column with only a name and a declared type (the rest default),
    /// as tests and generated models make them.
    pub fn typed(name: &str, declared_type: &str) -> Column {
        Column {
            name: name.into(),
            declared_type: declared_type.into(),
            ..Column::default()
        }
    }

    /// Case-insensitive equality: `COLLATE NOCASE` or PostgreSQL `citext`.
    pub fn nocase(&self) -> bool {
        self.collation.as_deref() == Some("NOCASE") || self.declared_type == "CITEXT"
    }
}

/// One part of an index key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyPart {
    Column {
        name: String,
        /// Compared case-insensitively (`COLLATE NOCASE` or `lower(col)`).
        nocase: bool,
        desc: bool,
    },
    /// Any other expression, normalised text.
    Expr { text: String, desc: bool },
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexKey {
    pub parts: Vec<KeyPart>,
    /// Normalised partial-index predicate.
    pub predicate: Option<String>,
}

impl IndexKey {
    /// The key as a unique key compares: a set of parts, their order and
    /// direction aside (the predicate kept).
    pub fn as_set(&self) -> IndexKey {
        let mut parts: Vec<KeyPart> = self
            .parts
            .iter()
            .map(|p| match p {
                KeyPart::Column { name, nocase, .. } => KeyPart::Column {
                    name: name.clone(),
                    nocase: *nocase,
                    desc: false,
                },
                KeyPart::Expr { text, .. } => KeyPart::Expr {
                    text: text.clone(),
                    desc: false,
                },
            })
            .collect();
        parts.sort();
        IndexKey {
            parts,
            predicate: self.predicate.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    /// Index or constraint name (informational; not compared).
    pub name: String,
    pub key: IndexKey,
    /// The raw predicate as the engine stores it, for messages.
    pub raw_predicate: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn parse(s: &str) -> Self {
        match s.trim().to_ascii_uppercase().as_str() {
            "CASCADE" | "C" => FkAction::Cascade,
            "SET NULL" | "N" => FkAction::SetNull,
            "SET DEFAULT" | "D" => FkAction::SetDefault,
            "RESTRICT" | "R" => FkAction::Restrict,
            _ => FkAction::NoAction,
        }
    }

    pub fn as_sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }

    /// Whether two actions behave alike for a foreign key. NO ACTION and
    /// RESTRICT differ within one statement, on both engines: RESTRICT
    /// refuses as soon as a referenced key changes or goes, NO ACTION only
    /// when a child still refers to it at the end of the statement
    /// (<https://www.sqlite.org/foreignkeys.html#fk_actions>,
    /// <https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK>).
    /// That shows only where one statement can also give the key to another
    /// row or remove the child rows: `one_statement` says whether it can
    /// (see [`Schema::restrict_matters`]).
    pub fn behaves_like(self, other: FkAction, one_statement: bool) -> bool {
        let norm = |a: FkAction| match a {
            FkAction::Restrict if !one_statement => FkAction::NoAction,
            x => x,
        };
        norm(self) == norm(other)
    }

    /// CASCADE, SET NULL or SET DEFAULT: the action changes child rows.
    pub fn acts(self) -> bool {
        !matches!(self, FkAction::NoAction | FkAction::Restrict)
    }
}

impl Schema {
    /// Whether one statement can tell RESTRICT from NO ACTION on foreign key
    /// `fk` of `table` (see [`FkAction::behaves_like`]): on UPDATE always
    /// (one UPDATE can hand the parent's key to another parent row); on
    /// DELETE when the DELETE can remove the child rows too — a
    /// self-reference, or a chain of ON DELETE CASCADE from the parent
    /// table down to the child table.
    pub fn restrict_matters(&self, table: &str, fk: &ForeignKey, on_delete: bool) -> bool {
        if !on_delete || fk.target_table == table {
            return true;
        }
        let mut seen = BTreeSet::from([fk.target_table.clone()]);
        let mut stack = vec![fk.target_table.clone()];
        while let Some(parent) = stack.pop() {
            for (name, t) in &self.tables {
                let cascades = t
                    .foreign_keys
                    .iter()
                    .any(|f| f.target_table == parent && f.on_delete == FkAction::Cascade);
                if !cascades {
                    continue;
                }
                if name == table {
                    return true;
                }
                if seen.insert(name.clone()) {
                    stack.push(name.clone());
                }
            }
        }
        false
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub target_table: String,
    /// Target columns; resolved to the target's primary key when omitted.
    pub target_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    /// `DEFERRABLE INITIALLY DEFERRED`: checked at commit, not per statement.
    pub deferred: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub name: String,
    /// The expression as stored by the engine (SQLite: from the CREATE text).
    pub expr: String,
    /// Set for column-level checks.
    pub column: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TriggerEvent {
    Insert,
    Update,
    Delete,
}

impl TriggerEvent {
    pub fn as_sql(self) -> &'static str {
        match self {
            TriggerEvent::Insert => "INSERT",
            TriggerEvent::Update => "UPDATE",
            TriggerEvent::Delete => "DELETE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub name: String,
    /// `BEFORE`, `AFTER` or `INSTEAD OF`.
    pub timing: String,
    pub events: Vec<TriggerEvent>,
    pub sql: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fk(target: &str, on_delete: FkAction) -> ForeignKey {
        ForeignKey {
            name: String::new(),
            columns: vec!["r".into()],
            target_table: target.into(),
            target_columns: vec!["id".into()],
            on_delete,
            on_update: FkAction::NoAction,
            deferred: false,
        }
    }

    fn schema(tables: &[(&str, Vec<ForeignKey>)]) -> Schema {
        Schema {
            tables: tables
                .iter()
                .map(|(n, fks)| {
                    let t = Table {
                        name: (*n).into(),
                        foreign_keys: fks.clone(),
                        ..Table::default()
                    };
                    ((*n).to_string(), t)
                })
                .collect(),
            ..Schema::default()
        }
    }

    #[test]
    fn restrict_and_no_action_differ_only_where_one_statement_shows_it() {
        let plain = fk("p", FkAction::NoAction);
        let s = schema(&[("p", vec![]), ("c", vec![plain.clone()])]);
        // A DELETE of p cannot remove c's rows: they behave alike...
        assert!(!s.restrict_matters("c", &plain, true));
        assert!(FkAction::Restrict.behaves_like(FkAction::NoAction, false));
        // ...but one UPDATE can hand p's key to another row.
        assert!(s.restrict_matters("c", &plain, false));
        assert!(!FkAction::Restrict.behaves_like(FkAction::NoAction, true));
        // A self-reference: one DELETE removes parent and child.
        let own = fk("t", FkAction::NoAction);
        assert!(schema(&[("t", vec![own.clone()])]).restrict_matters("t", &own, true));
        // A cascade chain p -> m -> c removes c's rows with p's.
        let chain = schema(&[
            ("p", vec![]),
            ("m", vec![fk("p", FkAction::Cascade)]),
            ("c", vec![plain.clone(), fk("m", FkAction::Cascade)]),
        ]);
        assert!(chain.restrict_matters("c", &plain, true));
        // A chain that stops (SET NULL) does not.
        let stops = schema(&[
            ("p", vec![]),
            ("m", vec![fk("p", FkAction::SetNull)]),
            ("c", vec![plain.clone(), fk("m", FkAction::Cascade)]),
        ]);
        assert!(!stops.restrict_matters("c", &plain, true));
    }
}
