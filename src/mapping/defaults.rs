//! Default equivalence: whether a SQLite default and a PostgreSQL one give
//! the same value under the column's mapping (`0` vs `FALSE`,
//! `CURRENT_TIMESTAMP` vs `now()`), which clock each stamps, and whether two
//! values read from a clock a moment apart are one reading.

use super::kind::{Family, PgKind};
use super::values::canonical_time;
use crate::model::schema::Value;
use crate::sql::expr::DefaultValue;

/// A default that reads the current time (in any unit or format).
pub fn reads_clock(d: &DefaultValue) -> bool {
    match d {
        DefaultValue::Now | DefaultValue::LocalNow => true,
        DefaultValue::Expr(e) => {
            let e = e.to_lowercase();
            [
                "now",
                "current_timestamp",
                "localtimestamp",
                "unixepoch",
                "clock_timestamp",
            ]
            .iter()
            .any(|w| {
                crate::engine::attribution::identifiers(&e)
                    .iter()
                    .any(|i| i == w)
            }) || e.contains("'now'")
        }
        _ => false,
    }
}

/// A SQLite clock default (`s`) against a PostgreSQL one in a column of
/// `kind`: `None` when both stamp the same clock, else what each stamps.
/// SQLite's CURRENT_TIMESTAMP is UTC text, `datetime('now','localtime')`
/// the local wall clock; PostgreSQL's `timestamp` (without time zone)
/// stores the wall clock of the session's TimeZone whether its default is
/// now() or LOCALTIMESTAMP, and a `timestamptz` stores the instant either
/// way (<https://www.postgresql.org/docs/current/functions-datetime.html#FUNCTIONS-DATETIME-CURRENT>).
pub fn clock_zones(s: &DefaultValue, kind: &PgKind) -> Option<(&'static str, &'static str)> {
    let sqlite = if *s == DefaultValue::LocalNow {
        "local wall-clock time"
    } else {
        "UTC"
    };
    let pg = if *kind == PgKind::Timestamp {
        "local wall-clock time"
    } else {
        "UTC"
    };
    (sqlite != pg).then(|| {
        (
            if sqlite == "UTC" {
                "the UTC time as text"
            } else {
                "the local wall-clock time of the application's machine"
            },
            if pg == "UTC" {
                "the current instant (timestamptz), which the mapping reads as UTC"
            } else {
                "the local wall-clock time of the server's TimeZone setting (timestamp without time zone)"
            },
        )
    })
}

/// Whether two defaults give the same value under the mapping.
pub fn same_default(s: &DefaultValue, p: &DefaultValue, kind: &PgKind) -> bool {
    use DefaultValue as D;
    match (s, p) {
        (D::Now | D::LocalNow, D::Now | D::LocalNow) => clock_zones(s, kind).is_none(),
        (a, b) if a == b => true,
        (D::Integer(i), D::Bool(b)) => kind.family() == Family::Boolean && *i == i128::from(*b),
        // A SQLite text default in a flag column is the number it reads
        // as ('0' is 0: INTEGER and NUMERIC affinity), else text kept as
        // written ('false' stays the text 'false', never 0).
        (D::Text(t), D::Bool(b)) => {
            kind.family() == Family::Boolean
                && affinity_number(t) == Some(if *b { 1.0 } else { 0.0 })
        }
        // PostgreSQL stores a boolean column's text default folded to
        // true/false; read one that is not ('t', 'yes') as its input does.
        (D::Integer(i), D::Text(t)) if kind.family() == Family::Boolean => {
            pg_boolean(t).is_some_and(|b| i128::from(b) == *i)
        }
        (D::Bool(a), D::Text(t)) if kind.family() == Family::Boolean => pg_boolean(t) == Some(*a),
        (D::Integer(i), D::Real(f)) | (D::Real(f), D::Integer(i)) => {
            #[expect(clippy::cast_precision_loss, reason = "small literal defaults")]
            let x = *i as f64;
            x == *f
        }
        (D::Text(t), D::Integer(i)) | (D::Integer(i), D::Text(t)) => {
            t.trim().parse::<i128>() == Ok(*i)
        }
        (D::Text(a), D::Text(b)) => match kind.family() {
            Family::Temporal => canonical_time(a) == canonical_time(b),
            Family::Json => {
                serde_json::from_str::<serde_json::Value>(a).ok()
                    == serde_json::from_str::<serde_json::Value>(b).ok()
            }
            _ => false,
        },
        _ => false,
    }
}

/// The number SQLite's INTEGER or NUMERIC affinity turns text into, when
/// it reads as one (`'12'`, `'1.0'`, `'1e3'`; not `' 12'`, `'true'`), as
/// <https://sqlite.org/datatype3.html#type_affinity> converts it.
pub fn affinity_number(text: &str) -> Option<f64> {
    let numeric = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || "+-.eE".contains(c))
        && text.chars().any(|c| c.is_ascii_digit());
    numeric.then(|| text.parse::<f64>().ok()).flatten()
}

