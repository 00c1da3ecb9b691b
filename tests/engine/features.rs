//! Schema features real chains use (STRICT, WITHOUT ROWID, generated
//! columns, views, AUTOINCREMENT, NOCASE/RTRIM ↔ citext, foreign keys to a
//! unique column, deferrable foreign keys; PostgreSQL domains, identity
//! columns, a non-public schema, CHAR(n), arrays, numeric(p,s), local-time
//! defaults): each pair under
//! tests/fixtures/features is checked like a root-cause fixture (every check
//! at once, exactly the findings its `expect` lists, each with a witness
//! that replays unless marked `structural`). `<feature>_differs` plants a
//! difference; `<feature>_same` is the equivalent spelling, which must stay
//! quiet with every property exercised.

use std::sync::Arc;

use libtest_mimic::Trial;

use crate::common::{Shared, fixture_names, fixtures_dir};

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    fixture_names("features")
        .into_iter()
        .map(|name| {
            let s = shared.clone();
            let dir = fixtures_dir().join("features").join(&name);
            Trial::test(format!("features::{name}"), move || {
                crate::root_cause::case(&s, &dir)
            })
        })
        .collect()
}
