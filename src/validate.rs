//! `emit-validate`: a psql-runnable script (`validate_schema.sql`) that checks,
//! in any PostgreSQL database, that its schema is what the SQLite chain
//! requires under the type mappings — for teams that want to run the check in
//! production with `psql -f` alone.
//!
//! What the script expects comes from the two built models: the expected
//! schema ([`crate::expected`], the SQLite model under the mapping) says
//! *what* must exist (tables, columns, keys, foreign keys, indexes,
//! triggers), the SQLite model its seed rows; the reference PostgreSQL
//! model (the `--pg` folder) says *how it is spelled* where PostgreSQL text
//! is needed and the pair agrees (the column type when
//! [`ExpectedColumn::verdict`] finds it equivalent or a mapping caveat, CHECK
//! expressions, index predicates). Where the reference disagrees with SQLite,
//! the canonical mapped form is expected instead; a difference parity.toml
//! accepts is not checked (or, for a value, the reference's is expected).
//!
//! The script only reads catalogs and the checked tables: results go to a
//! temporary table and its helpers are temporary functions (`pg_temp`), so
//! nothing outlives the session. Each check prints `✓ PASS <what>` or
//! `✗ FAIL <what>: <expected> vs <found>`, then `N passed, M failed`; a
//! failure ends in an error, so `psql -v ON_ERROR_STOP=1` exits non-zero.
//!
//! Pure: this module builds text from models and runs no SQL.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use crate::config::Config;
use crate::diff;
use crate::expected::{self, ExpectedColumn, ExpectedSchema, ExpectedTable};
use crate::expr::DefaultValue;
use crate::finding::{Category, Finding};
use crate::mapping::{self, PgKind, Probed, TypeVerdict};
use crate::schema::{
    Column, FkAction, ForeignKey, Index, KeyPart, Schema, SeedRows, Table, TriggerEvent, Value,
};
// The script sets standard_conforming_strings: literals as both engines write them.
use crate::sqltext::{quote_ident as ident, quote_literal as lit};

/// Where the models came from, named in the script's header.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The SQLite migration folder as the user should recognise it.
    pub sqlite: String,
    /// The reference PostgreSQL folder.
    pub pg: String,
    /// The parity.toml used, if any.
    pub config: Option<String>,
}

impl Origin {
    /// Folder and file names only, never whole paths: the script must read
    /// the same wherever it was generated.
    pub fn new(sqlite: &Path, pg: &Path, config: Option<&Path>) -> Self {
        let name = |p: &Path| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        };
        Origin {
            sqlite: name(sqlite),
            pg: name(pg),
            config: config.map(name),
        }
    }
}

/// Tables that migration tools keep for themselves: present in a deployed
/// database, never in either migration folder.
const BOOKKEEPING_TABLES: [&str; 5] = [
    "_sqlx_migrations",
    "__diesel_schema_migrations",
    "refinery_schema_history",
    "flyway_schema_history",
    "schema_migrations",
];

/// The validation script for `sqlite` (what is required) with `reference`
/// (the PostgreSQL schema built from the `--pg` folder) supplying the
/// PostgreSQL spelling; the pairings no mapping rule covers judged as
/// `probed` (a reference column whose pairing probed equivalent keeps its
/// type; any other, probed or not, expects the standard one).
pub fn script(
    sqlite: &Schema,
    reference: &Schema,
    probed: &Probed,
    config: &Config,
    origin: &Origin,
) -> String {
    let expected = expected::schema(sqlite, config, probed);
    let accepted = Accepted::new(&expected, reference);
    let mut s = Script::default();
    s.header(origin, accepted.unaccepted);
    s.out.push_str(PRELUDE);
    for (name, et) in &expected.tables {
        let mut t = TableScript {
            s: &mut s,
            name,
            et,
            rt: reference.tables.get(*name),
            accepted: &accepted,
        };
        t.emit(sqlite.seed.get(*name));
    }
    s.other_tables(sqlite, reference, config, &accepted);
    s.out.push_str(EPILOGUE);
    s.out
}

/// Differences between the SQLite chain and the reference that parity.toml
/// accepts, by category, table and column.
struct Accepted {
    findings: Vec<Finding>,
    /// Unaccepted structural and seed differences of the reference.
    unaccepted: usize,
}

impl Accepted {
    fn new(expected: &ExpectedSchema, reference: &Schema) -> Self {
        let (sqlite, config) = (expected.sqlite, expected.config);
        let mut findings = diff::compare(expected, reference);
        findings.extend(diff::seed_data(sqlite, reference, config));
        config.apply(&mut findings);
        let unaccepted = findings.iter().filter(|f| !f.accepted).count();
        findings.retain(|f| f.accepted);
        Accepted {
            findings,
            unaccepted,
        }
    }

    /// True when parity.toml accepts a `category` difference on `table`
    /// (on `column`, when given).
    fn has(&self, category: Category, table: &str, column: Option<&str>) -> bool {
        self.findings.iter().any(|f| {
            f.category == category
                && f.table == table
                && column.is_none_or(|c| f.columns.iter().any(|fc| fc == c))
        })
    }
}

#[derive(Default)]
struct Script {
    out: String,
}

/// When a check applies: always, when the table exists, or when the column does.
enum Guard<'a> {
    None,
    Table(&'a str),
    Column(&'a str, &'a str),
}

impl Guard<'_> {
    fn sql(&self) -> String {
        match self {
            Guard::None => String::new(),
            Guard::Table(t) => format!("\nWHERE pg_temp.parity_rel({}) IS NOT NULL", lit(t)),
            Guard::Column(t, c) => format!(
                "\nWHERE pg_temp.parity_attnum({}, {}) IS NOT NULL",
                lit(t),
                lit(c)
            ),
        }
    }
}

