//! The expected PostgreSQL schema: the SQLite model under the mapping and
//! parity.toml, computed once. `diff` compares it with a live PostgreSQL
//! model; `validate` renders it as a psql script. Neither walks the SQLite
//! model itself.
//!
//! Every item keeps the SQLite object it came from (`source`), so a finding
//! or a script line can name it. What depends on the PostgreSQL side (the
//! type verdict against a given column, the CHECKs a given type enforces)
//! is a method taking that side, deciding by [`mapping`]'s rules.
//!
//! Pure: no I/O.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::mapping::{self, Bounds, PgKind, Probed, TypeVerdict};
use crate::model::Engine;
use crate::model::schema::{
    Column, ForeignKey, Index, IndexKey, KeyPart, Schema, SeedRows, Table, Trigger,
};
use crate::sql::expr::{self, Atom, DefaultValue};

/// What PostgreSQL should have, table by table, given the SQLite schema.
#[derive(Debug, Clone)]
pub struct ExpectedSchema<'a> {
    /// The SQLite model it was computed from.
    pub sqlite: &'a Schema,
    /// The parity.toml it was computed under.
    pub config: &'a Config,
    /// The pairings no mapping rule covers, as this run probed them.
    pub probed: &'a Probed,
    /// Every SQLite table parity.toml does not skip, by name.
    pub tables: BTreeMap<&'a str, ExpectedTable<'a>>,
    /// Every SQLite view parity.toml does not skip: its column names.
    pub views: BTreeMap<&'a str, Vec<String>>,
}

/// One table PostgreSQL should have.
#[derive(Debug, Clone)]
pub struct ExpectedTable<'a> {
    pub name: &'a str,
    pub source: &'a Table,
    /// The SQLite CHECK conjuncts, canonical (sorted, each once).
    pub atoms: Vec<Atom>,
    /// In SQLite's column order.
    pub columns: Vec<ExpectedColumn<'a>>,
    /// SQLite's primary key columns, in declared order.
    pub primary_key: &'a [String],
    /// The unique keys PostgreSQL must enforce: each distinct key once (as
    /// a set), in declaration order; a UNIQUE on the primary key columns
    /// adds nothing and is left out.
    pub uniques: Vec<ExpectedUnique<'a>>,
    /// Every SQLite index, in declaration order.
    pub indexes: Vec<ExpectedIndex<'a>>,
    /// Every SQLite foreign key, in declaration order.
    pub foreign_keys: Vec<ExpectedForeignKey<'a>>,
    /// SQLite's triggers on the table, matched by name or by events.
    pub triggers: &'a [Trigger],
    /// The rows SQLite's migrations inserted, if any.
    pub seed: Option<&'a SeedRows>,
}

/// A unique key PostgreSQL must enforce.
#[derive(Debug, Clone)]
pub struct ExpectedUnique<'a> {
    /// The key as a set ([`IndexKey::as_set`]): the order of its parts
    /// does not change what it refuses.
    pub key: IndexKey,
    /// Every SQLite UNIQUE constraint or unique index on this key, in
    /// declaration order (never empty).
    pub sources: Vec<&'a Index>,
}

/// An index PostgreSQL should have (a warning when it lacks it: indexes
/// change speed, not what is stored).
#[derive(Debug, Clone)]
pub struct ExpectedIndex<'a> {
    pub source: &'a Index,
    /// An earlier SQLite index has the same key: PostgreSQL needs it once.
    pub repeats: bool,
}

/// A foreign key PostgreSQL must enforce.
#[derive(Debug, Clone)]
pub struct ExpectedForeignKey<'a> {
    pub source: &'a ForeignKey,
    /// Its columns, sorted: how a foreign key is matched across engines.
    pub column_set: Vec<String>,
    /// Whether one DELETE can tell its RESTRICT from NO ACTION (see
    /// [`Schema::restrict_matters`]).
    pub restrict_matters_on_delete: bool,
    /// The same for one UPDATE.
    pub restrict_matters_on_update: bool,
}

