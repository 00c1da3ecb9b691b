//! Pieces the properties share: the generated-row strategy of a table, the
//! comparison of two read-back rows under the mapping, and judging a pair of
//! outcomes for a statement both engines should accept.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use schema_parity_strategies::{ColumnSpec, Lit, row, tame_row};

use crate::mapping;
use crate::model::Engine;
use crate::model::finding::Category;
use crate::model::schema::Value;
use crate::sql::expr::DefaultValue;

use super::quirks;
use super::sql::Statement;
use super::tables::{ColumnInfo, TableInfo};
use super::verdict::{Difference, Verdict, Why, category_of};
use crate::engine::{Outcome, RejectionKind};

/// The generated part of a row: values for the non-FK insertable columns,
/// and one parent choice per foreign key.
#[derive(Debug, Clone)]
pub struct RowCase {
    pub values: Vec<Lit>,
    pub picks: Vec<usize>,
}

/// The columns a generated row sets, each with its agreed domain. A column
/// PostgreSQL lacks is left out where a row may leave it out (a default or
/// NULL on the SQLite side): the difference is the structural finding's,
/// met by its own probe ([`missing_on_postgres`]), and the rest of the
/// table stays testable.
pub fn specs(info: &TableInfo) -> Vec<ColumnSpec> {
    info.insertable()
        .filter(|c| !(c.from_fk || c.missing_on_pg && c.omittable()))
        .map(|c| c.spec.clone())
        .collect()
}

/// The columns PostgreSQL lacks that a row may leave out: each the probe
/// of its own (a row that sets it), not part of every row.
pub fn missing_on_postgres(info: &TableInfo) -> Vec<&super::tables::ColumnInfo> {
    info.insertable()
        .filter(|c| !c.from_fk && c.missing_on_pg && c.omittable())
        .collect()
}

/// A column PostgreSQL lacks that every row must set (NOT NULL without a
/// default in SQLite): then no row both engines take exists, and the
/// properties that need one do not apply — the structural finding says why.
pub fn unwritable(info: &TableInfo) -> Option<String> {
    info.insertable()
        .find(|c| c.missing_on_pg && !c.omittable())
        .map(|c| {
            format!(
                "does not apply: every row must set {}.{}, which PostgreSQL lacks ({})",
                info.name,
                c.name,
                missing_column_id(info, &c.name)
            )
        })
}

/// The id of the structural finding about a column PostgreSQL lacks: what
/// a property that cannot run because of it names.
pub fn missing_column_id(info: &TableInfo, column: &str) -> String {
    crate::model::finding::id(
        crate::model::finding::CheckKind::Structure,
        crate::model::finding::Category::MissingColumn,
        &info.name,
        &[column],
        "",
    )
}

/// A row with edge-weighted values in a few columns (round_trip).
pub fn row_case(info: &TableInfo) -> BoxedStrategy<RowCase> {
    let s = specs(info);
    (row(&s), vec(0usize..64, info.foreign_keys.len()))
        .prop_map(|(values, picks)| RowCase { values, picks })
        .boxed()
}

/// A row without values that hit inherent engine differences, for the
/// properties about keys, actions and defaults: there a NUL or a NaN would
/// only spend the case on a known quirk.
pub fn tame_row_case(info: &TableInfo) -> BoxedStrategy<RowCase> {
    tame_row_case_with(info, &[])
}

/// [`tame_row_case`] with the columns `non_null` never NULL: a probe about
/// a key wastes no case on a NULL, which collides with nothing.
pub fn tame_row_case_with(info: &TableInfo, non_null: &[String]) -> BoxedStrategy<RowCase> {
    let mut s = specs(info);
    for spec in &mut s {
        if non_null.contains(&spec.name) {
            spec.nullable = false;
        }
    }
    (tame_row(&s), vec(0usize..64, info.foreign_keys.len()))
        .prop_map(|(values, picks)| RowCase { values, picks })
        .boxed()
}

