//! Reads the schema model from a live SQLite database: `PRAGMA table_xinfo`,
//! `foreign_key_list`, `index_list`/`index_xinfo`, and the stored `CREATE`
//! text in `sqlite_master` for what only that text holds (CHECK bodies,
//! collations, index expressions and predicates, trigger timing).

use std::collections::BTreeMap;

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::model::Engine;
use crate::model::schema::{
    Check, Column, FkAction, ForeignKey, Index, IndexKey, KeyPart, Schema, SeedRows, Table,
    Trigger, TriggerEvent, Value, View, ViewColumn,
};
use crate::sql::expr;
use crate::sql::text::{
    Token, matching_paren, quote_ident, quote_literal, split_commas, text_of, tokenize,
};

use super::exec::query_values;

fn text(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Integer(i) => *i,
        _ => 0,
    }
}

/// Introspects every user table (and its seed rows) of `db`.
pub fn introspect(db: &super::Database) -> Result<Schema> {
    introspect_with(db, true)
}

/// Introspects every user table of `db`, without reading its rows: a
/// user's database file (`replay`), whose rows are data, not seed rows,
/// and may not fit in memory.
pub fn introspect_structure(db: &super::Database) -> Result<Schema> {
    introspect_with(db, false)
}

fn introspect_with(db: &super::Database, seeds: bool) -> Result<Schema> {
    let conn = db.conn();
    let mut schema = Schema::default();
    let tables = query_values(
        conn,
        // Shadow tables (an FTS5 index's `_data`, `_idx`, …) belong to their
        // virtual table: they are its storage, not tables of the schema.
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name NOT IN (SELECT name FROM pragma_table_list WHERE type = 'shadow') ORDER BY name",
    )?;
    let mut original_names = BTreeMap::new();
    for row in &tables {
        let name = text(&row[0]);
        let sql = text(&row[1]);
        let table = table(conn, &name, &sql)?;
        original_names.insert(table.name.clone(), name);
        schema.tables.insert(table.name.clone(), table);
    }
    // A foreign key without target columns references the target's primary key.
    let pks: BTreeMap<String, Vec<String>> = schema
        .tables
        .iter()
        .map(|(n, t)| (n.clone(), t.primary_key.clone()))
        .collect();
    for t in schema.tables.values_mut() {
        for fk in &mut t.foreign_keys {
            if fk.target_columns.iter().all(String::is_empty) {
                fk.target_columns = pks.get(&fk.target_table).cloned().unwrap_or_default();
            }
        }
    }
    for row in query_values(conn, "SELECT name FROM sqlite_master WHERE type = 'view'")? {
        let name = text(&row[0]);
        schema.views.insert(name.to_lowercase(), view(conn, &name)?);
    }
    let triggers = query_values(
        conn,
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
    )?;
    for row in triggers {
        let table = text(&row[1]).to_lowercase();
        let sql = text(&row[2]);
        if let Some(t) = schema.tables.get_mut(&table) {
            t.triggers.push(trigger(&text(&row[0]), &sql));
        }
    }
    for (name, original) in original_names.iter().filter(|_| seeds) {
        let t = &schema.tables[name];
        schema
            .seed
            .insert(name.clone(), seed_rows(conn, original, t)?);
    }
    Ok(schema)
}

/// A view's columns and, through SQLite's column metadata (which follows
/// views down to their tables), the table column each one shows unchanged.
fn view(conn: &Connection, name: &str) -> Result<View> {
    let stmt = conn
        .prepare(&format!("SELECT * FROM {}", quote_ident(name)))
        .map_err(|e| Error::sqlite(format!("failed to read view {name}: {e}")))?;
    let columns: Vec<ViewColumn> = stmt
        .columns_with_metadata()
        .iter()
        .map(|m| ViewColumn {
            name: m.name().to_lowercase(),
            pg_type: String::new(),
            origin: m
                .table_name()
                .zip(m.origin_name())
                .map(|(t, c)| (t.to_lowercase(), c.to_lowercase())),
        })
        .collect();
    let reads = columns
        .iter()
        .filter_map(|c| c.origin.as_ref().map(|(t, _)| t.clone()))
        .collect();
    Ok(View {
        columns,
        reads,
        materialized: false,
    })
}

