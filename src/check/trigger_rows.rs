//! Rows a trigger looks up. A SQLite `BEFORE INSERT` trigger that raises
//! unless the row it guards agrees with a row of another table —
//!
//! ```sql
//! SELECT RAISE(ABORT, 'wrong hall') WHERE EXISTS (
//!     SELECT 1 FROM talks WHERE talks.slug = NEW.talk_slug
//!                           AND talks.hall_code != NEW.hall_code);
//! ```
//!
//! — says: column `hall_code` holds the `hall_code` of the `talks` row that
//! the reference `talk_slug` picks. Generated rows follow that
//! ([`super::parents::insert_statement`] copies the value, or picks the row
//! of the column's own reference that holds it), and where the column is a
//! reference itself (`hall_code` → `halls`), the looked-up table's column
//! is seeded from that reference's parent rows (a soft reference, see
//! [`soft_references`]), so such a row exists.

use std::collections::BTreeMap;

use sqlparser::ast::{BinaryOperator, Expr, SetExpr, TableFactor};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;

use super::tables::{Lookup, SoftReference, TableInfo};

/// The lookups of `info`'s SQLite `BEFORE INSERT` triggers whose condition
/// reads as above: a `[NOT] EXISTS (SELECT … FROM p WHERE …)` whose
/// conjuncts pair `NEW` columns with `p` columns by `=` or `<>`, one pair
/// being a reference of `info` to `p` (single column), the others the
/// columns to copy.
fn lookups(info: &TableInfo) -> Vec<Lookup> {
    let mut out = Vec::new();
    for tr in &info.sqlite_table.triggers {
        let inserts = tr
            .events
            .iter()
            .any(|e| matches!(e, crate::model::schema::TriggerEvent::Insert));
        if !tr.timing.eq_ignore_ascii_case("BEFORE")
            || !inserts
            || !tr.sql.to_ascii_uppercase().contains("RAISE")
        {
            continue;
        }
        for (parent, pairs) in exists_subqueries(&tr.sql) {
            let Some((via, x)) = pairs.iter().find_map(|(x, a)| {
                let k = info.foreign_keys.iter().position(|fk| {
                    fk.target_table.eq_ignore_ascii_case(&parent)
                        && fk.columns.len() == 1
                        && fk.columns[0].eq_ignore_ascii_case(x)
                        && fk.target_columns.len() == 1
                        && fk.target_columns[0].eq_ignore_ascii_case(a)
                })?;
                Some((k, x.clone()))
            }) else {
                continue;
            };
            for (y, b) in &pairs {
                if y.eq_ignore_ascii_case(&x) {
                    continue;
                }
                let Some(column) = info.column(y) else {
                    continue;
                };
                out.push(Lookup {
                    trigger: tr.name.clone(),
                    column: column.name.clone(),
                    via,
                    parent_column: b.clone(),
                });
            }
        }
    }
    out
}

/// For each table, the soft references the lookups of `tables` put on it:
/// a lookup whose column is a reference of its own (`hall_code` →
/// `halls.code`) wants the looked-up column (`talks.hall_code`) to hold
/// `halls.code` values.
fn soft_references(tables: &BTreeMap<String, TableInfo>) -> BTreeMap<String, Vec<SoftReference>> {
    let mut out: BTreeMap<String, Vec<SoftReference>> = BTreeMap::new();
    for info in tables.values() {
        for l in &info.lookups {
            let Some(via) = info.foreign_keys.get(l.via) else {
                continue;
            };
            let Some(own) = info
                .foreign_keys
                .iter()
                .find(|fk| fk.columns.len() == 1 && fk.columns[0] == l.column)
            else {
                continue;
            };
            let soft = SoftReference {
                column: l.parent_column.clone(),
                target_table: own.target_table.clone(),
                target_column: own.target_columns.first().cloned().unwrap_or_default(),
            };
            let list = out.entry(via.target_table.clone()).or_default();
            if !list.contains(&soft) && via.target_table != soft.target_table {
                list.push(soft);
            }
        }
    }
    out
}

/// Fills every table's lookups and soft references.
pub fn read(tables: &mut BTreeMap<String, TableInfo>) {
    for info in tables.values_mut() {
        info.lookups = lookups(info);
    }
    for (name, soft) in soft_references(tables) {
        if let Some(info) = tables.get_mut(&name) {
            info.soft_references = soft;
        }
    }
}

