//! Mutation operators over the live PostgreSQL model: each yields the
//! `ALTER`/`DROP`/`CREATE` statements of one mutant, applied to a fresh copy
//! of the base database (never by editing schema files).

use crate::mapping::{self, PgKind};
use crate::model::Engine;
use crate::model::schema::{Column, FkAction, KeyPart, Schema};
use crate::sql::expr::{self, Atom, DefaultValue};
use crate::sql::text::quote_ident as q;

/// The kinds of change, each over every place it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    DropForeignKey,
    ChangeOnDelete,
    ChangeOnUpdate,
    DropNotNull,
    AddNotNull,
    DropCheck,
    WeakenCheck,
    TightenCheck,
    DropUnique,
    ToggleUniqueCase,
    ChangeDefault,
    DropDefault,
    NarrowInteger,
    ChangeFloat,
    TextToVarchar,
    SerialToPlain,
    DropColumn,
    AddRequiredColumn,
    DropIndex,
    DropIndexPredicate,
    DropTrigger,
    DeleteSeedRow,
    AlterSeedRow,
}

impl Operator {
    pub const ALL: [Operator; 23] = [
        Operator::DropForeignKey,
        Operator::ChangeOnDelete,
        Operator::ChangeOnUpdate,
        Operator::DropNotNull,
        Operator::AddNotNull,
        Operator::DropCheck,
        Operator::WeakenCheck,
        Operator::TightenCheck,
        Operator::DropUnique,
        Operator::ToggleUniqueCase,
        Operator::ChangeDefault,
        Operator::DropDefault,
        Operator::NarrowInteger,
        Operator::ChangeFloat,
        Operator::TextToVarchar,
        Operator::SerialToPlain,
        Operator::DropColumn,
        Operator::AddRequiredColumn,
        Operator::DropIndex,
        Operator::DropIndexPredicate,
        Operator::DropTrigger,
        Operator::DeleteSeedRow,
        Operator::AlterSeedRow,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Operator::DropForeignKey => "drop_foreign_key",
            Operator::ChangeOnDelete => "change_on_delete",
            Operator::ChangeOnUpdate => "change_on_update",
            Operator::DropNotNull => "drop_not_null",
            Operator::AddNotNull => "add_not_null",
            Operator::DropCheck => "drop_check",
            Operator::WeakenCheck => "weaken_check",
            Operator::TightenCheck => "tighten_check",
            Operator::DropUnique => "drop_unique",
            Operator::ToggleUniqueCase => "toggle_unique_case",
            Operator::ChangeDefault => "change_default",
            Operator::DropDefault => "drop_default",
            Operator::NarrowInteger => "narrow_integer",
            Operator::ChangeFloat => "change_float",
            Operator::TextToVarchar => "text_to_varchar",
            Operator::SerialToPlain => "serial_to_plain",
            Operator::DropColumn => "drop_column",
            Operator::AddRequiredColumn => "add_required_column",
            Operator::DropIndex => "drop_index",
            Operator::DropIndexPredicate => "drop_index_predicate",
            Operator::DropTrigger => "drop_trigger",
            Operator::DeleteSeedRow => "delete_seed_row",
            Operator::AlterSeedRow => "alter_seed_row",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.name() == s.trim())
    }

    /// Whether the change can alter what data does (an index or a trigger
    /// body that only the structural check sees does not).
    pub fn changes_behaviour(self) -> bool {
        !matches!(self, Operator::DropIndex | Operator::DropIndexPredicate)
    }
}

/// One mutant: the statements that make it, and, when no observable
/// difference is possible, why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Mutant {
    pub operator: Operator,
    pub table: String,
    pub column: Option<String>,
    pub sql: Vec<String>,
    pub equivalent: Option<String>,
}

fn fk_sql(
    table: &str,
    name: &str,
    cols: &[String],
    target: &str,
    tcols: &[String],
    del: FkAction,
    upd: FkAction,
) -> String {
    let list = |v: &[String]| v.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ");
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {}",
        q(table),
        q(name),
        list(cols),
        q(target),
        list(tcols),
        del.as_sql(),
        upd.as_sql()
    )
}

