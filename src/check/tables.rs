//! The bridge from the schema model to generation: [`TableInfo`] and
//! [`ColumnInfo`], each table as the behavioural checks (and `replay`) see
//! it — which columns a generated row fills, with what value domain (from
//! the SQLite type and its CHECKs) and what realistic values (a
//! parity.toml generator, or what the column's name says it holds), and
//! which come from a parent row through a foreign key.

use std::collections::{BTreeMap, BTreeSet};

use schema_parity_strategies::{
    ColumnSpec, Comparison, Domain, Generator, Lit, Realistic, Rule, Shape, Share,
};

use crate::config::Config;
use crate::mapping::lit_of;
use crate::mapping::{self, Family, PgKind, Probed, SqliteClass};
use crate::model::Engine;
use crate::model::finding::{Category, CheckKind};
use crate::model::schema::{Column, ForeignKey, Schema, Table};
use crate::sql::expr::{self, Atom, DefaultValue};

/// One column of a table as the behavioural checks see it.
#[derive(Debug, Clone)]
pub struct ColumnInfo {
    pub name: String,
    /// The agreed domain: the values both engines accept and store alike
    /// (the SQLite domain narrowed by every known difference). Parent rows
    /// and every column a probe is not about are drawn from it.
    pub spec: ColumnSpec,
    /// The SQLite side's own domain, wider than `spec` where the engines
    /// differ: the probe aimed at that difference draws from here.
    pub sqlite_spec: ColumnSpec,
    /// PostgreSQL declares the column NOT NULL.
    pub pg_not_null: bool,
    /// The two types are not equivalent under the mapping (a structural
    /// `type` finding): rows compare this column only in its own probe.
    pub type_differs: bool,
    /// The two defaults differ (a structural `default` finding): rows that
    /// other properties stand on give the column a value; only the default
    /// property leaves it out.
    pub default_differs: bool,
    pub pg_kind: PgKind,
    pub not_null: bool,
    pub has_default: bool,
    pub default: DefaultValue,
    /// Both engines hand out ids for the column (SQLite's INTEGER PRIMARY
    /// KEY, PostgreSQL's serial or identity). Where only one does, the
    /// difference is a structural `primary_key` finding and every property
    /// writes explicit ids from the agreed domain instead.
    pub auto_increment: bool,
    /// Only one engine hands out ids for the column: the structural
    /// finding's id (what the sequence property names as the reason it does
    /// not apply).
    pub one_sided_ids: Option<String>,
    /// A generated (computed) column on either side: never written, only
    /// read back and compared.
    pub generated: bool,
    /// Filled from a parent row, not generated.
    pub from_fk: bool,
    /// The column exists only in SQLite: inserts naming it must fail on
    /// PostgreSQL, which is what an application would see.
    pub missing_on_pg: bool,
    /// CHECK conjuncts on this column (SQLite side).
    pub atoms: Vec<Atom>,
    /// CHECK conjuncts on this column on the PostgreSQL side: values they
    /// allow beyond SQLite's are the violations most worth trying.
    pub pg_atoms: Vec<Atom>,
    /// Conjuncts the PostgreSQL type enforces by itself (flag → BOOLEAN,
    /// length → VARCHAR(n)): a rejection by type there is the same reason.
    pub implied: Vec<Atom>,
    /// What SQLite's collation of the column makes equal that PostgreSQL
    /// keeps apart (see [`mapping::collation_difference`]).
    pub collation: Option<mapping::Collation>,
}

/// A table ready for generation.
#[derive(Debug, Clone)]
pub struct TableInfo {
    pub name: String,
    pub columns: Vec<ColumnInfo>,
    pub primary_key: Vec<String>,
    /// The foreign keys the data must satisfy: SQLite's, and those only
    /// PostgreSQL declares (a structural `foreign_key` finding) — rows
    /// stand on parent rows either way, so that only the probes aimed at a
    /// reference (a dangling one, a parent deleted) meet the difference.
    pub foreign_keys: Vec<ForeignKey>,
    /// PostgreSQL-side foreign keys (for ON UPDATE actions only PG has).
    pub pg_foreign_keys: Vec<ForeignKey>,
    /// Unique keys (column lists; `nocase` marks case-insensitive parts).
    pub uniques: Vec<Vec<(String, bool)>>,
    /// Partial unique indexes (`… WHERE x IS NOT NULL`), same shape: a
    /// duplicate must get the same answer from both engines, whichever.
    pub partial_uniques: Vec<Vec<(String, bool)>>,
    /// The introspected table on each side (constraint names and
    /// expressions, for attributing a rejection to its columns).
    pub sqlite_table: Table,
    pub pg_table: Table,
    /// Columns a trigger wants equal to a column of the row a reference
    /// picks (filled by `check::trigger_rows`).
    pub lookups: Vec<Lookup>,
    /// Columns whose values a child's trigger wants to be keys of another
    /// table (filled by `check::trigger_rows`).
    pub soft_references: Vec<SoftReference>,
}

