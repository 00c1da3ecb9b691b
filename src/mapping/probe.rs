//! Pairings no rule covers, decided by behaviour. [`probe_values`] are the
//! typical and edge values of both types — letter case, blanks around,
//! both Unicode normalisation forms, empty and long text, numbers at their
//! edges, text of no type's shape, and the PostgreSQL type's own typical
//! values; `engine::store_and_read` stores each in a column of each side's
//! type and reads it back; [`probed`] turns what came back into a verdict
//! that names what differs, with the values ("PostgreSQL refuses 'abc'
//! (invalid input syntax for type inet) where SQLite stores it",
//! "PostgreSQL reads 'A' back as 'a'"), or equivalent under test.
//! [`Probed`] holds a run's probed pairings; [`Probed::judge`] is
//! [`judge`] with an unknown pairing's verdict taken from them.
//!
//! A pairing is probed by its two types alone: a CHECK on the SQLite
//! column that keeps out what PostgreSQL refuses is not run by the probe
//! (it is compared as a CHECK, and the behavioural checks meet it).

use std::collections::BTreeMap;

use schema_parity_strategies::Lit;

use super::checks::Bounds;
use super::class::{SqliteClass, base_name, sqlite_class};
use super::kind::PgKind;
use super::literal::lit_sqlite;
use super::types::{TypeDifference, TypeVerdict, judge};
use crate::engine::Outcome;
use crate::model::Both;
use crate::model::schema::{Column, Value};

/// A pairing as probed: its verdict, and the values both engines stored
/// and read back alike (what the agreed domain of its columns draws from).
#[derive(Debug, Clone, PartialEq)]
pub struct ProbedPairing {
    pub verdict: TypeVerdict,
    pub alike: Vec<Lit>,
    /// How many values were tried.
    pub probes: usize,
}

/// The pairings of a run that no rule covers, probed on both engines, by
/// (SQLite declared type, PostgreSQL type) as introspection spells them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Probed {
    pairings: BTreeMap<(String, String), ProbedPairing>,
}

impl Probed {
    /// No pairing probed (a comparison without engines at hand).
    pub const fn new() -> Self {
        Probed {
            pairings: BTreeMap::new(),
        }
    }

    pub fn insert(&mut self, sqlite_type: &str, pg_type: &str, pairing: ProbedPairing) {
        self.pairings
            .insert((sqlite_type.to_string(), pg_type.to_string()), pairing);
    }

    /// The probed pairing of a SQLite and a PostgreSQL column, if probed.
    pub fn get(&self, sqlite: &Column, pg: &Column) -> Option<&ProbedPairing> {
        self.pairings
            .get(&(sqlite.declared_type.clone(), pg.declared_type.clone()))
    }

    /// Every probed pairing: (SQLite type, PostgreSQL type) and its result.
    pub fn iter(&self) -> impl Iterator<Item = (&(String, String), &ProbedPairing)> {
        self.pairings.iter()
    }

    /// [`judge`], with a pairing no rule covers judged by its probes
    /// ([`TypeVerdict::Unknown`] when it was not probed).
    pub fn judge(
        &self,
        sqlite: &Column,
        pg: &Column,
        b: &Bounds,
        declared: Option<&str>,
    ) -> TypeVerdict {
        match judge(sqlite, pg, b, declared) {
            TypeVerdict::Unknown => self
                .get(sqlite, pg)
                .map_or(TypeVerdict::Unknown, |p| p.verdict.clone()),
            v => v,
        }
    }
}

/// Text at its edges: letter case, blanks around and after, both Unicode
/// normalisation forms of one letter (NFC 'é', NFD 'e' + U+0301), empty,
/// long, numbers and words written as text.
const TEXT_EDGES: &[&str] = &[
    "abc",
    "ABC",
    "Ab",
    " a ",
    "a  ",
    "",
    "\u{e9}",
    "e\u{301}",
    "12",
    "1.50",
    "-0",
    "1e3",
    "true",
    "NaN",
    "2024-01-02 03:04:05",
];

/// Numbers at their edges.
const NUMBER_EDGES: &[Lit] = &[
    Lit::Int(0),
    Lit::Int(1),
    Lit::Int(-1),
    Lit::Int(12),
    Lit::Int(i64::MAX),
    Lit::Int(i64::MIN),
    Lit::Real(1.5),
    Lit::Real(0.1),
    Lit::Real(-0.0),
    Lit::Real(1e300),
];

