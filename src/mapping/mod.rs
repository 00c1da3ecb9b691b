//! The one home of every SQLite ↔ PostgreSQL rule: what SQLite stores in a
//! column (`class`), what a PostgreSQL type is (`kind`), whether the two
//! correspond (`types`: the type verdict), the CHECKs a type enforces and
//! the bounds CHECKs put on a column (`checks`), how values read back
//! compare (`values`), which defaults are the same (`defaults`), the agreed
//! domain of a column (`agreed`), how a literal is spelled for each engine
//! (`literal`), what a collation makes equal (`collation`), and how a
//! pairing no rule covers is judged from what both engines did with the
//! same values (`probe`). The built-in rules cover the usual
//! SQLite→PostgreSQL conventions so a run needs no config.

mod agreed;
mod checks;
mod class;
mod collation;
mod defaults;
mod kind;
mod literal;
mod probe;
mod types;
mod values;

pub use agreed::{agreed, common_ground, default_differs, lit_of, type_differs};
pub use checks::{Bounds, bounds, type_enforces};
pub use class::{SqliteClass, sqlite_class};
pub use collation::{Collation, collation_difference};
pub use defaults::{
    affinity_number, clock_reading, clock_zones, reads_clock, same_clock_reading, same_default,
};
pub use kind::{Enforced, Family, KINDS, KindRow, PgKind, TextShape, pg_kind};
pub use literal::{
    copy_postgres, copy_text, lit_postgres, lit_sqlite, value_postgres, value_sqlite,
};
pub use probe::{Probed, ProbedPairing, probe_values, probed};
pub use types::{TypeDifference, TypeVerdict, enum_literals, judge, standard_pg_type};
pub use values::{canonical_time, same_value};
