//! Defaults: what a column takes when an INSERT leaves it out — its
//! default value, or the expression a generated column computes.

use crate::model::Engine;
use crate::structure::expected::ExpectedColumn;
use crate::sql::expr::{self, DefaultValue};
use crate::model::finding::{Category, CheckKind, Finding};
use crate::mapping::{self, PgKind, clock_zones, reads_clock, same_default};
use crate::model::schema::Column;

use super::category::{Psql, StructureCategory, TablePair};
use super::script::{Guard, TableScript, collapse, lit};

const CHECK: CheckKind = CheckKind::Structure;

pub struct Defaults;

impl StructureCategory for Defaults {
    fn name(&self) -> &'static str {
        "defaults"
    }

    fn psql(&self) -> Psql {
        Psql::Checked
    }

    /// A column whose ids differ is the key's finding (`keys`), whose
    /// default then says nothing more.
    fn compare_column(&self, t: &TablePair, ec: &ExpectedColumn, pc: &Column, out: &mut Vec<Finding>) {
        let sc = ec.source;
        if sc.auto_increment != pc.auto_increment || sc.auto_increment && pc.identity_always {
            return;
        }
        if sc.generated.is_some() || pc.generated.is_some() {
            generated(t.name(), sc, pc, out);
        } else if !sc.auto_increment {
            default(t.name(), ec, pc, &mapping::pg_kind(&pc.declared_type), out);
        }
    }

    /// A column with automatic ids has its check in `keys`.
    fn validate_column(&self, t: &mut TableScript, ec: &ExpectedColumn) {
        if !ec.source.auto_increment {
            let rc = t.rt.and_then(|rt| rt.column(ec.name()));
            let expected_type = t.expected_type(ec);
            default_script(t, ec, rc, &expected_type);
        }
    }
}

fn default(table: &str, ec: &ExpectedColumn, pc: &Column, kind: &PgKind, out: &mut Vec<Finding>) {
    let (sc, s) = (ec.source, &ec.default);
    let p = pc.default.as_deref().map_or(DefaultValue::Null, |d| {
        expr::default_value(d, Engine::Postgres)
    });
    if same_default(s, &p, kind) {
        return;
    }
    let f = Finding::new(CHECK, Category::Default, table, &[&sc.name], "").sides(
        sc.default.clone().unwrap_or_else(|| "no default".into()),
        pc.default.clone().unwrap_or_else(|| "no default".into()),
    );
    let clocks = [s, &p]
        .iter()
        .all(|d| matches!(d, DefaultValue::Now | DefaultValue::LocalNow));
    if let Some((sz, pz)) = clocks.then(|| clock_zones(s, kind)).flatten() {
        out.push(f.message(format!(
            "{table}.{} stamps a different clock on each side: {sz} in SQLite, {pz} in PostgreSQL; the two agree only while the application and the server both run in UTC (fix: UTC on both, e.g. CURRENT_TIMESTAMP with timestamptz).",
            sc.name
        )));
        return;
    }
    // Text a flag column keeps as text: `DEFAULT 'false'` in a column
    // declared BOOLEAN (NUMERIC affinity) is the text 'false', never 0.
    if let DefaultValue::Text(t) = s
        && kind.family() == mapping::Family::Boolean
        && mapping::affinity_number(t).is_none()
        && matches!(
            mapping::sqlite_class(&sc.declared_type),
            mapping::SqliteClass::Integer
                | mapping::SqliteClass::Numeric
                | mapping::SqliteClass::Boolean
        )
    {
        out.push(f.message(format!(
            "{table}.{} defaults to {s} in SQLite, which keeps it as that text (it is no number, so a {} column does not turn it into 0 or 1), but to {p} in PostgreSQL (fix: DEFAULT 0 or 1, FALSE or TRUE, on the SQLite side).",
            sc.name, sc.declared_type
        )));
        return;
    }
    out.push(if reads_clock(s) && reads_clock(&p) {
        // Both read the clock: the same instant, at a different precision
        // (whole seconds against microseconds, truncated against rounded).
        f.message(format!(
            "{table}.{} defaults to the clock on both sides but at a different precision: {s} in SQLite, {p} in PostgreSQL (a mapping caveat; fix: make both produce the same unit and rounding, e.g. FLOOR(EXTRACT(EPOCH FROM now()))::bigint for strftime('%s','now')).",
            sc.name
        ))
        .warning()
    } else {
        f.message(format!(
            "{table}.{} defaults to {s} in SQLite but to {p} in PostgreSQL.",
            sc.name
        ))
    });
}

