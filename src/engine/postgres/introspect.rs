//! Reads the schema model from PostgreSQL's catalogs (`pg_class`,
//! `pg_attribute`, `pg_index`, `pg_constraint`, `pg_trigger`) for the
//! session's current schema, and the objects only PostgreSQL has (enum
//! types, sequences, views, functions, extensions).

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::model::Engine;
use crate::model::schema::{
    Check, Column, DomainType, EnumType, FkAction, ForeignKey, Function, Index, IndexKey, KeyPart,
    PgObjects, Schema, SeedRows, Sequence, Table, Trigger, TriggerEvent, View, ViewColumn,
};
use crate::sql::expr;
use crate::sql::text::quote_ident;

use super::Session;

type Rows = Vec<Vec<Option<String>>>;

fn q(session: &mut Session, sql: &str) -> Result<Rows> {
    session
        .query_text(sql)
        .map(|(_, rows)| rows)
        .map_err(|e| Error::postgres(format!("failed to introspect: {e}")))
}

fn s(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

const SEP_PART: char = '\u{1f}';
const SEP_ITEM: char = '\u{1e}';

/// The condition on `pg_class c` that it belongs to the current schema.
const IN_SCHEMA: &str =
    "c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())";

/// The schema of the session's current schema: its tables step by step
/// (each step one catalog query), then the objects only PostgreSQL has and
/// the rows the migrations inserted.
pub fn introspect(session: &mut Session) -> Result<Schema> {
    let mut schema = Schema::default();
    let tables = q(
        session,
        "SELECT c.oid::text, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname",
    )?;
    let mut oids = BTreeMap::new();
    for row in &tables {
        let name = s(&row[1]);
        oids.insert(s(&row[0]), name.clone());
        schema.tables.insert(
            name.to_lowercase(),
            Table {
                name: name.to_lowercase(),
                ..Table::default()
            },
        );
    }
    columns(session, &mut schema)?;
    indexes(session, &mut schema)?;
    constraints(session, &mut schema)?;
    domain_checks(session, &mut schema)?;
    triggers(session, &mut schema)?;
    views(session, &mut schema)?;
    schema.pg_objects = pg_objects(session)?;

    let names: Vec<String> = oids.values().cloned().collect();
    for name in names {
        let key = name.to_lowercase();
        let rows = seed_rows(session, &name, &schema.tables[&key])?;
        schema.seed.insert(key, rows);
    }
    Ok(schema)
}

/// Columns: types, nullability, defaults, collations, identity, enum labels, generated expressions, domains.
fn columns(session: &mut Session, schema: &mut Schema) -> Result<()> {
    let in_schema = IN_SCHEMA;
    let cols = q(
        session,
        &format!(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text, \
             pg_get_expr(d.adbin, d.adrelid), \
             CASE WHEN a.attcollation <> t.typcollation THEN co.collname END, a.attidentity::text, \
             CASE WHEN t.typtype = 'e' THEN array_to_string(ARRAY(SELECT e.enumlabel FROM pg_enum e \
               WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), chr(30)) END, \
             a.attgenerated::text, \
             CASE WHEN t.typtype = 'd' THEN t.typname END, \
             CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END, \
             t.typnotnull::text, t.typdefault \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid \
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             LEFT JOIN pg_collation co ON co.oid = a.attcollation \
             WHERE {in_schema} AND c.relkind IN ('r','p') AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY c.relname, a.attnum"
        ),
    )?;
    for r in &cols {
        let Some(t) = schema.tables.get_mut(&s(&r[0]).to_lowercase()) else {
            continue;
        };
        // A generated column's expression is stored as its default.
        let generated = (s(&r[8]) == "s").then(|| s(&r[4]));
        let default = if generated.is_some() {
            None
        } else {
            r[4].clone()
        };
        // A domain-typed column is its base type, with the domain's NOT
        // NULL and default when the column has none of its own (its CHECKs
        // are read below, with the table's).
        let domain = r[9].clone();
        let default = default.or_else(|| r[12].clone().filter(|_| domain.is_some()));
        let identity = s(&r[6]);
        let auto = !identity.is_empty()
            || default
                .as_deref()
                .is_some_and(|d| d.starts_with("nextval("));
        t.columns.push(Column {
            name: s(&r[1]).to_lowercase(),
            declared_type: r[10]
                .clone()
                .unwrap_or_else(|| s(&r[2]))
                .to_ascii_uppercase(),
            not_null: s(&r[3]) == "true" || (domain.is_some() && s(&r[11]) == "true"),
            default: if identity.is_empty() {
                default
            } else {
                Some("nextval(identity)".into())
            },
            collation: r[5].clone().map(|c| c.to_ascii_uppercase()),
            auto_increment: auto,
            enum_labels: r[7].as_deref().map(labels),
            generated,
            domain: domain.map(|d| d.to_lowercase()),
            identity_always: identity == "a",
        });
    }
    Ok(())
}

/// Indexes and unique keys, and the primary key; a citext column makes its keys case-insensitive.
fn indexes(session: &mut Session, schema: &mut Schema) -> Result<()> {
    let in_schema = IN_SCHEMA;
    let idx = q(
        session,
        &format!(
            "SELECT c.relname, ic.relname, i.indisunique::text, i.indisprimary::text, \
             pg_get_expr(i.indpred, i.indrelid), \
             array_to_string(ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) || chr(31) || \
               ((i.indoption[k-1] & 1)::text) || chr(31) || COALESCE((SELECT collname FROM pg_collation WHERE oid = i.indcollation[k-1] AND collname <> 'default'), '') \
               FROM generate_series(1, i.indnkeyatts) k ORDER BY k), chr(30)) \
             FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid \
             WHERE {in_schema} ORDER BY c.relname, ic.relname"
        ),
    )?;
    for r in &idx {
        let Some(t) = schema.tables.get_mut(&s(&r[0]).to_lowercase()) else {
            continue;
        };
        let mut parts = Vec::new();
        for item in s(&r[5]).split(SEP_ITEM).filter(|x| !x.is_empty()) {
            let mut f = item.split(SEP_PART);
            let def = f.next().unwrap_or_default();
            let desc = f.next() == Some("1");
            let coll = f.next().unwrap_or_default().to_ascii_uppercase();
            parts.push(key_part(def, desc, &coll));
        }
        if s(&r[3]) == "true" {
            t.primary_key = parts
                .iter()
                .filter_map(|p| match p {
                    KeyPart::Column { name, .. } => Some(name.clone()),
                    KeyPart::Expr { .. } => None,
                })
                .collect();
            continue;
        }
        let predicate = r[4].clone();
        let index = Index {
            name: s(&r[1]),
            key: IndexKey {
                parts,
                predicate: predicate
                    .as_deref()
                    .map(|p| expr::normalize(p, Engine::Postgres)),
            },
            raw_predicate: predicate,
        };
        if s(&r[2]) == "true" {
            t.uniques.push(index);
        } else {
            t.indexes.push(index);
        }
    }

    // A key on a citext column compares ignoring letter case, as a
    // `lower(col)` key or SQLite's COLLATE NOCASE does.
    for t in schema.tables.values_mut() {
        let citext: Vec<String> = t
            .columns
            .iter()
            .filter(|c| c.nocase())
            .map(|c| c.name.clone())
            .collect();
        for ix in t.uniques.iter_mut().chain(t.indexes.iter_mut()) {
            for part in &mut ix.key.parts {
                if let KeyPart::Column { name, nocase, .. } = part
                    && citext.contains(name)
                {
                    *nocase = true;
                }
            }
        }
    }
    Ok(())
}

/// Constraints: primary keys, foreign keys, CHECKs, UNIQUE constraints.
fn constraints(session: &mut Session, schema: &mut Schema) -> Result<()> {
    let in_schema = IN_SCHEMA;
    let cons = q(
        session,
        &format!(
            "SELECT c.relname, con.conname, con.contype::text, \
             array_to_string(ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o) \
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o), chr(30)), \
             tc.relname, \
             array_to_string(ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o) \
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o), chr(30)), \
             con.confdeltype::text, con.confupdtype::text, pg_get_expr(con.conbin, con.conrelid), \
             con.condeferred::text \
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
             LEFT JOIN pg_class tc ON tc.oid = con.confrelid \
             WHERE {in_schema} AND con.contype IN ('f', 'c') ORDER BY c.relname, con.conname"
        ),
    )?;
    for r in &cons {
        let Some(t) = schema.tables.get_mut(&s(&r[0]).to_lowercase()) else {
            continue;
        };
        let cols: Vec<String> = s(&r[3])
            .split(SEP_ITEM)
            .filter(|x| !x.is_empty())
            .map(str::to_lowercase)
            .collect();
        match s(&r[2]).as_str() {
            "f" => t.foreign_keys.push(ForeignKey {
                name: s(&r[1]),
                columns: cols,
                target_table: s(&r[4]).to_lowercase(),
                target_columns: s(&r[5])
                    .split(SEP_ITEM)
                    .filter(|x| !x.is_empty())
                    .map(str::to_lowercase)
                    .collect(),
                on_delete: FkAction::parse(&s(&r[6])),
                on_update: FkAction::parse(&s(&r[7])),
                deferred: s(&r[9]) == "true",
            }),
            _ => t.checks.push(Check {
                name: s(&r[1]),
                expr: s(&r[8]),
                column: (cols.len() == 1).then(|| cols[0].clone()),
            }),
        }
    }
    Ok(())
}

/// Domain CHECKs, as CHECKs on each column of the domain.
fn domain_checks(session: &mut Session, schema: &mut Schema) -> Result<()> {
    let in_schema = IN_SCHEMA;
    // A domain's CHECKs hold on every column of the domain: each is read
    // as a CHECK on that column (`VALUE` standing for it), under the
    // domain constraint's name, which PostgreSQL's errors carry.
    let dom = q(
        session,
        &format!(
            "SELECT c.relname, a.attname, con.conname, pg_get_constraintdef(con.oid) \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid \
             JOIN pg_constraint con ON con.contypid = t.oid \
             WHERE {in_schema} AND c.relkind IN ('r','p') AND a.attnum > 0 AND NOT a.attisdropped \
             AND t.typtype = 'd' AND con.contype = 'c' ORDER BY c.relname, a.attnum, con.conname"
        ),
    )?;
    for r in &dom {
        let Some(t) = schema.tables.get_mut(&s(&r[0]).to_lowercase()) else {
            continue;
        };
        let column = s(&r[1]).to_lowercase();
        let def = s(&r[3]);
        let body = def
            .strip_prefix("CHECK ")
            .unwrap_or(&def)
            .trim_end_matches(" NOT VALID");
        t.checks.push(Check {
            name: s(&r[2]),
            expr: expr::replace_word(body, "VALUE", &quote_if_needed(&column)),
            column: Some(column),
        });
    }
    Ok(())
}

/// Triggers: timing, events, and the statement that made them.
fn triggers(session: &mut Session, schema: &mut Schema) -> Result<()> {
    let in_schema = IN_SCHEMA;
    let trg = q(
        session,
        &format!(
            "SELECT c.relname, tg.tgname, tg.tgtype::text, pg_get_triggerdef(tg.oid) \
             FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid \
             WHERE {in_schema} AND NOT tg.tgisinternal ORDER BY c.relname, tg.tgname"
        ),
    )?;
    for r in &trg {
        let Some(t) = schema.tables.get_mut(&s(&r[0]).to_lowercase()) else {
            continue;
        };
        // pg_trigger.tgtype bits: 2 BEFORE, 4 INSERT, 8 DELETE, 16 UPDATE, 64 INSTEAD.
        let bits: i64 = s(&r[2]).parse().unwrap_or(0);
        let timing = if bits & 64 != 0 {
            "INSTEAD OF"
        } else if bits & 2 != 0 {
            "BEFORE"
        } else {
            "AFTER"
        };
        let mut events = Vec::new();
        if bits & 4 != 0 {
            events.push(TriggerEvent::Insert);
        }
        if bits & 16 != 0 {
            events.push(TriggerEvent::Update);
        }
        if bits & 8 != 0 {
            events.push(TriggerEvent::Delete);
        }
        t.triggers.push(Trigger {
            name: s(&r[1]).to_lowercase(),
            timing: timing.into(),
            events,
            sql: s(&r[3]),
        });
    }
    Ok(())
}

/// Views: columns, their types, and the tables each reads (through views too).
fn views(session: &mut Session, schema: &mut Schema) -> Result<()> {
    let in_schema = IN_SCHEMA;
    // Per view: kind, column names, their types, and the relations its
    // rewrite rule depends on (tables, or views read in turn).
    let views = q(
        session,
        &format!(
            "SELECT c.relname, c.relkind::text, \
               array_to_string(ARRAY(SELECT a.attname FROM pg_attribute a \
                 WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), chr(30)), \
               array_to_string(ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a \
                 WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), chr(30)), \
               array_to_string(ARRAY(SELECT DISTINCT t.relname::text FROM pg_rewrite r \
                 JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid \
                   AND d.refclassid = 'pg_class'::regclass \
                 JOIN pg_class t ON t.oid = d.refobjid \
                 WHERE r.ev_class = c.oid AND t.oid <> c.oid AND t.relkind IN ('r', 'p', 'v', 'm')), chr(30)) \
             FROM pg_class c WHERE {in_schema} AND c.relkind IN ('v', 'm') \
             AND NOT {}",
            extension_member("c", "pg_class")
        ),
    )?;
    for r in &views {
        let names = labels(&s(&r[2]));
        let types = labels(&s(&r[3]));
        let columns = names
            .iter()
            .zip(types.iter().chain(std::iter::repeat(&String::new())))
            .map(|(n, t)| ViewColumn {
                name: n.to_lowercase(),
                pg_type: t.clone(),
                origin: None,
            })
            .collect();
        schema.views.insert(
            s(&r[0]).to_lowercase(),
            View {
                columns,
                reads: labels(&s(&r[4])).iter().map(|t| t.to_lowercase()).collect(),
                materialized: s(&r[1]) == "m",
            },
        );
    }
    // A view that reads a view reads that view's tables.
    let direct: BTreeMap<String, std::collections::BTreeSet<String>> = schema
        .views
        .iter()
        .map(|(n, v)| (n.clone(), v.reads.clone()))
        .collect();
    for v in schema.views.values_mut() {
        let mut todo: Vec<String> = v.reads.iter().cloned().collect();
        while let Some(next) = todo.pop() {
            for t in direct.get(&next).into_iter().flatten() {
                if v.reads.insert(t.clone()) {
                    todo.push(t.clone());
                }
            }
        }
        v.reads.retain(|t| !direct.contains_key(t));
    }
    Ok(())
}

/// Labels joined by [`SEP_ITEM`].
fn labels(joined: &str) -> Vec<String> {
    if joined.is_empty() {
        return Vec::new();
    }
    joined.split(SEP_ITEM).map(str::to_string).collect()
}

/// Whether a column of a table or view uses type `t` (an enum or a domain)
/// directly, as an array of it, or through a domain over it (as text).
const TYPE_USED_BY_A_COLUMN: &str = "EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid \
     LEFT JOIN pg_type d ON d.oid = a.atttypid \
     WHERE a.attnum > 0 AND NOT a.attisdropped AND r.relkind IN ('r', 'p', 'v', 'm', 'f') \
     AND (a.atttypid IN (t.oid, t.typarray) OR d.typbasetype IN (t.oid, t.typarray)))::text";

/// SQL true for an object an extension created (`pg_depend.deptype = 'e'`):
/// the extension is the schema's requirement, not its members. `alias` is
/// the object's row, of catalog `catalog`.
fn extension_member(alias: &str, catalog: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_depend x WHERE x.objid = {alias}.oid \
         AND x.classid = '{catalog}'::regclass AND x.deptype = 'e')"
    )
}