fn atom_sql(a: &Atom) -> Option<String> {
    Some(match a {
        Atom::InSet {
            column,
            values,
            negated,
        } => format!(
            "{} {}IN ({})",
            q(column),
            if *negated { "NOT " } else { "" },
            values.iter().cloned().collect::<Vec<_>>().join(", ")
        ),
        Atom::Compare { column, op, value } => format!("{} {op} {value}", q(column)),
        Atom::Pattern {
            column,
            regex,
            negated,
        } => {
            format!(
                "{} {} '{}'",
                q(column),
                if *negated { "!~" } else { "~" },
                regex.replace('\'', "''")
            )
        }
        Atom::MaxLength { column, max } => format!("length({}) <= {max}", q(column)),
        Atom::MinLength { column, min } => format!("length({}) >= {min}", q(column)),
        Atom::Other(_) => return None,
    })
}

/// Every mutant of `pg` (the base PostgreSQL model), given the SQLite model.
pub fn mutants(pg: &Schema, sqlite: &Schema) -> Vec<Mutant> {
    let mut out = Mutants(Vec::new());
    for (name, t) in &pg.tables {
        let x = Subject {
            pg,
            name,
            t,
            st: sqlite.tables.get(name),
            tq: &q(name),
        };
        for each in [
            foreign_keys,
            columns,
            checks,
            uniques,
            indexes,
            triggers,
            seed_rows,
        ] {
            each(&mut out, &x);
        }
    }
    out.0
}

/// One PostgreSQL table whose mutants are made.
#[derive(Clone, Copy)]
struct Subject<'a> {
    /// The whole base PostgreSQL model.
    pg: &'a Schema,
    name: &'a str,
    t: &'a crate::model::schema::Table,
    /// The SQLite table of that name, if there is one.
    st: Option<&'a crate::model::schema::Table>,
    /// `name`, quoted.
    tq: &'a str,
}

/// The mutants made so far.
struct Mutants(Vec<Mutant>);

impl Mutants {
    fn push(
        &mut self,
        operator: Operator,
        table: &str,
        column: Option<&str>,
        sql: Vec<String>,
        equivalent: Option<&str>,
    ) {
        self.0.push(Mutant {
            operator,
            table: table.to_string(),
            column: column.map(str::to_string),
            sql,
            equivalent: equivalent.map(str::to_string),
        });
    }
}

/// Dropped foreign keys and every other ON DELETE / ON UPDATE action.
fn foreign_keys(out: &mut Mutants, x: &Subject) {
    let Subject {
        pg, name, t, tq, ..
    } = *x;
    for fk in &t.foreign_keys {
        let col = fk.columns.first().map(String::as_str);
        out.push(
            Operator::DropForeignKey,
            name,
            col,
            vec![format!("ALTER TABLE {tq} DROP CONSTRAINT {}", q(&fk.name))],
            None,
        );
        for (op, current, is_delete) in [
            (Operator::ChangeOnDelete, fk.on_delete, true),
            (Operator::ChangeOnUpdate, fk.on_update, false),
        ] {
            for alt in [
                FkAction::Cascade,
                FkAction::SetNull,
                FkAction::Restrict,
                FkAction::NoAction,
            ] {
                if alt == current {
                    continue;
                }
                let (d, u) = if is_delete {
                    (alt, fk.on_update)
                } else {
                    (fk.on_delete, alt)
                };
                let equivalent = alt
                    .behaves_like(current, pg.restrict_matters(name, fk, is_delete))
                    .then_some(
                        "RESTRICT and NO ACTION differ only within a DELETE that also removes the child rows, and this schema has no self-reference or cascade chain that does",
                    );
                out.push(
                    op,
                    name,
                    col,
                    vec![
                        format!("ALTER TABLE {tq} DROP CONSTRAINT {}", q(&fk.name)),
                        fk_sql(
                            name,
                            &fk.name,
                            &fk.columns,
                            &fk.target_table,
                            &fk.target_columns,
                            d,
                            u,
                        ),
                    ],
                    equivalent,
                );
            }
        }
    }
}

