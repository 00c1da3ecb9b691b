//! The registry: each category once, and the ones the validate script
//! does not check, listed.

use super::{CATEGORIES, Psql};

#[test]
fn each_category_is_registered_once() {
    let mut names: Vec<&str> = CATEGORIES.iter().map(|c| c.name()).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(names.len(), before, "{names:?}");
}

/// What `emit-validate`'s script leaves to `check`, each with the reason
/// the script prints: a category joins this list only on purpose.
#[test]
fn categories_without_a_psql_check_are_these() {
    let unchecked: Vec<&str> = CATEGORIES
        .iter()
        .filter(|c| matches!(c.psql(), Psql::NotChecked(why) if !why.is_empty()))
        .map(|c| c.name())
        .collect();
    assert_eq!(unchecked, ["collations", "pg_objects", "views"]);
}