fn pg_objects(session: &mut Session) -> Result<PgObjects> {
    let ns = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())";
    let mut objects = PgObjects::default();
    let enums = q(
        session,
        &format!(
            "SELECT t.typname, array_to_string(ARRAY(SELECT e.enumlabel FROM pg_enum e \
               WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), chr(30)), \
             {used} \
             FROM pg_type t WHERE t.typtype = 'e' AND t.typnamespace = {ns} \
             AND NOT {} ORDER BY t.typname",
            extension_member("t", "pg_type"),
            used = TYPE_USED_BY_A_COLUMN,
        ),
    )?;
    for r in &enums {
        objects.enum_types.insert(
            s(&r[0]).to_lowercase(),
            EnumType {
                labels: labels(&s(&r[1])),
                used: s(&r[2]) == "true",
            },
        );
    }
    // Owned by a column (serial, identity, OWNED BY: the sequence depends on
    // the column, deptype 'a'/'i') or drawn from by a column default
    // (`nextval('s'::regclass)`: the default depends on the sequence).
    // Only an identity column's sequence ('i') or a default's is in use: a
    // serial's sequence ('a', OWNED BY) whose default was dropped is a
    // leftover, which `owned_by` names.
    let seqs = q(
        session,
        &format!(
            "SELECT c.relname, (EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass \
               AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'i') \
             OR EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_attrdef'::regclass \
               AND d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid))::text, \
             (SELECT t.relname || '.' || a.attname FROM pg_depend d \
               JOIN pg_class t ON t.oid = d.refobjid \
               JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid \
               WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid \
               AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' LIMIT 1) \
             FROM pg_class c WHERE c.relkind = 'S' AND c.relnamespace = {ns} \
             AND NOT {} ORDER BY c.relname",
            extension_member("c", "pg_class")
        ),
    )?;
    for r in &seqs {
        objects.sequences.insert(
            s(&r[0]).to_lowercase(),
            Sequence {
                used: s(&r[1]) == "true",
                owned_by: r[2].clone(),
            },
        );
    }
    let domains = q(
        session,
        &format!(
            "SELECT t.typname, format_type(t.typbasetype, t.typtypmod), \
             {used} \
             FROM pg_type t WHERE t.typtype = 'd' AND t.typnamespace = {ns} \
             AND NOT {} ORDER BY t.typname",
            extension_member("t", "pg_type"),
            used = TYPE_USED_BY_A_COLUMN,
        ),
    )?;
    for r in &domains {
        objects.domains.insert(
            s(&r[0]).to_lowercase(),
            DomainType {
                base_type: s(&r[1]),
                used: s(&r[2]) == "true",
            },
        );
    }
    // A trigger function belongs to the trigger comparison: with its trigger
    // it is compared there, and a trigger missing on PostgreSQL is already
    // that trigger's finding (one root cause, one finding).
    let funcs = q(
        session,
        &format!(
            "SELECT p.oid::regprocedure::text, p.prokind::text, \
             (p.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype) \
              OR EXISTS (SELECT 1 FROM pg_trigger tg WHERE tg.tgfoid = p.oid))::text \
             FROM pg_proc p WHERE p.pronamespace = {ns} AND p.prokind IN ('f', 'p') \
             AND NOT {} ORDER BY 1",
            extension_member("p", "pg_proc")
        ),
    )?;
    for r in &funcs {
        objects.functions.insert(
            s(&r[0]).to_lowercase(),
            Function {
                kind: if s(&r[1]) == "p" {
                    "procedure"
                } else {
                    "function"
                }
                .into(),
                used_by_trigger: s(&r[2]) == "true",
            },
        );
    }
    objects.extensions = q(
        session,
        "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname",
    )?
    .iter()
    .map(|r| s(&r[0]))
    .collect();
    Ok(objects)
}