/// One column a trigger wants equal to a column of the row a reference
/// picks: `NEW.hall_code` must be the `hall_code` of the `talks` row that
/// `talk_slug` references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub trigger: String,
    /// The guarded table's column (`hall_code`).
    pub column: String,
    /// The foreign key (index into `foreign_keys`) whose parent row is
    /// looked up (`talk_slug` → `talks`).
    pub via: usize,
    /// The parent's column the value must equal (`talks.hall_code`).
    pub parent_column: String,
}

/// A column whose values must be keys of another table, because a child's
/// trigger compares it with a reference to that table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoftReference {
    pub column: String,
    pub target_table: String,
    pub target_column: String,
}

impl ColumnInfo {
    /// A row may leave the column out on the SQLite side: it has a default
    /// or takes NULL.
    pub fn omittable(&self) -> bool {
        self.has_default || !self.not_null
    }
}

impl TableInfo {
    pub fn column(&self, name: &str) -> Option<&ColumnInfo> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether foreign key `k` is one-to-one: a unique key (or the primary
    /// key) lies within its columns, so each parent row takes one child.
    pub fn one_to_one(&self, k: usize) -> bool {
        let Some(fk) = self.foreign_keys.get(k) else {
            return false;
        };
        let within = |cols: &mut dyn Iterator<Item = &String>| {
            let mut any = false;
            for c in cols {
                if !fk.columns.contains(c) {
                    return false;
                }
                any = true;
            }
            any
        };
        within(&mut self.primary_key.iter())
            || self
                .uniques
                .iter()
                .any(|u| within(&mut u.iter().map(|(c, _)| c)))
    }

    /// Columns whose values each engine makes up itself (automatic ids,
    /// references to them, random and clock defaults): not compared across
    /// engines when rows are read back.
    pub fn per_engine(&self, column: &str) -> bool {
        self.column(column)
            .is_some_and(|ci| ci.auto_increment || ci.from_fk || ci.default.varies())
    }

    /// Columns a generated row supplies (not auto-increment keys).
    pub fn insertable(&self) -> impl Iterator<Item = &ColumnInfo> {
        self.columns
            .iter()
            .filter(|c| !c.auto_increment && !c.generated)
    }
}

/// A CHECK conjunct as a rule generation can break (see
/// `strategies::violating`), when it is one.
pub fn rule(atom: &Atom) -> Option<Rule> {
    Some(match atom {
        Atom::InSet {
            values,
            negated: false,
            ..
        } => Rule::OneOf(values.iter().cloned().collect()),
        Atom::InSet {
            values,
            negated: true,
            ..
        } => Rule::NoneOf(values.iter().cloned().collect()),
        Atom::Compare { op, value, .. } => {
            let bound: i64 = value.parse().ok()?;
            let comparison = match op.as_str() {
                ">=" => Comparison::AtLeast,
                ">" => Comparison::Above,
                "<=" => Comparison::AtMost,
                "<" => Comparison::Below,
                "=" => Comparison::Equal,
                _ => return None,
            };
            Rule::Compare(comparison, bound)
        }
        Atom::MinLength { min, .. } => Rule::MinLength(*min),
        Atom::MaxLength { max, .. } => Rule::MaxLength(*max),
        Atom::Pattern { negated: false, .. } => Rule::Pattern,
        _ => return None,
    })
}

/// How a column of PostgreSQL type `kind` writes its values, as far as
/// generating one goes.
pub fn shape(kind: &PgKind) -> Shape {
    match kind.family() {
        Family::Float | Family::Decimal => Shape::Real,
        Family::Bytes => Shape::Blob,
        Family::Text => Shape::Text,
        Family::Uuid => Shape::Uuid,
        _ => Shape::Integer {
            max: kind.int_range().map(|(_, hi)| hi),
        },
    }
}

/// The realistic values a column gets: those of the generator parity.toml
/// selects for it (most of its values), else of the one its name says it
/// holds (some). Either way only those its domain holds (the strategies
/// check): a generator never widens what the column accepts.
fn realistic_for(c: &Column, config: &Config, table: &str) -> Option<Realistic> {
    let configured = config
        .column_rule(table, &c.name)
        .and_then(|r| r.generator.as_deref())
        .and_then(Generator::parse);
    match configured {
        Some(generator) => Some(Realistic {
            generator,
            share: Share::Most,
        }),
        None => Generator::for_column(&c.name).map(|generator| Realistic {
            generator,
            share: Share::Part,
        }),
    }
}

fn domain_for(c: &Column, atoms: &[Atom], globs: &[(String, String)]) -> Domain {
    let b = mapping::bounds(&c.name, atoms);
    if let Some(values) = &b.values {
        let lits: Vec<Lit> = values.iter().map(|v| lit_of(v)).collect();
        if lits.iter().all(|l| matches!(l, Lit::Int(0 | 1))) && lits.len() == 2 {
            return Domain::Flag;
        }
        return Domain::OneOf(lits);
    }
    if let Some((_, p)) = globs.iter().find(|(col, _)| col == &c.name) {
        return Domain::Glob(p.clone());
    }
    let clamp = |v: Option<i128>, d: i64| v.map_or(d, |x| i64::try_from(x).unwrap_or(d));
    match mapping::sqlite_class(&c.declared_type) {
        // A declared BOOLEAN is NUMERIC affinity: without a 0/1 CHECK (a
        // value set, handled above) SQLite stores any integer in it.
        SqliteClass::Integer | SqliteClass::Boolean => Domain::Integer {
            min: clamp(b.min, i64::MIN),
            max: clamp(b.max, i64::MAX),
        },
        SqliteClass::Real | SqliteClass::Numeric => {
            #[expect(clippy::cast_precision_loss, reason = "CHECK bounds as floats")]
            let f = |v: Option<i128>| v.map(|x| x as f64);
            Domain::Real {
                min: f(b.min),
                max: f(b.max),
            }
        }
        // JSON text by its CHECK (json_valid(col)), whatever its name.
        SqliteClass::Text if b.json_valid => Domain::Json,
        SqliteClass::Json => Domain::Json,
        SqliteClass::Text => Domain::Text {
            min_chars: b
                .min_length
                .and_then(|m| usize::try_from(m).ok())
                .unwrap_or(0),
            max_chars: b.max_length.and_then(|m| usize::try_from(m).ok()),
            nul: true,
        },
        SqliteClass::Blob => {
            let min_len = b
                .min_length
                .and_then(|m| usize::try_from(m).ok())
                .unwrap_or(0);
            Domain::Blob {
                min_len,
                max_len: b
                    .max_length
                    .and_then(|m| usize::try_from(m).ok())
                    .unwrap_or(4096)
                    .max(min_len),
            }
        }
        SqliteClass::Temporal => Domain::Timestamp,
    }
}

/// Builds [`TableInfo`] for every table present on both sides and not
/// skipped, the pairings no mapping rule covers judged as `probed`.
pub fn tables(
    sqlite: &Schema,
    pg: &Schema,
    probed: &Probed,
    config: &Config,
) -> BTreeMap<String, TableInfo> {
    let mut out = BTreeMap::new();
    for (name, st) in &sqlite.tables {
        if config.skips(name) {
            continue;
        }
        let Some(pt) = pg.tables.get(name) else {
            continue;
        };
        out.insert(name.clone(), table_info(st, pt, probed, config));
    }
    out
}

fn table_info(st: &Table, pt: &Table, probed: &Probed, config: &Config) -> TableInfo {
    let atoms: Vec<Atom> = st
        .checks
        .iter()
        .flat_map(|c| expr::check_atoms(&c.expr, Engine::Sqlite))
        .collect();
    let globs: Vec<(String, String)> = st
        .checks
        .iter()
        .flat_map(|c| expr::glob_patterns(&c.expr))
        .collect();
    let agreed_keys = agreed_foreign_keys(st, pt);
    let fk_cols: BTreeSet<&str> = agreed_keys
        .iter()
        .flat_map(|f| f.columns.iter().map(String::as_str))
        .collect();
    let cx = Columns {
        st,
        pt,
        atoms: &atoms,
        globs: &globs,
        fk_cols: &fk_cols,
        probed,
        config,
    };
    let columns = st.columns.iter().map(|c| column_info(&cx, c)).collect();
    let plain_key = |u: &crate::model::schema::Index| {
        u.key
            .parts
            .iter()
            .map(|p| match p {
                crate::model::schema::KeyPart::Column { name, nocase, .. } => {
                    Some((name.clone(), *nocase))
                }
                crate::model::schema::KeyPart::Expr { .. } => None,
            })
            .collect::<Option<Vec<_>>>()
    };
    let partial_uniques = st
        .uniques
        .iter()
        .filter(|u| u.key.predicate.is_some())
        .filter_map(plain_key)
        .collect();
    let uniques = st
        .uniques
        .iter()
        .filter(|u| u.key.predicate.is_none())
        .filter_map(plain_key)
        .collect();
    TableInfo {
        name: st.name.clone(),
        columns,
        primary_key: st.primary_key.clone(),
        foreign_keys: agreed_keys,
        pg_foreign_keys: pt.foreign_keys.clone(),
        uniques,
        partial_uniques,
        sqlite_table: st.clone(),
        pg_table: pt.clone(),
        lookups: Vec::new(),
        soft_references: Vec::new(),
    }
}

/// What every column of one table reads: both tables, SQLite's CHECK
/// conjuncts and GLOB patterns, the columns agreed foreign keys fill.
struct Columns<'a> {
    st: &'a Table,
    pt: &'a Table,
    atoms: &'a [Atom],
    globs: &'a [(String, String)],
    fk_cols: &'a BTreeSet<&'a str>,
    probed: &'a Probed,
    config: &'a Config,
}