/// The columns the engine that rejected `stmt` says the rejection is about
/// (see `engine::{sqlite,postgres}::attribute`, read by the error's code);
/// empty when it does not say. A column the engine's table lacks is named
/// too when the statement sets it (a missing column).
pub fn culprit(info: &TableInfo, stmt: &Statement, engine: Engine, o: &Outcome) -> Vec<String> {
    let Outcome::Rejected { fields, .. } = o else {
        return Vec::new();
    };
    if !stmt.table.is_empty() && stmt.table != info.name {
        return Vec::new();
    }
    match engine {
        Engine::Sqlite => crate::engine::sqlite::attribute(
            fields,
            &stmt.sqlite,
            &info.sqlite_table,
            &stmt.sqlite_set(),
        ),
        Engine::Postgres => crate::engine::postgres::attribute(
            fields,
            &stmt.postgres,
            &info.pg_table,
            &stmt.postgres_set(),
        ),
    }
    .columns
}

/// " because of column c" when attributed, else says it could not be.
fn because(cols: &[String]) -> String {
    match cols.first() {
        Some(c) => format!(" because of column {c}"),
        None => " (the engine's error names no column)".into(),
    }
}

fn has_nul(values: &[Lit]) -> bool {
    values
        .iter()
        .any(|v| matches!(v, Lit::Text(t) if t.contains('\0')))
}

fn has_nan(values: &[Lit]) -> bool {
    values
        .iter()
        .any(|v| matches!(v, Lit::Real(f) if f.is_nan()))
}

fn has_subnormal(values: &[Lit]) -> bool {
    values
        .iter()
        .any(|v| matches!(v, Lit::Real(f) if f.is_subnormal()))
}

/// Judges an INSERT of a row both engines should accept. `values` are the
/// generated values in the row, for quirk detection.
pub fn judge_valid_insert(
    info: &TableInfo,
    sqlite_types: &dyn Fn(&str) -> String,
    stmt: &Statement,
    values: &[Lit],
    s: &Outcome,
    p: &Outcome,
) -> Verdict {
    match (s, p) {
        (Outcome::Ok(_), Outcome::Ok(_)) => Verdict::Same,
        (Outcome::Rejected { .. }, Outcome::Rejected { .. }) => Verdict::Discard(Why::Refused),
        (Outcome::Ok(_), Outcome::Rejected { kind, message, .. }) => {
            if *kind == RejectionKind::Encoding && has_nul(values) {
                return Verdict::Quirk(quirks::NUL_IN_TEXT);
            }
            if has_subnormal(values) && *kind == RejectionKind::TypeRange {
                return Verdict::Quirk(quirks::FLOAT_UNDERFLOW);
            }
            let cols = culprit(info, stmt, Engine::Postgres, p);
            if *kind == RejectionKind::Length
                && cols.first().is_some_and(|c| {
                    let t = sqlite_types(c);
                    t.starts_with("VARCHAR")
                        || t.starts_with("CHARACTER")
                        || t.starts_with("NVARCHAR")
                })
            {
                return Verdict::Quirk(quirks::VARCHAR_NOT_ENFORCED);
            }
            Verdict::Differ(Difference {
                on: None,
                category: category_of(*kind),
                message: format!(
                    "{}: a row SQLite accepts is rejected by PostgreSQL ({}){}.",
                    info.name,
                    kind.name(),
                    because(&cols)
                ),
                columns: cols,
                sqlite: "accepts the row".into(),
                postgres: format!("rejects it: {message}"),
            })
        }
        (Outcome::Rejected { kind, message, .. }, Outcome::Ok(_)) => {
            if *kind == RejectionKind::NotNull && has_nan(values) {
                return Verdict::Quirk(quirks::NAN_IS_NULL);
            }
            let cols = culprit(info, stmt, Engine::Sqlite, s);
            // A unique key SQLite compares under NOCASE/RTRIM refuses a
            // value PostgreSQL tells apart: the column's collation is the
            // cause (see `mapping::collation_difference`).
            let by_collation = *kind == RejectionKind::Unique
                && !cols.is_empty()
                && cols
                    .iter()
                    .all(|c| info.column(c).is_some_and(|ci| ci.collation.is_some()));
            Verdict::Differ(Difference {
                on: None,
                category: if by_collation {
                    Category::Type
                } else {
                    category_of(*kind)
                },
                message: format!(
                    "{}: a row PostgreSQL accepts is rejected by SQLite ({}){}.",
                    info.name,
                    kind.name(),
                    because(&cols)
                ),
                columns: cols,
                sqlite: format!("rejects it: {message}"),
                postgres: "accepts the row".into(),
            })
        }
    }
}