/// Typical values of PostgreSQL types the mapping has no row for, by the
/// base name `format_type` gives them: the spellings an application
/// writes, canonical and not (PostgreSQL reads some back rewritten).
const TYPICAL: &[(&[&str], &[&str])] = &[
    (
        &["inet"],
        &[
            "192.168.0.1",
            "10.0.0.0/8",
            "192.168.0.1/24",
            "::1",
            "2001:DB8::1",
        ],
    ),
    (
        &["cidr"],
        &[
            "10.0.0.0/8",
            "192.168.0.0/16",
            "10.1.2.3/8",
            "2001:db8::/32",
        ],
    ),
    (
        &["macaddr", "macaddr8"],
        &["08:00:2b:01:02:03", "08-00-2B-01-02-03", "0800.2b01.0203"],
    ),
    (
        &["interval"],
        &["1 day", "01:02:03", "90 minutes", "P1D", "-1 mons"],
    ),
    (&["money"], &["12.34", "$1,000.00", "-0.5"]),
    (
        &["time with time zone"],
        &["12:34:56+02", "12:34:56", "23:59:59.5-08"],
    ),
    (&["point"], &["(1,2)", "1,2", "(1.5, -2)"]),
    (&["bit", "bit varying"], &["101", "1", "0"]),
    (&["xml"], &["<a>b</a>", "<a/>", "<a>"]),
    (&["tsvector"], &["a fat cat", "cat:1 fat:2"]),
    (&["tsquery"], &["fat & cat", "cat"]),
    (
        &[
            "int4range",
            "int8range",
            "numrange",
            "daterange",
            "tsrange",
            "tstzrange",
        ],
        &["[1,5)", "(1,5]", "empty", "[2024-01-01,2024-02-01)"],
    ),
    (&["ltree"], &["a.b.c", "a"]),
    (&["hstore"], &["\"a\"=>\"1\"", "a=>1"]),
    (
        &[
            "timestamp with time zone",
            "timestamp without time zone",
            "date",
        ],
        &["2024-01-02 03:04:05", "2024-01-02", "2024-01-02T03:04:05Z"],
    ),
];

/// The values a pairing is probed with: those of the SQLite column's kind
/// (text edges for text, number edges for numbers, both and bytes for a
/// column of no or another type) and the PostgreSQL type's typical values,
/// written as text, as an application writes them.
pub fn probe_values(sqlite_type: &str, pg: &PgKind) -> Vec<Lit> {
    let text = || TEXT_EDGES.iter().map(|t| Lit::Text((*t).to_string()));
    let numbers = || NUMBER_EDGES.iter().cloned();
    // The PostgreSQL type's own values first: a finding names the first
    // values that differ, and those tell the most.
    let base = base_name(&pg.format_type()).to_ascii_lowercase();
    let mut out: Vec<Lit> = TYPICAL
        .iter()
        .find(|(names, _)| names.contains(&base.as_str()))
        .map(|(_, typical)| {
            typical
                .iter()
                .map(|t| Lit::Text((*t).to_string()))
                .collect()
        })
        .unwrap_or_default();
    out.extend::<Vec<Lit>>(match sqlite_class(sqlite_type) {
        SqliteClass::Text | SqliteClass::Json | SqliteClass::Temporal => text().collect(),
        SqliteClass::Integer | SqliteClass::Boolean => numbers()
            .filter(|l| matches!(l, Lit::Int(_)))
            .chain(text().filter(|l| matches!(l, Lit::Text(t) if t == "12")))
            .collect(),
        SqliteClass::Real => numbers().collect(),
        SqliteClass::Numeric => numbers().chain(text()).collect(),
        SqliteClass::Blob => numbers()
            .chain(text())
            .chain([Lit::Blob(vec![0, 255]), Lit::Blob(Vec::new())])
            .collect(),
    });
    // A long text finds a length limit the type name does not show.
    if matches!(
        sqlite_class(sqlite_type),
        SqliteClass::Text | SqliteClass::Numeric | SqliteClass::Blob
    ) {
        out.push(Lit::Text("x".repeat(300)));
    }
    out
}

