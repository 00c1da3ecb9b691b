//! A migration's version as its tool reads it, and the order between two of
//! them. Each layout builds one kind of [`Version`]; the derived order is the
//! tool's order (variants of different kinds never meet in one folder, except
//! Flyway's repeatables, which sort after every versioned migration).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// An integer (sqlx, refinery, golang-migrate, goose, authelia):
    /// `009` and `9` are the same version.
    Number(u128),
    /// Text compared byte by byte: diesel (the part before the first `_`,
    /// dashes removed), dbmate and maragudk/migrate (the file name).
    Text(String),
    /// Numeric parts compared one by one, trailing zeros dropped so that
    /// Flyway's `1.0` equals `1` (Flyway `V1_1__`, `V1.1__`; memos' semver
    /// folder then file number).
    Parts(Vec<u64>),
    /// Flyway's `R__name.sql`: applied after every versioned migration,
    /// ordered by name.
    Repeatable(String),
}

impl Version {
    /// `1_1`, `1.1` or `2.0.3` → numeric parts; `None` when a part is not a number.
    pub fn parts(text: &str) -> Option<Version> {
        let mut parts = text
            .split(['.', '_'])
            .map(|p| {
                (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| p.parse::<u64>().ok())
                    .flatten()
            })
            .collect::<Option<Vec<u64>>>()?;
        while parts.len() > 1 && parts.last() == Some(&0) {
            parts.pop();
        }
        Some(Version::Parts(parts))
    }

    /// All digits → the integer; anything else → `None`.
    pub fn number(text: &str) -> Option<Version> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok().map(Version::Number)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Number(n) => write!(f, "{n}"),
            Version::Text(t) => write!(f, "{t}"),
            Version::Parts(p) => {
                let parts: Vec<String> = p.iter().map(u64::to_string).collect();
                write!(f, "{}", parts.join("."))
            }
            Version::Repeatable(name) => write!(f, "R__{name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_versions_compare_as_strings_like_diesel() {
        // `2024-03-13_170000_x` has version `20240313`: diesel applies it
        // after `20240306170000` and before `20240314000000`; as a number it
        // would come before every 14-digit version.
        let t = |s: &str| Version::Text(s.into());
        assert!(t("20240306170000") < t("20240313"));
        assert!(t("20240313") < t("20240314000000"));
        assert!(Version::number("20240313") < Version::number("20240306170000"));
    }

    #[test]
    fn numbers_ignore_leading_zeros() {
        assert_eq!(Version::number("009"), Version::number("9"));
        assert!(Version::number("9") < Version::number("10"));
        assert_eq!(Version::number("v1"), None);
    }

    #[test]
    fn parts_compare_numerically_and_drop_trailing_zeros() {
        let v = |s| Version::parts(s).unwrap_or(Version::Number(0));
        assert!(v("1.2") < v("1.10"));
        assert!(v("1_1") < v("2"));
        assert_eq!(v("1.0"), v("1"));
        assert_eq!(v("1_1"), v("1.1"));
        assert!(v("0.2") < v("0.10"));
        assert_eq!(Version::parts("1.x"), None);
    }

    #[test]
    fn repeatables_come_after_every_versioned_migration() {
        assert!(Version::Repeatable("a".into()) > Version::Parts(vec![u64::MAX]));
        assert!(Version::Repeatable("a".into()) < Version::Repeatable("b".into()));
    }
}
