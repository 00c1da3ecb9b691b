//! A value strategy per domain, weighted toward edge cases.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::domain::{Domain, Lit};

/// Characters that break ports: case pairs whose folding differs between
/// ASCII-only and Unicode rules, combining marks, RTL, emoji, spaces.
const TRICKY: &[&str] = &[
    "ß", "SS", "İ", "i", "ı", "É", "é", "K", "\u{212a}", "e\u{301}", "\u{5d0}", "😀", " ", "a",
    "A", "Z", "z", "0", "'", "%", "_", "\\",
];

fn integer(min: i64, max: i64) -> BoxedStrategy<i64> {
    let mut edges: Vec<i64> = vec![
        min,
        max,
        0,
        -1,
        1,
        i64::from(i16::MIN),
        i64::from(i16::MAX),
        i64::from(i16::MAX) + 1,
        i64::from(i32::MIN),
        i64::from(i32::MAX),
        i64::from(i32::MAX) + 1,
        i64::MIN,
        i64::MAX,
        1_700_000_000_000_000_000, // a nanosecond timestamp
    ];
    edges.retain(|v| (min..=max).contains(v));
    edges.dedup();
    prop_oneof![
        3 => min..=max,
        1 => proptest::sample::select(edges),
    ]
    .boxed()
}

fn real(min: Option<f64>, max: Option<f64>) -> BoxedStrategy<f64> {
    let lo = min.unwrap_or(-1e12);
    let hi = max.unwrap_or(1e12);
    let mut edges = vec![lo, hi, 0.0, 0.1 + 0.2, 1.5, 9.99, 1e-3];
    if min.is_none() && max.is_none() {
        edges.extend([
            -0.0,
            f64::MIN_POSITIVE / 2.0,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ]);
    }
    let in_range: Vec<f64> = edges
        .into_iter()
        .filter(|v| v.is_nan() || (min.is_none_or(|m| *v >= m) && max.is_none_or(|m| *v <= m)))
        .collect();
    prop_oneof![
        3 => lo..=hi,
        1 => proptest::sample::select(in_range),
    ]
    .boxed()
}

fn text(min_chars: usize, max_chars: Option<usize>, nul: bool) -> BoxedStrategy<String> {
    let max = max_chars.unwrap_or(300);
    let cap = max.min(24).max(min_chars);
    let plain = proptest::string::string_regex(&format!("[a-zA-Z0-9 _.-]{{{min_chars},{cap}}}"))
        .expect("valid regex")
        .boxed();
    let tricky = vec(
        proptest::sample::select(TRICKY),
        min_chars..=cap.max(min_chars),
    )
    .prop_map(|parts| parts.concat())
    .prop_filter("fits the length domain", move |s| {
        let n = s.chars().count();
        n >= min_chars && n <= max
    })
    .boxed();
    let mut options: Vec<(u32, BoxedStrategy<String>)> = vec![(4, plain), (2, tricky)];
    // At and past the limit (past only when there is none: a valid value).
    let exact = max.max(min_chars);
    options.push((1, Just("x".repeat(exact)).boxed()));
    if min_chars == 0 {
        options.push((1, Just(String::new()).boxed()));
    }
    if max_chars.is_none() {
        options.push((1, Just("long ".repeat(60)).boxed()));
    }
    if nul && max >= 3 && min_chars <= 3 {
        options.push((1, Just("a\0b".to_string()).boxed()));
    }
    proptest::strategy::Union::new_weighted(options).boxed()
}

fn blob(min_len: usize, max_len: usize) -> BoxedStrategy<Vec<u8>> {
    let mut edges: Vec<usize> = vec![0, 1, 16, max_len.min(1024)];
    edges.retain(|l| *l >= min_len && *l <= max_len);
    let sized = proptest::sample::select(if edges.is_empty() {
        vec![min_len]
    } else {
        edges
    })
    .prop_flat_map(|n| vec(any::<u8>(), n));
    prop_oneof![
        2 => vec(any::<u8>(), min_len..=max_len.min(64).max(min_len)),
        1 => sized,
    ]
    .boxed()
}