impl Script {
    fn header(&mut self, origin: &Origin, unaccepted: usize) {
        let o = &mut self.out;
        let _ = writeln!(
            o,
            "-- validate_schema.sql: checks that this PostgreSQL database's schema is what the\n\
             -- SQLite migration chain requires under schema-parity's type mappings.\n\
             -- Generated by `schema-parity emit-validate` from the SQLite chain `{}` and the\n\
             -- PostgreSQL reference `{}`{}. Do not edit: regenerate.",
            origin.sqlite,
            origin.pg,
            origin
                .config
                .as_ref()
                .map_or(String::new(), |c| format!(" with `{c}`")),
        );
        if unaccepted > 0 {
            let _ = writeln!(
                o,
                "--\n-- The reference differs from the SQLite chain in {unaccepted} way(s) parity.toml\n\
                 -- does not accept (run `schema-parity check`); where it does, this script\n\
                 -- expects what the SQLite chain requires."
            );
        }
        o.push_str(
            "--\n\
             -- Run: psql -X -v ON_ERROR_STOP=1 -f validate_schema.sql \"postgres://user@host/db\"\n\
             -- Prints `✓ PASS <what>` or `✗ FAIL <what>: <expected> vs <found>` per check and\n\
             -- `N passed, M failed`; ends with an error (psql exits non-zero) when a check\n\
             -- fails. It checks the session's current_schema() (set search_path to choose)\n\
             -- and creates nothing persistent: a temporary table and temporary functions\n\
             -- (pg_temp) that go away with the session. Compared by meaning, not by name:\n\
             -- keys and indexes by their columns, lower() parts and predicate (ignoring\n\
             -- spacing, parentheses, quoting and casts to built-in types), foreign keys by\n\
             -- columns, target and actions, defaults by value; CHECK expressions as\n\
             -- pg_get_expr() spells them on the reference.\n",
        );
    }

    /// A check whose found value must equal `expected`.
    fn equals(&mut self, guard: &Guard, what: &str, expected: &str, found_sql: &str) {
        let _ = writeln!(
            self.out,
            "INSERT INTO pg_temp.parity_check (what, expected, found)\nSELECT {}, {}, {}{};",
            lit(what),
            lit(expected),
            found_sql,
            guard.sql()
        );
    }

    /// A check that passes when `ok_sql` holds; `found_sql` says what is
    /// there instead when it does not.
    fn holds(&mut self, guard: &Guard, what: &str, ok_sql: &str, found_sql: &str) {
        let _ = writeln!(
            self.out,
            "INSERT INTO pg_temp.parity_check (what, expected, found, ok)\n\
             SELECT {}, 'present', CASE WHEN k.ok THEN 'present' ELSE {found_sql} END, k.ok\n\
             FROM (SELECT {ok_sql} AS ok) k{};",
            lit(what),
            guard.sql()
        );
    }

    fn comment(&mut self, text: &str) {
        for line in text.lines() {
            let _ = writeln!(self.out, "-- {line}");
        }
    }

    fn other_tables(
        &mut self,
        sqlite: &Schema,
        reference: &Schema,
        config: &Config,
        accepted: &Accepted,
    ) {
        self.out.push_str("\n-- the schema as a whole\n");
        let mut allowed: BTreeSet<String> = sqlite.tables.keys().cloned().collect();
        allowed.extend(config.skip_tables.iter().cloned());
        allowed.extend(BOOKKEEPING_TABLES.iter().map(|t| (*t).to_string()));
        allowed.extend(
            reference
                .tables
                .keys()
                .filter(|t| accepted.has(Category::ExtraTable, t, None))
                .cloned(),
        );
        let allowed: Vec<String> = allowed.into_iter().collect();
        self.equals(
            &Guard::None,
            "schema: no other tables",
            "none",
            &format!("pg_temp.parity_other_tables({})", array(&allowed)),
        );
    }
}

struct TableScript<'a> {
    s: &'a mut Script,
    name: &'a str,
    /// What the table must be.
    et: &'a ExpectedTable<'a>,
    /// The reference's table, which spells it where the pair agrees.
    rt: Option<&'a Table>,
    accepted: &'a Accepted,
}