/// One SQLite column's domains (agreed and SQLite's own) and what its
/// probes need to know of both sides.
fn column_info(cx: &Columns, c: &Column) -> ColumnInfo {
    let Columns {
        st,
        pt,
        atoms,
        globs,
        fk_cols,
        probed,
        config,
    } = *cx;
    let pc = pt.column(&c.name);
    let col_atoms: Vec<Atom> = atoms
        .iter()
        .filter(|a| a.column() == Some(c.name.as_str()))
        .cloned()
        .collect();
    let kind = mapping::pg_kind(pc.map_or_else(
        || mapping::standard_pg_type(c, &mapping::bounds(&c.name, &col_atoms)),
        |pc| pc.declared_type.as_str(),
    ));
    let pg_atoms: Vec<Atom> = pt
        .checks
        .iter()
        .flat_map(|ch| expr::check_atoms(&ch.expr, Engine::Postgres))
        .filter(|a| a.column() == Some(c.name.as_str()))
        .collect();
    let implied = atoms
        .iter()
        .filter(|a| mapping::type_enforces(a, &c.name, &kind))
        .cloned()
        .collect();
    let default = c.default.as_deref().map_or(DefaultValue::Null, |d| {
        expr::default_value(d, Engine::Sqlite)
    });
    let sqlite_spec = ColumnSpec {
        name: c.name.clone(),
        domain: domain_for(c, atoms, globs),
        nullable: !c.not_null,
        realistic: realistic_for(c, config, &st.name),
        samples: Vec::new(),
    };
    let pg_not_null = pc.is_some_and(|pc| pc.not_null);
    let declared = config
        .column_rule(&st.name, &c.name)
        .and_then(|r| r.postgres_type.as_deref());
    let verdict = pc.map(|pc| probed.judge(c, pc, &mapping::bounds(&c.name, &col_atoms), declared));
    let type_differs = verdict.as_ref().is_some_and(mapping::type_differs);
    // An enum type enforces its labels the way CHECK (col IN (…)) would:
    // the agreed domain keeps the values both sides allow.
    let mut narrowing = pg_atoms.clone();
    if let Some(labels) = pc.and_then(|pc| pc.enum_labels.as_deref()) {
        narrowing.push(Atom::InSet {
            column: c.name.clone(),
            values: mapping::enum_literals(labels),
            negated: false,
        });
    }
    let mut spec = mapping::agreed(&sqlite_spec, &kind, &narrowing, pg_not_null);
    if type_differs {
        // A probed pairing's common ground is what its probes
        // stored and read back alike on both engines.
        let alike = pc
            .and_then(|pc| probed.get(c, pc))
            .map(|p| p.alike.clone())
            .filter(|a| !a.is_empty());
        spec.domain = match alike {
            Some(values) => Domain::OneOf(values),
            None => mapping::common_ground(&spec.domain, &kind),
        };
    }
    let default_differs = pc.is_some_and(|pc| mapping::default_differs(&default, pc, &kind));
    ColumnInfo {
        name: c.name.clone(),
        spec,
        type_differs,
        default_differs,
        sqlite_spec,
        pg_not_null,
        pg_kind: kind,
        not_null: c.not_null,
        has_default: c.default.is_some(),
        default,
        auto_increment: c.auto_increment && pc.is_none_or(|pc| pc.auto_increment),
        one_sided_ids: pc
            .filter(|pc| pc.auto_increment != c.auto_increment)
            .map(|_| {
                crate::model::finding::id(
                    CheckKind::Structure,
                    Category::PrimaryKey,
                    &st.name,
                    &[&c.name],
                    "auto-increment",
                )
            }),
        generated: c.generated.is_some() || pc.is_some_and(|pc| pc.generated.is_some()),
        from_fk: fk_cols.contains(c.name.as_str()),
        atoms: col_atoms,
        implied,
        missing_on_pg: pc.is_none(),
        pg_atoms,
        collation: pc.and_then(|pc| mapping::collation_difference(c, pc, st, pt)),
    }
}

