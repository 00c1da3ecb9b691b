//! Structural comparison: what PostgreSQL should have ([`expected`], the
//! SQLite model under the mapping), the structural categories, one file
//! each, every one comparing the expected table with the PostgreSQL table
//! into findings and writing its psql assertions into the validate script
//! (or saying why it has none), and the two loops over [`CATEGORIES`]:
//! [`diff`] (the findings) and [`validate`] (the `emit-validate` script's
//! frame). A new category is its file plus its line in the `registry!`
//! below.

pub mod diff;
pub mod expected;
pub mod validate;

mod category;
mod describe;
mod script;
mod virtual_table;

// A macro, so that a category's module and its registry entry are one line.
macro_rules! registry {
    ($($module:ident::$category:ident),* $(,)?) => {
        $(mod $module;)*
        /// Every structural category, in the order findings and script
        /// lines are written (a column's findings in the order of the
        /// column hooks, then the table's in the order of the table hooks).
        pub static CATEGORIES: &[&dyn StructureCategory] = &[$(&$module::$category),*];
    };
}

registry! {
    columns::Columns,
    keys::Keys,
    defaults::Defaults,
    collations::Collations,
    indexes::Indexes,
    foreign_keys::ForeignKeys,
    checks::Checks,
    triggers::Triggers,
    pg_objects::PgObjects,
    views::Views,
    seed_rows::SeedRows,
}

pub use category::{Psql, StructureCategory, TablePair};
pub use columns::missing_column;
pub use script::{Accepted, Guard, Script, TableScript, array, lit};
pub use virtual_table::virtual_table;

#[cfg(test)]
mod tests;
