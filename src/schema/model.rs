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
    /// View names (both engines).
    pub views: BTreeSet<String>,
    /// Each view's column names, in order (lower-cased).
    pub view_columns: BTreeMap<String, Vec<String>>,
    /// Objects only PostgreSQL has (empty for SQLite).
    pub pg_objects: PgObjects,
}

/// PostgreSQL objects with no SQLite counterpart, created by the schema
/// itself (objects an extension owns are left out), with what uses them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PgObjects {
    /// Enum types by name.
    pub enum_types: BTreeMap<String, EnumType>,
    /// Sequences by name.
    pub sequences: BTreeMap<String, Sequence>,
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

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sequence {
    /// A column owns it (serial, identity, `OWNED BY`) or a column default
    /// draws from it (`nextval`).
    pub used: bool,
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
            .iter()
            .chain(o.enum_types.keys())
            .chain(o.sequences.keys())
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
}

impl Column {
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

    /// NO ACTION and RESTRICT differ only for deferred constraints, which
    /// neither side of a port uses by default; they compare equal.
    pub fn behaves_like(self, other: FkAction) -> bool {
        let norm = |a: FkAction| match a {
            FkAction::Restrict => FkAction::NoAction,
            x => x,
        };
        norm(self) == norm(other)
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