/// Compares two read-back rows (columns in `info.columns` order); `skip`
/// says which columns not to compare. Returns the first differing column.
pub fn compare_rows(
    info: &TableInfo,
    s: &[Value],
    p: &[Value],
    skip: &dyn Fn(&str) -> bool,
) -> Option<(String, Value, Value)> {
    for (i, c) in info.columns.iter().enumerate() {
        if c.auto_increment || skip(&c.name) {
            continue;
        }
        let (Some(sv), Some(pv)) = (s.get(i), p.get(i)) else {
            continue;
        };
        if !same_stored(c, sv, pv) {
            return Some((c.name.clone(), sv.clone(), pv.clone()));
        }
    }
    None
}

/// Whether one column's values, as each engine stored them, are the same
/// under the mapping (random bytes of the declared length are alike).
pub fn same_stored(c: &ColumnInfo, sv: &Value, pv: &Value) -> bool {
    match &c.default {
        DefaultValue::RandomBytes(n) if sv.is_null() == pv.is_null() => match (sv, pv) {
            (Value::Blob(a), Value::Blob(b)) => {
                a.len() == b.len() && u64::try_from(a.len()).is_ok_and(|l| l == *n)
                    || mapping::same_value(sv, pv, &c.pg_kind)
            }
            _ => mapping::same_value(sv, pv, &c.pg_kind),
        },
        _ => mapping::same_value(sv, pv, &c.pg_kind),
    }
}

/// True when `v` (a supplied literal) is NaN: SQLite reads it back as NULL.
pub fn lit_is_nan(v: Option<&Lit>) -> bool {
    matches!(v, Some(Lit::Real(f)) if f.is_nan())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::Config;
    use crate::engine::ErrorFields;
    use crate::model::schema::{Column, Schema, Table};

    /// `loans (id, fine_cents)` on SQLite, `loans (id)` on PostgreSQL: the
    /// column PostgreSQL lacks.
    pub(crate) fn loans() -> TableInfo {
        let schema = |columns: &[&str]| Schema {
            tables: [(
                "loans".to_string(),
                Table {
                    name: "loans".into(),
                    columns: columns
                        .iter()
                        .map(|c| Column::typed(c, "INTEGER"))
                        .collect(),
                    ..Table::default()
                },
            )]
            .into(),
            ..Schema::default()
        };
        crate::check::tables(
            &schema(&["id", "fine_cents"]),
            &schema(&["id"]),
            &crate::mapping::Probed::new(),
            &Config::default(),
        )
        .remove("loans")
        .expect("loans on both sides")
    }

    /// What PostgreSQL says of an INSERT setting a column it lacks.
    fn missing_fine_cents() -> Outcome {
        let message = "column \"fine_cents\" of relation \"loans\" does not exist";
        Outcome::Rejected {
            kind: RejectionKind::MissingColumn,
            message: format!("{message} (SQLSTATE 42703)"),
            fields: Box::new(ErrorFields {
                code: "42703".into(),
                message: message.into(),
                ..ErrorFields::default()
            }),
        }
    }

    #[test]
    fn a_column_postgresql_lacks_is_blamed_by_name() {
        let info = loans();
        let one = |c: &str, v: &str| (c.to_string(), v.to_string(), v.to_string());
        let stmt =
            super::super::sql::insert("loans", &[one("id", "1"), one("fine_cents", "2")], &[]);
        let p = missing_fine_cents();
        assert_eq!(culprit(&info, &stmt, Engine::Postgres, &p), ["fine_cents"]);
        let verdict = judge_valid_insert(
            &info,
            &|_| "INTEGER".into(),
            &stmt,
            &[],
            &Outcome::Ok(Vec::new()),
            &p,
        );
        let Verdict::Differ(d) = verdict else {
            panic!("a row PostgreSQL refuses for a column it lacks is a difference");
        };
        assert_eq!(d.category, Category::MissingColumn);
        assert_eq!(d.columns, ["fine_cents"]);
        assert!(
            d.message.ends_with("because of column fine_cents."),
            "{}",
            d.message
        );
    }
}