/// Per column: NOT NULL dropped or added, defaults changed or dropped, types narrowed or changed, the column dropped; and a required column added.
fn columns(out: &mut Mutants, x: &Subject) {
    let Subject { name, t, tq, .. } = *x;
    for c in &t.columns {
        column_constraints(out, x, c);
        column_types(out, x, c);
    }
    out.push(
        Operator::AddRequiredColumn,
        name,
        Some("mutant_required"),
        vec![format!(
            "ALTER TABLE {tq} ADD COLUMN mutant_required TEXT NOT NULL"
        )],
        None,
    );
}

/// One column's NOT NULL dropped or added, and its default changed or dropped.
fn column_constraints(out: &mut Mutants, x: &Subject, c: &Column) {
    let Subject { name, t, tq, .. } = *x;
    let cq = q(&c.name);
    let kind = mapping::pg_kind(&c.declared_type);
    let in_pk = t.primary_key.contains(&c.name);
    if c.not_null && !in_pk {
        out.push(
            Operator::DropNotNull,
            name,
            Some(&c.name),
            vec![format!("ALTER TABLE {tq} ALTER COLUMN {cq} DROP NOT NULL")],
            None,
        );
    }
    if !c.not_null {
        out.push(
            Operator::AddNotNull,
            name,
            Some(&c.name),
            vec![format!("ALTER TABLE {tq} ALTER COLUMN {cq} SET NOT NULL")],
            None,
        );
    }
    if c.auto_increment {
        out.push(
            Operator::SerialToPlain,
            name,
            Some(&c.name),
            vec![
                format!("ALTER TABLE {tq} ALTER COLUMN {cq} DROP DEFAULT"),
                format!("ALTER TABLE {tq} ALTER COLUMN {cq} DROP IDENTITY IF EXISTS"),
            ],
            None,
        );
    } else if let Some(d) = &c.default {
        let dv = expr::default_value(d, Engine::Postgres);
        let changed = match (&dv, &kind) {
            (DefaultValue::Bool(b), _) => Some(if *b {
                "FALSE".to_string()
            } else {
                "TRUE".to_string()
            }),
            (DefaultValue::Integer(i), _) => Some((i + 1).to_string()),
            (DefaultValue::Real(f), _) => Some(format!("{:?}", f + 1.0)),
            (DefaultValue::Text(s), _) => Some(format!("'{}x'", s.replace('\'', "''"))),
            (DefaultValue::RandomBytes(n), _) => Some(format!("gen_random_bytes({})", n + 1)),
            _ => None,
        };
        if let Some(v) = changed {
            out.push(
                Operator::ChangeDefault,
                name,
                Some(&c.name),
                vec![format!(
                    "ALTER TABLE {tq} ALTER COLUMN {cq} SET DEFAULT {v}"
                )],
                None,
            );
        }
        out.push(
            Operator::DropDefault,
            name,
            Some(&c.name),
            vec![format!("ALTER TABLE {tq} ALTER COLUMN {cq} DROP DEFAULT")],
            None,
        );
    }
}