impl TableScript<'_> {
    fn emit(&mut self, seed: Option<&SeedRows>) {
        let name = self.name;
        let _ = writeln!(self.s.out, "\n-- {name}");
        if self.accepted.has(Category::MissingTable, name, None) {
            self.s
                .comment("not checked: parity.toml accepts that the reference lacks this table");
            return;
        }
        self.s.equals(
            &Guard::None,
            &format!("{name}: table"),
            "present",
            &format!(
                "CASE WHEN pg_temp.parity_rel({}) IS NULL THEN 'missing' ELSE 'present' END",
                lit(name)
            ),
        );
        let et = self.et;
        // A virtual table (an FTS index) is PostgreSQL's own design there
        // (a tsvector column): its presence is checked, not its columns.
        if let Some(module) = &et.source.virtual_module {
            self.s.comment(&format!(
                "a SQLite {} virtual table: only its presence is checked",
                module.to_uppercase()
            ));
            return;
        }
        let mut expected_types = Vec::new();
        for c in &et.columns {
            expected_types.push((c, self.column(c)));
        }
        self.other_columns();
        self.primary_key();
        self.uniques();
        self.indexes();
        self.foreign_keys();
        self.checks();
        self.triggers();
        if let Some(seed) = seed {
            self.seed(seed, &expected_types);
        }
    }

    fn accepts(&self, category: Category, column: Option<&str>) -> bool {
        self.accepted.has(category, self.name, column)
    }

    /// Checks one column; returns the PostgreSQL type it expects.
    fn column(&mut self, ec: &ExpectedColumn) -> String {
        let (t, sc) = (self.name, ec.source);
        let c = sc.name.as_str();
        let rc = self.rt.and_then(|rt| rt.column(c));
        let expected_type = match rc {
            // A mapping caveat is the pair agreeing for the values
            // applications write (a warning, never a failure of `check`).
            Some(rc)
                if matches!(
                    ec.verdict(rc),
                    TypeVerdict::Equivalent | TypeVerdict::Caveat { .. }
                ) || self.accepts(Category::Type, Some(c)) =>
            {
                rc.declared_type.to_lowercase()
            }
            _ => ec.standard_type(),
        };
        if self.accepts(Category::MissingColumn, Some(c)) {
            self.s.comment(&format!(
                "{t}.{c}: not checked: parity.toml accepts that the reference lacks it"
            ));
            return expected_type;
        }
        self.s.equals(
            &Guard::Table(self.name),
            &format!("{t}.{c}: column"),
            "present",
            &format!(
                "CASE WHEN pg_temp.parity_attnum({}, {}) IS NULL THEN 'missing' ELSE 'present' END",
                lit(t),
                lit(c)
            ),
        );
        let guard = Guard::Column(t, c);
        self.s.equals(
            &guard,
            &format!("{t}.{c}: type"),
            &expected_type,
            &format!("lower(pg_temp.parity_type({}, {}))", lit(t), lit(c)),
        );
        let not_null = match rc {
            Some(rc) if self.accepts(Category::Nullability, Some(c)) => rc.not_null,
            _ => sc.not_null,
        };
        self.s.equals(
            &guard,
            &format!("{t}.{c}: nullability"),
            if not_null { "NOT NULL" } else { "nullable" },
            &format!("pg_temp.parity_nullability({}, {})", lit(t), lit(c)),
        );
        if sc.auto_increment {
            if !self.accepts(Category::PrimaryKey, Some(c)) {
                self.s.equals(
                    &guard,
                    &format!("{t}.{c}: automatic ids"),
                    "sequence or identity",
                    &format!("pg_temp.parity_auto({}, {})", lit(t), lit(c)),
                );
            }
        } else {
            self.default(ec, rc, &expected_type);
        }
        expected_type
    }

    fn default(&mut self, ec: &ExpectedColumn, rc: Option<&Column>, expected_type: &str) {
        let (t, sc) = (self.name, ec.source);
        let c = sc.name.as_str();
        let boolean = mapping::pg_kind(expected_type) == PgKind::Boolean;
        let reference_default = || match rc.and_then(|r| r.default.as_deref()) {
            Some(d) => ("text", collapse(d), collapse(d)),
            None => ("none", String::new(), "no default".to_string()),
        };
        let (kind, value, shown) = if self.accepts(Category::Default, Some(c)) {
            reference_default()
        } else {
            match ec.default.clone() {
                DefaultValue::Null => ("none", String::new(), "no default".to_string()),
                DefaultValue::Now | DefaultValue::LocalNow => {
                    ("now", String::new(), "the current time".to_string())
                }
                DefaultValue::RandomBytes(n) => (
                    "random_bytes",
                    n.to_string(),
                    format!("gen_random_bytes({n})"),
                ),
                DefaultValue::Integer(i) => {
                    let shown = match (boolean, i) {
                        (true, 0) => "false".to_string(),
                        (true, 1) => "true".to_string(),
                        _ => i.to_string(),
                    };
                    ("value", i.to_string(), shown)
                }
                DefaultValue::Real(f) => ("value", format!("{f:?}"), format!("{f:?}")),
                DefaultValue::Bool(b) => {
                    let digit = if b { "1" } else { "0" };
                    let shown = if boolean { b.to_string() } else { digit.into() };
                    ("value", digit.to_string(), shown)
                }
                DefaultValue::Text(s) => {
                    let shown = match (boolean, s.as_str()) {
                        (true, "0") => "false".to_string(),
                        (true, "1") => "true".to_string(),
                        _ => lit(&s),
                    };
                    ("value", s, shown)
                }
                DefaultValue::Blob(b) => {
                    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
                    ("value", format!("\\x{hex}"), format!("'\\x{hex}'"))
                }
                DefaultValue::Sequence | DefaultValue::Expr(_) => {
                    if rc.is_none() {
                        self.s.comment(&format!(
                            "{t}.{c}: default not checked: SQLite's `{}` has no PostgreSQL form to derive",
                            sc.default.as_deref().unwrap_or_default()
                        ));
                        return;
                    }
                    // No meaning to compare by: trust the reference's spelling.
                    reference_default()
                }
            }
        };
        self.s.equals(
            &Guard::Column(t, c),
            &format!("{t}.{c}: default"),
            &shown,
            &format!(
                "pg_temp.parity_default_is({}, {}, {}, {}, {})",
                lit(t),
                lit(c),
                lit(kind),
                lit(&value),
                lit(&shown)
            ),
        );
    }

    fn other_columns(&mut self) {
        let t = self.name;
        if self.accepts(Category::ExtraColumn, None) && self.rt.is_none() {
            return;
        }
        let mut allowed: Vec<String> = self
            .et
            .column_names()
            .into_iter()
            .map(str::to_string)
            .collect();
        if let Some(rt) = self.rt {
            allowed.extend(
                rt.columns
                    .iter()
                    .filter(|c| self.accepts(Category::ExtraColumn, Some(&c.name)))
                    .map(|c| c.name.clone()),
            );
        }
        self.s.equals(
            &Guard::Table(self.name),
            &format!("{t}: no other columns"),
            "none",
            &format!(
                "pg_temp.parity_other_columns({}, {})",
                lit(t),
                array(&allowed)
            ),
        );
    }

    fn primary_key(&mut self) {
        let t = self.name;
        if self.accepts(Category::PrimaryKey, None) {
            self.s
                .comment("primary key not checked: parity.toml accepts a difference");
            return;
        }
        let mut pk: Vec<String> = self.et.primary_key.to_vec();
        pk.sort();
        let expected = if pk.is_empty() {
            "none".to_string()
        } else {
            format!("({})", pk.join(", "))
        };
        self.s.equals(
            &Guard::Table(self.name),
            &format!("{t}: primary key"),
            &expected,
            &format!("pg_temp.parity_pk({})", lit(t)),
        );
    }

    fn uniques(&mut self) {
        let t = self.name;
        if self.accepts(Category::Unique, None) {
            self.s
                .comment("unique keys not checked: parity.toml accepts a difference");
            return;
        }
        let mut sigs = Vec::new();
        for u in &self.et.uniques {
            let reference = self
                .rt
                .and_then(|rt| rt.uniques.iter().find(|r| r.key.as_set() == u.key));
            let (parts, predicate) = key_sql(u.first(), reference, true);
            let sig = format!(
                "pg_temp.parity_sig({}, true, {})",
                array(&parts),
                predicate.as_deref().map_or("NULL".into(), lit)
            );
            let shown = describe("UNIQUE", &parts, predicate.as_deref());
            self.s.holds(
                &Guard::Table(self.name),
                &format!("{t}: {shown}"),
                &format!(
                    "EXISTS (SELECT 1 FROM pg_temp.parity_indexes({}, true) x WHERE x.sig = {sig})",
                    lit(t)
                ),
                &format!(
                    "'missing (unique keys there: ' || coalesce((SELECT string_agg(x.descr, '; ' ORDER BY x.descr) FROM pg_temp.parity_indexes({}, true) x), 'none') || ')'",
                    lit(t)
                ),
            );
            sigs.push(sig);
        }
        let pk_parts: Vec<String> = self.et.primary_key.to_vec();
        if !pk_parts.is_empty() {
            sigs.push(format!(
                "pg_temp.parity_sig({}, true, NULL)",
                array(&pk_parts)
            ));
        }
        self.s.equals(
            &Guard::Table(self.name),
            &format!("{t}: no other unique keys"),
            "none",
            &format!(
                "coalesce((SELECT string_agg(x.descr, '; ' ORDER BY x.descr) FROM pg_temp.parity_indexes({}, true) x WHERE x.sig <> ALL ({})), 'none')",
                lit(t),
                sql_array(&sigs)
            ),
        );
    }

    fn indexes(&mut self) {
        let t = self.name;
        if self.accepts(Category::Index, None) {
            self.s
                .comment("indexes not checked: parity.toml accepts a difference");
            return;
        }
        let mut sigs = Vec::new();
        for i in self.et.indexes.iter().filter(|i| !i.repeats) {
            let i = i.source;
            let reference = self
                .rt
                .and_then(|rt| rt.indexes.iter().find(|r| r.key == i.key));
            let (parts, predicate) = key_sql(i, reference, false);
            let sig = format!(
                "pg_temp.parity_sig({}, false, {})",
                array(&parts),
                predicate.as_deref().map_or("NULL".into(), lit)
            );
            let shown = describe("INDEX", &parts, predicate.as_deref());
            self.s.holds(
                &Guard::Table(self.name),
                &format!("{t}: {shown}"),
                &format!(
                    "EXISTS (SELECT 1 FROM pg_temp.parity_indexes({}, false) x WHERE x.sig = {sig})",
                    lit(t)
                ),
                &format!(
                    "'missing (indexes there: ' || coalesce((SELECT string_agg(x.descr, '; ' ORDER BY x.descr) FROM pg_temp.parity_indexes({}, false) x), 'none') || ')'",
                    lit(t)
                ),
            );
            sigs.push(sig);
        }
        self.s.equals(
            &Guard::Table(self.name),
            &format!("{t}: no other indexes"),
            "none",
            &format!(
                "coalesce((SELECT string_agg(x.descr, '; ' ORDER BY x.descr) FROM pg_temp.parity_indexes({}, false) x WHERE x.sig <> ALL ({})), 'none')",
                lit(t),
                sql_array(&sigs)
            ),
        );
    }

    fn foreign_keys(&mut self) {
        let t = self.name;
        if self.accepts(Category::ForeignKey, None) || self.accepts(Category::OnDelete, None) {
            self.s
                .comment("foreign keys not checked: parity.toml accepts a difference");
            return;
        }
        let mut column_sets = Vec::new();
        for ef in &self.et.foreign_keys {
            let fk = ef.source;
            let pairs: Vec<String> = fk
                .columns
                .iter()
                .zip(&fk.target_columns)
                .map(|(c, tc)| format!("{c}->{tc}"))
                .collect();
            let cols = array(&fk.columns);
            let shown = describe_fk(fk);
            self.s.holds(
                &Guard::Table(self.name),
                &format!("{t}: FOREIGN KEY {shown}"),
                &format!(
                    "EXISTS (SELECT 1 FROM pg_temp.parity_fks({}) f WHERE f.pairs @> {p} AND f.pairs <@ {p} AND f.target = {} AND f.del IN ({}) AND f.upd IN ({}))",
                    lit(t),
                    lit(&fk.target_table),
                    action_codes(fk.on_delete, ef.restrict_matters_on_delete),
                    action_codes(fk.on_update, ef.restrict_matters_on_update),
                    p = array(&pairs),
                ),
                &format!(
                    "'missing (foreign keys there on these columns: ' || coalesce((SELECT string_agg(f.descr, '; ' ORDER BY f.descr) FROM pg_temp.parity_fks({}) f WHERE f.cols && {cols}), 'none') || ')'",
                    lit(t)
                ),
            );
            column_sets.push(format!("(f.cols @> {cols} AND f.cols <@ {cols})"));
        }
        let known = if column_sets.is_empty() {
            "false".to_string()
        } else {
            column_sets.join(" OR ")
        };
        self.s.equals(
            &Guard::Table(self.name),
            &format!("{t}: no other foreign keys"),
            "none",
            &format!(
                "coalesce((SELECT string_agg(f.descr, '; ' ORDER BY f.descr) FROM pg_temp.parity_fks({}) f WHERE NOT ({known})), 'none')",
                lit(t)
            ),
        );
    }

    fn checks(&mut self) {
        let t = self.name;
        if self.accepts(Category::Check, None) {
            self.s
                .comment("CHECK constraints not checked: parity.toml accepts a difference");
            return;
        }
        let Some(rt) = self.rt else {
            self.s.comment(
                "CHECK constraints not checked: the reference has no such table to spell them",
            );
            return;
        };
        let exprs: BTreeSet<String> = rt.checks.iter().map(|c| collapse(&c.expr)).collect();
        let exprs: Vec<String> = exprs.into_iter().collect();
        for e in &exprs {
            self.s.holds(
                &Guard::Table(self.name),
                &format!("{t}: CHECK {e}"),
                &format!(
                    "EXISTS (SELECT 1 FROM pg_temp.parity_checks({}) c WHERE c.expr = {})",
                    lit(t),
                    lit(e)
                ),
                "'missing'",
            );
        }
        self.s.equals(
            &Guard::Table(self.name),
            &format!("{t}: no other CHECK constraints"),
            "none",
            &format!(
                "coalesce((SELECT string_agg('CHECK ' || c.expr, '; ' ORDER BY c.expr) FROM pg_temp.parity_checks({}) c WHERE c.expr <> ALL ({})), 'none')",
                lit(t),
                array_typed(&exprs)
            ),
        );
    }

    fn triggers(&mut self) {
        let t = self.name;
        if self.accepts(Category::Trigger, None) {
            self.s
                .comment("triggers not checked: parity.toml accepts a difference");
            return;
        }
        let mut names = Vec::new();
        let mut masks = Vec::new();
        for tr in self.et.triggers {
            let mask: u32 = tr.events.iter().map(|e| event_bit(*e)).sum();
            let events: Vec<&str> = tr.events.iter().map(|e| e.as_sql()).collect();
            self.s.holds(
                &Guard::Table(self.name),
                &format!("{t}: trigger {} ({})", tr.name, events.join(" OR ")),
                &format!(
                    "EXISTS (SELECT 1 FROM pg_temp.parity_triggers({}) g WHERE g.name = {} OR g.events = {mask})",
                    lit(t),
                    lit(&tr.name)
                ),
                &format!(
                    "'missing (triggers there: ' || coalesce((SELECT string_agg(g.name, ', ' ORDER BY g.name) FROM pg_temp.parity_triggers({}) g), 'none') || ')'",
                    lit(t)
                ),
            );
            names.push(tr.name.clone());
            masks.push(mask.to_string());
        }
        let masks = if masks.is_empty() {
            "ARRAY[]::integer[]".to_string()
        } else {
            format!("ARRAY[{}]", masks.join(", "))
        };
        self.s.equals(
            &Guard::Table(self.name),
            &format!("{t}: no other triggers"),
            "none",
            &format!(
                "coalesce((SELECT string_agg(g.name, ', ' ORDER BY g.name) FROM pg_temp.parity_triggers({}) g WHERE g.name <> ALL ({}) AND g.events <> ALL ({masks})), 'none')",
                lit(t),
                array_typed(&names)
            ),
        );
    }

    /// The rows the SQLite migrations inserted must be present (more rows
    /// are fine: a production table grows). Values compare under the
    /// expected PostgreSQL type; clock and random defaults are left out.
    fn seed(&mut self, seed: &SeedRows, expected_types: &[(&ExpectedColumn, String)]) {
        let t = self.name;
        if seed.rows.is_empty() {
            return;
        }
        if self.accepts(Category::SeedData, None) {
            self.s
                .comment("seed rows not checked: parity.toml accepts a difference");
            return;
        }
        let cols: Vec<(usize, &Column, &str)> = seed
            .columns
            .iter()
            .enumerate()
            .filter_map(|(i, name)| {
                let (c, ty) = expected_types.iter().find(|(c, _)| c.name() == name)?;
                (!c.default_varies()).then_some((i, c.source, ty.as_str()))
            })
            .collect();
        if cols.is_empty() {
            return;
        }
        // Identical rows are one VALUES row with their multiplicity.
        let mut rows: Vec<(String, usize)> = Vec::new();
        for row in &seed.rows {
            let values: Vec<String> = cols
                .iter()
                .map(|(i, _, ty)| seed_literal(row.get(*i).unwrap_or(&Value::Null), ty))
                .collect();
            let values = values.join(", ");
            match rows.iter_mut().find(|(v, _)| *v == values) {
                Some((_, n)) => *n += 1,
                None => rows.push((values, 1)),
            }
        }
        let names: Vec<String> = (1..=cols.len()).map(|k| format!("c{k}")).collect();
        let matches: Vec<String> = cols
            .iter()
            .zip(&names)
            .map(|((_, c, ty), alias)| {
                let column = if mapping::pg_kind(ty).family() == mapping::Family::Json {
                    format!("t.{}::jsonb", ident(&c.name))
                } else {
                    format!("t.{}", ident(&c.name))
                };
                format!("{column} IS NOT DISTINCT FROM s.{alias}")
            })
            .collect();
        let total = seed.rows.len();
        let before = format!(
            "SELECT coalesce(sum(s.n), 0) || ' of {total} present' FROM (VALUES {}) AS s(n, {}) \
             WHERE (SELECT count(*) FROM ",
            rows.iter()
                .map(|(v, n)| format!("({n}, {v})"))
                .collect::<Vec<_>>()
                .join(", "),
            names.join(", "),
        );
        let after = format!(" t WHERE {}) >= s.n", matches.join(" AND "));
        // A format() string: `%s` is the table, every other `%` doubled.
        let query = format!(
            "{}%s{}",
            before.replace('%', "%%"),
            after.replace('%', "%%")
        );
        self.s.equals(
            &Guard::Table(self.name),
            &format!("{t}: seed rows"),
            &format!("{total} of {total} present"),
            &format!(
                "pg_temp.parity_eval(format({}, pg_temp.parity_qualified({})))",
                lit(&query),
                lit(t)
            ),
        );
    }
}