/// One column PostgreSQL should have.
#[derive(Debug, Clone)]
pub struct ExpectedColumn<'a> {
    pub source: &'a Column,
    /// What the table's CHECKs bound for this column.
    pub bounds: Bounds,
    /// The PostgreSQL type parity.toml declares for it (`[[column]]
    /// postgres_type`), which makes the pairing intentional.
    pub declared: Option<&'a str>,
    /// SQLite's default, reduced to what it means (`Null` when it has none).
    pub default: DefaultValue,
    /// The pairings no rule covers, as probed (what `verdict` reads for them).
    pub probed: &'a Probed,
}

/// Computes the expected schema of every table `config` does not skip,
/// judging the pairings no rule covers by `probed`.
pub fn schema<'a>(
    sqlite: &'a Schema,
    config: &'a Config,
    probed: &'a Probed,
) -> ExpectedSchema<'a> {
    let tables = sqlite
        .tables
        .iter()
        .filter(|(name, _)| !config.skips(name))
        .map(|(name, t)| (name.as_str(), table(sqlite, t, config, probed)))
        .collect();
    let views = sqlite
        .views
        .iter()
        .filter(|(name, _)| !config.skips(name))
        .map(|(name, v)| (name.as_str(), v.column_names()))
        .collect();
    ExpectedSchema {
        sqlite,
        config,
        probed,
        tables,
        views,
    }
}

/// The expected form of one SQLite table of `sqlite` (whose other tables
/// decide whether a foreign key's RESTRICT can be told from NO ACTION).
pub fn table<'a>(
    sqlite: &'a Schema,
    t: &'a Table,
    config: &'a Config,
    probed: &'a Probed,
) -> ExpectedTable<'a> {
    let mut atoms: Vec<Atom> = t
        .checks
        .iter()
        .flat_map(|c| expr::check_atoms(&c.expr, Engine::Sqlite))
        .collect();
    atoms.sort();
    atoms.dedup();
    let columns = t
        .columns
        .iter()
        .map(|c| ExpectedColumn {
            source: c,
            bounds: mapping::bounds(&c.name, &atoms),
            declared: config
                .column_rule(&t.name, &c.name)
                .and_then(|r| r.postgres_type.as_deref()),
            default: c.default.as_deref().map_or(DefaultValue::Null, |d| {
                expr::default_value(d, Engine::Sqlite)
            }),
            probed,
        })
        .collect();
    let primary = key_set(&t.primary_key);
    let mut uniques: Vec<ExpectedUnique> = Vec::new();
    for u in &t.uniques {
        let key = u.key.as_set();
        match uniques.iter_mut().find(|e| e.key == key) {
            Some(e) => e.sources.push(u),
            None if key == primary => {}
            None => uniques.push(ExpectedUnique {
                key,
                sources: vec![u],
            }),
        }
    }
    let indexes = t
        .indexes
        .iter()
        .enumerate()
        .map(|(i, ix)| ExpectedIndex {
            source: ix,
            repeats: t.indexes[..i].iter().any(|earlier| earlier.key == ix.key),
        })
        .collect();
    let foreign_keys = t
        .foreign_keys
        .iter()
        .map(|fk| {
            let mut column_set = fk.columns.clone();
            column_set.sort();
            ExpectedForeignKey {
                source: fk,
                column_set,
                restrict_matters_on_delete: sqlite.restrict_matters(&t.name, fk, true),
                restrict_matters_on_update: sqlite.restrict_matters(&t.name, fk, false),
            }
        })
        .collect();
    ExpectedTable {
        name: &t.name,
        source: t,
        atoms,
        columns,
        primary_key: &t.primary_key,
        uniques,
        indexes,
        foreign_keys,
        triggers: &t.triggers,
        seed: sqlite.seed.get(&t.name),
    }
}

/// A key on plain columns, as a set: how a primary key is compared with a
/// unique key.
pub fn key_set(columns: &[String]) -> IndexKey {
    IndexKey {
        parts: columns
            .iter()
            .map(|c| KeyPart::Column {
                name: c.clone(),
                nocase: false,
                desc: false,
            })
            .collect(),
        predicate: None,
    }
    .as_set()
}