/// One column's type narrowed or changed, and the column dropped.
fn column_types(out: &mut Mutants, x: &Subject, c: &Column) {
    let Subject {
        name, t, st, tq, ..
    } = *x;
    let cq = q(&c.name);
    let kind = mapping::pg_kind(&c.declared_type);
    let in_pk = t.primary_key.contains(&c.name);
    let narrower = match kind {
        PgKind::BigInt => Some("INTEGER"),
        PgKind::Integer => Some("SMALLINT"),
        _ => None,
    };
    if let Some(n) = narrower {
        // A CHECK that bounds the SQLite values inside the narrower
        // type makes the narrowing unobservable.
        let (lo, hi) = mapping::pg_kind(n).int_range().unwrap_or((0, 0));
        let (lo, hi) = (i128::from(lo), i128::from(hi));
        let fits = sqlite_bounds(x, &c.name).is_some_and(|b| {
            (b.min.is_some_and(|m| m >= lo) && b.max.is_some_and(|m| m <= hi))
                || b.values.as_ref().is_some_and(|v| {
                    v.iter()
                        .all(|x| x.parse::<i128>().is_ok_and(|x| x >= lo && x <= hi))
                })
        });
        out.push(
            Operator::NarrowInteger,
            name,
            Some(&c.name),
            vec![format!("ALTER TABLE {tq} ALTER COLUMN {cq} TYPE {n}")],
            fits.then_some("the SQLite CHECK bounds every value inside the narrower type's range"),
        );
    }
    if kind == PgKind::Double {
        for n in ["REAL", "NUMERIC(12,2)"] {
            out.push(
                Operator::ChangeFloat,
                name,
                Some(&c.name),
                vec![format!("ALTER TABLE {tq} ALTER COLUMN {cq} TYPE {n}")],
                None,
            );
        }
    }
    if kind == PgKind::Text || matches!(kind, PgKind::Varchar(_)) {
        let limit = st
            .map(|s| {
                s.checks
                    .iter()
                    .flat_map(|ch| expr::check_atoms(&ch.expr, Engine::Sqlite))
                    .collect::<Vec<_>>()
            })
            .map(|atoms| mapping::bounds(&c.name, &atoms).max_length);
        let n = match (limit.flatten(), &kind) {
            (Some(m), _) if m > 1 => m - 1,
            (_, PgKind::Varchar(Some(v))) if *v > 1 => v - 1,
            _ => 8,
        };
        out.push(
            Operator::TextToVarchar,
            name,
            Some(&c.name),
            vec![format!(
                "ALTER TABLE {tq} ALTER COLUMN {cq} TYPE VARCHAR({n})"
            )],
            None,
        );
    }
    if !in_pk {
        out.push(
            Operator::DropColumn,
            name,
            Some(&c.name),
            vec![format!("ALTER TABLE {tq} DROP COLUMN {cq} CASCADE")],
            None,
        );
    }
}

/// Each CHECK dropped, and each of its conditions weakened or tightened.
fn checks(out: &mut Mutants, x: &Subject) {
    let Subject { name, t, tq, .. } = *x;
    for ch in &t.checks {
        let col = ch.column.as_deref();
        out.push(
            Operator::DropCheck,
            name,
            col,
            vec![format!("ALTER TABLE {tq} DROP CONSTRAINT {}", q(&ch.name))],
            None,
        );
        let atoms = expr::check_atoms(&ch.expr, Engine::Postgres);
        if atoms.iter().any(|a| matches!(a, Atom::Other(_))) {
            continue;
        }
        for (i, a) in atoms.iter().enumerate() {
            let variants: Vec<(Operator, Atom)> = match a {
                Atom::InSet {
                    column,
                    values,
                    negated: false,
                } => {
                    let mut v = Vec::new();
                    if values.len() > 1 {
                        let mut fewer = values.clone();
                        if let Some(first) = fewer.iter().next().cloned() {
                            fewer.remove(&first);
                        }
                        v.push((
                            Operator::TightenCheck,
                            Atom::InSet {
                                column: column.clone(),
                                values: fewer,
                                negated: false,
                            },
                        ));
                    }
                    let mut more = values.clone();
                    let numeric = values.iter().all(|x| x.parse::<i64>().is_ok());
                    more.insert(if numeric {
                        "99".to_string()
                    } else {
                        "'mutant_value'".to_string()
                    });
                    v.push((
                        Operator::WeakenCheck,
                        Atom::InSet {
                            column: column.clone(),
                            values: more,
                            negated: false,
                        },
                    ));
                    v
                }
                Atom::Compare { column, op, value } => match value.parse::<i64>() {
                    Ok(n) => {
                        let (tight, weak) = match op.as_str() {
                            ">=" | ">" => (n + 1, n - 1),
                            _ => (n - 1, n + 1),
                        };
                        vec![
                            (
                                Operator::TightenCheck,
                                Atom::Compare {
                                    column: column.clone(),
                                    op: op.clone(),
                                    value: tight.to_string(),
                                },
                            ),
                            (
                                Operator::WeakenCheck,
                                Atom::Compare {
                                    column: column.clone(),
                                    op: op.clone(),
                                    value: weak.to_string(),
                                },
                            ),
                        ]
                    }
                    Err(_) => Vec::new(),
                },
                Atom::Pattern {
                    column,
                    regex,
                    negated: false,
                } => {
                    let unanchored = regex
                        .trim_start_matches('^')
                        .trim_end_matches('$')
                        .trim_end_matches(".*")
                        .to_string();
                    vec![(
                        Operator::WeakenCheck,
                        Atom::Pattern {
                            column: column.clone(),
                            regex: unanchored,
                            negated: false,
                        },
                    )]
                }
                _ => Vec::new(),
            };
            for (op, replacement) in variants {
                let mut all = atoms.clone();
                all[i] = replacement;
                let Some(body) = all.iter().map(atom_sql).collect::<Option<Vec<_>>>() else {
                    continue;
                };
                out.push(
                    op,
                    name,
                    a.column(),
                    vec![
                        format!("ALTER TABLE {tq} DROP CONSTRAINT {}", q(&ch.name)),
                        format!(
                            "ALTER TABLE {tq} ADD CONSTRAINT {} CHECK ({})",
                            q(&ch.name),
                            body.join(" AND ")
                        ),
                    ],
                    None,
                );
            }
        }
    }
}