/// Key parts as the script describes them, and the predicate in the
/// reference's spelling when the reference has the same key.
fn key_sql(index: &Index, reference: Option<&Index>, set: bool) -> (Vec<String>, Option<String>) {
    let parts = index
        .key
        .parts
        .iter()
        .map(|p| match p {
            KeyPart::Column { name, nocase, desc } => {
                let base = if *nocase {
                    format!("lower({name})")
                } else {
                    name.clone()
                };
                if *desc && !set {
                    format!("{base} DESC")
                } else {
                    base
                }
            }
            KeyPart::Expr { text, desc } => {
                if *desc && !set {
                    format!("{text} DESC")
                } else {
                    text.clone()
                }
            }
        })
        .collect();
    let predicate = match (
        reference.and_then(|r| r.raw_predicate.as_deref()),
        &index.raw_predicate,
    ) {
        (Some(r), _) => Some(collapse(r)),
        (None, Some(s)) => Some(format!("({})", collapse(s))),
        (None, None) => None,
    };
    (parts, predicate)
}

fn describe(kind: &str, parts: &[String], predicate: Option<&str>) -> String {
    match predicate {
        Some(p) => format!("{kind} ({}) WHERE {p}", parts.join(", ")),
        None => format!("{kind} ({})", parts.join(", ")),
    }
}