/// Every `EXISTS (SELECT … FROM p WHERE …)` in a trigger's text: `p`, and
/// the `(NEW column, p column)` pairs its `=` / `<>` conjuncts compare.
fn exists_subqueries(sql: &str) -> Vec<(String, Vec<(String, String)>)> {
    let upper = sql.to_ascii_uppercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = upper[from..].find("EXISTS") {
        let start = from + at;
        from = start + "EXISTS".len();
        let Some(open) = sql[from..].find('(').map(|o| from + o) else {
            break;
        };
        if !sql[from..open].trim().is_empty() {
            continue;
        }
        let Some(close) = matching_paren(sql, open) else {
            break;
        };
        let text = format!("EXISTS {}", &sql[open..=close]);
        let Ok(expr) = Parser::new(&SQLiteDialect {})
            .try_with_sql(&text)
            .and_then(|mut p| p.parse_expr())
        else {
            continue;
        };
        if let Some(found) = subquery_pairs(&expr) {
            out.push(found);
        }
    }
    out
}

fn matching_paren(sql: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quoted = false;
    for (i, c) in sql[open..].char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

fn subquery_pairs(expr: &Expr) -> Option<(String, Vec<(String, String)>)> {
    let Expr::Exists { subquery, .. } = expr else {
        return None;
    };
    let SetExpr::Select(select) = subquery.body.as_ref() else {
        return None;
    };
    let [from] = select.from.as_slice() else {
        return None;
    };
    let TableFactor::Table { name, alias, .. } = &from.relation else {
        return None;
    };
    let parent = name.0.last()?.as_ident()?.value.clone();
    let alias = alias.as_ref().map(|a| a.name.value.clone());
    let mut conjuncts = Vec::new();
    split_and(select.selection.as_ref()?, &mut conjuncts);
    let new_col = |e: &Expr| match e {
        Expr::CompoundIdentifier(ids)
            if ids.len() == 2 && ids[0].value.eq_ignore_ascii_case("new") =>
        {
            Some(ids[1].value.clone())
        }
        _ => None,
    };
    let parent_col = |e: &Expr| match e {
        Expr::Identifier(id) if !id.value.eq_ignore_ascii_case("new") => Some(id.value.clone()),
        Expr::CompoundIdentifier(ids)
            if ids.len() == 2
                && (ids[0].value.eq_ignore_ascii_case(&parent)
                    || alias
                        .as_ref()
                        .is_some_and(|a| ids[0].value.eq_ignore_ascii_case(a))) =>
        {
            Some(ids[1].value.clone())
        }
        _ => None,
    };
    let mut pairs = Vec::new();
    for c in conjuncts {
        let Expr::BinaryOp { left, op, right } = c else {
            continue;
        };
        if !matches!(op, BinaryOperator::Eq | BinaryOperator::NotEq) {
            continue;
        }
        let pair = match (
            new_col(left),
            parent_col(right),
            new_col(right),
            parent_col(left),
        ) {
            (Some(n), Some(p), _, _) | (_, _, Some(n), Some(p)) => (n, p),
            _ => continue,
        };
        pairs.push(pair);
    }
    (!pairs.is_empty()).then_some((parent, pairs))
}

fn split_and<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            split_and(left, out);
            split_and(right, out);
        }
        Expr::Nested(inner) => split_and(inner, out),
        other => out.push(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raise_unless_the_looked_up_row_agrees_reads_as_pairs() {
        for (sql, parent, pairs) in [
            (
                "CREATE TRIGGER t BEFORE INSERT ON pins FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'x (y)') WHERE EXISTS (SELECT 1 FROM talks WHERE talks.slug = NEW.talk_slug AND talks.hall_code != NEW.hall_code); END",
                "talks",
                vec![("talk_slug", "slug"), ("hall_code", "hall_code")],
            ),
            (
                "CREATE TRIGGER t BEFORE INSERT ON pins WHEN NOT EXISTS (SELECT 1 FROM talks AS k WHERE NEW.talk_slug = k.slug AND (k.hall_code = NEW.hall_code)) BEGIN SELECT RAISE(FAIL, 'no'); END",
                "talks",
                vec![("talk_slug", "slug"), ("hall_code", "hall_code")],
            ),
        ] {
            let found = exists_subqueries(sql);
            let want: Vec<(String, String)> = pairs
                .iter()
                .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
                .collect();
            assert_eq!(found, vec![(parent.to_string(), want)], "{sql}");
        }
        assert!(
            exists_subqueries("CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET n = 1; END")
                .is_empty()
        );
    }
}
