//! How a value read back from each engine compares under a column's
//! mapping (1 ↔ true, ISO text ↔ timestamptz instant, REAL ↔ float4
//! rounding…).

use super::kind::{Family, PgKind};
use crate::model::schema::Value;

/// True when two values read back from the engines are the same under the
/// column's mapping. `pg` values come from [`crate::engine::postgres`] with
/// booleans as 0/1 integers and bytea as blobs.
pub fn same_value(sqlite: &Value, pg: &Value, kind: &PgKind) -> bool {
    match (sqlite, pg) {
        (Value::Null, Value::Null) => return true,
        (Value::Null, _) | (_, Value::Null) => return false,
        _ => {}
    }
    match kind.family() {
        Family::Float => {
            let (Some(a), Some(b)) = (as_f64(sqlite), as_f64(pg)) else {
                return false;
            };
            if a.is_nan() || b.is_nan() {
                return a.is_nan() && b.is_nan();
            }
            if *kind == PgKind::Real {
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "float4 rounding is the point"
                )]
                let a32 = a as f32;
                f64::from(a32) == b
            } else {
                a == b
            }
        }
        // SQLite keeps every digit of a REAL (or NUMERIC-affinity) value;
        // NUMERIC(p, s) rounds to s places: that rounding is a difference.
        Family::Decimal => match (as_f64(sqlite), as_f64(pg)) {
            (Some(a), Some(b)) => a == b || (a - b).abs() <= f64::EPSILON * a.abs().max(b.abs()),
            _ => false,
        },
        Family::Temporal => match (sqlite, pg) {
            (Value::Text(a), Value::Text(b)) => canonical_time(a) == canonical_time(b),
            _ => false,
        },
        Family::Json => match (sqlite, pg) {
            (Value::Text(a), Value::Text(b)) => {
                match (
                    serde_json::from_str::<serde_json::Value>(a),
                    serde_json::from_str::<serde_json::Value>(b),
                ) {
                    (Ok(x), Ok(y)) => x == y,
                    _ => a == b,
                }
            }
            _ => false,
        },
        Family::Uuid => match (sqlite, pg) {
            (Value::Text(a), Value::Text(b)) => a.to_lowercase() == b.to_lowercase(),
            (Value::Blob(a), Value::Text(b)) => {
                let hex: String = a.iter().map(|x| format!("{x:02x}")).collect();
                hex == b.replace('-', "")
            }
            _ => false,
        },
        // The rest compare exactly: CHAR(n) reads back blank-padded, so
        // 'ab' stored in CHAR(3) is 'ab ' to the application, not 'ab'.
        _ => sqlite == pg,
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        #[expect(clippy::cast_precision_loss, reason = "comparing as floats on purpose")]
        Value::Integer(i) => Some(*i as f64),
        Value::Real(f) => Some(*f),
        Value::Text(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `2024-01-02T03:04:05.000Z`, `2024-01-02 03:04:05+00` → `2024-01-02 03:04:05`.
pub fn canonical_time(s: &str) -> String {
    let mut t = s.trim().replace('T', " ");
    for suffix in ["+00:00", "+00", "Z", "z"] {
        if let Some(x) = t.strip_suffix(suffix) {
            t = x.to_string();
            break;
        }
    }
    if let Some((main, frac)) = t.split_once('.') {
        let frac = frac.trim_end_matches('0');
        t = if frac.is_empty() {
            main.to_string()
        } else {
            format!("{main}.{frac}")
        };
    }
    if t.len() == 16 {
        t.push_str(":00");
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_compare_under_mapping() {
        assert!(same_value(
            &Value::Integer(1),
            &Value::Integer(1),
            &PgKind::Boolean
        ));
        assert!(same_value(
            &Value::Text("2024-01-02 03:04:05".into()),
            &Value::Text("2024-01-02 03:04:05+00".into()),
            &PgKind::TimestampTz
        ));
        assert!(!same_value(
            &Value::Real(0.1),
            &Value::Real(0.1f32.into()),
            &PgKind::Double
        ));
        assert!(same_value(
            &Value::Real(0.1),
            &Value::Real(0.1f32.into()),
            &PgKind::Real
        ));
        let cents = PgKind::Numeric {
            precision: Some(10),
            scale: 2,
        };
        assert!(!same_value(
            &Value::Real(0.125),
            &Value::Text("0.13".into()),
            &cents
        ));
        assert!(same_value(
            &Value::Real(9.99),
            &Value::Text("9.99".into()),
            &cents
        ));
        assert!(same_value(
            &Value::Text("{\"a\": 1}".into()),
            &Value::Text("{\"a\":1}".into()),
            &PgKind::Jsonb
        ));
    }
}