/// SQLite's foreign keys, then PostgreSQL's on columns SQLite declares
/// none on (see [`TableInfo::foreign_keys`]).
fn agreed_foreign_keys(st: &Table, pt: &Table) -> Vec<ForeignKey> {
    let set = |f: &ForeignKey| {
        let mut c = f.columns.clone();
        c.sort();
        c
    };
    let mut out = st.foreign_keys.clone();
    for f in &pt.foreign_keys {
        let covered = out.iter().any(|s| set(s) == set(f));
        let known = f.columns.iter().all(|c| st.column(c).is_some());
        if !covered && known {
            out.push(f.clone());
        }
    }
    out
}

/// Tables in an order where every parent comes before its children
/// (self-references and cycles are broken arbitrarily).
pub fn topological(tables: &BTreeMap<String, TableInfo>) -> Vec<String> {
    let mut order = Vec::new();
    let mut done = BTreeSet::new();
    let mut visiting = BTreeSet::new();
    fn visit(
        t: &str,
        tables: &BTreeMap<String, TableInfo>,
        done: &mut BTreeSet<String>,
        visiting: &mut BTreeSet<String>,
        order: &mut Vec<String>,
    ) {
        if done.contains(t) || visiting.contains(t) {
            return;
        }
        visiting.insert(t.to_string());
        if let Some(info) = tables.get(t) {
            for fk in &info.foreign_keys {
                if fk.target_table != t {
                    visit(&fk.target_table, tables, done, visiting, order);
                }
            }
            // A column a child's trigger wants to be another table's key
            // is seeded from that table's rows: it goes first.
            for soft in &info.soft_references {
                visit(&soft.target_table, tables, done, visiting, order);
            }
        }
        visiting.remove(t);
        if tables.contains_key(t) {
            done.insert(t.to_string());
            order.push(t.to_string());
        }
    }
    for t in tables.keys() {
        visit(t, tables, &mut done, &mut visiting, &mut order);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, declared_type: &str) -> Column {
        Column::typed(name, declared_type)
    }

    fn table(columns: Vec<Column>) -> Table {
        Table {
            name: "people".into(),
            columns,
            ..Table::default()
        }
    }

    /// A configured generator makes most values realistic and keeps the
    /// column's own domain (PostgreSQL's VARCHAR limit in the agreed one);
    /// a telling name makes some realistic; other names, none.
    #[test]
    fn realistic_values_come_from_the_config_or_the_name() {
        let st = table(vec![
            column("contact", "TEXT"),
            column("user_email", "TEXT"),
            column("description", "TEXT"),
            column("phone", "INTEGER"),
        ]);
        let pt = table(vec![
            column("contact", "CHARACTER VARYING(20)"),
            column("user_email", "TEXT"),
            column("description", "TEXT"),
            column("phone", "BIGINT"),
        ]);
        let config = Config::parse(
            "[[column]]\ntable = \"people\"\ncolumn = \"contact\"\ngenerator = \"email\"\n",
            std::path::Path::new("parity.toml"),
        )
        .expect("config");
        let info = table_info(&st, &pt, &Probed::new(), &config);
        let col = |n: &str| info.column(n).expect("column");
        let email = |share| {
            Some(Realistic {
                generator: Generator::Email,
                share,
            })
        };
        let contact = col("contact");
        assert_eq!(contact.sqlite_spec.realistic, email(Share::Most));
        assert_eq!(contact.spec.realistic, email(Share::Most));
        assert!(matches!(
            contact.sqlite_spec.domain,
            Domain::Text {
                max_chars: None,
                ..
            }
        ));
        assert!(matches!(
            contact.spec.domain,
            Domain::Text {
                max_chars: Some(20),
                ..
            }
        ));
        assert_eq!(col("user_email").spec.realistic, email(Share::Part));
        assert_eq!(col("description").spec.realistic, None);
        // A phone number held as an integer: recognised, but its domain
        // holds no realistic value (the strategies leave them out).
        let phone = &col("phone").spec;
        assert_eq!(phone.realistic.map(|r| r.generator), Some(Generator::Phone));
        assert!(schema_parity_strategies::realistic(Generator::Phone, &phone.domain).is_none());
    }
}