fn table(conn: &Connection, name: &str, create_sql: &str) -> Result<Table> {
    let q = quote_ident(name);
    // A virtual table's argument list is its module's (`tokenize=…`,
    // `content=…`), not column definitions: its columns are read below.
    let virtual_module = virtual_module(create_sql);
    let parsed = if virtual_module.is_some() {
        ParsedTable::default()
    } else {
        parse_create_table(create_sql)
    };
    let without_rowid = parsed.without_rowid;
    let mut table = Table {
        name: name.to_lowercase(),
        autoincrement: parsed.autoincrement,
        strict: parsed.strict,
        virtual_module,
        ..Table::default()
    };
    let cols = query_values(conn, &format!("PRAGMA table_xinfo({q})"))?;
    let mut pk: Vec<(i64, String)> = Vec::new();
    for c in &cols {
        // cid, name, type, notnull, dflt_value, pk, hidden (1: a virtual
        // table's hidden column; 2/3: a VIRTUAL/STORED generated column)
        let cname = text(&c[1]).to_lowercase();
        let hidden = int(&c[6]);
        if hidden == 1 {
            continue;
        }
        if int(&c[5]) > 0 {
            pk.push((int(&c[5]), cname.clone()));
        }
        table.columns.push(Column {
            name: cname.clone(),
            declared_type: text(&c[2]).trim().to_ascii_uppercase(),
            not_null: int(&c[3]) != 0,
            default: match &c[4] {
                Value::Null => None,
                v => Some(text(v)),
            },
            collation: parsed.collations.get(&cname).cloned(),
            auto_increment: false,
            enum_labels: None,
            generated: if hidden >= 2 {
                Some(parsed.generated.get(&cname).cloned().unwrap_or_default())
            } else {
                None
            },
            domain: None,
            identity_always: false,
        });
    }
    pk.sort();
    table.primary_key = pk.into_iter().map(|(_, n)| n).collect();
    if let [only] = table.primary_key.as_slice()
        && let Some(col) = table.columns.iter_mut().find(|c| &c.name == only)
    {
        // A rowid alias: NULL means "assign the next id", so never NULL.
        // https://sqlite.org/lang_createtable.html#rowid
        if col.declared_type == "INTEGER" && !without_rowid {
            col.auto_increment = true;
            col.not_null = true;
        }
    }
    if without_rowid {
        for c in &mut table.columns {
            if table.primary_key.contains(&c.name) {
                c.not_null = true;
            }
        }
    }
    table.checks = parsed.checks;

    let fks = query_values(conn, &format!("PRAGMA foreign_key_list({q})"))?;
    let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
    for f in &fks {
        // id, seq, table, from, to, on_update, on_delete, match
        let entry = by_id.entry(int(&f[0])).or_insert_with(|| ForeignKey {
            name: format!("fk{}", int(&f[0])),
            columns: Vec::new(),
            target_table: text(&f[2]).to_lowercase(),
            target_columns: Vec::new(),
            on_update: FkAction::parse(&text(&f[5])),
            on_delete: FkAction::parse(&text(&f[6])),
            deferred: false,
        });
        entry.columns.push(text(&f[3]).to_lowercase());
        entry.target_columns.push(text(&f[4]).to_lowercase());
    }
    table.foreign_keys = by_id.into_values().collect();
    // PRAGMA foreign_key_list does not say when a key is checked: the
    // CREATE text does.
    for fk in &mut table.foreign_keys {
        let mut cols = fk.columns.clone();
        cols.sort();
        fk.deferred = parsed.deferred.contains(&cols);
    }

    let indexes = query_values(conn, &format!("PRAGMA index_list({q})"))?;
    for ix in &indexes {
        // seq, name, unique, origin, partial
        let iname = text(&ix[1]);
        let unique = int(&ix[2]) != 0;
        let origin = text(&ix[3]);
        if origin == "pk" {
            continue;
        }
        let index_sql = query_values(
            conn,
            &format!(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = {}",
                quote_literal(&iname)
            ),
        )?
        .into_iter()
        .next()
        .map(|r| text(&r[0]))
        .unwrap_or_default();
        let index = index(conn, &iname, &index_sql)?;
        if unique {
            table.uniques.push(index);
        } else {
            table.indexes.push(index);
        }
    }
    Ok(table)
}