/// A generated column on one side only, or computed from a different
/// expression: the values an application reads differ (and a plain column
/// on the other side takes writes the generated one refuses).
fn generated(table: &str, sc: &Column, pc: &Column, out: &mut Vec<Finding>) {
    let describe = |c: &Column| match &c.generated {
        Some(e) => format!("GENERATED ALWAYS AS ({e})"),
        None => c
            .default
            .as_ref()
            .map_or("plain column, no default".into(), |d| {
                format!("plain column, DEFAULT {d}")
            }),
    };
    let message = match (&sc.generated, &pc.generated) {
        (Some(s), Some(p)) => {
            if expr::normalize(s, Engine::Sqlite) == expr::normalize(p, Engine::Postgres) {
                return;
            }
            format!(
                "{table}.{} is computed as {s} in SQLite but as {p} in PostgreSQL.",
                sc.name
            )
        }
        (Some(s), None) => format!(
            "{table}.{} is a generated column in SQLite (computed as {s}) but a plain column in PostgreSQL, which stores whatever is written (NULL when nothing is).",
            sc.name
        ),
        (None, Some(p)) => format!(
            "{table}.{} is a plain column in SQLite but a generated column in PostgreSQL (computed as {p}), which refuses the writes SQLite takes.",
            sc.name
        ),
        (None, None) => return,
    };
    out.push(
        Finding::new(CHECK, Category::Default, table, &[&sc.name], "generated")
            .message(message)
            .sides(describe(sc), describe(pc)),
    );
}

fn default_script(ts: &mut TableScript, ec: &ExpectedColumn, rc: Option<&Column>, expected_type: &str) {
    let (t, sc) = (ts.name, ec.source);
    let c = sc.name.as_str();
    let boolean = mapping::pg_kind(expected_type) == PgKind::Boolean;
    let reference_default = || match rc.and_then(|r| r.default.as_deref()) {
        Some(d) => ("text", collapse(d), collapse(d)),
        None => ("none", String::new(), "no default".to_string()),
    };
    let (kind, value, shown) = if ts.accepts(Category::Default, Some(c)) {
        reference_default()
    } else {
        match ec.default.clone() {
            DefaultValue::Null => ("none", String::new(), "no default".to_string()),
            DefaultValue::Now | DefaultValue::LocalNow => {
                ("now", String::new(), "the current time".to_string())
            }
            DefaultValue::RandomBytes(n) => (
                "random_bytes",
                n.to_string(),
                format!("gen_random_bytes({n})"),
            ),
            DefaultValue::Integer(i) => {
                let shown = match (boolean, i) {
                    (true, 0) => "false".to_string(),
                    (true, 1) => "true".to_string(),
                    _ => i.to_string(),
                };
                ("value", i.to_string(), shown)
            }
            DefaultValue::Real(f) => ("value", format!("{f:?}"), format!("{f:?}")),
            DefaultValue::Bool(b) => {
                let digit = if b { "1" } else { "0" };
                let shown = if boolean { b.to_string() } else { digit.into() };
                ("value", digit.to_string(), shown)
            }
            DefaultValue::Text(s) => {
                let shown = match (boolean, s.as_str()) {
                    (true, "0") => "false".to_string(),
                    (true, "1") => "true".to_string(),
                    _ => lit(&s),
                };
                ("value", s, shown)
            }
            DefaultValue::Blob(b) => {
                let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
                ("value", format!("\\x{hex}"), format!("'\\x{hex}'"))
            }
            DefaultValue::Sequence | DefaultValue::Expr(_) => {
                if rc.is_none() {
                    ts.s.comment(&format!(
                        "{t}.{c}: default not checked: SQLite's `{}` has no PostgreSQL form to derive",
                        sc.default.as_deref().unwrap_or_default()
                    ));
                    return;
                }
                // No meaning to compare by: trust the reference's spelling.
                reference_default()
            }
        }
    };
    ts.s.equals(
        &Guard::Column(t, c),
        &format!("{t}.{c}: default"),
        &shown,
        &format!(
            "pg_temp.parity_default_is({}, {}, {}, {}, {})",
            lit(t),
            lit(c),
            lit(kind),
            lit(&value),
            lit(&shown)
        ),
    );
}