/// PostgreSQL's boolean input: `t`, `true`, `yes`, `on`, `1` and their
/// opposites, any letter case
/// (<https://www.postgresql.org/docs/current/datatype-boolean.html>).
fn pg_boolean(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "t" | "true" | "y" | "yes" | "on" | "1" => Some(true),
        "f" | "false" | "n" | "no" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// How close to `now` (seconds) a value must be to count as the clock read
/// during this run's migrations.
const CLOCK_WINDOW_SECS: i64 = 6 * 60 * 60;

/// Whether `v` is a reading of the clock taken around `now` (Unix seconds):
/// a `YYYY-MM-DD HH:MM:SS[.f]` timestamp, or a Unix time in seconds,
/// milliseconds, microseconds or nanoseconds.
pub fn clock_reading(v: &Value, now: i64) -> bool {
    let near = |secs: i64| (secs - now).abs() <= CLOCK_WINDOW_SECS;
    match v {
        Value::Integer(n) => [1, 1_000, 1_000_000, 1_000_000_000]
            .iter()
            .any(|unit| near(n / unit)),
        #[expect(
            clippy::cast_possible_truncation,
            reason = "a clock reading in seconds"
        )]
        Value::Real(f) if f.is_finite() && f.abs() < 1e13 => near(*f as i64),
        Value::Text(t) => unix_seconds(t).is_some_and(near),
        _ => false,
    }
}

/// Whether two values read from a clock a moment apart, one per engine,
/// are the same reading: the same unit (seconds, milliseconds, …) or both
/// timestamps, at most two seconds apart — a default such as
/// `strftime('%s', 'now')` against `extract(epoch FROM now())` can straddle
/// a second between the two engines' statements.
pub fn same_clock_reading(a: &Value, b: &Value) -> bool {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    same_reading_at(a, b, now)
}

fn same_reading_at(a: &Value, b: &Value, now: i64) -> bool {
    if !(clock_reading(a, now) && clock_reading(b, now)) {
        return false;
    }
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => {
            [1, 1_000, 1_000_000, 1_000_000_000].iter().any(|&unit| {
                let near = |n: i64| (n / unit - now).abs() <= CLOCK_WINDOW_SECS;
                near(*x) && near(*y) && (x - y).abs() <= 2 * unit
            })
        }
        (Value::Text(x), Value::Text(y)) => match (unix_seconds(x), unix_seconds(y)) {
            (Some(x), Some(y)) => (x - y).abs() <= 2,
            _ => false,
        },
        (Value::Real(x), Value::Real(y)) => (x - y).abs() <= 2.0,
        _ => false,
    }
}

/// `YYYY-MM-DD[ T]HH:MM:SS…` (UTC) as Unix seconds.
fn unix_seconds(text: &str) -> Option<i64> {
    let t = text.trim();
    let num = |r: std::ops::Range<usize>| t.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if t.get(4..5)? != "-" || t.get(13..14)? != ":" {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3_600 + mm * 60 + ss)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_of_the_clock_now_are_recognised_in_every_unit() {
        assert_eq!(unix_seconds("1970-01-02 00:00:01"), Some(86_401));
        assert_eq!(unix_seconds("2024-02-29T12:00:00Z"), Some(1_709_208_000));
        let now = 1_709_208_000;
        assert!(clock_reading(
            &Value::Text("2024-02-29 12:03:00.25".into()),
            now
        ));
        assert!(clock_reading(&Value::Integer(now - 5), now));
        assert!(clock_reading(
            &Value::Integer((now + 1) * 1_000_000_000),
            now
        ));
        // A fixed date or an ordinary number is a value, not a reading.
        assert!(!clock_reading(
            &Value::Text("2000-01-01 00:00:01".into()),
            now
        ));
        // Two engines reading the clock a moment apart: one reading; a
        // second against a millisecond reading, or an hour apart, is not.
        assert!(same_reading_at(
            &Value::Integer(now),
            &Value::Integer(now + 1),
            now
        ));
        assert!(!same_reading_at(
            &Value::Integer(now),
            &Value::Integer(now * 1000),
            now
        ));
        assert!(!same_reading_at(
            &Value::Integer(now),
            &Value::Integer(now + 3600),
            now
        ));
        assert!(!same_reading_at(
            &Value::Integer(42),
            &Value::Integer(43),
            now
        ));
        assert!(!clock_reading(&Value::Integer(42), now));
        assert!(!clock_reading(&Value::Text("theme".into()), now));
    }
}