fn index(conn: &Connection, name: &str, sql: &str) -> Result<Index> {
    let info = query_values(conn, &format!("PRAGMA index_xinfo({})", quote_ident(name)))?;
    let (expr_parts, predicate) = parse_create_index(sql);
    let mut parts = Vec::new();
    let mut expr_i = 0usize;
    for (k, row) in info.iter().enumerate() {
        // seqno, cid, name, desc, coll, key
        if int(&row[5]) == 0 {
            continue;
        }
        let desc = int(&row[3]) != 0;
        let coll = text(&row[4]).to_ascii_uppercase();
        if int(&row[1]) == -2 {
            let raw = expr_parts.get(k).cloned().unwrap_or_default();
            expr_i += 1;
            parts.push(key_part_from_expr(&raw, desc, coll == "NOCASE"));
        } else {
            parts.push(KeyPart::Column {
                name: text(&row[2]).to_lowercase(),
                nocase: coll == "NOCASE",
                desc,
            });
        }
    }
    let _ = expr_i;
    Ok(Index {
        name: name.to_string(),
        key: IndexKey {
            parts,
            predicate: predicate
                .as_deref()
                .map(|p| expr::normalize(p, Engine::Sqlite)),
        },
        raw_predicate: predicate,
    })
}

/// `lower(col)` / `upper(col)` index parts mean case-insensitive `col`.
pub(crate) fn key_part_from_expr(raw: &str, desc: bool, nocase: bool) -> KeyPart {
    let engine = Engine::Sqlite;
    if let Some(sqlparser::ast::Expr::Function(f)) = expr::parse(raw, engine) {
        let fname = f.name.to_string();
        let args = expr::function_args(&f.args);
        if matches!(fname.as_str(), "lower" | "upper")
            && args.len() == 1
            && let sqlparser::ast::Expr::Identifier(id) = args[0]
        {
            return KeyPart::Column {
                name: id.value.clone(),
                nocase: true,
                desc,
            };
        }
    }
    if let Some(sqlparser::ast::Expr::Identifier(id)) = expr::parse(raw, engine) {
        return KeyPart::Column {
            name: id.value,
            nocase,
            desc,
        };
    }
    KeyPart::Expr {
        text: expr::normalize(raw, engine),
        desc,
    }
}

/// What only the stored CREATE TABLE text tells.
#[derive(Debug, Default)]
struct ParsedTable {
    collations: BTreeMap<String, String>,
    checks: Vec<Check>,
    /// Generated columns' expressions.
    generated: BTreeMap<String, String>,
    /// The columns (sorted) of each `DEFERRABLE INITIALLY DEFERRED` key.
    deferred: Vec<Vec<String>>,
    autoincrement: bool,
    strict: bool,
    without_rowid: bool,
}

/// The module of a `CREATE VIRTUAL TABLE … USING module(…)`, lower-cased.
fn virtual_module(sql: &str) -> Option<String> {
    let toks = tokenize(sql);
    if !toks.get(1).is_some_and(|t| t.is_word("VIRTUAL")) {
        return None;
    }
    let using = toks.iter().position(|t| t.is_word("USING"))?;
    toks.get(using + 1)
        .and_then(Token::ident)
        .map(|m| m.to_lowercase())
}