fn describe_fk(fk: &ForeignKey) -> String {
    format!(
        "({}) REFERENCES {}({}) ON DELETE {} ON UPDATE {}",
        fk.columns.join(", "),
        fk.target_table,
        fk.target_columns.join(", "),
        fk.on_delete.as_sql(),
        fk.on_update.as_sql()
    )
}

/// `pg_constraint` action codes that behave like `a` (NO ACTION and
/// RESTRICT alike unless one statement can tell them apart; see
/// [`FkAction::behaves_like`]).
fn action_codes(a: FkAction, one_statement: bool) -> &'static str {
    match a {
        FkAction::NoAction if one_statement => "'a'",
        FkAction::Restrict if one_statement => "'r'",
        FkAction::NoAction | FkAction::Restrict => "'a', 'r'",
        FkAction::Cascade => "'c'",
        FkAction::SetNull => "'n'",
        FkAction::SetDefault => "'d'",
    }
}

/// `pg_trigger.tgtype` bits: 4 INSERT, 8 DELETE, 16 UPDATE.
fn event_bit(e: TriggerEvent) -> u32 {
    match e {
        TriggerEvent::Insert => 4,
        TriggerEvent::Delete => 8,
        TriggerEvent::Update => 16,
    }
}

/// The type a seed value is compared as: the expected type without a
/// length or precision that would cut the literal, json as jsonb (json has
/// no equality).
fn comparison_type(expected: &str) -> String {
    match mapping::pg_kind(expected) {
        PgKind::SmallInt | PgKind::Integer | PgKind::BigInt => "bigint".into(),
        PgKind::Numeric { .. } => "numeric".into(),
        PgKind::Text | PgKind::Varchar(_) | PgKind::Char(_) => "text".into(),
        PgKind::Json | PgKind::Jsonb => "jsonb".into(),
        other => other.format_type(),
    }
}

