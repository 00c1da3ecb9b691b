//! Seeding a worker's parent rows: a small committed, FK-consistent set per
//! table, parents first (values from `strategies`' plain rows), and the
//! INSERTs of those a witness references, for replaying it elsewhere.

use std::collections::{BTreeMap, BTreeSet};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
use schema_parity_strategies::{ColumnSpec, Lit, plain_row, plainest_row};

use crate::error::{Error, Result};
use crate::model::Both;
use crate::model::schema::Value;

use super::lookup::FreedSeed;
use super::parents::{NULL_PICK, ParentRow, free_parents, holds_unique_default, insert_statement};
use super::sql::{self, Statement};
use super::tables::TableInfo;
use super::worker::{SequenceState, Worker, seed_bytes};
use crate::engine::Outcome;

impl Worker {
    /// Inserts a small committed dataset per table, parents first, reading
    /// back what each engine stored (ids and random keys differ per engine);
    /// for `only` these tables, all when `None`.
    pub fn seed_parents(
        &mut self,
        tables: &BTreeMap<String, TableInfo>,
        order: &[String],
        freed: &BTreeMap<String, FreedSeed>,
        seed: u64,
        per_table: usize,
        only: Option<&BTreeSet<String>>,
    ) -> Result<()> {
        // Values are drawn from it, no test runs: only its RNG matters.
        let mut runner = TestRunner::new_with_rng(
            super::quiet::config(1, 1, None, false),
            TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes(seed)),
        );
        self.free_lookup_rows(freed)?;
        self.probe_sequences(tables, only);
        // PARITY_DEBUG_PARENTS=1 says why a table gets no parent rows.
        let debug = std::env::var_os("PARITY_DEBUG_PARENTS").is_some();
        for name in order {
            let Some(info) = tables.get(name) else {
                continue;
            };
            if only.is_some_and(|o| !o.contains(name)) {
                continue;
            }
            // A lookup table's parent rows take the values freed for them.
            let narrowed;
            let info = match freed.get(name) {
                Some(f) if f.parent_values.is_empty() => {
                    self.parents.insert(name.clone(), Vec::new());
                    continue;
                }
                Some(f) => {
                    let mut t = info.clone();
                    if let Some(c) = t.columns.iter_mut().find(|c| c.name == f.column) {
                        c.spec.domain =
                            schema_parity_strategies::Domain::OneOf(f.parent_values.clone());
                    }
                    narrowed = t;
                    &narrowed
                }
                None => info,
            };
            let rows = self.seed_table(&mut runner, tables, name, info, per_table, debug);
            if debug && rows.is_empty() {
                eprintln!("no parent rows for {name}");
            }
            self.parents.insert(name.clone(), rows);
        }
        Ok(())
    }

    /// Lookup tables first make room for new rows (see `lookup`): their
    /// freed seed rows deleted on both engines.
    fn free_lookup_rows(&mut self, freed: &BTreeMap<String, FreedSeed>) -> Result<()> {
        for (name, delete) in freed
            .iter()
            .filter_map(|(n, f)| Some((n, f.delete.as_ref()?)))
        {
            let Both {
                sqlite: s,
                postgres: p,
            } = self.run(delete);
            let why = |o: &Outcome| format!("{} (deleting seed rows of {name})", o.describe());
            if !s.is_ok() {
                return Err(Error::sqlite(why(&s)));
            }
            if !p.is_ok() {
                return Err(Error::postgres(why(&p)));
            }
        }
        Ok(())
    }

    /// The parent rows of one table: up to `per_table` (fewer where its
    /// children need free parents) of the rows both engines accept, drawn
    /// from `runner`, in at most `per_table * 80` attempts.
    fn seed_table(
        &mut self,
        runner: &mut TestRunner,
        tables: &BTreeMap<String, TableInfo>,
        name: &str,
        info: &TableInfo,
        per_table: usize,
        debug: bool,
    ) -> Vec<ParentRow> {
        let mut rows = Vec::new();
        let (full, required) = seed_columns(tables, name, info);
        let (full_s, required_s) = (plain_row(&full), plain_row(&required));
        // First the shortest rows a witness can carry: the required
        // columns, plain values; then the mix below when those fail.
        let plainest_s = plainest_row(&required);
        let cap = self.seed_cap(name, info, per_table);
        for attempt in 0..(per_table * 80) {
            if rows.len() >= cap {
                break;
            }
            let (specs, strategy) = if attempt < per_table * 20 {
                (&required, &plainest_s)
            } else if attempt % 2 == 0 {
                (&required, &required_s)
            } else {
                (&full, &full_s)
            };
            let Ok(tree) = strategy.new_tree(runner) else {
                break;
            };
            let mut values = tree.current();
            self.follow_soft_references(info, specs, &mut values, attempt);
            // A committed row holding a unique column's default would
            // refuse every later row that leaves that column out (the
            // default check could then test nothing).
            if specs
                .iter()
                .zip(&values)
                .any(|(spec, v)| holds_unique_default(info, &spec.name, v))
            {
                continue;
            }
            let pick = rows.len();
            // Every other attempt leaves the optional references NULL.
            let fk_pick = if attempt % 4 >= 2 { NULL_PICK } else { pick };
            let Some(stmt) =
                insert_statement(info, specs, &values, &self.parents, |_| fk_pick, true)
            else {
                if debug {
                    eprintln!("no row for {name}: a required parent table has no rows");
                }
                break;
            };
            if let Some(row) = self.insert_seed_row(name, info, &stmt, debug && attempt < 6) {
                rows.push(row);
                self.claim_parents(info, pick);
            }
        }
        rows
    }

    /// How many parent rows a table gets: `per_table`, or fewer where a
    /// child of it needs free parent rows.
    fn seed_cap(&self, name: &str, info: &TableInfo, per_table: usize) -> usize {
        // A one-to-one child uses up its parent rows: seed it on at most
        // half of the free ones so cases still find a free parent.
        let cap = (0..info.foreign_keys.len())
            .filter(|&k| info.one_to_one(k) && info.foreign_keys[k].target_table != name)
            .map(|k| free_parents(info, k, &self.parents).len() / 2)
            .fold(per_table, usize::min);
        // A link table's rows take pairs of parents: seed at most half
        // of the pairs, so cases still find a free one.
        match super::parents::link_key(info) {
            Some((_, fks)) => {
                let pairs: usize = fks
                    .iter()
                    .map(|&k| free_parents(info, k, &self.parents).len())
                    .product();
                (pairs / 2).min(cap)
            }
            None => cap,
        }
    }

    /// A column a child's trigger wants to be another table's key takes the
    /// key of one of that table's parent rows.
    fn follow_soft_references(
        &self,
        info: &TableInfo,
        specs: &[ColumnSpec],
        values: &mut [Lit],
        attempt: usize,
    ) {
        for soft in &info.soft_references {
            let Some(i) = specs.iter().position(|s| s.name == soft.column) else {
                continue;
            };
            let keys = self
                .parents
                .get(&soft.target_table)
                .map_or(&[][..], Vec::as_slice);
            if keys.is_empty() {
                continue;
            }
            let row = &keys[(attempt / 2) % keys.len()];
            match row.sqlite.get(&soft.target_column) {
                Some(Value::Text(t)) => values[i] = Lit::Text(t.clone()),
                Some(Value::Integer(n)) => values[i] = Lit::Int(*n),
                _ => {}
            }
        }
    }

    /// Runs one seed row's INSERT: the row as each engine stored it when
    /// both accept it; a row only one engine took is undone there, so both
    /// stay in step. `explain`: print why a refused row was refused.
    fn insert_seed_row(
        &mut self,
        name: &str,
        info: &TableInfo,
        stmt: &Statement,
        explain: bool,
    ) -> Option<ParentRow> {
        let Both {
            sqlite: s,
            postgres: p,
        } = self.run(stmt);
        if explain && !(s.is_ok() && p.is_ok()) {
            eprintln!(
                "parent row for {name} refused:\n  {}\n  SQLite: {}\n  PostgreSQL: {}",
                stmt.sqlite,
                s.describe(),
                p.describe()
            );
        }
        match (s, p) {
            (Outcome::Ok(srows), Outcome::Ok(prows)) if !srows.is_empty() && !prows.is_empty() => {
                let cols: Vec<String> = info.columns.iter().map(|c| c.name.clone()).collect();
                Some(ParentRow {
                    sqlite: cols.iter().cloned().zip(srows[0].iter().cloned()).collect(),
                    postgres: cols.iter().cloned().zip(prows[0].iter().cloned()).collect(),
                    claimed: BTreeSet::new(),
                })
            }
            (Outcome::Ok(_), _) => {
                // Accepted only by SQLite: undo so both stay in step.
                let _ = self.db.sqlite.undo_last_insert(&info.name);
                None
            }
            (_, Outcome::Ok(_)) => {
                let _ = self.db.postgres.undo_last_insert(&info.name);
                None
            }
            _ => None,
        }
    }

    /// Reads, before anything is inserted, the next automatic id each engine
    /// would assign (see [`engine::Connection::next_id_query`]), for `only`
    /// these tables (all when `None`).
    fn probe_sequences(
        &mut self,
        tables: &BTreeMap<String, TableInfo>,
        only: Option<&BTreeSet<String>>,
    ) {
        for (name, info) in tables {
            if only.is_some_and(|o| !o.contains(name)) {
                continue;
            }
            let Some(id) = info.columns.iter().find(|c| c.auto_increment) else {
                continue;
            };
            let Some(sqlite) = self.db.sqlite.next_id_query(name, &id.name) else {
                continue;
            };
            let Some(postgres) = self.db.postgres.next_id_query(name, &id.name) else {
                continue;
            };
            let statement = Statement {
                sqlite,
                postgres,
                ..Statement::default()
            };
            let outcome = self.run(&statement);
            self.sequence_probe
                .insert(name.clone(), SequenceState { statement, outcome });
        }
    }

    /// Marks the parent rows a just-seeded row of `info` took through its
    /// one-to-one foreign keys.
    fn claim_parents(&mut self, info: &TableInfo, pick: usize) {
        for k in 0..info.foreign_keys.len() {
            if !info.one_to_one(k) {
                continue;
            }
            let free = free_parents(info, k, &self.parents);
            if free.is_empty() {
                continue;
            }
            let i = free[pick % free.len()];
            if let Some(row) = self
                .parents
                .get_mut(&info.foreign_keys[k].target_table)
                .and_then(|rows| rows.get_mut(i))
            {
                row.claimed.insert((info.name.clone(), k));
            }
        }
    }
}