fn parse_create_table(sql: &str) -> ParsedTable {
    let mut out = ParsedTable::default();
    let toks = tokenize(sql);
    let Some(open) = toks.iter().position(|t| t.is_punct("(")) else {
        return out;
    };
    let Some(close) = matching_paren(&toks, open) else {
        return out;
    };
    // Table options after the column list: `STRICT`, `WITHOUT ROWID`.
    let options = &toks[close + 1..];
    out.strict = options.iter().any(|t| t.is_word("STRICT"));
    out.without_rowid = options
        .windows(2)
        .any(|w| w[0].is_word("WITHOUT") && w[1].is_word("ROWID"));
    out.autoincrement = toks[open..close].iter().any(|t| t.is_word("AUTOINCREMENT"));
    for (from, to) in split_commas(&toks, open + 1, close) {
        let first = &toks[from];
        if let Some(r) = (from..to).find(|&k| toks[k].is_word("REFERENCES")) {
            let deferred = toks[r..to].windows(3).enumerate().any(|(i, w)| {
                w[0].is_word("DEFERRABLE")
                    && w[1].is_word("INITIALLY")
                    && w[2].is_word("DEFERRED")
                    && !(i + r > 0 && toks[i + r - 1].is_word("NOT"))
            });
            let cols = match (from..r).find(|&k| toks[k].is_word("FOREIGN")) {
                Some(f) => {
                    let open = (f..r).find(|&k| toks[k].is_punct("("));
                    let close = open.and_then(|o| matching_paren(&toks, o));
                    match (open, close) {
                        (Some(o), Some(c)) => toks[o + 1..c]
                            .iter()
                            .filter_map(Token::ident)
                            .map(|c| c.to_lowercase())
                            .collect(),
                        _ => Vec::new(),
                    }
                }
                None => first
                    .ident()
                    .map(|c| c.to_lowercase())
                    .into_iter()
                    .collect(),
            };
            if deferred {
                let mut cols: Vec<String> = cols;
                cols.sort();
                out.deferred.push(cols);
            }
        }
        let is_constraint = ["CONSTRAINT", "CHECK", "PRIMARY", "UNIQUE", "FOREIGN"]
            .iter()
            .any(|k| first.is_word(k));
        let column = if is_constraint { None } else { first.ident() };
        let mut k = from;
        let mut pending_name: Option<String> = None;
        while k < to {
            let t = &toks[k];
            if t.is_word("CONSTRAINT") && k + 1 < to {
                pending_name = toks[k + 1].ident();
                k += 2;
                continue;
            }
            if t.is_word("CHECK")
                && k + 1 < to
                && toks[k + 1].is_punct("(")
                && let Some(end) = matching_paren(&toks, k + 1)
            {
                out.checks.push(Check {
                    name: pending_name.take().unwrap_or_default(),
                    expr: text_of(sql, &toks, k + 2, end).to_string(),
                    column: column.clone(),
                });
                k = end + 1;
                continue;
            }
            // `[GENERATED ALWAYS] AS (expr) [VIRTUAL|STORED]`
            if t.is_word("AS")
                && k + 1 < to
                && toks[k + 1].is_punct("(")
                && let (Some(c), Some(end)) = (&column, matching_paren(&toks, k + 1))
            {
                out.generated
                    .insert(c.clone(), text_of(sql, &toks, k + 2, end).to_string());
                k = end + 1;
                continue;
            }
            if t.is_word("COLLATE")
                && k + 1 < to
                && let (Some(c), Some(coll)) = (&column, toks[k + 1].ident())
            {
                out.collations.insert(c.clone(), coll.to_ascii_uppercase());
            }
            k += 1;
        }
    }
    out
}

/// Key expressions (by position) and the WHERE predicate of a CREATE INDEX.
fn parse_create_index(sql: &str) -> (Vec<String>, Option<String>) {
    let toks = tokenize(sql);
    let Some(open) = toks.iter().position(|t| t.is_punct("(")) else {
        return (Vec::new(), None);
    };
    let Some(close) = matching_paren(&toks, open) else {
        return (Vec::new(), None);
    };
    let parts = split_commas(&toks, open + 1, close)
        .into_iter()
        .map(|(f, mut t)| {
            // Drop trailing ASC/DESC and COLLATE x: index_xinfo reports those.
            while t > f && (toks[t - 1].is_word("ASC") || toks[t - 1].is_word("DESC")) {
                t -= 1;
            }
            if t >= f + 2 && toks[t - 2].is_word("COLLATE") {
                t -= 2;
            }
            text_of(sql, &toks, f, t).to_string()
        })
        .collect();
    let predicate = toks
        .iter()
        .enumerate()
        .skip(close + 1)
        .find(|(_, t)| t.is_word("WHERE"))
        .map(|(k, _)| {
            text_of(sql, &toks, k + 1, toks.len())
                .trim_end_matches(';')
                .to_string()
        });
    (parts, predicate)
}