fn seed_literal(v: &Value, expected: &str) -> String {
    let ty = comparison_type(expected);
    let boolean = ty == "boolean";
    let text = match v {
        Value::Null => return format!("CAST(NULL AS {ty})"),
        Value::Integer(0) if boolean => "false".to_string(),
        Value::Integer(1) if boolean => "true".to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => format!("{f:?}"),
        Value::Text(s) => s.clone(),
        Value::Blob(b) => {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            format!("\\x{hex}")
        }
    };
    format!("CAST({} AS {ty})", lit(&text))
}

/// Runs of whitespace as one space, as the script's `parity_checks` does.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `text[]` literal of `items`.
fn array(items: &[String]) -> String {
    array_typed(items)
}

fn array_typed(items: &[String]) -> String {
    if items.is_empty() {
        "ARRAY[]::text[]".to_string()
    } else {
        format!(
            "ARRAY[{}]",
            items.iter().map(|i| lit(i)).collect::<Vec<_>>().join(", ")
        )
    }
}

/// A `text[]` of SQL expressions.
fn sql_array(exprs: &[String]) -> String {
    if exprs.is_empty() {
        "ARRAY[]::text[]".to_string()
    } else {
        format!("ARRAY[{}]", exprs.join(", "))
    }
}

/// Session setup, the results table and the helper functions.
const PRELUDE: &str = r#"
\set ON_ERROR_STOP on
\set QUIET on
\encoding UTF8
\pset pager off
\pset format unaligned
\pset tuples_only on
\pset footer off
SET client_min_messages = warning;
SET standard_conforming_strings = on;
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS pg_temp.parity_check;
CREATE TEMPORARY TABLE parity_check (
    seq integer GENERATED ALWAYS AS IDENTITY,
    what text NOT NULL,
    expected text,
    found text,
    ok boolean
);

-- The table's oid in the current schema (NULL when there is none).
CREATE OR REPLACE FUNCTION pg_temp.parity_rel(tname text) RETURNS oid
LANGUAGE sql STABLE AS $$
    SELECT c.oid FROM pg_catalog.pg_class c
    WHERE c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = current_schema())
      AND c.relkind IN ('r', 'p') AND lower(c.relname) = tname
    ORDER BY c.relname = tname DESC LIMIT 1
$$;