/// The columns of a table's seed rows: every one it can insert (`full`),
/// and those a row cannot leave out (`required`). Rows with only the
/// required columns pass far more multi-column CHECKs (NULL satisfies a
/// CHECK); seeding alternates with full rows.
fn seed_columns(
    tables: &BTreeMap<String, TableInfo>,
    name: &str,
    info: &TableInfo,
) -> (Vec<ColumnSpec>, Vec<ColumnSpec>) {
    let full: Vec<_> = info
        .insertable()
        .filter(|c| !c.from_fk && !c.missing_on_pg)
        .map(|c| c.spec.clone())
        .collect();
    let required: Vec<_> = info
        .insertable()
        .filter(|c| !c.from_fk && !c.missing_on_pg)
        // Key columns too: a seeded row holding a key's default
        // would refuse every later row that leaves it out.
        .filter(|c| {
            c.not_null && !c.has_default
                || c.default_differs
                // What children reference: a NULL there leaves
                // them nothing to point at.
                || tables.values().any(|t| {
                    t.foreign_keys.iter().any(|fk| {
                        fk.target_table == name && fk.target_columns.contains(&c.name)
                    })
                })
                || info
                    .uniques
                    .iter()
                    .any(|u| u.iter().any(|(n, _)| n == &c.name))
        })
        .map(|c| c.spec.clone())
        .collect();
    (full, required)
}

