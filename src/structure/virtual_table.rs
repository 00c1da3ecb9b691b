//! A SQLite virtual table against a PostgreSQL table: compared as a whole,
//! never column by column.

use crate::mapping::{self, PgKind};
use crate::model::finding::{Category, CheckKind, Finding};
use crate::model::schema::Table;
use crate::structure::expected::ExpectedTable;

use super::describe::describe_key;

/// A SQLite virtual table against a PostgreSQL table: one finding for the
/// table, never one per column. A full-text search table (FTS3/4/5) is
/// PostgreSQL's table with a `tsvector` column by design, and the two
/// search differently (tokenizer, stemming, ranking, `MATCH` against
/// `@@`) though the text both keep is the same: a mapping caveat
/// (warning) saying what to test instead. Its shadow tables are its
/// storage and not in the model; the behavioural checks leave it out
/// (`check::Plan::not_applicable`).
pub fn virtual_table(et: &ExpectedTable, pt: &Table, out: &mut Vec<Finding>) {
    let (name, st) = (et.name, et.source);
    let module = st
        .virtual_module
        .as_deref()
        .unwrap_or_default()
        .to_uppercase();
    let columns = |t: &Table| {
        t.columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let vectors: Vec<&str> = pt
        .columns
        .iter()
        .filter(|c| mapping::pg_kind(&c.declared_type) == PgKind::Tsvector)
        .map(|c| c.name.as_str())
        .collect();
    let sqlite_side = format!("{module} virtual table ({})", columns(st));
    let pg_side = if vectors.is_empty() {
        format!("table ({}) without a tsvector column", columns(pt))
    } else {
        format!("table with tsvector column {}", vectors.join(", "))
    };
    let (message, rule, pattern) = match (st.full_text_search(), vectors.is_empty()) {
        (true, false) => (
            format!(
                "Table {name} is full-text search on both sides, each engine's own: SQLite {sqlite_side}, PostgreSQL {pg_side}. Tokenizer, stemming, ranking and query syntax (MATCH against @@) differ by design, while the text both keep is alike; its columns are not compared one by one and the behavioural checks leave it out (a mapping caveat; fix: test the application's searches on both engines)."
            ),
            "full-text-search",
            "Full-text search is each engine's own: SQLite FTS virtual tables, PostgreSQL tables with a tsvector column. Tokenizer, stemming, ranking and query syntax (MATCH against @@) differ by design, while the text both keep is alike; their columns are not compared one by one and the behavioural checks leave them out (a mapping caveat; fix: test the application's searches on both engines).",
        ),
        (true, true) => (
            format!(
                "Table {name} is a SQLite {sqlite_side}, searched with MATCH, but a PostgreSQL {pg_side}, which has no full-text index to search; its columns are not compared one by one and the behavioural checks leave it out (a mapping caveat; fix: a tsvector column, or test how the application searches it on PostgreSQL)."
            ),
            "full-text-search-no-tsvector",
            "SQLite FTS virtual tables, searched with MATCH, are PostgreSQL tables without a tsvector column, which have no full-text index to search; their columns are not compared one by one and the behavioural checks leave them out (a mapping caveat; fix: a tsvector column, or test how the application searches them on PostgreSQL).",
        ),
        (false, _) => (
            format!(
                "Table {name} is a SQLite {sqlite_side}, whose module decides what it stores and finds, but a PostgreSQL {pg_side}; its columns are not compared one by one and the behavioural checks leave it out (a mapping caveat)."
            ),
            "virtual-table",
            "SQLite virtual tables, whose module decides what they store and find, are plain PostgreSQL tables; their columns are not compared one by one and the behavioural checks leave them out (a mapping caveat).",
        ),
    };
    // What PostgreSQL's table refuses that no virtual table can: a key.
    let mut keys: Vec<String> = pt.uniques.iter().map(|u| describe_key(&u.key)).collect();
    if !pt.primary_key.is_empty() {
        keys.insert(0, format!("({})", pt.primary_key.join(", ")));
    }
    let detail = Some(if keys.is_empty() {
        format!("SQLite {sqlite_side}, PostgreSQL {pg_side}")
    } else {
        format!(
            "SQLite {sqlite_side}, PostgreSQL {pg_side}, keeping {} unique",
            keys.join(" and ")
        )
    });
    let message = if keys.is_empty() {
        message
    } else {
        format!(
            "{message} PostgreSQL's table also keeps {} unique, which a SQLite virtual table cannot: a duplicate SQLite stores is refused there.",
            keys.join(" and ")
        )
    };
    out.push(
        Finding::new(
            CheckKind::Structure,
            Category::Other,
            name,
            &[],
            "virtual-table",
        )
        .message(message)
        .sides(sqlite_side, pg_side)
        .pattern(rule, pattern, detail)
        .warning(),
    );
}