/// Unique keys dropped, or their letter case toggled.
fn uniques(out: &mut Mutants, x: &Subject) {
    let Subject { name, t, tq, .. } = *x;
    for u in &t.uniques {
        let col = u.key.parts.first().map(|p| match p {
            KeyPart::Column { name, .. } => name.clone(),
            KeyPart::Expr { text, .. } => text.clone(),
        });
        let drop = format!(
            "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '{n}') THEN EXECUTE 'ALTER TABLE {t} DROP CONSTRAINT {qn}'; ELSE EXECUTE 'DROP INDEX {qn}'; END IF; END $$",
            n = u.name.replace('\'', "''"),
            t = tq.replace('\'', "''"),
            qn = q(&u.name).replace('\'', "''")
        );
        out.push(
            Operator::DropUnique,
            name,
            col.as_deref(),
            vec![drop.clone()],
            None,
        );
        let toggled: Option<Vec<String>> = u
            .key
            .parts
            .iter()
            .map(|p| match p {
                KeyPart::Column {
                    name, nocase: true, ..
                } => Some(q(name)),
                KeyPart::Column {
                    name,
                    nocase: false,
                    ..
                } => Some(format!("lower({})", q(name))),
                KeyPart::Expr { .. } => None,
            })
            .collect();
        if let Some(parts) = toggled {
            let equivalent = u.key.parts.iter().all(|p| match p {
                KeyPart::Column { name, .. } => case_blind(x, name),
                KeyPart::Expr { .. } => false,
            });
            let pred = u
                .raw_predicate
                .as_ref()
                .map(|p| format!(" WHERE {p}"))
                .unwrap_or_default();
            out.push(
                Operator::ToggleUniqueCase,
                name,
                col.as_deref(),
                vec![
                    drop,
                    format!(
                        "CREATE UNIQUE INDEX {} ON {tq} ({}){pred}",
                        q(&u.name),
                        parts.join(", ")
                    ),
                ],
                equivalent.then_some(
                    "the SQLite CHECKs admit no two values that differ only in letter case",
                ),
            );
        }
    }
}

/// Whether folding case cannot change which values of `column` are equal:
/// no letters in its type (a number), or SQLite CHECKs that admit no two
/// values differing only in case.
fn case_blind(x: &Subject, column: &str) -> bool {
    let Some(c) = x.t.columns.iter().find(|c| c.name == column) else {
        return false;
    };
    let kind = mapping::pg_kind(&c.declared_type);
    if kind.int_range().is_some() {
        return true;
    }
    sqlite_bounds(x, column).is_some_and(|b| b.case_determined)
}