impl Worker {
    /// The committed parent rows a case's statements reference, and the
    /// rows those reference in turn, as INSERTs of every stored value
    /// (automatic ids included; a NULL that leaving the column out gives
    /// is left out), parents first: what a witness needs to
    /// replay on fresh databases. A reference is matched by the literal the
    /// statement sets; a key the case inserts itself is not a seeded row.
    pub fn parent_inserts(
        &self,
        steps: &[&Statement],
        tables: &BTreeMap<String, TableInfo>,
        order: &[String],
    ) -> Vec<Statement> {
        let mut needed: BTreeSet<(String, usize)> = BTreeSet::new();
        let mut stack: Vec<(String, usize)> = Vec::new();
        let find = |target: &str, keys: &[(String, String)]| -> Option<(String, usize)> {
            let rows = self.parents.get(target)?;
            let i = rows.iter().position(|r| {
                keys.iter().all(|(c, lit)| {
                    r.sqlite
                        .get(c)
                        .is_some_and(|v| sql::value_sqlite(v) == *lit)
                })
            })?;
            Some((target.to_string(), i))
        };
        for (at, st) in steps.iter().enumerate() {
            let Some(info) = tables.get(&st.table) else {
                continue;
            };
            for fk in &info.foreign_keys {
                let keys: Option<Vec<(String, String)>> = fk
                    .columns
                    .iter()
                    .zip(&fk.target_columns)
                    .map(|(c, t)| {
                        let lit = st.set.iter().find(|(n, _, _)| n == c)?.1.clone();
                        (lit != "NULL").then_some((t.clone(), lit))
                    })
                    .collect();
                let Some(keys) = keys else { continue };
                // The case's own earlier row with this key is the parent.
                let own = steps[..at].iter().any(|p| {
                    p.table == fk.target_table
                        && keys
                            .iter()
                            .all(|(t, lit)| p.set.iter().any(|(n, s, _)| n == t && s == lit))
                });
                if !own
                    && let Some(hit) = find(&fk.target_table, &keys)
                    && needed.insert(hit.clone())
                {
                    stack.push(hit);
                }
            }
        }
        while let Some((table, i)) = stack.pop() {
            let (Some(info), Some(row)) = (
                tables.get(&table),
                self.parents.get(&table).and_then(|r| r.get(i)),
            ) else {
                continue;
            };
            for fk in info
                .foreign_keys
                .iter()
                .filter(|fk| fk.target_table != table)
            {
                let keys: Option<Vec<(String, String)>> = fk
                    .columns
                    .iter()
                    .zip(&fk.target_columns)
                    .map(|(c, t)| match row.sqlite.get(c) {
                        Some(Value::Null) | None => None,
                        Some(v) => Some((t.clone(), sql::value_sqlite(v))),
                    })
                    .collect();
                if let Some(hit) = keys.and_then(|k| find(&fk.target_table, &k))
                    && needed.insert(hit.clone())
                {
                    stack.push(hit);
                }
            }
        }
        let rank = |t: &str| order.iter().position(|o| o == t).unwrap_or(usize::MAX);
        let mut needed: Vec<(String, usize)> = needed.into_iter().collect();
        needed.sort_by_key(|(t, i)| (rank(t), *i));
        needed
            .iter()
            .filter_map(|(table, i)| {
                let info = tables.get(table)?;
                let row = self.parents.get(table)?.get(*i)?;
                let cols: Vec<(String, String, String)> = info
                    .columns
                    .iter()
                    .filter(|c| !c.missing_on_pg && !c.generated)
                    .filter_map(|c| {
                        let s = row.sqlite.get(&c.name).unwrap_or(&Value::Null);
                        let p = row.postgres.get(&c.name).unwrap_or(&Value::Null);
                        // NULL where neither engine has a default: what
                        // leaving the column out stores, so the witness
                        // leaves it out.
                        let null_by_omission = s.is_null()
                            && p.is_null()
                            && !c.has_default
                            && info
                                .pg_table
                                .column(&c.name)
                                .is_some_and(|pc| pc.default.is_none());
                        (!null_by_omission).then(|| {
                            (
                                c.name.clone(),
                                sql::value_sqlite(s),
                                sql::value_postgres(p, &c.pg_kind),
                            )
                        })
                    })
                    .collect();
                Some(sql::insert(table, &cols, &[]))
            })
            .collect()
    }
}
