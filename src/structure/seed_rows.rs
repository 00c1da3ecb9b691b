//! Seed rows: the rows the migrations themselves inserted (check
//! `seed_data`).

use crate::structure::expected::{ExpectedColumn, ExpectedTable};
use crate::model::finding::{Category, CheckKind, Finding};
use crate::mapping::{self, PgKind, clock_reading};
use crate::model::schema::{Column, SeedRows as Rows, Table, Value};

use super::category::{Psql, StructureCategory, TablePair};
use super::script::{Guard, TableScript, ident, lit};

pub struct SeedRows;

impl StructureCategory for SeedRows {
    fn name(&self) -> &'static str {
        "seed_rows"
    }

    fn check(&self) -> CheckKind {
        CheckKind::SeedData
    }

    fn psql(&self) -> Psql {
        Psql::Checked
    }

    fn compare_table(&self, t: &TablePair, out: &mut Vec<Finding>) {
        if let (Some(ss), Some(ps)) = (t.et.seed, t.pg_seed) {
            seed_table(t.et, t.pt, ss, ps, out);
        }
    }

    fn validate_table(&self, t: &mut TableScript) {
        let Some(seed) = t.et.seed else { return };
        let et = t.et;
        let expected_types: Vec<(&ExpectedColumn, String)> =
            et.columns.iter().map(|c| (c, t.expected_type(c))).collect();
        seed_script(t, seed, &expected_types);
    }
}

fn seed_table(et: &ExpectedTable, pt: &Table, ss: &Rows, ps: &Rows, out: &mut Vec<Finding>) {
    let name = et.name;
    // Columns present on both sides; random/clock defaults compare by presence.
    let cols: Vec<(usize, usize, &ExpectedColumn, PgKind)> = ss
        .columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let j = ps.columns.iter().position(|x| x == c)?;
            let ec = et.column(c)?;
            let pc = pt.column(c)?;
            Some((i, j, ec, mapping::pg_kind(&pc.declared_type)))
        })
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let row_key = |srow: &[Value], prow: &[Value]| -> bool {
        cols.iter().all(|(i, j, ec, kind)| {
            // A clock or random default: its values differ by nature.
            if ec.default_varies() {
                srow[*i].is_null() == prow[*j].is_null()
            } else {
                mapping::same_value(&srow[*i], &prow[*j], kind)
                    // Both read the clock while the migrations ran (a
                    // CURRENT_TIMESTAMP in an INSERT, a strftime default):
                    // two readings of one moment, not two values.
                    || clock_reading(&srow[*i], now) && clock_reading(&prow[*j], now)
            }
        })
    };
    let mut unmatched_p: Vec<usize> = (0..ps.rows.len()).collect();
    let mut missing = Vec::new();
    for srow in &ss.rows {
        match unmatched_p.iter().position(|&j| row_key(srow, &ps.rows[j])) {
            Some(k) => {
                unmatched_p.remove(k);
            }
            None => missing.push(srow),
        }
    }
    if missing.is_empty() && unmatched_p.is_empty() {
        return;
    }
    let show = |row: &[Value]| {
        format!(
            "({})",
            row.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let s_desc: Vec<String> = missing.iter().take(3).map(|r| show(r)).collect();
    let p_desc: Vec<String> = unmatched_p
        .iter()
        .take(3)
        .map(|&j| show(&ps.rows[j]))
        .collect();
    out.push(
        Finding::new(CheckKind::SeedData, Category::SeedData, name, &[], "rows")
            .message(format!(
                "Seed rows of {name} differ: {} row(s) only in SQLite, {} only in PostgreSQL.",
                missing.len(),
                unmatched_p.len()
            ))
            .sides(
                if s_desc.is_empty() {
                    "no extra rows".into()
                } else {
                    format!("only here: {}", s_desc.join(", "))
                },
                if p_desc.is_empty() {
                    "no extra rows".into()
                } else {
                    format!("only here: {}", p_desc.join(", "))
                },
            ),
    );
}

/// The rows the SQLite migrations inserted must be present (more rows
/// are fine: a production table grows). Values compare under the
/// expected PostgreSQL type; clock and random defaults are left out.
fn seed_script(ts: &mut TableScript, seed: &Rows, expected_types: &[(&ExpectedColumn, String)]) {
    let t = ts.name;
    if seed.rows.is_empty() {
        return;
    }
    if ts.accepts(Category::SeedData, None) {
        ts.s
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
    ts.s.equals(
        &Guard::Table(ts.name),
        &format!("{t}: seed rows"),
        &format!("{total} of {total} present"),
        &format!(
            "pg_temp.parity_eval(format({}, pg_temp.parity_qualified({})))",
            lit(&query),
            lit(t)
        ),
    );
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