/// The verdict on a pairing from what each engine did with each value
/// (`outcomes[i]` is `values[i]`'s): equivalent when every value is
/// refused by both or stored and read back alike; otherwise a difference
/// saying which values one engine refuses, and which read back otherwise,
/// with PostgreSQL's reason. One rule per pairing: its columns are one
/// pattern, and the sentence is the same for each.
pub fn probed(
    sqlite_type: &str,
    pg_type: &str,
    values: &[Lit],
    outcomes: &[Both<Outcome>],
) -> ProbedPairing {
    let mut refused: Vec<(bool, String, String)> = Vec::new();
    let mut otherwise: Vec<String> = Vec::new();
    let mut alike = Vec::new();
    for (v, o) in values.iter().zip(outcomes) {
        let shown = lit_sqlite(v);
        match (&o.sqlite, &o.postgres) {
            (Outcome::Ok(s), Outcome::Ok(p)) => {
                let (s, p) = (first(s), first(p));
                if read_alike(&s, &p) {
                    alike.push(v.clone());
                } else if written(v, &s) {
                    otherwise.push(format!("PostgreSQL reads {shown} back as {}", text_of(&p)));
                } else {
                    otherwise.push(format!(
                        "{shown} reads back as {s} from SQLite, as {} from PostgreSQL",
                        text_of(&p)
                    ));
                }
            }
            (Outcome::Ok(_), Outcome::Rejected { message, .. }) => {
                refused.push((true, shown, reason(message)));
            }
            (Outcome::Rejected { message, .. }, Outcome::Ok(_)) => {
                refused.push((false, shown, reason(message)));
            }
            _ => {}
        }
    }
    let probes = values.len();
    if refused.is_empty() && otherwise.is_empty() {
        return ProbedPairing {
            verdict: TypeVerdict::Equivalent,
            alike,
            probes,
        };
    }
    let mut said = Vec::new();
    for pg_refuses in [true, false] {
        let (who, other) = if pg_refuses {
            ("PostgreSQL", "SQLite")
        } else {
            ("SQLite", "PostgreSQL")
        };
        // One clause per reason, a few values each.
        let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
        for (_, shown, why) in refused.iter().filter(|r| r.0 == pg_refuses) {
            match reasons.iter_mut().find(|(w, _)| w == why) {
                Some((_, shown_all)) => shown_all.push(shown),
                None => reasons.push((why, vec![shown])),
            }
        }
        if reasons.is_empty() {
            continue;
        }
        let clauses: Vec<String> = reasons
            .iter()
            .map(|(why, shown)| format!("{} ({why})", some(shown)))
            .collect();
        said.push(format!(
            "{who} refuses {} where {other} stores them",
            clauses.join(", ")
        ));
    }
    if !otherwise.is_empty() {
        let more = otherwise.len().saturating_sub(3);
        let mut read: Vec<String> = otherwise.into_iter().take(3).collect();
        if more > 0 {
            read.push(format!("{more} more read back otherwise"));
        }
        said.push(read.join(", "));
    }
    let why = format!(
        "no mapping rule covers the pairing, and probed on both engines with {probes} values it differs: {}",
        said.join("; ")
    );
    let slug = |t: &str| {
        let s: String = t
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        s.split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    };
    let sq = if sqlite_type.is_empty() {
        "no declared type".to_string()
    } else {
        sqlite_type.to_string()
    };
    let rule = format!(
        "probed-{}-{}",
        if sqlite_type.is_empty() {
            "untyped".to_string()
        } else {
            slug(sqlite_type)
        },
        slug(pg_type)
    );
    ProbedPairing {
        verdict: TypeVerdict::Different(TypeDifference::with_detail(
            rule,
            format!("SQLite {sq}, PostgreSQL {pg_type}: {why}"),
            format!("SQLite {sq} against PostgreSQL {pg_type}: {why}"),
            format!("SQLite {sq}, PostgreSQL {pg_type}"),
        )),
        alike,
        probes,
    }
}

/// Up to three values, and how many more.
fn some(shown: &[&str]) -> String {
    let mut s = shown.iter().take(3).copied().collect::<Vec<_>>().join(", ");
    if shown.len() > 3 {
        s.push_str(&format!(" and {} more", shown.len() - 3));
    }
    s
}

/// The one value a probe's SELECT read back.
fn first(rows: &[Vec<Value>]) -> Value {
    rows.first()
        .and_then(|r| r.first())
        .cloned()
        .unwrap_or(Value::Null)
}

/// PostgreSQL's text form of a value (what `format('%s', c)` read).
fn text_of(v: &Value) -> String {
    match v {
        Value::Text(t) => crate::sql::text::quote_literal(t),
        other => other.to_string(),
    }
}

