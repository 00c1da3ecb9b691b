//! What a column's CHECKs say under the mapping: the bounds the SQLite
//! side's CHECKs put on a column, and the CHECKs a PostgreSQL type
//! enforces by itself.

use super::kind::{Enforced, PgKind};
use crate::sql::expr::Atom;

/// What the SQLite side's CHECKs bound for a column.
#[derive(Debug, Clone, Default)]
pub struct Bounds {
    pub min: Option<i128>,
    pub max: Option<i128>,
    pub max_length: Option<u64>,
    pub min_length: Option<u64>,
    pub values: Option<Vec<String>>,
    /// Every accepted value has exactly this many characters (a GLOB of
    /// single characters, or equal length bounds).
    pub fixed_length: Option<u64>,
    /// `CHECK (json_valid(col))`: only valid JSON text is stored.
    pub json_valid: bool,
    /// A GLOB holds the column to canonical lower-case UUIDs
    /// (`[0-9a-f]` × 8, `-`, × 4, `-`, … × 12), the form PostgreSQL's uuid
    /// reads every UUID back in.
    pub canonical_uuid: bool,
    /// No two values the CHECKs admit differ only in letter case (a set of
    /// values distinct in lower case, a GLOB whose letters are literal), so
    /// a unique key on the column is the same with or without case folding.
    pub case_determined: bool,
}

pub fn bounds(column: &str, atoms: &[Atom]) -> Bounds {
    let mut b = Bounds::default();
    for a in atoms {
        match a {
            Atom::Compare {
                column: c,
                op,
                value,
            } if c == column => {
                let Ok(v) = value.parse::<i128>() else {
                    continue;
                };
                match op.as_str() {
                    ">=" => b.min = Some(b.min.map_or(v, |m| m.max(v))),
                    ">" => b.min = Some(b.min.map_or(v + 1, |m| m.max(v + 1))),
                    "<=" => b.max = Some(b.max.map_or(v, |m| m.min(v))),
                    "<" => b.max = Some(b.max.map_or(v - 1, |m| m.min(v - 1))),
                    _ => {}
                }
            }
            Atom::MinLength { column: c, min } if c == column => {
                b.min_length = Some(b.min_length.map_or(*min, |m| m.max(*min)));
            }
            Atom::MaxLength { column: c, max } if c == column => {
                b.max_length = Some(b.max_length.map_or(*max, |m| m.min(*max)));
            }
            Atom::InSet {
                column: c,
                values,
                negated: false,
            } if c == column => {
                b.values = Some(values.iter().cloned().collect());
                let folded: std::collections::BTreeSet<String> =
                    values.iter().map(|v| v.to_lowercase()).collect();
                b.case_determined |= folded.len() == values.len();
                // Only these strings: none longer than the longest.
                let longest = values
                    .iter()
                    .filter_map(|v| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                    .map(|v| {
                        u64::try_from(v.replace("''", "'").chars().count()).unwrap_or(u64::MAX)
                    })
                    .max();
                if let Some(l) = longest.filter(|_| values.iter().all(|v| v.starts_with('\''))) {
                    b.max_length = Some(b.max_length.map_or(l, |m| m.min(l)));
                }
            }
            Atom::Pattern {
                column: c,
                regex,
                negated: false,
            } if c == column => {
                // A GLOB without `*` matches strings of one length.
                if let Some(l) = fixed_regex_length(regex) {
                    b.max_length = Some(b.max_length.map_or(l, |m| m.min(l)));
                    b.fixed_length = Some(l);
                }
                b.canonical_uuid |= canonical_uuid_regex(regex);
                b.case_determined |= case_determined_regex(regex);
            }
            Atom::Other(text) if is_json_valid(text, column) => b.json_valid = true,
            _ => {}
        }
    }
    if b.fixed_length.is_none() && b.min_length.is_some() && b.min_length == b.max_length {
        b.fixed_length = b.min_length;
    }
    b
}

/// The length of every string an anchored regex of single characters and
/// bracket classes matches, if it has one (no `.*`, `+`, `?`, `{}`, `|`).
fn fixed_regex_length(re: &str) -> Option<u64> {
    let body = re.strip_prefix('^')?.strip_suffix('$')?;
    let mut n = 0u64;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' => {
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                }
            }
            '\\' => {
                chars.next();
            }
            '*' | '+' | '?' | '{' | '|' | '(' => return None,
            _ => {}
        }
        n += 1;
    }
    Some(n)
}