impl ExpectedSchema<'_> {
    /// The pairings of column types between these tables and `pg`'s that
    /// no mapping rule covers (and this schema's `probed` lacks): what a
    /// run probes on both engines. Each once, as (SQLite declared type,
    /// PostgreSQL type), in order.
    pub fn unknown_pairings(&self, pg: &Schema) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (name, et) in &self.tables {
            let Some(pt) = pg.tables.get(*name) else {
                continue;
            };
            for ec in &et.columns {
                if let Some(pc) = pt.column(ec.name())
                    && ec.verdict(pc) == TypeVerdict::Unknown
                {
                    let pair = (ec.source.declared_type.clone(), pc.declared_type.clone());
                    if !out.contains(&pair) {
                        out.push(pair);
                    }
                }
            }
        }
        out.sort();
        out
    }
}

impl ExpectedTable<'_> {
    /// The names of its columns, in order.
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name()).collect()
    }

    pub fn column(&self, name: &str) -> Option<&ExpectedColumn<'_>> {
        self.columns.iter().find(|c| c.name() == name)
    }
}

impl<'a> ExpectedUnique<'a> {
    /// The first declaration of the key (whose spelling a script shows).
    pub fn first(&self) -> &'a Index {
        self.sources[0]
    }

    /// The last declaration of the key (the one a finding names).
    pub fn last(&self) -> &'a Index {
        self.sources[self.sources.len() - 1]
    }
}

impl ExpectedForeignKey<'_> {
    /// Whether one statement can tell RESTRICT from NO ACTION, on DELETE
    /// or on UPDATE.
    pub fn restrict_matters(&self, on_delete: bool) -> bool {
        if on_delete {
            self.restrict_matters_on_delete
        } else {
            self.restrict_matters_on_update
        }
    }
}

impl ExpectedColumn<'_> {
    pub fn name(&self) -> &str {
        &self.source.name
    }

    /// Whether a PostgreSQL column of this type holds what SQLite accepts
    /// (a pairing no rule covers: as probed, or `Unknown` when it was not).
    pub fn verdict(&self, pg: &Column) -> TypeVerdict {
        self.probed
            .judge(self.source, pg, &self.bounds, self.declared)
    }

    /// The type expected when no PostgreSQL reference spells it, as
    /// `format_type()` does: parity.toml's declared type, else the
    /// standard mapping.
    pub fn standard_type(&self) -> String {
        match self.declared {
            Some(d) => mapping::pg_kind(&spelled_out(d)).format_type(),
            None => mapping::standard_pg_type(self.source, &self.bounds).to_string(),
        }
    }

    /// Whether each row draws its default anew (a clock, random bytes): the
    /// two engines never store the same value.
    pub fn default_varies(&self) -> bool {
        self.default.varies()
    }

    /// The SQLite CHECK conjuncts of `atoms` that a PostgreSQL column of
    /// `kind` already enforces, so PostgreSQL needs no CHECK for them.
    pub fn enforced_by<'t>(&self, atoms: &'t [Atom], kind: &PgKind) -> Vec<&'t Atom> {
        atoms
            .iter()
            .filter(|a| mapping::type_enforces(a, self.name(), kind))
            .collect()
    }
}

/// A type name as written in DDL (`TIMESTAMPTZ`, `VARCHAR(20)`, `INT8`) in
/// the words `format_type()` uses, which is what [`mapping::pg_kind`] reads.
pub(crate) fn spelled_out(declared: &str) -> String {
    let t = declared.trim().to_ascii_lowercase();
    let (base, args) = match t.split_once('(') {
        Some((b, a)) => (b.trim().to_string(), format!("({a}")),
        None => (t.clone(), String::new()),
    };
    let base = match base.as_str() {
        "timestamptz" => "timestamp with time zone",
        "timestamp" => "timestamp without time zone",
        "int8" | "bigserial" | "serial8" => "bigint",
        "int" | "int4" | "serial" | "serial4" => "integer",
        "int2" | "smallserial" | "serial2" => "smallint",
        "bool" => "boolean",
        "float8" | "double" => "double precision",
        "float4" => "real",
        "varchar" => "character varying",
        "char" | "bpchar" => "character",
        "decimal" => "numeric",
        other => other,
    };
    format!("{base}{args}")
}

