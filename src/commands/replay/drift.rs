//! Schema drift (`--sqlite-migrations DIR`): the database file's own
//! schema against what its migrations build. A production database that
//! drifted from its migrations (a column added by hand, an index dropped)
//! is a finding: tables, columns (declared type, NOT NULL) and indexes.

use std::collections::BTreeSet;

use crate::model::finding::{Category, CheckKind, Finding};
use crate::model::schema::{Schema, Table};

fn finding(
    category: Category,
    table: &str,
    column: Option<&str>,
    detail: &str,
    message: String,
    file: String,
    chain: String,
) -> Finding {
    let columns: Vec<&str> = column.into_iter().collect();
    Finding::new(
        CheckKind::Replay,
        category,
        table,
        &columns,
        &format!("drift {detail}"),
    )
    .message(message)
    .sides(
        format!("the database file {file}"),
        format!("the SQLite migrations build {chain}"),
    )
}

fn index_names(t: &Table) -> BTreeSet<String> {
    (t.uniques.iter().chain(&t.indexes))
        .map(|i| i.name.clone())
        .filter(|n| !n.starts_with("sqlite_autoindex_"))
        .collect()
}

/// Every difference between the file's schema and the chain's.
pub fn compare(file: &Schema, chain: &Schema) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, ct) in &chain.tables {
        let Some(ft) = file.tables.get(name) else {
            out.push(finding(
                Category::MissingTable,
                name,
                None,
                "missing table",
                format!("the migrations create table `{name}`, which the database file lacks"),
                "has no such table".into(),
                "it".into(),
            ));
            continue;
        };
        for cc in &ct.columns {
            let Some(fc) = ft.column(&cc.name) else {
                out.push(finding(
                    Category::MissingColumn,
                    name,
                    Some(&cc.name),
                    "missing column",
                    format!(
                        "the migrations give `{name}` a column `{}` the database file lacks",
                        cc.name
                    ),
                    "has no such column".into(),
                    format!("it as {}", cc.declared_type),
                ));
                continue;
            };
            if fc.declared_type != cc.declared_type {
                out.push(finding(
                    Category::Type,
                    name,
                    Some(&cc.name),
                    "type",
                    format!("column `{}` of `{name}` is declared {} in the database file, {} by the migrations", cc.name, fc.declared_type, cc.declared_type),
                    format!("declares {}", fc.declared_type),
                    cc.declared_type.clone(),
                ));
            }
            if fc.not_null != cc.not_null {
                let said = |n: bool| if n { "NOT NULL" } else { "nullable" };
                out.push(finding(
                    Category::Nullability,
                    name,
                    Some(&cc.name),
                    "nullability",
                    format!(
                        "column `{}` of `{name}` is {} in the database file, {} by the migrations",
                        cc.name,
                        said(fc.not_null),
                        said(cc.not_null)
                    ),
                    said(fc.not_null).into(),
                    said(cc.not_null).into(),
                ));
            }
        }
        for fc in ft.columns.iter().filter(|fc| ct.column(&fc.name).is_none()) {
            out.push(finding(
                Category::ExtraColumn,
                name,
                Some(&fc.name),
                "extra column",
                format!(
                    "the database file's `{name}` has a column `{}` no migration creates",
                    fc.name
                ),
                format!("has it as {}", fc.declared_type),
                "no such column".into(),
            ));
        }
        let (fi, ci) = (index_names(ft), index_names(ct));
        for i in ci.difference(&fi) {
            out.push(finding(
                Category::Index,
                name,
                None,
                &format!("missing index {i}"),
                format!(
                    "the migrations create index `{i}` on `{name}`, which the database file lacks"
                ),
                "has no such index".into(),
                format!("index {i}"),
            ));
        }
        for i in fi.difference(&ci) {
            out.push(finding(
                Category::Index,
                name,
                None,
                &format!("extra index {i}"),
                format!(
                    "the database file has index `{i}` on `{name}`, which no migration creates"
                ),
                format!("has index {i}"),
                "no such index".into(),
            ));
        }
    }
    for name in file
        .tables
        .keys()
        .filter(|t| !chain.tables.contains_key(*t))
    {
        out.push(finding(
            Category::ExtraTable,
            name,
            None,
            "extra table",
            format!("the database file has table `{name}`, which no migration creates"),
            "has it".into(),
            "no such table".into(),
        ));
    }
    out
}