-- The table, schema-qualified and quoted for dynamic SQL.
CREATE OR REPLACE FUNCTION pg_temp.parity_qualified(tname text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT quote_ident(current_schema()) || '.' || quote_ident(c.relname)
    FROM pg_catalog.pg_class c WHERE c.oid = pg_temp.parity_rel(tname)
$$;

-- The column's number (NULL when there is none).
CREATE OR REPLACE FUNCTION pg_temp.parity_attnum(tname text, cname text) RETURNS smallint
LANGUAGE sql STABLE AS $$
    SELECT a.attnum FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = pg_temp.parity_rel(tname) AND a.attnum > 0 AND NOT a.attisdropped
      AND lower(a.attname) = cname
    ORDER BY a.attname = cname DESC LIMIT 1
$$;

CREATE OR REPLACE FUNCTION pg_temp.parity_type(tname text, cname text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = pg_temp.parity_rel(tname) AND a.attnum = pg_temp.parity_attnum(tname, cname)
$$;

CREATE OR REPLACE FUNCTION pg_temp.parity_nullability(tname text, cname text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN a.attnotnull THEN 'NOT NULL' ELSE 'nullable' END FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = pg_temp.parity_rel(tname) AND a.attnum = pg_temp.parity_attnum(tname, cname)
$$;

-- The column's default expression, 'identity' for an identity column, NULL for none.
CREATE OR REPLACE FUNCTION pg_temp.parity_default(tname text, cname text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN a.attidentity <> '' THEN 'identity' ELSE pg_get_expr(d.adbin, d.adrelid) END
    FROM pg_catalog.pg_attribute a
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = pg_temp.parity_rel(tname) AND a.attnum = pg_temp.parity_attnum(tname, cname)
$$;

CREATE OR REPLACE FUNCTION pg_temp.parity_auto(tname text, cname text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN d = 'identity' OR d LIKE 'nextval(%' THEN 'sequence or identity'
                ELSE coalesce('default ' || d, 'no default') END
    FROM (SELECT pg_temp.parity_default(tname, cname) AS d) x
$$;

-- `shown` when the column's default means what SQLite's does, else the
-- default as it is. kind: none | now | random_bytes (lit = n) | value (lit is
-- compared under the column's type; sequences are never evaluated) | text
-- (lit is the expected spelling).
CREATE OR REPLACE FUNCTION pg_temp.parity_default_is(tname text, cname text, kind text, lit text, shown text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    d text := pg_temp.parity_default(tname, cname);
    ty text := pg_temp.parity_type(tname, cname);
    same boolean := false;
BEGIN
    IF d IS NULL THEN
        RETURN CASE WHEN kind = 'none' THEN shown ELSE 'no default' END;
    END IF;
    IF kind = 'now' THEN
        same := d ~* '(now\(\)|current_timestamp|localtimestamp|transaction_timestamp\(\)|statement_timestamp\(\))';
    ELSIF kind = 'random_bytes' THEN
        same := d ~* ('^gen_random_bytes\(' || lit || '\)$');
    ELSIF kind = 'text' THEN
        same := btrim(regexp_replace(d, '\s+', ' ', 'g')) = lit;
    ELSIF kind = 'value' AND d <> 'identity' AND d !~* 'nextval' THEN
        BEGIN
            EXECUTE format('SELECT (%s) IS NOT DISTINCT FROM CAST(%L AS %s)', d, lit, ty) INTO same;
        EXCEPTION WHEN OTHERS THEN
            same := false;
        END;
    END IF;
    RETURN CASE WHEN same THEN shown ELSE d END;
END
$$;

-- Columns of the table other than `allowed`.
CREATE OR REPLACE FUNCTION pg_temp.parity_other_columns(tname text, allowed text[]) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(a.attname, ', ' ORDER BY a.attnum), 'none') FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = pg_temp.parity_rel(tname) AND a.attnum > 0 AND NOT a.attisdropped
      AND lower(a.attname) <> ALL (allowed)
$$;

-- Tables of the current schema other than `allowed`.
CREATE OR REPLACE FUNCTION pg_temp.parity_other_tables(allowed text[]) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(c.relname, ', ' ORDER BY c.relname), 'none') FROM pg_catalog.pg_class c
    WHERE c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = current_schema())
      AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND lower(c.relname) <> ALL (allowed)
$$;

CREATE OR REPLACE FUNCTION pg_temp.parity_pk(tname text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce((
        SELECT '(' || string_agg(lower(a.attname), ', ' ORDER BY lower(a.attname) COLLATE "C") || ')'
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = pg_temp.parity_rel(tname) AND i.indisprimary), 'none')
$$;

-- Text compared loosely: no spacing, parentheses, double quotes or casts to
-- built-in types, lower case.
CREATE OR REPLACE FUNCTION pg_temp.parity_loose(t text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT lower(regexp_replace(regexp_replace(t,
        '::(text|character varying|character|bpchar|varchar|bigint|integer|smallint|numeric|boolean|double precision|real|date|jsonb|json|bytea|uuid|timestamp with time zone|timestamp without time zone)(\[\])?',
        '', 'gi'), '[\s()"]', '', 'g'))
$$;

-- A key's identity: its parts (as a set when `as_set`) and its predicate.
CREATE OR REPLACE FUNCTION pg_temp.parity_sig(parts text[], as_set boolean, pred text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT (SELECT string_agg(pg_temp.parity_loose(p), chr(31)
                ORDER BY CASE WHEN as_set THEN pg_temp.parity_loose(p) END COLLATE "C", o)
            FROM unnest(parts) WITH ORDINALITY u(p, o))
        || chr(30) || coalesce(pg_temp.parity_loose(pred), '')
$$;

-- An index's key parts: a column, lower(column) for lower()/upper() of a
-- column (case-insensitive), or the expression; ' DESC' unless `as_set`.
CREATE OR REPLACE FUNCTION pg_temp.parity_index_parts(ix oid, as_set boolean) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT array_agg(
        CASE WHEN m.g IS NOT NULL THEN 'lower(' || replace(m.g[2], '"', '') || ')' ELSE def END
        || CASE WHEN NOT as_set AND (i.indoption[k - 1] & 1) = 1 THEN ' DESC' ELSE '' END
        ORDER BY k)
    FROM pg_catalog.pg_index i,
         generate_series(1, i.indnkeyatts) k,
         LATERAL pg_get_indexdef(i.indexrelid, k, true) def,
         LATERAL regexp_match(def, '^(lower|upper)\(\(?("[^"]+"|[a-z_][a-z0-9_$]*)\)?(::[a-z ]+)?\)$', 'i') m(g)
    WHERE i.indexrelid = ix
$$;

-- Unique (not primary) or plain indexes of a table: identity and description.
CREATE OR REPLACE FUNCTION pg_temp.parity_indexes(tname text, is_unique boolean)
RETURNS TABLE (sig text, descr text) LANGUAGE sql STABLE AS $$
    SELECT pg_temp.parity_sig(p.parts, is_unique, pg_get_expr(i.indpred, i.indrelid)),
           CASE WHEN is_unique THEN 'UNIQUE (' ELSE 'INDEX (' END || array_to_string(p.parts, ', ') || ')'
           || coalesce(' WHERE ' || pg_get_expr(i.indpred, i.indrelid), '')
    FROM pg_catalog.pg_index i,
         LATERAL (SELECT pg_temp.parity_index_parts(i.indexrelid, is_unique) AS parts) p
    WHERE i.indrelid = pg_temp.parity_rel(tname) AND NOT i.indisprimary AND i.indisunique = is_unique
$$;

CREATE OR REPLACE FUNCTION pg_temp.parity_action(a "char") RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE a WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE'
                  WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END
$$;

-- Foreign keys of a table: local columns, column pairs (local->target),
-- target table, action codes and description.
CREATE OR REPLACE FUNCTION pg_temp.parity_fks(tname text)
RETURNS TABLE (cols text[], pairs text[], target text, del "char", upd "char", descr text)
LANGUAGE sql STABLE AS $$
    SELECT l.cols, l.pairs, lower(tc.relname), con.confdeltype, con.confupdtype,
           '(' || array_to_string(l.cols, ', ') || ') REFERENCES ' || lower(tc.relname)
           || '(' || array_to_string(l.tcols, ', ') || ') ON DELETE ' || pg_temp.parity_action(con.confdeltype)
           || ' ON UPDATE ' || pg_temp.parity_action(con.confupdtype)
    FROM pg_catalog.pg_constraint con
    JOIN pg_catalog.pg_class tc ON tc.oid = con.confrelid,
    LATERAL (
        SELECT array_agg(lower(a.attname) ORDER BY k.o) AS cols,
               array_agg(lower(ta.attname) ORDER BY k.o) AS tcols,
               array_agg(lower(a.attname) || '->' || lower(ta.attname) ORDER BY k.o) AS pairs
        FROM unnest(con.conkey, con.confkey) WITH ORDINALITY k(n, tn, o)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n
        JOIN pg_catalog.pg_attribute ta ON ta.attrelid = con.confrelid AND ta.attnum = k.tn
    ) l
    WHERE con.conrelid = pg_temp.parity_rel(tname) AND con.contype = 'f'
$$;

-- CHECK constraints of a table as pg_get_expr() spells them, spacing collapsed.
CREATE OR REPLACE FUNCTION pg_temp.parity_checks(tname text) RETURNS TABLE (expr text)
LANGUAGE sql STABLE AS $$
    SELECT btrim(regexp_replace(pg_get_expr(con.conbin, con.conrelid), '\s+', ' ', 'g'))
    FROM pg_catalog.pg_constraint con
    WHERE con.conrelid = pg_temp.parity_rel(tname) AND con.contype = 'c'
$$;

-- User triggers of a table: name and events (pg_trigger.tgtype bits 4
-- INSERT, 8 DELETE, 16 UPDATE).
CREATE OR REPLACE FUNCTION pg_temp.parity_triggers(tname text) RETURNS TABLE (name text, events integer)
LANGUAGE sql STABLE AS $$
    SELECT lower(t.tgname), t.tgtype::integer & 28 FROM pg_catalog.pg_trigger t
    WHERE t.tgrelid = pg_temp.parity_rel(tname) AND NOT t.tgisinternal
$$;

-- The first value `query` returns, or the error it raised.
CREATE OR REPLACE FUNCTION pg_temp.parity_eval(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE query INTO result;
    RETURN result;
EXCEPTION WHEN OTHERS THEN
    RETURN 'error: ' || SQLERRM;
END
$$;
"#;

/// Prints the results and the summary, and fails when a check failed.
const EPILOGUE: &str = r#"
-- results
UPDATE pg_temp.parity_check SET ok = expected IS NOT DISTINCT FROM found WHERE ok IS NULL;
SELECT CASE WHEN ok THEN '✓ PASS ' || what
            ELSE '✗ FAIL ' || what || ': ' || coalesce(expected, 'NULL') || ' vs ' || coalesce(found, 'NULL') END
FROM pg_temp.parity_check ORDER BY seq;
SELECT count(*) FILTER (WHERE ok) || ' passed, ' || count(*) FILTER (WHERE NOT ok) || ' failed'
FROM pg_temp.parity_check;
DO $$
DECLARE
    failures bigint;
BEGIN
    SELECT count(*) INTO failures FROM pg_temp.parity_check WHERE NOT ok;
    IF failures > 0 THEN
        RAISE EXCEPTION 'schema validation failed: % check(s) failed', failures;
    END IF;
END
$$;
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::IndexKey;

    fn col(name: &str, declared_type: &str) -> Column {
        Column::typed(name, declared_type)
    }

    #[test]
    fn canonical_types_follow_the_default_mappings() {
        let none = mapping::Bounds::default();
        let flag = mapping::Bounds {
            values: Some(vec!["0".into(), "1".into()]),
            ..mapping::Bounds::default()
        };
        for (ty, b, want) in [
            ("INTEGER", &none, "bigint"),
            ("INTEGER", &flag, "boolean"),
            ("REAL", &none, "double precision"),
            ("TEXT", &none, "text"),
            ("BLOB", &none, "bytea"),
            ("DATETIME", &none, "timestamp with time zone"),
            ("DATE", &none, "date"),
            ("NUMERIC", &none, "numeric"),
        ] {
            assert_eq!(mapping::standard_pg_type(&col("c", ty), b), want, "{ty}");
        }
        // How declared types are spelled: expected.rs's
        // declared_types_are_spelled_as_format_type_does.
    }

    #[test]
    fn seed_values_compare_under_the_expected_type() {
        assert_eq!(
            seed_literal(&Value::Integer(1), "boolean"),
            "CAST('true' AS boolean)"
        );
        assert_eq!(
            seed_literal(&Value::Text("it's".into()), "character varying(3)"),
            "CAST('it''s' AS text)"
        );
        assert_eq!(seed_literal(&Value::Null, "jsonb"), "CAST(NULL AS jsonb)");
        assert_eq!(
            seed_literal(&Value::Blob(vec![0, 255]), "bytea"),
            "CAST('\\x00ff' AS bytea)"
        );
    }

    #[test]
    fn script_checks_every_table_part_and_escapes_seed_text() {
        let mut id = col("id", "INTEGER");
        id.auto_increment = true;
        id.not_null = true;
        let mut name = col("name", "TEXT");
        name.not_null = true;
        let table = Table {
            name: "plans".into(),
            columns: vec![id, name],
            primary_key: vec!["id".into()],
            uniques: vec![Index {
                name: "u".into(),
                key: IndexKey {
                    parts: vec![KeyPart::Column {
                        name: "name".into(),
                        nocase: true,
                        desc: false,
                    }],
                    predicate: None,
                },
                raw_predicate: None,
            }],
            ..Table::default()
        };
        let mut sqlite = Schema::default();
        sqlite.tables.insert("plans".into(), table);
        sqlite.seed.insert(
            "plans".into(),
            SeedRows {
                columns: vec!["id".into(), "name".into()],
                rows: vec![vec![Value::Integer(1), Value::Text("50% o'clock".into())]],
            },
        );
        let s = script(
            &sqlite,
            &Schema::default(),
            &Probed::new(),
            &Config::default(),
            &Origin::default(),
        );
        for want in [
            "'plans: table'",
            "'plans.id: type', 'bigint'",
            "'plans.id: automatic ids', 'sequence or identity'",
            "'plans.name: default', 'no default'",
            "'plans: primary key', '(id)'",
            "'plans: UNIQUE (lower(name))'",
            "'plans: seed rows', '1 of 1 present'",
            // format(): `%` doubled, quotes doubled twice (literal in a literal).
            "CAST(''50%% o''''clock'' AS text)",
            "FROM %s t WHERE",
            "'schema: no other tables'",
            "RAISE EXCEPTION",
        ] {
            assert!(s.contains(want), "missing {want}\n{s}");
        }
        // The reference differs (it has no table at all): said in the header.
        assert!(s.contains("differs from the SQLite chain"));
    }
}