/// What the SQLite table's CHECKs bound for `column`, when there is a
/// SQLite table of that name.
fn sqlite_bounds(x: &Subject, column: &str) -> Option<mapping::Bounds> {
    let atoms: Vec<Atom> = x
        .st?
        .checks
        .iter()
        .flat_map(|ch| expr::check_atoms(&ch.expr, Engine::Sqlite))
        .collect();
    Some(mapping::bounds(column, &atoms))
}

/// Plain indexes dropped, or their predicate.
fn indexes(out: &mut Mutants, x: &Subject) {
    let Subject { name, t, tq, .. } = *x;
    for ix in &t.indexes {
        let col = ix.key.parts.first().map(|p| match p {
            KeyPart::Column { name, .. } => name.clone(),
            KeyPart::Expr { text, .. } => text.clone(),
        });
        out.push(
            Operator::DropIndex,
            name,
            col.as_deref(),
            vec![format!("DROP INDEX {}", q(&ix.name))],
            None,
        );
        if ix.raw_predicate.is_some() {
            let parts: Option<Vec<String>> = ix
                .key
                .parts
                .iter()
                .map(|p| match p {
                    KeyPart::Column { name, desc, nocase } => Some(format!(
                        "{}{}",
                        if *nocase {
                            format!("lower({})", q(name))
                        } else {
                            q(name)
                        },
                        if *desc { " DESC" } else { "" }
                    )),
                    KeyPart::Expr { .. } => None,
                })
                .collect();
            if let Some(parts) = parts {
                out.push(
                    Operator::DropIndexPredicate,
                    name,
                    col.as_deref(),
                    vec![
                        format!("DROP INDEX {}", q(&ix.name)),
                        format!(
                            "CREATE INDEX {} ON {tq} ({})",
                            q(&ix.name),
                            parts.join(", ")
                        ),
                    ],
                    None,
                );
            }
        }
    }
}

/// Each trigger dropped.
fn triggers(out: &mut Mutants, x: &Subject) {
    let Subject { name, t, tq, .. } = *x;
    for tr in &t.triggers {
        out.push(
            Operator::DropTrigger,
            name,
            None,
            vec![format!("DROP TRIGGER {} ON {tq}", q(&tr.name))],
            None,
        );
    }
}

/// A seed row deleted or altered.
fn seed_rows(out: &mut Mutants, x: &Subject) {
    let Subject {
        pg, name, t, tq, ..
    } = *x;
    if pg.seed.get(name).is_some_and(|s| !s.rows.is_empty()) {
        out.push(
            Operator::DeleteSeedRow,
            name,
            None,
            vec![format!(
                "DELETE FROM {tq} WHERE ctid = (SELECT max(ctid) FROM {tq})"
            )],
            None,
        );
        if let Some(c) = t.columns.iter().find(|c| {
            !t.primary_key.contains(&c.name)
                && matches!(
                    mapping::pg_kind(&c.declared_type),
                    PgKind::Text
                        | PgKind::Varchar(_)
                        | PgKind::BigInt
                        | PgKind::Integer
                        | PgKind::Double
                        | PgKind::Boolean
                )
        }) {
            let kind = mapping::pg_kind(&c.declared_type);
            let set = match kind {
                PgKind::Text | PgKind::Varchar(_) => format!("{0} = {0} || 'x'", q(&c.name)),
                PgKind::Boolean => format!("{0} = NOT {0}", q(&c.name)),
                _ => format!("{0} = {0} + 1", q(&c.name)),
            };
            out.push(
                Operator::AlterSeedRow,
                name,
                Some(&c.name),
                vec![format!(
                    "UPDATE {tq} SET {set} WHERE ctid = (SELECT min(ctid) FROM {tq})"
                )],
                None,
            );
        }
    }
}