/// A value of `domain` without the edges that hit inherent engine
/// differences (NUL in text, NaN, -0.0, infinities, subnormals, integers
/// whose sums overflow 64 bits): for properties about keys and actions,
/// where such a value would only spend the case on a known quirk.
pub fn tame_value(domain: &Domain) -> BoxedStrategy<Lit> {
    const WINDOW: i64 = 1_000_000_000_000;
    match domain {
        Domain::Integer { min, max } => {
            let (lo, hi) = ((*min).max(-WINDOW), (*max).min(WINDOW));
            if lo <= hi {
                integer(lo, hi).prop_map(Lit::Int).boxed()
            } else {
                value(domain)
            }
        }
        Domain::Real { min, max } => {
            let lo = min.unwrap_or(-1e12).max(-1e12);
            let hi = max.unwrap_or(1e12).min(1e12);
            if lo <= hi {
                real(Some(lo), Some(hi))
                    .prop_filter("a normal float", |f| *f == 0.0 || f.is_normal())
                    .prop_map(|f| Lit::Real(if f == 0.0 { 0.0 } else { f }))
                    .boxed()
            } else {
                value(domain)
            }
        }
        Domain::Text {
            min_chars,
            max_chars,
            ..
        } => text(*min_chars, *max_chars, false)
            .prop_map(Lit::Text)
            .boxed(),
        _ => value(domain),
    }
}

/// A plain value of the domain: a short lowercase word, a small number —
/// what parent rows hold, so that a witness inserting them shows no edge
/// value that is not its cause. Shaped domains (value sets, patterns,
/// times, JSON, ids, flags, bytes) keep their tame values.
pub fn plain_value(domain: &Domain) -> BoxedStrategy<Lit> {
    match domain {
        Domain::Integer { min, max } => {
            let (lo, hi) = ((*min).max(1), (*max).min(999));
            if lo <= hi {
                (lo..=hi).prop_map(Lit::Int).boxed()
            } else {
                tame_value(domain)
            }
        }
        Domain::Real { min, max } => {
            let inside: Vec<f64> = [1.0, 2.5, 10.0, 42.0, 99.5]
                .into_iter()
                .filter(|f| min.is_none_or(|m| *f >= m) && max.is_none_or(|m| *f <= m))
                .collect();
            if inside.is_empty() {
                tame_value(domain)
            } else {
                proptest::sample::select(inside).prop_map(Lit::Real).boxed()
            }
        }
        Domain::Text {
            min_chars,
            max_chars,
            ..
        } => {
            let lo = (*min_chars).max(1);
            let hi = lo.max(8).min(max_chars.unwrap_or(usize::MAX));
            if lo <= hi {
                proptest::string::string_regex(&format!("[a-z]{{{lo},{hi}}}"))
                    .expect("valid regex")
                    .prop_map(Lit::Text)
                    .boxed()
            } else {
                tame_value(domain)
            }
        }
        _ => tame_value(domain),
    }
}

/// The plainest value of a domain (0, the empty string, an empty blob, the
/// first allowed value), or None where a plain value is not simpler to read:
/// what a shrunk witness's columns that are not its cause are set to.
pub fn plainest(domain: &Domain) -> Option<Lit> {
    Some(match domain {
        // (`max(min).min(max)`, not `clamp`: a contradictory range must not panic.)
        Domain::Integer { min, max } => Lit::Int(0.max(*min).min(*max)),
        Domain::Flag => Lit::Int(0),
        Domain::Real { min, max } => Lit::Real(
            0f64.max(min.unwrap_or(f64::MIN))
                .min(max.unwrap_or(f64::MAX)),
        ),
        Domain::Text {
            min_chars,
            max_chars,
            ..
        } => Lit::Text("a".repeat((*min_chars).min(max_chars.unwrap_or(usize::MAX)))),
        Domain::Blob { min_len, .. } => Lit::Blob(vec![0; *min_len]),
        Domain::OneOf(values) => values.first()?.clone(),
        Domain::Glob(_) | Domain::Timestamp | Domain::Json | Domain::Generated(_) => return None,
    })
}