/// Whether `text` (a CHECK conjunct no rule reads) is SQLite's
/// `json_valid(column)` — alone, `= 1`, or with `column IS NULL OR` in
/// front (<https://sqlite.org/json1.html#jvalid>).
pub(super) fn is_json_valid(text: &str, column: &str) -> bool {
    let t: String = text
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '"')
        .collect();
    let call = format!("json_valid({column})");
    let forms = [
        call.clone(),
        format!("{call}=1"),
        format!("{call}<>0"),
        format!("{call}!=0"),
    ];
    let alone = |t: &str| forms.iter().any(|f| t == f || t == format!("({f})"));
    alone(&t)
        || t.strip_prefix(&format!("{column}isnullor"))
            .is_some_and(alone)
}

/// The characters each position of an anchored regex of single characters
/// and bracket classes (a GLOB's translation) takes, or `None` when the
/// regex has anything else (`.`, a quantifier, an alternation, a negated
/// class, an escape class such as `\w`).
fn regex_positions(re: &str) -> Option<Vec<Vec<char>>> {
    let body = re.strip_prefix('^')?.strip_suffix('$')?;
    let mut positions: Vec<Vec<char>> = Vec::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        let one = match c {
            '[' => {
                let mut class: Vec<char> = Vec::new();
                loop {
                    match chars.next()? {
                        ']' => break,
                        '^' if class.is_empty() => return None,
                        '-' if !class.is_empty() => {
                            let (lo, hi) = (class.pop()?, chars.next()?);
                            if hi == ']' {
                                class.extend([lo, '-']);
                                break;
                            }
                            class.extend(lo..=hi);
                        }
                        d => class.push(d),
                    }
                }
                class
            }
            '\\' => match chars.next()? {
                d if d.is_ascii_alphanumeric() => return None,
                d => vec![d],
            },
            '.' | '*' | '+' | '?' | '{' | '|' | '(' => return None,
            c => vec![c],
        };
        positions.push(one);
    }
    Some(positions)
}

/// Whether an anchored regex (a GLOB's translation) matches only canonical
/// lower-case UUIDs: 36 characters, `-` at 9, 14, 19 and 24, lower-case hex
/// digits elsewhere.
fn canonical_uuid_regex(re: &str) -> bool {
    let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    regex_positions(re).is_some_and(|positions| {
        positions.len() == 36
            && positions.iter().enumerate().all(|(i, p)| {
                if [8, 13, 18, 23].contains(&i) {
                    p == &['-']
                } else {
                    !p.is_empty() && p.iter().all(|c| hex(*c))
                }
            })
    })
}

/// Whether no two strings an anchored regex matches differ only in letter
/// case: no position takes both cases of one letter (`INV-[0-9]` does,
/// `[A-Za-z]` and `.` do not).
fn case_determined_regex(re: &str) -> bool {
    regex_positions(re).is_some_and(|positions| {
        positions.iter().all(|p| {
            p.iter().all(|c| {
                !p.iter()
                    .any(|d| d != c && d.to_lowercase().eq(c.to_lowercase()))
            })
        })
    })
}