fn trigger(name: &str, sql: &str) -> Trigger {
    let toks: Vec<Token> = tokenize(sql);
    let on = toks
        .iter()
        .position(|t| t.is_word("ON"))
        .unwrap_or(toks.len());
    let head = &toks[..on];
    let timing = if head.iter().any(|t| t.is_word("INSTEAD")) {
        "INSTEAD OF"
    } else if head.iter().any(|t| t.is_word("AFTER")) {
        "AFTER"
    } else {
        // SQLite's default timing is BEFORE.
        "BEFORE"
    };
    let mut events = Vec::new();
    for t in head {
        for (w, e) in [
            ("INSERT", TriggerEvent::Insert),
            ("UPDATE", TriggerEvent::Update),
            ("DELETE", TriggerEvent::Delete),
        ] {
            if t.is_word(w) && !events.contains(&e) {
                events.push(e);
            }
        }
    }
    Trigger {
        name: name.to_lowercase(),
        timing: timing.to_string(),
        events,
        sql: sql.to_string(),
    }
}

fn seed_rows(conn: &Connection, original: &str, t: &Table) -> Result<SeedRows> {
    let cols: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
    if cols.is_empty() {
        return Ok(SeedRows::default());
    }
    let order = if t.primary_key.is_empty() {
        "rowid".to_string()
    } else {
        t.primary_key
            .iter()
            .map(|c| quote_ident(c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let select = cols
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = query_values(
        conn,
        &format!(
            "SELECT {select} FROM {} ORDER BY {order}",
            quote_ident(original)
        ),
    )
    .or_else(|_| {
        query_values(
            conn,
            &format!("SELECT {select} FROM {}", quote_ident(original)),
        )
    })
    .map_err(|e| Error::sqlite(format!("failed to read rows of {original}: {e}")))?;
    Ok(SeedRows {
        columns: cols,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_table_text_yields_checks_and_collations() {
        let p = parse_create_table(
            "CREATE TABLE u (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE UNIQUE CHECK (length(name) <= 20), \
             s TEXT, CONSTRAINT s_enum CHECK (s IN ('a', 'b')))",
        );
        assert_eq!(p.collations.get("name").map(String::as_str), Some("NOCASE"));
        assert_eq!(p.checks.len(), 2);
        assert_eq!(p.checks[0].column.as_deref(), Some("name"));
        assert_eq!(p.checks[1].name, "s_enum");
        assert_eq!(p.checks[1].expr, "s IN ('a', 'b')");
    }

    #[test]
    fn create_table_text_yields_generated_deferred_and_options() {
        let p = parse_create_table(
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a INT, \
             b INT GENERATED ALWAYS AS (a * 2) VIRTUAL, c TEXT AS (upper(x)) STORED, \
             p INT REFERENCES q (id) DEFERRABLE INITIALLY DEFERRED, \
             r INT REFERENCES q (id) NOT DEFERRABLE INITIALLY DEFERRED, \
             CONSTRAINT k FOREIGN KEY (s, u) REFERENCES v (x, y) DEFERRABLE INITIALLY DEFERRED, s INT, u INT) STRICT",
        );
        assert_eq!(p.generated.get("b").map(String::as_str), Some("a * 2"));
        assert_eq!(p.generated.get("c").map(String::as_str), Some("upper(x)"));
        assert_eq!(
            p.deferred,
            vec![
                vec!["p".to_string()],
                vec!["s".to_string(), "u".to_string()]
            ]
        );
        assert!(p.autoincrement && p.strict && !p.without_rowid);
        let q = parse_create_table("CREATE TABLE w (k TEXT PRIMARY KEY) WITHOUT ROWID");
        assert!(q.without_rowid && !q.strict && !q.autoincrement);
    }

    #[test]
    fn create_index_text_yields_parts_and_predicate() {
        let (parts, pred) = parse_create_index(
            "CREATE UNIQUE INDEX i ON t (lower(email), b DESC) WHERE email IS NOT NULL",
        );
        assert_eq!(parts, vec!["lower(email)".to_string(), "b".to_string()]);
        assert_eq!(pred.as_deref(), Some("email IS NOT NULL"));
    }

    #[test]
    fn trigger_timing_and_events() {
        let t = trigger(
            "t",
            "CREATE TRIGGER t AFTER UPDATE OF a ON x BEGIN UPDATE x SET b = 1; END",
        );
        assert_eq!(t.timing, "AFTER");
        assert_eq!(t.events, vec![TriggerEvent::Update]);
    }
}