/// The text with its ASCII letters in the other case (what `COLLATE
/// NOCASE` and `citext` treat as the same text).
pub fn swap_ascii_case(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// Strings matching a SQLite GLOB pattern (`*`, `?`, `[...]`, `[^...]`).
pub fn glob_text(pattern: &str) -> BoxedStrategy<String> {
    let mut parts: Vec<BoxedStrategy<String>> = Vec::new();
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => parts.push(
                proptest::string::string_regex("[a-z0-9]{0,6}")
                    .expect("regex")
                    .boxed(),
            ),
            '?' => parts.push(
                proptest::string::string_regex("[a-zA-Z0-9]")
                    .expect("regex")
                    .boxed(),
            ),
            '[' => {
                let mut j = i + 1;
                let negate = chars.get(j) == Some(&'^');
                if negate {
                    j += 1;
                }
                let start = j;
                if chars.get(j) == Some(&']') {
                    j += 1;
                }
                while j < chars.len() && chars[j] != ']' {
                    j += 1;
                }
                let class: Vec<char> = chars[start..j.min(chars.len())].to_vec();
                let members = expand_class(&class);
                let pool: Vec<char> = if negate {
                    ('!'..='~')
                        .filter(|c| !members.contains(c) && *c != '[' && *c != ']')
                        .collect()
                } else {
                    members
                };
                let pool = if pool.is_empty() { vec!['x'] } else { pool };
                parts.push(
                    proptest::sample::select(pool)
                        .prop_map(|c| c.to_string())
                        .boxed(),
                );
                i = j;
            }
            c => parts.push(Just(c.to_string()).boxed()),
        }
        i += 1;
    }
    parts
        .into_iter()
        .fold(Just(String::new()).boxed(), |acc, p| {
            (acc, p).prop_map(|(a, b)| a + &b).boxed()
        })
}

fn expand_class(class: &[char]) -> Vec<char> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < class.len() {
        if k + 2 < class.len() && class[k + 1] == '-' {
            let (a, b) = (class[k], class[k + 2]);
            out.extend((a..=b).take(128));
            k += 3;
        } else {
            out.push(class[k]);
            k += 1;
        }
    }
    out
}