/// Whether column `column`'s PostgreSQL type `kind` already enforces the
/// SQLite CHECK conjunct `a` (so PostgreSQL needs no CHECK for it, and a
/// refusal by type is the same reason): 0/1 bounds or sets on a BOOLEAN, a
/// length limit on VARCHAR(n)/CHAR(n) (a different limit is a type finding
/// of its own), `json_valid(col)` on JSON/JSONB (their input parser).
pub fn type_enforces(a: &Atom, column: &str, kind: &PgKind) -> bool {
    let enforced = kind.row().map_or(Enforced::Nothing, |r| r.enforces);
    if let Atom::Other(text) = a {
        return enforced == Enforced::JsonText && is_json_valid(text, column);
    }
    if a.column() != Some(column) {
        return false;
    }
    match (a, enforced) {
        (
            Atom::InSet {
                values,
                negated: false,
                ..
            },
            Enforced::Flag,
        ) => values.iter().all(|v| v == "0" || v == "1"),
        (Atom::Compare { op, value, .. }, Enforced::Flag) => {
            matches!((op.as_str(), value.as_str()), (">=", "0") | ("<=", "1"))
        }
        (Atom::MaxLength { .. }, Enforced::Length) => kind.length().is_some(),
        (
            Atom::Pattern {
                regex,
                negated: false,
                ..
            },
            Enforced::CanonicalUuid,
        ) => canonical_uuid_regex(regex),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checks_a_postgres_type_enforces_one_row_per_rule() {
        use crate::sql::expr::Atom;
        let set = |v: &[&str]| Atom::InSet {
            column: "c".into(),
            values: v.iter().map(|x| x.to_string()).collect(),
            negated: false,
        };
        let cmp = |op: &str, v: &str| Atom::Compare {
            column: "c".into(),
            op: op.into(),
            value: v.into(),
        };
        let max = Atom::MaxLength {
            column: "c".into(),
            max: 8,
        };
        let pattern = |re: &str| Atom::Pattern {
            column: "c".into(),
            regex: re.into(),
            negated: false,
        };
        let h4 = "[0-9a-f]".repeat(4);
        let canonical = format!("^{h4}{h4}-{h4}-{h4}-{h4}-{h4}{h4}{h4}$");
        for (atom, kind, enforced) in [
            (set(&["0", "1"]), PgKind::Boolean, true),
            (set(&["0", "1", "2"]), PgKind::Boolean, false),
            (set(&["0", "1"]), PgKind::BigInt, false),
            (cmp(">=", "0"), PgKind::Boolean, true),
            (cmp("<=", "1"), PgKind::Boolean, true),
            (cmp(">", "0"), PgKind::Boolean, false),
            (max.clone(), PgKind::Varchar(Some(8)), true),
            (max.clone(), PgKind::Char(8), true),
            (max, PgKind::Text, false),
            (Atom::Other("json_valid(c)".into()), PgKind::Jsonb, true),
            (Atom::Other("json_valid( c )".into()), PgKind::Json, true),
            (Atom::Other("json_valid(c)".into()), PgKind::Text, false),
            (Atom::Other("json_valid(d)".into()), PgKind::Jsonb, false),
            (pattern(&canonical), PgKind::Uuid, true),
            (pattern(&canonical), PgKind::Text, false),
            (pattern(&canonical.to_uppercase()), PgKind::Uuid, false),
            (pattern("^[0-9a-f]$"), PgKind::Uuid, false),
        ] {
            assert_eq!(
                type_enforces(&atom, "c", &kind),
                enforced,
                "{atom:?} on {kind:?}"
            );
        }
    }

    #[test]
    fn a_column_is_case_determined_when_no_two_admitted_values_differ_in_case_only() {
        use crate::sql::expr::{Atom, glob_to_regex};
        let set = |v: &[&str]| Atom::InSet {
            column: "c".into(),
            values: v.iter().map(|x| format!("'{x}'")).collect(),
            negated: false,
        };
        let glob = |g: &str| Atom::Pattern {
            column: "c".into(),
            regex: glob_to_regex(g),
            negated: false,
        };
        for (atom, determined) in [
            (set(&["low", "high"]), true),
            (set(&["low", "LOW"]), false),
            (glob("INV-[0-9][0-9]"), true),
            (glob("[a-z][a-z0-9_]"), true),
            (glob("[A-Za-z]"), false),
            (glob("[aA]"), false),
            (glob("?"), false),
            (glob("INV-*"), false),
            (glob("[^0-9]"), false),
            (Atom::Other("lower(c) = c".into()), false),
        ] {
            assert_eq!(
                super::bounds("c", std::slice::from_ref(&atom)).case_determined,
                determined,
                "{atom:?}"
            );
        }
    }
}