/// Whether SQLite read back what was written (its storage class kept).
fn written(l: &Lit, v: &Value) -> bool {
    match (l, v) {
        (Lit::Null, Value::Null) => true,
        (Lit::Int(a), Value::Integer(b)) => a == b,
        (Lit::Real(a), Value::Real(b)) => a.to_bits() == b.to_bits() || a == b,
        (Lit::Text(a), Value::Text(b)) => a == b,
        (Lit::Blob(a), Value::Blob(b)) => a == b,
        _ => false,
    }
}

/// Whether SQLite's value and PostgreSQL's text form of its own are the
/// same value: the same text, the same number, or the same bytes.
fn read_alike(sqlite: &Value, pg: &Value) -> bool {
    let Value::Text(p) = pg else {
        return sqlite == pg;
    };
    match sqlite {
        Value::Text(s) => s == p,
        Value::Integer(i) => p.trim() == i.to_string(),
        Value::Real(f) => p.trim().parse::<f64>().is_ok_and(|x| x == *f),
        Value::Blob(b) => {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            *p == format!("\\x{hex}")
        }
        Value::Null => false,
    }
}

/// An engine's refusal in a few words: PostgreSQL's message up to its
/// first colon (`invalid input syntax for type inet`), its SQLSTATE left
/// out; a type mismatch as the two types.
fn reason(message: &str) -> String {
    let m = message.split(" (SQLSTATE").next().unwrap_or(message).trim();
    if let Some(rest) = m.strip_prefix("column \"c\" is of type ")
        && let Some((column, expression)) = rest.split_once(" but expression is of type ")
    {
        return format!("a value of type {expression} where {column} is expected");
    }
    m.split(": ").next().unwrap_or(m).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RejectionKind;

    fn ok(v: Value) -> Outcome {
        Outcome::Ok(vec![vec![v]])
    }

    fn refused(message: &str) -> Outcome {
        Outcome::Rejected {
            kind: RejectionKind::TypeRange,
            message: message.into(),
            fields: Box::default(),
        }
    }

    #[test]
    fn a_probed_pairing_says_what_differs_with_the_values() {
        let values = [
            Lit::Text("192.168.0.1".into()),
            Lit::Text("abc".into()),
            Lit::Text("".into()),
            Lit::Text("10.1.2.3/8".into()),
        ];
        let text = |t: &str| ok(Value::Text(t.into()));
        let outcomes = [
            Both {
                sqlite: text("192.168.0.1"),
                postgres: text("192.168.0.1"),
            },
            Both {
                sqlite: text("abc"),
                postgres: refused("invalid input syntax for type inet: \"abc\" (SQLSTATE 22P02)"),
            },
            Both {
                sqlite: text(""),
                postgres: refused("invalid input syntax for type inet: \"\" (SQLSTATE 22P02)"),
            },
            Both {
                sqlite: text("10.1.2.3/8"),
                postgres: text("10.1.2.3/8 "),
            },
        ];
        let p = probed("TEXT", "INET", &values, &outcomes);
        assert_eq!(p.alike, [Lit::Text("192.168.0.1".into())]);
        let TypeVerdict::Different(d) = &p.verdict else {
            panic!("{p:?}");
        };
        assert_eq!(d.rule, "probed-text-inet");
        assert!(
            d.why.contains(
                "PostgreSQL refuses 'abc', '' (invalid input syntax for type inet) where SQLite stores them"
            ) && d.why.contains("PostgreSQL reads '10.1.2.3/8' back as '10.1.2.3/8 '")
                && d.why.contains("with 4 values"),
            "{}",
            d.why
        );
        assert!(!d.pattern.contains("not a standard pairing"));
        // Alike everywhere: equivalent under test.
        let same = probed("TEXT", "INET", &values[..1], &outcomes[..1]);
        assert_eq!(same.verdict, TypeVerdict::Equivalent);
        assert_eq!(
            reason(
                "column \"c\" is of type inet but expression is of type integer (SQLSTATE 42804)"
            ),
            "a value of type integer where inet is expected"
        );
    }

    #[test]
    fn probe_values_cover_both_types() {
        let inet = probe_values("TEXT", &PgKind::Other("inet".into()));
        assert!(inet.contains(&Lit::Text("ABC".into())));
        assert!(inet.contains(&Lit::Text("e\u{301}".into())));
        assert!(inet.contains(&Lit::Text("192.168.0.1".into())));
        assert!(!inet.iter().any(|l| matches!(l, Lit::Int(_))));
        let untyped = probe_values("", &PgKind::Other("interval".into()));
        assert!(untyped.contains(&Lit::Blob(vec![0, 255])));
        assert!(untyped.contains(&Lit::Text("P1D".into())));
    }
}