fn key_part(def: &str, desc: bool, coll: &str) -> KeyPart {
    let parsed = expr::parse(def, Engine::Postgres);
    match parsed {
        Some(sqlparser::ast::Expr::Identifier(id)) => KeyPart::Column {
            name: id.value,
            nocase: false,
            desc,
        },
        Some(sqlparser::ast::Expr::Function(f)) => {
            let name = f.name.to_string();
            let args = expr::function_args(&f.args);
            match (name.as_str(), args.as_slice()) {
                ("lower" | "upper", [sqlparser::ast::Expr::Identifier(id)]) => KeyPart::Column {
                    name: id.value.clone(),
                    nocase: true,
                    desc,
                },
                _ => KeyPart::Expr {
                    text: expr::normalize(def, Engine::Postgres),
                    desc,
                },
            }
        }
        _ => {
            let _ = coll;
            KeyPart::Expr {
                text: expr::normalize(def, Engine::Postgres),
                desc,
            }
        }
    }
}

/// `name` as an SQL identifier: bare when it is a plain lower-case word.
fn quote_if_needed(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        quote_ident(name)
    }
}

fn seed_rows(session: &mut Session, name: &str, t: &Table) -> Result<SeedRows> {
    let cols: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
    if cols.is_empty() {
        return Ok(SeedRows::default());
    }
    let select = cols
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ");
    let order = if t.primary_key.is_empty() {
        String::new()
    } else {
        format!(
            " ORDER BY {}",
            t.primary_key
                .iter()
                .map(|c| quote_ident(c))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let rows = session
        .query_values(&format!(
            "SELECT {select} FROM {}{order}",
            quote_ident(name)
        ))
        .map_err(|e| Error::postgres(format!("failed to read rows of {name}: {e}")))?;
    Ok(SeedRows {
        columns: cols,
        rows,
    })
}