/// The expected schema of in-memory models: each item once, with the
/// SQLite object it came from; no database.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ColumnRule;
    use crate::model::schema::{Check, FkAction};

    fn col(name: &str, declared_type: &str) -> Column {
        Column::typed(name, declared_type)
    }

    fn unique(name: &str, columns: &[&str]) -> Index {
        Index {
            name: name.into(),
            key: IndexKey {
                parts: columns
                    .iter()
                    .map(|c| KeyPart::Column {
                        name: (*c).into(),
                        nocase: false,
                        desc: false,
                    })
                    .collect(),
                predicate: None,
            },
            raw_predicate: None,
        }
    }

    fn fk(columns: &[&str], target: &str, on_delete: FkAction) -> ForeignKey {
        ForeignKey {
            name: String::new(),
            columns: columns.iter().map(|c| (*c).into()).collect(),
            target_table: target.into(),
            target_columns: vec!["id".into()],
            on_delete,
            on_update: FkAction::NoAction,
            deferred: false,
        }
    }

    fn schema(tables: Vec<Table>) -> Schema {
        let mut s = Schema::default();
        for t in tables {
            s.tables.insert(t.name.clone(), t);
        }
        s
    }

    #[test]
    fn columns_carry_their_bounds_declared_type_and_default() {
        let mut flag = col("active", "INTEGER");
        flag.default = Some("1".into());
        let mut stamp = col("created_at", "TEXT");
        stamp.default = Some("CURRENT_TIMESTAMP".into());
        let t = Table {
            name: "plans".into(),
            columns: vec![flag, stamp, col("code", "TEXT")],
            checks: vec![Check {
                name: String::new(),
                expr: "active IN (0, 1)".into(),
                column: Some("active".into()),
            }],
            ..Table::default()
        };
        let config = Config {
            columns: vec![ColumnRule {
                table: "plans".into(),
                column: "created_at".into(),
                postgres_type: Some("TIMESTAMPTZ".into()),
                generator: None,
            }],
            ..Config::default()
        };
        let probed = Probed::default();
        let sqlite = Schema::default();
        let e = table(&sqlite, &t, &config, &probed);
        assert_eq!(e.column_names(), ["active", "created_at", "code"]);
        let active = e.column("active").expect("active");
        assert_eq!(active.standard_type(), "boolean");
        assert_eq!(active.default, DefaultValue::Integer(1));
        assert!(!active.default_varies());
        let created = e.column("created_at").expect("created_at");
        assert_eq!(created.declared, Some("TIMESTAMPTZ"));
        assert_eq!(created.standard_type(), "timestamp with time zone");
        assert!(created.default_varies());
        let code = e.column("code").expect("code");
        assert_eq!(code.standard_type(), "text");
        assert_eq!(code.default, DefaultValue::Null);
        // The verdict against a PostgreSQL column is the mapping's.
        assert_eq!(
            active.verdict(&col("active", "boolean")),
            TypeVerdict::Equivalent
        );
        assert!(matches!(
            code.verdict(&col("code", "character varying(3)")),
            TypeVerdict::Different(_)
        ));
        // The 0/1 set is what a BOOLEAN enforces, not a TEXT.
        assert_eq!(active.enforced_by(&e.atoms, &PgKind::Boolean).len(), 1);
        assert!(active.enforced_by(&e.atoms, &PgKind::Text).is_empty());
    }

    #[test]
    fn a_key_is_expected_once_and_keeps_every_declaration() {
        let t = Table {
            name: "members".into(),
            columns: vec![col("id", "INTEGER"), col("a", "TEXT"), col("b", "TEXT")],
            primary_key: vec!["id".into()],
            uniques: vec![
                unique("u_ab", &["a", "b"]),
                unique("u_pk", &["id"]),
                unique("u_ba", &["b", "a"]),
                unique("u_a", &["a"]),
            ],
            indexes: vec![
                unique("i_a", &["a"]),
                unique("i_b", &["b"]),
                unique("i_a_again", &["a"]),
            ],
            ..Table::default()
        };
        let config = Config::default();
        let probed = Probed::default();
        let sqlite = Schema::default();
        let e = table(&sqlite, &t, &config, &probed);
        // (a, b) and (b, a) are one key; the primary key's UNIQUE adds nothing.
        let names =
            |u: &ExpectedUnique| u.sources.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            e.uniques.iter().map(names).collect::<Vec<_>>(),
            [vec!["u_ab", "u_ba"], vec!["u_a"]]
        );
        assert_eq!(
            (
                e.uniques[0].first().name.as_str(),
                e.uniques[0].last().name.as_str()
            ),
            ("u_ab", "u_ba")
        );
        assert_eq!(e.uniques[0].key, key_set(&["b".into(), "a".into()]));
        assert_eq!(
            e.indexes
                .iter()
                .map(|i| (i.source.name.as_str(), i.repeats))
                .collect::<Vec<_>>(),
            [("i_a", false), ("i_b", false), ("i_a_again", true)]
        );
    }

    #[test]
    fn a_foreign_key_knows_when_one_statement_tells_restrict_from_no_action() {
        let parent = Table {
            name: "parent".into(),
            columns: vec![col("id", "INTEGER")],
            ..Table::default()
        };
        let child = Table {
            name: "child".into(),
            columns: vec![
                col("id", "INTEGER"),
                col("p", "INTEGER"),
                col("q", "INTEGER"),
            ],
            foreign_keys: vec![
                fk(&["q", "p"], "parent", FkAction::Restrict),
                fk(&["p"], "parent", FkAction::Cascade),
            ],
            ..Table::default()
        };
        let sqlite = schema(vec![parent, child]);
        let config = Config::default();
        let e = schema_of(&sqlite, &config);
        let child = &e.tables["child"];
        assert_eq!(child.foreign_keys[0].column_set, ["p", "q"]);
        // A DELETE of a parent cascades to the child: it can remove the
        // child rows too, so RESTRICT and NO ACTION differ; an UPDATE always can.
        assert!(child.foreign_keys[0].restrict_matters(true));
        assert!(child.foreign_keys[0].restrict_matters(false));
        let lone = schema(vec![
            Table {
                name: "parent".into(),
                ..Table::default()
            },
            Table {
                name: "child".into(),
                foreign_keys: vec![fk(&["p"], "parent", FkAction::Restrict)],
                ..Table::default()
            },
        ]);
        let e = schema_of(&lone, &config);
        assert!(!e.tables["child"].foreign_keys[0].restrict_matters(true));
    }

    fn schema_of<'a>(sqlite: &'a Schema, config: &'a Config) -> ExpectedSchema<'a> {
        static NONE: Probed = Probed::new();
        super::schema(sqlite, config, &NONE)
    }

    #[test]
    fn skipped_tables_and_views_are_not_expected() {
        let mut sqlite = schema(vec![
            Table {
                name: "kept".into(),
                ..Table::default()
            },
            Table {
                name: "skipped".into(),
                ..Table::default()
            },
        ]);
        sqlite
            .views
            .insert("skipped".into(), crate::model::schema::View::default());
        sqlite
            .views
            .insert("v".into(), crate::model::schema::View::default());
        let config = Config {
            skip_tables: vec!["skipped".into()],
            ..Config::default()
        };
        let e = schema_of(&sqlite, &config);
        assert_eq!(e.tables.keys().copied().collect::<Vec<_>>(), ["kept"]);
        assert_eq!(e.views.keys().copied().collect::<Vec<_>>(), ["v"]);
    }

    #[test]
    fn declared_types_are_spelled_as_format_type_does() {
        assert_eq!(
            mapping::pg_kind(&spelled_out("TIMESTAMPTZ")).format_type(),
            "timestamp with time zone"
        );
        assert_eq!(
            mapping::pg_kind(&spelled_out("VARCHAR(20)")).format_type(),
            "character varying(20)"
        );
    }
}
