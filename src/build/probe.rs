//! The pairings of column types no mapping rule covers, probed on both
//! engines once both databases are built.

use schema_parity_strategies::Lit;

use crate::config::Config;
use crate::engine;
use crate::error::Result;
use crate::mapping::{self, Probed, TypeVerdict};
use crate::model::Both;
use crate::progress::Progress;
use crate::provision;

/// Probes on both engines every pairing of column types between the two
/// schemas that no mapping rule covers ([`mapping::probe_values`] stored
/// and read back on each, [`mapping::probed`] judging the outcomes), so
/// that no such pairing is reported without saying what it does. The
/// PostgreSQL columns are made in `database`, where the migrations'
/// types are.
pub(super) fn probe_pairings(
    sqlite: &crate::model::schema::Schema,
    pg: &crate::model::schema::Schema,
    database: &provision::ScratchDatabase,
    progress: &dyn Progress,
) -> Result<Probed> {
    let none = Probed::new();
    let config = Config::default();
    let unknown = crate::structure::expected::schema(sqlite, &config, &none).unknown_pairings(pg);
    let mut probed = Probed::new();
    if unknown.is_empty() {
        return Ok(probed);
    }
    let values: Vec<Vec<Lit>> = unknown
        .iter()
        .map(|(s, p)| mapping::probe_values(s, &mapping::pg_kind(p)))
        .collect();
    let probes: Vec<engine::Probe> = unknown
        .iter()
        .zip(&values)
        .map(|((s, p), values)| {
            let kind = mapping::pg_kind(p);
            engine::Probe {
                types: Both {
                    sqlite: s.clone(),
                    postgres: p.clone(),
                },
                literals: values
                    .iter()
                    .map(|v| Both {
                        sqlite: mapping::lit_sqlite(v),
                        postgres: mapping::lit_postgres(v, &kind),
                    })
                    .collect(),
            }
        })
        .collect();
    let outcomes = engine::store_and_read(database.connect()?, &probes)?;
    for (((s, p), values), outcome) in unknown.iter().zip(&values).zip(outcomes) {
        let shown = if s.is_empty() { "no declared type" } else { s };
        match outcome {
            Ok(outcomes) => {
                let pairing = mapping::probed(s, p, values, &outcomes);
                progress.phase(&format!(
                    "probed SQLite {shown} ↔ PostgreSQL {p}, which no mapping rule covers, with {} values: {}",
                    pairing.probes,
                    if pairing.verdict == TypeVerdict::Equivalent {
                        "stored and read back alike"
                    } else {
                        "they differ"
                    }
                ));
                probed.insert(s, p, pairing);
            }
            Err(why) => progress.phase(&format!(
                "could not probe SQLite {shown} ↔ PostgreSQL {p}: {why}"
            )),
        }
    }
    Ok(probed)
}
