//! A text that breaks one pattern CHECK of a column and keeps every other
//! rule of that column. A column often carries two patterns that overlap
//! (`GLOB '[A-Za-z0-9]*'`: starts with a letter or digit; `NOT GLOB
//! '*[^A-Za-z0-9._-]*'`: only these characters): a probe that breaks both
//! at once (`!abc`) is refused by an engine that enforces either, so the
//! engine that lacks one of them cannot show it. The text is searched for,
//! shortest first, over a small alphabet of letters, digits and the
//! punctuation patterns are about, and judged by each pattern's own regex.

use regex::Regex;
use schema_parity_strategies::Lit;

use crate::sql::expr::Atom;

/// Characters the search builds texts from: the classes patterns name
/// (lower, upper, digit) and the punctuation they allow or refuse.
const ALPHABET: [char; 12] = ['a', 'A', '0', '.', '-', '_', '!', ' ', 'z', '9', '/', '#'];

/// Longest text tried before padding to a minimum length.
const CORE: usize = 3;

/// A text that breaks `target` (a pattern of the column: it matches a
/// negated one, or fails a plain one) and keeps the column's other
/// patterns and its length limits; `None` when `target` is no pattern, the
/// column is a value set, a regex is beyond the `regex` crate, or no text
/// of the search does.
pub fn breaking_only(target: &Atom, atoms: &[Atom]) -> Option<Lit> {
    if !matches!(target, Atom::Pattern { .. })
        || atoms
            .iter()
            .any(|a| matches!(a, Atom::InSet { negated: false, .. }))
    {
        return None;
    }
    let mut rules: Vec<(Regex, bool, bool)> = Vec::new();
    let (mut min, mut max) = (0usize, usize::MAX);
    for a in atoms {
        match a {
            Atom::Pattern { regex, negated, .. } => {
                rules.push((Regex::new(regex).ok()?, *negated, a == target));
            }
            Atom::MinLength { min: m, .. } => min = min.max(usize::try_from(*m).ok()?),
            Atom::MaxLength { max: m, .. } => max = max.min(usize::try_from(*m).ok()?),
            _ => {}
        }
    }
    // Whether `t` keeps the length limits and every pattern but the
    // target, and breaks the target unless `valid` (then it keeps all).
    let fits = |t: &str, valid: bool| {
        let n = t.chars().count();
        n >= min
            && n <= max
            && rules.iter().all(|(re, negated, is_target)| {
                let holds = re.is_match(t) != *negated;
                holds != (*is_target && !valid)
            })
    };
    let mut cores: Vec<String> = vec![String::new()];
    let mut frontier = cores.clone();
    for _ in 0..CORE {
        frontier = frontier
            .iter()
            .flat_map(|p| ALPHABET.iter().map(move |c| format!("{p}{c}")))
            .collect();
        cores.extend(frontier.iter().cloned());
    }
    let search = |valid: bool| {
        cores.iter().find_map(|core| {
            let short = min.saturating_sub(core.chars().count());
            // As it is, then padded to the minimum length on either side.
            ["a", "0", "A"].iter().find_map(|pad| {
                [
                    core.clone(),
                    format!("{core}{}", pad.repeat(short)),
                    format!("{}{core}", pad.repeat(short)),
                ]
                .into_iter()
                .find(|t| fits(t, valid))
            })
        })
    };
    // Best next to a valid text: one character before or after it, so an
    // unanchored spelling of the pattern (which the valid part satisfies)
    // still takes it. Else the shortest text that breaks it alone.
    let beside = search(true).and_then(|v| {
        ALPHABET
            .iter()
            .flat_map(|x| [format!("{x}{v}"), format!("{v}{x}")])
            .find(|t| fits(t, false))
    });
    beside.or_else(|| search(false)).map(Lit::Text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::expr::glob_to_regex;

    fn glob(p: &str, negated: bool) -> Atom {
        Atom::Pattern {
            column: "name".into(),
            regex: glob_to_regex(p),
            negated,
        }
    }

    #[test]
    fn each_of_two_overlapping_patterns_is_broken_alone() {
        let starts = glob("[A-Za-z0-9]*", false);
        let only = glob("*[^A-Za-z0-9._-]*", true);
        let atoms = vec![
            starts.clone(),
            only.clone(),
            Atom::MinLength {
                column: "name".into(),
                min: 3,
            },
        ];
        let starts_re = Regex::new(&glob_to_regex("[A-Za-z0-9]*")).expect("regex");
        let only_re = Regex::new(&glob_to_regex("*[^A-Za-z0-9._-]*")).expect("regex");
        let Some(Lit::Text(a)) = breaking_only(&starts, &atoms) else {
            panic!("no text breaks the first pattern alone");
        };
        assert!(
            !starts_re.is_match(&a) && !only_re.is_match(&a) && a.chars().count() >= 3,
            "{a:?}"
        );
        let Some(Lit::Text(b)) = breaking_only(&only, &atoms) else {
            panic!("no text breaks the second pattern alone");
        };
        assert!(
            starts_re.is_match(&b) && only_re.is_match(&b) && b.chars().count() >= 3,
            "{b:?}"
        );
    }

    #[test]
    fn the_break_sits_next_to_a_valid_text() {
        // An unanchored spelling of the first pattern (`~ '[a-z0-9]'`)
        // takes "-a" but not "-": the break keeps a valid part.
        let starts = glob("[a-z0-9]*", false);
        let only = glob("*[^a-z0-9-]*", true);
        let atoms = vec![starts.clone(), only];
        let Some(Lit::Text(t)) = breaking_only(&starts, &atoms) else {
            panic!("no text breaks the first pattern alone");
        };
        let unanchored = Regex::new("[a-z0-9]").expect("regex");
        assert!(unanchored.is_match(&t), "{t:?}");
    }

    #[test]
    fn nothing_when_the_rules_leave_no_such_text() {
        // Breaking "starts with a digit" while keeping "digits only" is
        // impossible over a non-empty text of at least one character.
        let digit_first = glob("[0-9]*", false);
        let digits_only = glob("*[^0-9]*", true);
        let one = Atom::MinLength {
            column: "name".into(),
            min: 1,
        };
        let atoms = vec![digit_first.clone(), digits_only, one];
        assert_eq!(breaking_only(&digit_first, &atoms), None);
        // Not a pattern: not this search's business.
        let set = Atom::InSet {
            column: "name".into(),
            values: std::collections::BTreeSet::from(["'a'".to_string()]),
            negated: false,
        };
        assert_eq!(breaking_only(&set, std::slice::from_ref(&set)), None);
    }
}