fn timestamp() -> BoxedStrategy<String> {
    (
        1971i32..2099,
        1u32..=12,
        1u32..=28,
        0u32..24,
        0u32..60,
        0u32..60,
    )
        .prop_map(|(y, mo, d, h, mi, s)| format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"))
        .boxed()
}

fn json() -> BoxedStrategy<String> {
    prop_oneof![
        Just("{}".to_string()),
        Just("[]".to_string()),
        (any::<i32>(), "[a-z]{0,8}").prop_map(|(n, s)| format!("{{\"n\": {n}, \"s\": \"{s}\"}}")),
        vec(any::<i16>(), 0..4).prop_map(|v| format!("{v:?}")),
    ]
    .boxed()
}

/// A strategy for one value of `domain` (never NULL; rows add NULLs).
pub fn value(domain: &Domain) -> BoxedStrategy<Lit> {
    match domain {
        Domain::Integer { min, max } => integer(*min, *max).prop_map(Lit::Int).boxed(),
        Domain::Flag => prop_oneof![Just(Lit::Int(0)), Just(Lit::Int(1))].boxed(),
        Domain::Real { min, max } => real(*min, *max).prop_map(Lit::Real).boxed(),
        Domain::Text {
            min_chars,
            max_chars,
            nul,
        } => text(*min_chars, *max_chars, *nul)
            .prop_map(Lit::Text)
            .boxed(),
        Domain::Blob { min_len, max_len } => blob(*min_len, *max_len).prop_map(Lit::Blob).boxed(),
        Domain::OneOf(values) if !values.is_empty() => {
            proptest::sample::select(values.clone()).boxed()
        }
        Domain::OneOf(_) => Just(Lit::Null).boxed(),
        Domain::Glob(p) => glob_text(p).prop_map(Lit::Text).boxed(),
        Domain::Timestamp => timestamp().prop_map(Lit::Text).boxed(),
        Domain::Json => json().prop_map(Lit::Text).boxed(),
        Domain::Generated(g) => crate::realistic::realistic(*g, domain)
            .unwrap_or_else(|| Just(Lit::Text(g.make_from(0))).boxed()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::TestRunner;

    #[test]
    fn case_swap_is_ascii_only() {
        assert_eq!(swap_ascii_case("aB-é"), "Ab-é");
    }

    #[test]
    fn the_plainest_value_stays_inside_its_domain() {
        assert_eq!(
            plainest(&Domain::Integer { min: 5, max: 9 }),
            Some(Lit::Int(5))
        );
        assert_eq!(
            plainest(&Domain::Integer { min: 9, max: 5 }),
            Some(Lit::Int(5))
        );
        assert_eq!(plainest(&Domain::Json), None);
    }

    fn sample(d: &Domain, n: usize) -> Vec<Lit> {
        let mut r = TestRunner::deterministic();
        let s = value(d);
        (0..n)
            .map(|_| s.new_tree(&mut r).expect("tree").current())
            .collect()
    }

    #[test]
    fn integers_stay_in_range_and_hit_the_bounds() {
        let v = sample(&Domain::Integer { min: -5, max: 100 }, 400);
        assert!(
            v.iter()
                .all(|x| matches!(x, Lit::Int(i) if (-5..=100).contains(i)))
        );
        assert!(v.contains(&Lit::Int(-5)) && v.contains(&Lit::Int(100)));
        let wide = sample(
            &Domain::Integer {
                min: i64::MIN,
                max: i64::MAX,
            },
            400,
        );
        assert!(wide.contains(&Lit::Int(i64::from(i32::MAX) + 1)));
    }

    #[test]
    fn text_respects_length_and_reaches_edges() {
        let v = sample(
            &Domain::Text {
                min_chars: 0,
                max_chars: Some(10),
                nul: false,
            },
            400,
        );
        assert!(
            v.iter()
                .all(|x| matches!(x, Lit::Text(s) if s.chars().count() <= 10 && !s.contains('\0')))
        );
        assert!(v.contains(&Lit::Text(String::new())));
        assert!(v.contains(&Lit::Text("x".repeat(10))));
        let with_nul = sample(
            &Domain::Text {
                min_chars: 0,
                max_chars: None,
                nul: true,
            },
            400,
        );
        assert!(
            with_nul
                .iter()
                .any(|x| matches!(x, Lit::Text(s) if s.contains('\0')))
        );
        assert!(
            with_nul
                .iter()
                .any(|x| matches!(x, Lit::Text(s) if s.chars().count() > 100))
        );
    }

    #[test]
    fn reals_include_the_float_edges_when_unbounded() {
        let v = sample(
            &Domain::Real {
                min: None,
                max: None,
            },
            600,
        );
        assert!(v.iter().any(|x| matches!(x, Lit::Real(f) if f.is_nan())));
        assert!(
            v.iter()
                .any(|x| matches!(x, Lit::Real(f) if *f == 0.0 && f.is_sign_negative()))
        );
        let b = sample(
            &Domain::Real {
                min: Some(0.0),
                max: Some(10.0),
            },
            200,
        );
        assert!(
            b.iter()
                .all(|x| matches!(x, Lit::Real(f) if (0.0..=10.0).contains(f)))
        );
    }

    #[test]
    fn glob_strings_match_their_pattern() {
        let mut r = TestRunner::deterministic();
        let s = glob_text("[A-Z][A-Z]-[0-9]*");
        for _ in 0..200 {
            let t = s.new_tree(&mut r).expect("tree").current();
            let b: Vec<char> = t.chars().collect();
            assert!(
                b.len() >= 4
                    && b[0].is_ascii_uppercase()
                    && b[1].is_ascii_uppercase()
                    && b[2] == '-'
                    && b[3].is_ascii_digit(),
                "{t}"
            );
        }
    }

    #[test]
    fn plain_values_are_short_words_and_small_numbers_inside_the_domain() {
        let mut r = TestRunner::deterministic();
        let text = plain_value(&Domain::Text {
            min_chars: 2,
            max_chars: Some(400),
            nul: true,
        });
        let int = plain_value(&Domain::Integer {
            min: -5,
            max: i64::MAX,
        });
        let real = plain_value(&Domain::Real {
            min: Some(2.0),
            max: Some(50.0),
        });
        for _ in 0..300 {
            let t = text.new_tree(&mut r).expect("tree").current();
            assert!(
                matches!(&t, Lit::Text(s) if (2..=8).contains(&s.len())
                    && s.chars().all(|c| c.is_ascii_lowercase())),
                "{t:?}"
            );
            let i = int.new_tree(&mut r).expect("tree").current();
            assert!(matches!(i, Lit::Int(1..=999)), "{i:?}");
            let f = real.new_tree(&mut r).expect("tree").current();
            assert!(
                matches!(f, Lit::Real(x) if x == 2.5 || x == 10.0 || x == 42.0),
                "{f:?}"
            );
        }
        // Where no plain value fits, the domain's tame values.
        let one = plain_value(&Domain::Text {
            min_chars: 0,
            max_chars: Some(0),
            nul: false,
        });
        let v = one.new_tree(&mut r).expect("tree").current();
        assert_eq!(v, Lit::Text(String::new()));
        let far = plain_value(&Domain::Integer {
            min: 5000,
            max: 6000,
        });
        let v = far.new_tree(&mut r).expect("tree").current();
        assert!(matches!(v, Lit::Int(5000..=6000)), "{v:?}");
    }

    #[test]
    fn tame_values_avoid_the_quirk_edges() {
        let mut r = TestRunner::deterministic();
        let text = tame_value(&Domain::Text {
            min_chars: 0,
            max_chars: None,
            nul: true,
        });
        let real = tame_value(&Domain::Real {
            min: None,
            max: None,
        });
        let int = tame_value(&Domain::Integer {
            min: i64::MIN,
            max: i64::MAX,
        });
        for _ in 0..600 {
            let t = text.new_tree(&mut r).expect("tree").current();
            assert!(matches!(&t, Lit::Text(s) if !s.contains('\0')), "{t:?}");
            let f = real.new_tree(&mut r).expect("tree").current();
            assert!(
                matches!(f, Lit::Real(x) if x.is_finite() && (x == 0.0 && x.is_sign_positive() || x.is_normal())),
                "{f:?}"
            );
            let i = int.new_tree(&mut r).expect("tree").current();
            assert!(
                matches!(i, Lit::Int(x) if x.abs() <= 1_000_000_000_000),
                "{i:?}"
            );
        }
        // A domain wholly outside the window keeps its own range.
        let far = tame_value(&Domain::Integer {
            min: 2_000_000_000_000,
            max: 3_000_000_000_000,
        });
        let v = far.new_tree(&mut r).expect("tree").current();
        assert!(matches!(v, Lit::Int(x) if x >= 2_000_000_000_000));
    }

    #[test]
    fn blobs_hit_lengths_zero_one_sixteen() {
        let v = sample(
            &Domain::Blob {
                min_len: 0,
                max_len: 4096,
            },
            400,
        );
        for n in [0usize, 1, 16] {
            assert!(
                v.iter().any(|x| matches!(x, Lit::Blob(b) if b.len() == n)),
                "length {n}"
            );
        }
    }
}
