//! Structural comparison of the two introspected schemas under the type
//! mapping, producing one [`Finding`] per root cause.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::Config;
use crate::engine::Engine;
use crate::expected::{self, ExpectedColumn, ExpectedForeignKey, ExpectedSchema, ExpectedTable};
use crate::expr::{self, Atom, DefaultValue};
use crate::finding::{Category, CheckKind, Finding};
use crate::mapping::{
    self, PgKind, Probed, TypeVerdict, clock_reading, clock_zones, reads_clock, same_default,
};
use crate::schema::{Column, Index, IndexKey, KeyPart, Schema, Table, Trigger, Value};

const CHECK: CheckKind = CheckKind::Structure;

/// Compares every table the config does not skip, the pairings no mapping
/// rule covers judged as `probed`.
pub fn structure(sqlite: &Schema, pg: &Schema, probed: &Probed, config: &Config) -> Vec<Finding> {
    compare(&expected::schema(sqlite, config, probed), pg)
}

/// Compares the expected schema with a live PostgreSQL model: one finding
/// per difference, each naming the SQLite object the expectation came from.
pub fn compare(expected: &ExpectedSchema, pg: &Schema) -> Vec<Finding> {
    let (sqlite, config) = (expected.sqlite, expected.config);
    let mut out = Vec::new();
    for (name, et) in &expected.tables {
        match pg.tables.get(*name) {
            None => out.push(
                Finding::new(CHECK, Category::MissingTable, name, &[], "")
                    .message(format!(
                        "Table {name} exists in SQLite but not in PostgreSQL."
                    ))
                    .sides(
                        format!("table {name} with {} columns", et.columns.len()),
                        "no such table",
                    ),
            ),
            Some(pt) if et.source.virtual_module.is_some() => virtual_table(et, pt, &mut out),
            Some(pt) => table(et, pt, &mut out),
        }
    }
    for (name, pt) in &pg.tables {
        if !config.skips(name) && !sqlite.tables.contains_key(name) {
            out.push(
                Finding::new(CHECK, Category::ExtraTable, name, &[], "")
                    .message(format!(
                        "Table {name} exists in PostgreSQL but not in SQLite."
                    ))
                    .sides(
                        "no such table",
                        format!("table {name} with {} columns", pt.columns.len()),
                    ),
            );
        }
    }
    objects(expected, pg, &mut out);
    out
}

/// Functions a migration tool creates for itself, not for the schema: diesel's
/// `00000000000000_diesel_initial_setup` (a user calls them to install an
/// `updated_at` trigger, which is then compared as a trigger).
const TOOL_FUNCTIONS: &[&str] = &["diesel_manage_updated_at", "diesel_set_updated_at"];

/// Objects with no SQLite counterpart that nothing in the PostgreSQL schema
/// uses (a leftover enum type or domain, a sequence no column owns or draws
/// from, a function no trigger runs), and views present on one side only: one
/// finding each. Extensions are inputs, not findings.
fn objects(expected: &ExpectedSchema, pg: &Schema, out: &mut Vec<Finding>) {
    let config = expected.config;
    let other = |name: &str, detail: &str| Finding::new(CHECK, Category::Other, name, &[], detail);
    let o = &pg.pg_objects;
    for (name, e) in o
        .enum_types
        .iter()
        .filter(|(n, e)| !e.used && !config.skips(n))
    {
        out.push(
            other(name, "enum-type")
                .message(format!(
                    "PostgreSQL has enum type {name} ({}) that no column uses, and SQLite has nothing like it.",
                    e.labels.join(", ")
                ))
                .sides("no such type", format!("CREATE TYPE {name} AS ENUM"))
                .pattern(
                    "pg-enum-type-unused",
                    "PostgreSQL has enum types that no column uses, and SQLite has nothing like them (leftovers: drop them, or use them).",
                    Some(format!("{name} ({})", e.labels.join(", "))),
                ),
        );
    }
    for (name, q) in o
        .sequences
        .iter()
        .filter(|(n, q)| !q.used && !config.skips(n))
    {
        // A serial whose default was dropped: the column's own finding (it
        // no longer gets automatic ids) is the root cause; the sequence it
        // left behind is said there.
        if let Some((t, c)) = q.owned_by.as_deref().and_then(|o| o.split_once('.'))
            && let Some(f) = out
                .iter_mut()
                .find(|f| f.category == Category::PrimaryKey && f.table == t && f.columns == [c])
        {
            f.message = format!(
                "{} Its sequence {name} is still there, owned by the column, but no default draws from it.",
                f.message
            );
            continue;
        }
        let owner = q
            .owned_by
            .as_deref()
            .map(|c| format!(" (owned by {c}, whose default no longer draws from it)"))
            .unwrap_or_default();
        out.push(
            other(name, "sequence")
                .message(format!(
                    "PostgreSQL has sequence {name}{owner} that no column default draws from, and SQLite has nothing like it."
                ))
                .sides("no such sequence", format!("CREATE SEQUENCE {name}"))
                .pattern(
                    "pg-sequence-unused",
                    "PostgreSQL has sequences that no column default draws from, and SQLite has nothing like them (leftovers, or numbers the application draws itself).",
                    q.owned_by.as_ref().map(|c| format!("owned by {c}")),
                ),
        );
    }
    for (name, d) in o
        .domains
        .iter()
        .filter(|(n, d)| !d.used && !config.skips(n))
    {
        out.push(
            other(name, "domain")
                .message(format!(
                    "PostgreSQL has domain {name} (over {}) that no column uses, and SQLite has nothing like it.",
                    d.base_type
                ))
                .sides("no such type", format!("CREATE DOMAIN {name} AS {}", d.base_type))
                .pattern(
                    "pg-domain-unused",
                    "PostgreSQL has domains that no column uses, and SQLite has nothing like them.",
                    Some(format!("over {}", d.base_type)),
                ),
        );
    }
    for (signature, f) in o.functions.iter().filter(|(_, f)| !f.used_by_trigger) {
        let (name, args) = signature
            .split_once('(')
            .map_or((signature.as_str(), ""), |(n, a)| {
                (n, a.trim_end_matches(')'))
            });
        if config.skips(name) || TOOL_FUNCTIONS.contains(&name) {
            continue;
        }
        out.push(
            other(name, &format!("{} {args}", f.kind))
                .message(format!(
                    "PostgreSQL has {} {signature}, which no trigger runs and SQLite cannot have.",
                    f.kind
                ))
                .sides(
                    format!("no such {}", f.kind),
                    format!("{} {signature}", f.kind),
                )
                .pattern(
                    format!("pg-{}-unused", f.kind),
                    format!(
                        "PostgreSQL has {}s that no trigger runs, which SQLite cannot have.",
                        f.kind
                    ),
                    Some(signature.clone()),
                ),
        );
    }
    for name in pg
        .views
        .keys()
        .filter(|v| !expected.views.contains_key(v.as_str()) && !config.skips(v))
    {
        out.push(
            other(name, "view")
                .message(format!(
                    "View {name} exists in PostgreSQL but not in SQLite."
                ))
                .sides("no such view", format!("view {name}")),
        );
    }
    for (name, s_cols) in &expected.views {
        let Some(p_view) = pg.views.get(*name) else {
            continue;
        };
        let p_cols = &p_view.column_names();
        if s_cols == p_cols {
            continue;
        }
        let first = s_cols
            .iter()
            .zip(p_cols)
            .find(|(a, b)| a != b)
            .map(|(a, _)| a)
            .or_else(|| s_cols.get(p_cols.len()))
            .or_else(|| p_cols.get(s_cols.len()));
        out.push(
            Finding::new(
                CHECK,
                Category::Other,
                name,
                &first.map(String::as_str).into_iter().collect::<Vec<_>>(),
                "view-columns",
            )
            .message(format!(
                "View {name} has columns ({}) in SQLite but ({}) in PostgreSQL.",
                s_cols.join(", "),
                p_cols.join(", ")
            ))
            .sides(
                format!("view {name} ({})", s_cols.join(", ")),
                format!("view {name} ({})", p_cols.join(", ")),
            ),
        );
    }
    for name in expected
        .views
        .keys()
        .filter(|v| !pg.views.contains_key(**v))
    {
        out.push(
            other(name, "view")
                .message(format!(
                    "View {name} exists in SQLite but not in PostgreSQL."
                ))
                .sides(format!("view {name}"), "no such view"),
        );
    }
}

/// Compares the rows the migrations themselves inserted.
pub fn seed_data(sqlite: &Schema, pg: &Schema, config: &Config) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, st) in &sqlite.tables {
        if config.skips(name) {
            continue;
        }
        let Some(pt) = pg.tables.get(name) else {
            continue;
        };
        let (Some(ss), Some(ps)) = (sqlite.seed.get(name), pg.seed.get(name)) else {
            continue;
        };
        seed_table(st, pt, ss, ps, &mut out);
    }
    out
}

/// All CHECK conjuncts of a PostgreSQL table, canonical.
fn pg_atoms(t: &Table) -> Vec<Atom> {
    let mut v: Vec<Atom> = t
        .checks
        .iter()
        .flat_map(|c| expr::check_atoms(&c.expr, Engine::Postgres))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// A SQLite virtual table against a PostgreSQL table: one finding for the
/// table, never one per column. A full-text search table (FTS3/4/5) is
/// PostgreSQL's table with a `tsvector` column by design, and the two
/// search differently (tokenizer, stemming, ranking, `MATCH` against
/// `@@`) though the text both keep is the same: a mapping caveat
/// (warning) saying what to test instead. Its shadow tables are its
/// storage and not in the model; the behavioural checks leave it out
/// (`check::Suite::not_applicable`).
fn virtual_table(et: &ExpectedTable, pt: &Table, out: &mut Vec<Finding>) {
    let (name, st) = (et.name, et.source);
    let module = st
        .virtual_module
        .as_deref()
        .unwrap_or_default()
        .to_uppercase();
    let columns = |t: &Table| {
        t.columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let vectors: Vec<&str> = pt
        .columns
        .iter()
        .filter(|c| mapping::pg_kind(&c.declared_type) == PgKind::Tsvector)
        .map(|c| c.name.as_str())
        .collect();
    let sqlite_side = format!("{module} virtual table ({})", columns(st));
    let pg_side = if vectors.is_empty() {
        format!("table ({}) without a tsvector column", columns(pt))
    } else {
        format!("table with tsvector column {}", vectors.join(", "))
    };
    let (message, rule, pattern) = match (st.full_text_search(), vectors.is_empty()) {
        (true, false) => (
            format!(
                "Table {name} is full-text search on both sides, each engine's own: SQLite {sqlite_side}, PostgreSQL {pg_side}. Tokenizer, stemming, ranking and query syntax (MATCH against @@) differ by design, while the text both keep is alike; its columns are not compared one by one and the behavioural checks leave it out (a mapping caveat; fix: test the application's searches on both engines)."
            ),
            "full-text-search",
            "Full-text search is each engine's own: SQLite FTS virtual tables, PostgreSQL tables with a tsvector column. Tokenizer, stemming, ranking and query syntax (MATCH against @@) differ by design, while the text both keep is alike; their columns are not compared one by one and the behavioural checks leave them out (a mapping caveat; fix: test the application's searches on both engines).",
        ),
        (true, true) => (
            format!(
                "Table {name} is a SQLite {sqlite_side}, searched with MATCH, but a PostgreSQL {pg_side}, which has no full-text index to search; its columns are not compared one by one and the behavioural checks leave it out (a mapping caveat; fix: a tsvector column, or test how the application searches it on PostgreSQL)."
            ),
            "full-text-search-no-tsvector",
            "SQLite FTS virtual tables, searched with MATCH, are PostgreSQL tables without a tsvector column, which have no full-text index to search; their columns are not compared one by one and the behavioural checks leave them out (a mapping caveat; fix: a tsvector column, or test how the application searches them on PostgreSQL).",
        ),
        (false, _) => (
            format!(
                "Table {name} is a SQLite {sqlite_side}, whose module decides what it stores and finds, but a PostgreSQL {pg_side}; its columns are not compared one by one and the behavioural checks leave it out (a mapping caveat)."
            ),
            "virtual-table",
            "SQLite virtual tables, whose module decides what they store and find, are plain PostgreSQL tables; their columns are not compared one by one and the behavioural checks leave them out (a mapping caveat).",
        ),
    };
    // What PostgreSQL's table refuses that no virtual table can: a key.
    let mut keys: Vec<String> = pt.uniques.iter().map(|u| describe_key(&u.key)).collect();
    if !pt.primary_key.is_empty() {
        keys.insert(0, format!("({})", pt.primary_key.join(", ")));
    }
    let detail = Some(if keys.is_empty() {
        format!("SQLite {sqlite_side}, PostgreSQL {pg_side}")
    } else {
        format!(
            "SQLite {sqlite_side}, PostgreSQL {pg_side}, keeping {} unique",
            keys.join(" and ")
        )
    });
    let message = if keys.is_empty() {
        message
    } else {
        format!(
            "{message} PostgreSQL's table also keeps {} unique, which a SQLite virtual table cannot: a duplicate SQLite stores is refused there.",
            keys.join(" and ")
        )
    };
    out.push(
        Finding::new(CHECK, Category::Other, name, &[], "virtual-table")
            .message(message)
            .sides(sqlite_side, pg_side)
            .pattern(rule, pattern, detail)
            .warning(),
    );
}

fn table(et: &ExpectedTable, pt: &Table, out: &mut Vec<Finding>) {
    let start = out.len();
    table_items(et, pt, out);
    let mine = out.split_off(start);
    out.extend(one_key_one_finding(what_a_missing_column_takes(mine)));
}

/// A column PostgreSQL lacks takes its CHECKs, keys and indexes with it:
/// the findings about only such columns are said by the missing column's
/// finding, not one root cause each.
fn what_a_missing_column_takes(findings: Vec<Finding>) -> Vec<Finding> {
    let missing: Vec<String> = findings
        .iter()
        .filter(|f| f.category == Category::MissingColumn)
        .flat_map(|f| f.columns.clone())
        .collect();
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut taken: Vec<(String, String)> = Vec::new();
    for f in findings {
        let only_missing = f.category != Category::MissingColumn
            && !f.columns.is_empty()
            && f.columns.iter().all(|c| missing.contains(c));
        if only_missing {
            taken.push((f.columns[0].clone(), f.sqlite.clone()));
        } else {
            out.push(f);
        }
    }
    for (column, what) in taken {
        if let Some(m) = out
            .iter_mut()
            .find(|m| m.category == Category::MissingColumn && m.columns.contains(&column))
        {
            m.message = format!("{} Its {what} goes with it.", m.message);
        }
    }
    out
}

/// The findings about one key of a table — its primary key differing, its
/// automatic ids, a UNIQUE standing in for it — are one root cause: one
/// finding (the first), saying all of it.
fn one_key_one_finding(findings: Vec<Finding>) -> Vec<Finding> {
    let is_key = |f: &Finding| matches!(f.category, Category::PrimaryKey | Category::Unique);
    let key_of = |f: &Finding| {
        let mut c = f.columns.clone();
        c.sort();
        c
    };
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        if is_key(&f)
            && !f.columns.is_empty()
            && let Some(first) = out
                .iter_mut()
                .find(|g| is_key(g) && key_of(g) == key_of(&f))
        {
            first.message = format!("{} {}", first.message, f.message);
            first.pattern = None;
            if first.severity == crate::finding::Severity::Warning {
                first.severity = f.severity;
            }
            continue;
        }
        out.push(f);
    }
    out
}

fn table_items(et: &ExpectedTable, pt: &Table, out: &mut Vec<Finding>) {
    let (name, st) = (et.name, et.source);
    let s_atoms = &et.atoms;
    let p_atoms = pg_atoms(pt);
    let mut implied: Vec<Atom> = Vec::new();

    for ec in &et.columns {
        let (sc, cname) = (ec.source, ec.name());
        let Some(pc) = pt.column(cname) else {
            out.push(
                Finding::new(CHECK, Category::MissingColumn, name, &[cname], "")
                    .message(format!(
                        "Column {name}.{cname} exists in SQLite but not in PostgreSQL."
                    ))
                    .sides(describe_column(sc), "no such column")
                    .pattern(
                        "missing-column",
                        "in SQLite but not in PostgreSQL: a statement naming one is refused by PostgreSQL.",
                        Some(describe_column(sc)),
                    ),
            );
            continue;
        };
        let kind = mapping::pg_kind(&pc.declared_type);
        let verdict = ec.verdict(pc);
        match &verdict {
            TypeVerdict::Equivalent => {}
            TypeVerdict::Different(d) => out.push(
                Finding::new(CHECK, Category::Type, name, &[cname], "")
                    .message(format!("{name}.{cname}: {}.", d.why))
                    .sides(or_untyped(&sc.declared_type), &pc.declared_type)
                    .pattern(d.rule.clone(), format!("{}.", d.pattern), d.detail.clone()),
            ),
            TypeVerdict::Caveat { difference: d, fix } => out.push(
                Finding::new(CHECK, Category::Type, name, &[cname], "")
                    .message(format!(
                        "{name}.{cname}: {} (a mapping caveat; fix: {fix}).",
                        d.why
                    ))
                    .sides(or_untyped(&sc.declared_type), &pc.declared_type)
                    .pattern(
                        d.rule.clone(),
                        format!("{} (a mapping caveat; fix: {fix}).", d.pattern),
                        d.detail.clone(),
                    )
                    .warning(),
            ),
            // Only where no engine was at hand to probe it (a comparison
            // of models alone): said so, never taken for equivalent.
            TypeVerdict::Unknown => out.push(
                Finding::new(CHECK, Category::Type, name, &[cname], "")
                    .message(format!(
                        "{name}.{cname}: no mapping rule covers SQLite {}, PostgreSQL {}, and the pairing was not probed on the engines in this run.",
                        or_untyped(&sc.declared_type),
                        pc.declared_type
                    ))
                    .sides(or_untyped(&sc.declared_type), &pc.declared_type)
                    .pattern(
                        "unprobed-pairing",
                        "no mapping rule covers the pairing, and it was not probed on the engines in this run.",
                        Some(format!(
                            "SQLite {}, PostgreSQL {}",
                            or_untyped(&sc.declared_type),
                            pc.declared_type
                        )),
                    ),
            ),
        }
        if let Some(labels) = &pc.enum_labels {
            enum_values(name, cname, pc, labels, s_atoms, &mut implied, out);
        }
        // CHECKs the PostgreSQL type already enforces need no PG CHECK.
        implied.extend(ec.enforced_by(s_atoms, &kind).into_iter().cloned());
        if sc.not_null != pc.not_null {
            let (s, p) = (nullability(sc.not_null), nullability(pc.not_null));
            let key_may_hold_null = !sc.not_null && et.primary_key.iter().any(|k| k == cname);
            out.push(
                Finding::new(CHECK, Category::Nullability, name, &[cname], "")
                    .message(format!(
                        "{name}.{cname} is {s} in SQLite but {p} in PostgreSQL{}.",
                        if key_may_hold_null {
                            " (SQLite lets a non-INTEGER primary key hold NULL unless it is declared NOT NULL)"
                        } else {
                            ""
                        }
                    ))
                    .sides(s, p)
                    .pattern(
                        format!("nullability-{}-sqlite", s.replace(' ', "-")),
                        format!("{s} in SQLite but {p} in PostgreSQL."),
                        key_may_hold_null.then(|| "a primary key column, which SQLite lets hold NULL unless declared NOT NULL".to_string()),
                    ),
            );
        }
        if sc.auto_increment != pc.auto_increment {
            out.push(
                Finding::new(CHECK, Category::PrimaryKey, name, &[cname], "auto-increment")
                    .message(if sc.auto_increment {
                        format!("{name}.{cname} gets automatic ids in SQLite (INTEGER PRIMARY KEY) but PostgreSQL has no sequence or identity for it.")
                    } else {
                        format!("{name}.{cname} gets automatic ids in PostgreSQL but not in SQLite.")
                    })
                    .sides(
                        if sc.auto_increment { "INTEGER PRIMARY KEY (rowid alias)" } else { "no automatic id" },
                        if pc.auto_increment { "serial/identity" } else { "no sequence or identity" },
                    )
                    .pattern(
                        if sc.auto_increment { "ids-sqlite-only" } else { "ids-postgres-only" },
                        if sc.auto_increment {
                            "the key gets automatic ids in SQLite (INTEGER PRIMARY KEY) but PostgreSQL has no sequence or identity for it."
                        } else {
                            "the key gets automatic ids in PostgreSQL but not in SQLite."
                        },
                        None,
                    ),
            );
        } else if sc.auto_increment && pc.identity_always {
            // GENERATED ALWAYS refuses an explicit id, which a rowid alias
            // (and GENERATED BY DEFAULT) takes.
            out.push(
                Finding::new(CHECK, Category::PrimaryKey, name, &[cname], "identity-always")
                    .message(format!(
                        "{name}.{cname}: PostgreSQL's GENERATED ALWAYS AS IDENTITY refuses an explicit id (unless the INSERT says OVERRIDING SYSTEM VALUE), which SQLite's INTEGER PRIMARY KEY takes (fix: GENERATED BY DEFAULT AS IDENTITY)."
                    ))
                    .sides(
                        "INTEGER PRIMARY KEY (explicit ids accepted)",
                        "GENERATED ALWAYS AS IDENTITY (explicit ids refused)",
                    ),
            );
        } else if sc.generated.is_some() || pc.generated.is_some() {
            generated(name, sc, pc, out);
        } else if !sc.auto_increment {
            default(name, ec, pc, &kind, out);
        }
        if !matches!(verdict, TypeVerdict::Different(_)) {
            collation(name, sc, pc, st, pt, out);
        }
    }
    for pc in &pt.columns {
        if st.column(&pc.name).is_none() {
            let harmless = !pc.not_null || pc.default.is_some();
            let mut f = Finding::new(CHECK, Category::ExtraColumn, name, &[&pc.name], "")
                .message(format!(
                    "Column {name}.{} exists in PostgreSQL but not in SQLite{}.",
                    pc.name,
                    if harmless {
                        ""
                    } else {
                        " and is NOT NULL without a default, so inserts that work on SQLite fail"
                    }
                ))
                .sides("no such column", describe_column(pc))
                .pattern(
                    if harmless { "extra-column-optional" } else { "extra-column-required" },
                    if harmless {
                        "in PostgreSQL but not in SQLite, nullable or with a default (inserts written for SQLite still work)."
                    } else {
                        "in PostgreSQL but not in SQLite, NOT NULL without a default, so inserts that work on SQLite fail."
                    },
                    Some(describe_column(pc)),
                );
            if harmless {
                f = f.warning();
            }
            out.push(f);
        }
    }

    let mut spk = et.primary_key.to_vec();
    let mut ppk = pt.primary_key.clone();
    spk.sort();
    ppk.sort();
    if spk != ppk && !same_key_declared_otherwise(et, pt) {
        let key = if et.primary_key.is_empty() {
            &pt.primary_key
        } else {
            et.primary_key
        };
        let cols: Vec<&str> = key.iter().map(String::as_str).collect();
        out.push(
            Finding::new(CHECK, Category::PrimaryKey, name, &cols, "")
                .message(format!(
                    "The primary key of {name} differs: SQLite ({}) vs PostgreSQL ({}).",
                    et.primary_key.join(", "),
                    pt.primary_key.join(", ")
                ))
                .sides(list_or_none(et.primary_key), list_or_none(&pt.primary_key)),
        );
    }

    uniques(et, pt, out);
    indexes(et, pt, out);
    foreign_keys(et, pt, out);
    let columns = et.column_names();
    checks(name, s_atoms, &p_atoms, &implied, out, &columns);
    triggers(name, et.triggers, pt, out);
}

/// One side's primary key is the other's UNIQUE key on NOT NULL columns
/// (a table without a declared key on that side): both refuse the same
/// rows, so the key is the same, declared otherwise.
fn same_key_declared_otherwise(et: &ExpectedTable, pt: &Table) -> bool {
    let plain_not_null = |key: &IndexKey, not_null: &dyn Fn(&str) -> bool| {
        key.predicate.is_none()
            && key
                .parts
                .iter()
                .all(|p| matches!(p, KeyPart::Column { name, nocase: false, .. } if not_null(name)))
    };
    if et.primary_key.is_empty() && !pt.primary_key.is_empty() {
        let pk = expected::key_set(&pt.primary_key).as_set();
        let s_not_null = |c: &str| et.source.column(c).is_some_and(|c| c.not_null);
        return et
            .uniques
            .iter()
            .any(|u| u.key.as_set() == pk && plain_not_null(&u.key, &s_not_null));
    }
    if pt.primary_key.is_empty() && !et.primary_key.is_empty() {
        let pk = expected::key_set(et.primary_key).as_set();
        let p_not_null = |c: &str| pt.column(c).is_some_and(|c| c.not_null);
        let s_not_null = |c: &str| {
            et.source
                .column(c)
                .is_some_and(|c| c.not_null || c.auto_increment)
        };
        return et.primary_key.iter().all(|c| s_not_null(c))
            && pt
                .uniques
                .iter()
                .any(|u| u.key.as_set() == pk && plain_not_null(&u.key, &p_not_null));
    }
    false
}

/// An enum column against SQLite's `CHECK (col IN ('a', …))`: the enum
/// enforces that CHECK, so it needs no PostgreSQL CHECK; different value
/// sets are one `check` finding naming what only one side allows.
fn enum_values(
    table: &str,
    cname: &str,
    pc: &Column,
    labels: &[String],
    s_atoms: &[Atom],
    implied: &mut Vec<Atom>,
    out: &mut Vec<Finding>,
) {
    let pg_set = mapping::enum_literals(labels);
    for a in s_atoms {
        let Atom::InSet {
            column,
            values,
            negated: false,
        } = a
        else {
            continue;
        };
        if column != cname || !values.iter().all(|v| v.starts_with('\'')) {
            continue;
        }
        implied.push(a.clone());
        if *values == pg_set {
            continue;
        }
        let list = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>().join(", ");
        let only_s = list(values.difference(&pg_set).collect());
        let only_p = list(pg_set.difference(values).collect());
        let ty = pc.declared_type.to_lowercase();
        let what = match (only_s.is_empty(), only_p.is_empty()) {
            (false, false) => format!(
                "only SQLite's CHECK allows {only_s} and only PostgreSQL's enum {ty} allows {only_p}"
            ),
            (true, _) => {
                format!("PostgreSQL's enum {ty} also allows {only_p}, which SQLite's CHECK rejects")
            }
            (false, true) => {
                format!("SQLite's CHECK also allows {only_s}, which PostgreSQL's enum {ty} rejects")
            }
        };
        out.push(
            Finding::new(CHECK, Category::Check, table, &[cname], "enum")
                .message(format!("{table}.{cname} takes different values: {what}."))
                .sides(
                    format!("CHECK {}", a.describe()),
                    format!("{} ({})", pc.declared_type, labels.join(", ")),
                ),
        );
    }
}

/// A SQLite declared type as a sentence names it.
fn or_untyped(declared: &str) -> &str {
    if declared.is_empty() {
        "no declared type"
    } else {
        declared
    }
}

fn nullability(not_null: bool) -> &'static str {
    if not_null { "NOT NULL" } else { "nullable" }
}

fn list_or_none(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

fn describe_column(c: &Column) -> String {
    let mut s = c.declared_type.clone();
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    if let Some(d) = &c.default {
        s.push_str(" DEFAULT ");
        s.push_str(d);
    }
    s
}

fn default(table: &str, ec: &ExpectedColumn, pc: &Column, kind: &PgKind, out: &mut Vec<Finding>) {
    let (sc, s) = (ec.source, &ec.default);
    let p = pc.default.as_deref().map_or(DefaultValue::Null, |d| {
        expr::default_value(d, Engine::Postgres)
    });
    if same_default(s, &p, kind) {
        return;
    }
    let f = Finding::new(CHECK, Category::Default, table, &[&sc.name], "").sides(
        sc.default.clone().unwrap_or_else(|| "no default".into()),
        pc.default.clone().unwrap_or_else(|| "no default".into()),
    );
    let clocks = [s, &p]
        .iter()
        .all(|d| matches!(d, DefaultValue::Now | DefaultValue::LocalNow));
    if let Some((sz, pz)) = clocks.then(|| clock_zones(s, kind)).flatten() {
        out.push(f.message(format!(
            "{table}.{} stamps a different clock on each side: {sz} in SQLite, {pz} in PostgreSQL; the two agree only while the application and the server both run in UTC (fix: UTC on both, e.g. CURRENT_TIMESTAMP with timestamptz).",
            sc.name
        )));
        return;
    }
    // Text a flag column keeps as text: `DEFAULT 'false'` in a column
    // declared BOOLEAN (NUMERIC affinity) is the text 'false', never 0.
    if let DefaultValue::Text(t) = s
        && kind.family() == mapping::Family::Boolean
        && mapping::affinity_number(t).is_none()
        && matches!(
            mapping::sqlite_class(&sc.declared_type),
            mapping::SqliteClass::Integer
                | mapping::SqliteClass::Numeric
                | mapping::SqliteClass::Boolean
        )
    {
        out.push(f.message(format!(
            "{table}.{} defaults to {s} in SQLite, which keeps it as that text (it is no number, so a {} column does not turn it into 0 or 1), but to {p} in PostgreSQL (fix: DEFAULT 0 or 1, FALSE or TRUE, on the SQLite side).",
            sc.name, sc.declared_type
        )));
        return;
    }
    out.push(if reads_clock(s) && reads_clock(&p) {
        // Both read the clock: the same instant, at a different precision
        // (whole seconds against microseconds, truncated against rounded).
        f.message(format!(
            "{table}.{} defaults to the clock on both sides but at a different precision: {s} in SQLite, {p} in PostgreSQL (a mapping caveat; fix: make both produce the same unit and rounding, e.g. FLOOR(EXTRACT(EPOCH FROM now()))::bigint for strftime('%s','now')).",
            sc.name
        ))
        .warning()
    } else {
        f.message(format!(
            "{table}.{} defaults to {s} in SQLite but to {p} in PostgreSQL.",
            sc.name
        ))
    });
}

/// A generated column on one side only, or computed from a different
/// expression: the values an application reads differ (and a plain column
/// on the other side takes writes the generated one refuses).
fn generated(table: &str, sc: &Column, pc: &Column, out: &mut Vec<Finding>) {
    let describe = |c: &Column| match &c.generated {
        Some(e) => format!("GENERATED ALWAYS AS ({e})"),
        None => c
            .default
            .as_ref()
            .map_or("plain column, no default".into(), |d| {
                format!("plain column, DEFAULT {d}")
            }),
    };
    let message = match (&sc.generated, &pc.generated) {
        (Some(s), Some(p)) => {
            if expr::normalize(s, Engine::Sqlite) == expr::normalize(p, Engine::Postgres) {
                return;
            }
            format!(
                "{table}.{} is computed as {s} in SQLite but as {p} in PostgreSQL.",
                sc.name
            )
        }
        (Some(s), None) => format!(
            "{table}.{} is a generated column in SQLite (computed as {s}) but a plain column in PostgreSQL, which stores whatever is written (NULL when nothing is).",
            sc.name
        ),
        (None, Some(p)) => format!(
            "{table}.{} is a plain column in SQLite but a generated column in PostgreSQL (computed as {p}), which refuses the writes SQLite takes.",
            sc.name
        ),
        (None, None) => return,
    };
    out.push(
        Finding::new(CHECK, Category::Default, table, &[&sc.name], "generated")
            .message(message)
            .sides(describe(sc), describe(pc)),
    );
}

/// A column SQLite compares under `COLLATE NOCASE` or `RTRIM` where
/// PostgreSQL compares exactly: equality, uniqueness and ordering differ.
/// NOCASE matches a `citext` column or a `lower(col)` key (the port's usual
/// spelling of it); RTRIM has no PostgreSQL counterpart.
///
/// A NOCASE column in a SQLite unique key is left to the unique-key
/// comparison, which already says "case-insensitive in SQLite but
/// case-sensitive in PostgreSQL" (one root cause, one finding).
fn collation(
    table: &str,
    sc: &Column,
    pc: &Column,
    st: &Table,
    pt: &Table,
    out: &mut Vec<Finding>,
) {
    let what = match mapping::collation_difference(sc, pc, st, pt) {
        Some(mapping::Collation::Nocase) => {
            "ignores letter case (COLLATE NOCASE) in SQLite but not in PostgreSQL, so 'abc' = 'ABC' and a unique key on it differ (fix: citext, or a lower() key)"
        }
        Some(mapping::Collation::Rtrim) => {
            "ignores trailing spaces (COLLATE RTRIM) in SQLite but not in PostgreSQL, so 'abc' = 'abc ' and a unique key on it differ"
        }
        None => return,
    };
    out.push(
        Finding::new(CHECK, Category::Type, table, &[&sc.name], "collation")
            .message(format!("{table}.{} {what}.", sc.name))
            .sides(
                format!(
                    "{} COLLATE {}",
                    sc.declared_type,
                    sc.collation.as_deref().unwrap_or_default()
                ),
                pc.collation.as_ref().map_or(pc.declared_type.clone(), |c| {
                    format!("{} COLLATE {c}", pc.declared_type)
                }),
            ),
    );
}

fn key_columns(k: &IndexKey) -> Vec<String> {
    k.parts
        .iter()
        .map(|p| match p {
            KeyPart::Column { name, .. } => name.clone(),
            KeyPart::Expr { text, .. } => text.clone(),
        })
        .collect()
}

fn describe_key(k: &IndexKey) -> String {
    let parts: Vec<String> = k
        .parts
        .iter()
        .map(|p| match p {
            KeyPart::Column { name, nocase, desc } => format!(
                "{name}{}{}",
                if *nocase { " (case-insensitive)" } else { "" },
                if *desc { " DESC" } else { "" }
            ),
            KeyPart::Expr { text, desc } => format!("{text}{}", if *desc { " DESC" } else { "" }),
        })
        .collect();
    match &k.predicate {
        Some(p) => format!("({}) WHERE {p}", parts.join(", ")),
        None => format!("({})", parts.join(", ")),
    }
}

fn plain(k: &IndexKey) -> IndexKey {
    IndexKey {
        parts: k
            .parts
            .iter()
            .map(|p| match p {
                KeyPart::Column { name, desc, .. } => KeyPart::Column {
                    name: name.clone(),
                    nocase: false,
                    desc: *desc,
                },
                other => other.clone(),
            })
            .collect(),
        predicate: k.predicate.clone(),
    }
}

fn uniques(et: &ExpectedTable, pt: &Table, out: &mut Vec<Finding>) {
    let table = et.name;
    let sk: BTreeMap<IndexKey, &Index> = et
        .uniques
        .iter()
        .map(|u| (u.key.clone(), u.last()))
        .collect();
    let mut pk: BTreeMap<IndexKey, &Index> =
        pt.uniques.iter().map(|i| (i.key.as_set(), i)).collect();
    // A UNIQUE on the primary key columns adds nothing on either side (the
    // expected schema leaves SQLite's out).
    pk.remove(&expected::key_set(&pt.primary_key));
    // A key one side declares PRIMARY KEY and the other UNIQUE is compared
    // as the primary key (`same_key_declared_otherwise`), not as a unique.
    pk.remove(&expected::key_set(et.primary_key).as_set());
    let p_primary = expected::key_set(&pt.primary_key).as_set();
    let s_only: Vec<&IndexKey> = sk
        .keys()
        .filter(|k| !pk.contains_key(*k) && k.as_set() != p_primary)
        .collect();
    let p_only: Vec<&IndexKey> = pk.keys().filter(|k| !sk.contains_key(*k)).collect();
    let mut paired = BTreeSet::new();
    for s in &s_only {
        let cols = key_columns(s);
        let colrefs: Vec<&str> = cols.iter().map(String::as_str).collect();
        // Same columns, different case sensitivity: one finding, said plainly.
        if let Some(p) = p_only
            .iter()
            .find(|p| plain(p).as_set() == plain(s).as_set())
        {
            paired.insert((*p).clone());
            let s_ci = s
                .parts
                .iter()
                .any(|x| matches!(x, KeyPart::Column { nocase: true, .. }));
            out.push(
                Finding::new(CHECK, Category::Unique, table, &colrefs, "case")
                    .message(format!(
                        "Uniqueness of {table} {} is case-{} in SQLite but case-{} in PostgreSQL.",
                        describe_key(&plain(s)),
                        if s_ci { "insensitive" } else { "sensitive" },
                        if s_ci { "sensitive" } else { "insensitive" },
                    ))
                    .sides(
                        format!("UNIQUE {} ({})", describe_key(s), sk[*s].name),
                        format!("UNIQUE {} ({})", describe_key(p), pk[*p].name),
                    ),
            );
            continue;
        }
        out.push(
            Finding::new(CHECK, Category::Unique, table, &colrefs, "missing")
                .message(format!(
                    "{table} {} is unique in SQLite but not in PostgreSQL.",
                    describe_key(s)
                ))
                .sides(
                    format!("UNIQUE {} ({})", describe_key(s), sk[*s].name),
                    "no such unique constraint or index",
                ),
        );
    }
    for p in p_only {
        if paired.contains(p) {
            continue;
        }
        let cols = key_columns(p);
        let colrefs: Vec<&str> = cols.iter().map(String::as_str).collect();
        out.push(
            Finding::new(CHECK, Category::Unique, table, &colrefs, "extra")
                .message(format!(
                    "{table} {} is unique in PostgreSQL but not in SQLite.",
                    describe_key(p)
                ))
                .sides(
                    "no such unique constraint or index",
                    format!("UNIQUE {} ({})", describe_key(p), pk[p].name),
                ),
        );
    }
}

fn indexes(et: &ExpectedTable, pt: &Table, out: &mut Vec<Finding>) {
    let table = et.name;
    let s_only: Vec<&Index> = et
        .indexes
        .iter()
        .map(|i| i.source)
        .filter(|i| !pt.indexes.iter().any(|p| p.key == i.key))
        .collect();
    let mut p_only: Vec<&Index> = pt
        .indexes
        .iter()
        .filter(|i| !et.indexes.iter().any(|s| s.source.key == i.key))
        .collect();
    let columns = |k: &IndexKey| key_columns(k);
    for i in s_only {
        let cols = columns(&i.key);
        let colrefs: Vec<&str> = cols.iter().map(String::as_str).collect();
        // Same columns, different order/direction/predicate: one finding.
        if let Some(k) = p_only.iter().position(|p| columns(&p.key) == cols) {
            let p = p_only.remove(k);
            out.push(
                Finding::new(
                    CHECK,
                    Category::Index,
                    table,
                    &colrefs,
                    &format!("differs {}", i.name),
                )
                .message(format!(
                    "Index {} on {table} is {} in SQLite but {} in PostgreSQL.",
                    i.name,
                    describe_key(&i.key),
                    describe_key(&p.key)
                ))
                .sides(
                    format!("INDEX {} {}", i.name, describe_key(&i.key)),
                    format!("INDEX {} {}", p.name, describe_key(&p.key)),
                )
                .warning(),
            );
            continue;
        }
        out.push(
            Finding::new(
                CHECK,
                Category::Index,
                table,
                &colrefs,
                &format!("missing {}", i.name),
            )
            .message(format!(
                "Index {} on {table} {} has no counterpart in PostgreSQL.",
                i.name,
                describe_key(&i.key)
            ))
            .sides(
                format!("INDEX {} {}", i.name, describe_key(&i.key)),
                "no matching index",
            )
            .warning(),
        );
    }
    for p in p_only {
        let cols = columns(&p.key);
        let colrefs: Vec<&str> = cols.iter().map(String::as_str).collect();
        out.push(
            Finding::new(
                CHECK,
                Category::Index,
                table,
                &colrefs,
                &format!("extra {}", p.name),
            )
            .message(format!(
                "Index {} on {table} {} has no counterpart in SQLite.",
                p.name,
                describe_key(&p.key)
            ))
            .sides(
                "no matching index",
                format!("INDEX {} {}", p.name, describe_key(&p.key)),
            )
            .warning(),
        );
    }
}

fn foreign_keys(et: &ExpectedTable, pt: &Table, out: &mut Vec<Finding>) {
    let table = et.name;
    let sf: BTreeMap<&Vec<String>, &ExpectedForeignKey> =
        et.foreign_keys.iter().map(|f| (&f.column_set, f)).collect();
    let pf: BTreeMap<Vec<String>, &crate::schema::ForeignKey> = pt
        .foreign_keys
        .iter()
        .map(|f| {
            let mut c = f.columns.clone();
            c.sort();
            (c, f)
        })
        .collect();
    for (cols, ef) in &sf {
        let s = ef.source;
        let colrefs: Vec<&str> = s.columns.iter().map(String::as_str).collect();
        let target = |f: &crate::schema::ForeignKey| {
            format!("{}({})", f.target_table, f.target_columns.join(", "))
        };
        let Some(p) = pf.get(*cols) else {
            out.push(
                Finding::new(CHECK, Category::ForeignKey, table, &colrefs, "missing")
                    .message(format!(
                        "{table}({}) references {} in SQLite but has no foreign key in PostgreSQL, so dangling references are accepted there.",
                        s.columns.join(", "),
                        target(s)
                    ))
                    .sides(
                        format!("REFERENCES {} ON DELETE {} ON UPDATE {}", target(s), s.on_delete.as_sql(), s.on_update.as_sql()),
                        "no foreign key",
                    )
                    .pattern(
                        format!("fk-sqlite-only-{}-{}", s.target_table, s.target_columns.join("-")),
                        format!(
                            "references {} in SQLite but has no foreign key in PostgreSQL, so dangling references are accepted there.",
                            target(s)
                        ),
                        None,
                    ),
            );
            continue;
        };
        if s.target_table != p.target_table || s.target_columns != p.target_columns {
            out.push(
                Finding::new(CHECK, Category::ForeignKey, table, &colrefs, "target")
                    .message(format!(
                        "{table}({}) references {} in SQLite but {} in PostgreSQL.",
                        s.columns.join(", "),
                        target(s),
                        target(p)
                    ))
                    .sides(
                        format!("REFERENCES {}", target(s)),
                        format!("REFERENCES {}", target(p)),
                    ),
            );
            continue;
        }
        if s.deferred != p.deferred {
            let when = |d: bool| {
                if d {
                    "DEFERRABLE INITIALLY DEFERRED (checked at commit)"
                } else {
                    "checked at each statement"
                }
            };
            out.push(
                Finding::new(CHECK, Category::ForeignKey, table, &colrefs, "deferred")
                    .message(format!(
                        "{table}({}) → {}: the foreign key is {} in SQLite but {} in PostgreSQL, so a statement that leaves a dangling reference for a moment is refused on one side only.",
                        s.columns.join(", "),
                        target(s),
                        when(s.deferred),
                        when(p.deferred)
                    ))
                    .sides(when(s.deferred), when(p.deferred)),
            );
        }
        for (what, a, b) in [
            ("DELETE", s.on_delete, p.on_delete),
            ("UPDATE", s.on_update, p.on_update),
        ] {
            let one_statement = ef.restrict_matters(what == "DELETE");
            if !a.behaves_like(b, one_statement) {
                out.push(
                    Finding::new(
                        CHECK,
                        Category::OnDelete,
                        table,
                        &colrefs,
                        &format!("on {what}"),
                    )
                    .message(format!(
                        "{table}({}) → {}: ON {what} {} in SQLite but ON {what} {} in PostgreSQL.{}",
                        s.columns.join(", "),
                        target(s),
                        a.as_sql(),
                        b.as_sql(),
                        if a.acts() || b.acts() {
                            ""
                        } else if what == "UPDATE" {
                            " RESTRICT refuses as soon as a referenced key changes; NO ACTION only if a child still refers to it when the statement ends (an UPDATE that hands the key to another row passes)."
                        } else {
                            " RESTRICT refuses as soon as a referenced row goes; NO ACTION only if a child still refers to it when the statement ends (a DELETE that also removes the child, through a self-reference or a cascade, passes)."
                        }
                    ))
                    .sides(
                        format!("ON {what} {}", a.as_sql()),
                        format!("ON {what} {}", b.as_sql()),
                    ),
                );
            }
        }
    }
    for (cols, p) in &pf {
        if !sf.contains_key(cols) {
            let colrefs: Vec<&str> = p.columns.iter().map(String::as_str).collect();
            out.push(
                Finding::new(CHECK, Category::ForeignKey, table, &colrefs, "extra")
                    .message(format!(
                        "{table}({}) references {}({}) in PostgreSQL but has no foreign key in SQLite.",
                        p.columns.join(", "),
                        p.target_table,
                        p.target_columns.join(", ")
                    ))
                    .sides("no foreign key", format!("REFERENCES {}({})", p.target_table, p.target_columns.join(", ")))
                    .pattern(
                        format!("fk-postgres-only-{}-{}", p.target_table, p.target_columns.join("-")),
                        format!(
                            "references {}({}) in PostgreSQL but has no foreign key in SQLite, so SQLite accepts dangling references PostgreSQL refuses.",
                            p.target_table,
                            p.target_columns.join(", ")
                        ),
                        None,
                    ),
            );
        }
    }
}

fn checks(
    table: &str,
    s_atoms: &[Atom],
    p_atoms: &[Atom],
    implied: &[Atom],
    out: &mut Vec<Finding>,
    columns: &[&str],
) {
    let s_only: Vec<&Atom> = s_atoms
        .iter()
        .filter(|a| !p_atoms.contains(a) && !implied.contains(a))
        .collect();
    let mut p_only: Vec<&Atom> = p_atoms.iter().filter(|a| !s_atoms.contains(a)).collect();
    let mut s_missing = Vec::new();
    for s in s_only {
        let col = s
            .column()
            .map(str::to_string)
            .or_else(|| sole_column(s, columns));
        // Same column, same shape, different content: one finding.
        let twin = p_only.iter().position(|p| match (s, p) {
            (Atom::InSet { column: a, .. }, Atom::InSet { column: b, .. })
            | (Atom::Pattern { column: a, .. }, Atom::Pattern { column: b, .. })
            | (Atom::MaxLength { column: a, .. }, Atom::MaxLength { column: b, .. })
            | (Atom::MinLength { column: a, .. }, Atom::MinLength { column: b, .. }) => a == b,
            (
                Atom::Compare {
                    column: a, op: x, ..
                },
                Atom::Compare {
                    column: b, op: y, ..
                },
            ) => a == b && x == y,
            _ => false,
        });
        if let Some(i) = twin {
            let cols: Vec<&str> = col.iter().map(String::as_str).collect();
            let p = p_only.remove(i);
            let detail = match (s, p) {
                (Atom::InSet { values: a, .. }, Atom::InSet { values: b, .. }) => {
                    let only_s: Vec<&String> = a.difference(b).collect();
                    let only_p: Vec<&String> = b.difference(a).collect();
                    format!(
                        " (only SQLite allows: {}; only PostgreSQL allows: {})",
                        if only_s.is_empty() {
                            "-".into()
                        } else {
                            only_s
                                .iter()
                                .map(|x| x.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        },
                        if only_p.is_empty() {
                            "-".into()
                        } else {
                            only_p
                                .iter()
                                .map(|x| x.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    )
                }
                _ => String::new(),
            };
            out.push(
                Finding::new(CHECK, Category::Check, table, &cols, &s.describe())
                    .message(format!(
                        "{table}: CHECK {} in SQLite differs from CHECK {} in PostgreSQL{detail}.",
                        s.describe(),
                        p.describe()
                    ))
                    .sides(
                        format!("CHECK {}", s.describe()),
                        format!("CHECK {}", p.describe()),
                    ),
            );
            continue;
        }
        s_missing.push((col, s));
    }
    let mut p_missing = Vec::new();
    for p in p_only {
        let col = p
            .column()
            .map(str::to_string)
            .or_else(|| sole_column(p, columns));
        p_missing.push((col, p));
    }
    one_side_checks(table, s_missing, Engine::Sqlite, out);
    one_side_checks(table, p_missing, Engine::Postgres, out);
}

/// CHECK conditions only `has` enforces: one finding per column (the bounds
/// of one range, `x >= 0` and `x <= 100`, are one root cause), one per
/// condition no single column carries.
fn one_side_checks(
    table: &str,
    missing: Vec<(Option<String>, &Atom)>,
    has: Engine,
    out: &mut Vec<Finding>,
) {
    let lacks = has.other();
    let mut by_column: Vec<(Option<String>, Vec<&Atom>)> = Vec::new();
    for (col, atom) in missing {
        match by_column
            .iter_mut()
            .find(|(c, _)| col.is_some() && *c == col)
        {
            Some((_, atoms)) => atoms.push(atom),
            None => by_column.push((col, vec![atom])),
        }
    }
    for (col, atoms) in by_column {
        let cols: Vec<&str> = col.iter().map(String::as_str).collect();
        let shown = atoms
            .iter()
            .map(|a| a.describe())
            .collect::<Vec<_>>()
            .join(" AND ");
        let f = Finding::new(CHECK, Category::Check, table, &cols, &atoms[0].describe()).message(
            format!("{table}: {has} enforces CHECK {shown} but {lacks} does not."),
        );
        let (mine, none) = (format!("CHECK {shown}"), "no such check".to_string());
        let mut f = if has == Engine::Sqlite {
            f.sides(mine, none)
        } else {
            f.sides(none, mine)
        };
        // `x >= 0` in SQLite and `x > 0` in PostgreSQL slug alike: the ids
        // of two findings must differ.
        if out.iter().any(|g| g.id == f.id) {
            f.id.push_str(&format!(".{}-only", has.name().to_ascii_lowercase()));
        }
        out.push(f);
    }
}

/// The one column an otherwise unanalysed CHECK mentions, if exactly one.
fn sole_column(a: &Atom, columns: &[&str]) -> Option<String> {
    let Atom::Other(text) = a else { return None };
    let words: std::collections::BTreeSet<String> = crate::sqltext::tokenize(text)
        .iter()
        .filter_map(crate::sqltext::Token::ident)
        .filter(|w| columns.contains(&w.as_str()))
        .collect();
    if words.len() == 1 {
        words.into_iter().next()
    } else {
        None
    }
}

fn triggers(table: &str, sqlite: &[Trigger], pt: &Table, out: &mut Vec<Finding>) {
    let mut unmatched_p: Vec<&Trigger> = pt.triggers.iter().collect();
    let mut unmatched_s = Vec::new();
    for s in sqlite {
        if let Some(i) = unmatched_p.iter().position(|p| p.name == s.name) {
            unmatched_p.remove(i);
        } else {
            unmatched_s.push(s);
        }
    }
    // Different names, same events: the same trigger renamed.
    unmatched_s.retain(
        |s| match unmatched_p.iter().position(|p| p.events == s.events) {
            Some(i) => {
                unmatched_p.remove(i);
                false
            }
            None => true,
        },
    );
    let events = |t: &crate::schema::Trigger| {
        t.events
            .iter()
            .map(|e| e.as_sql())
            .collect::<Vec<_>>()
            .join(" OR ")
    };
    // Different names, the same timing and events in common: one trigger
    // that fires on more events on one side — one root cause, said once.
    unmatched_s.retain(|s| {
        let Some(i) = unmatched_p.iter().position(|p| {
            p.timing.eq_ignore_ascii_case(&s.timing) && p.events.iter().any(|e| s.events.contains(e))
        }) else {
            return true;
        };
        let p = unmatched_p.remove(i);
        out.push(
            Finding::new(CHECK, Category::Trigger, table, &[], &s.name)
                .message(format!(
                    "Trigger {} in SQLite fires {} {} on {table}, its counterpart {} in PostgreSQL {} {}: they guard the table on different statements.",
                    s.name,
                    s.timing,
                    events(s),
                    p.name,
                    p.timing,
                    events(p)
                ))
                .sides(
                    format!("{} {} trigger {}", s.timing, events(s), s.name),
                    format!("{} {} trigger {}", p.timing, events(p), p.name),
                ),
        );
        false
    });
    for s in unmatched_s {
        out.push(
            Finding::new(CHECK, Category::Trigger, table, &[], &s.name)
                .message(format!(
                    "Trigger {} ({} {} on {table}) exists in SQLite but has no counterpart in PostgreSQL.",
                    s.name, s.timing, events(s)
                ))
                .sides(format!("{} {} trigger {}", s.timing, events(s), s.name), "no trigger"),
        );
    }
    for p in unmatched_p {
        out.push(
            Finding::new(CHECK, Category::Trigger, table, &[], &p.name)
                .message(format!(
                    "Trigger {} ({} {} on {table}) exists in PostgreSQL but has no counterpart in SQLite.",
                    p.name, p.timing, events(p)
                ))
                .sides("no trigger", format!("{} {} trigger {}", p.timing, events(p), p.name)),
        );
    }
}

/// A SQLite column whose default each row draws anew (a clock or random
/// bytes): its seed values differ between the two builds by nature.
pub(crate) fn nondeterministic(c: &Column) -> bool {
    c.default
        .as_deref()
        .is_some_and(|d| expr::default_value(d, Engine::Sqlite).varies())
}

fn seed_table(
    st: &Table,
    pt: &Table,
    ss: &crate::schema::SeedRows,
    ps: &crate::schema::SeedRows,
    out: &mut Vec<Finding>,
) {
    let name = st.name.as_str();
    // Columns present on both sides; random/clock defaults compare by presence.
    let cols: Vec<(usize, usize, &Column, PgKind)> = ss
        .columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let j = ps.columns.iter().position(|x| x == c)?;
            let sc = st.column(c)?;
            let pc = pt.column(c)?;
            Some((i, j, sc, mapping::pg_kind(&pc.declared_type)))
        })
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let row_key = |srow: &[Value], prow: &[Value]| -> bool {
        cols.iter().all(|(i, j, sc, kind)| {
            if nondeterministic(sc) {
                srow[*i].is_null() == prow[*j].is_null()
            } else {
                mapping::same_value(&srow[*i], &prow[*j], kind)
                    // Both read the clock while the migrations ran (a
                    // CURRENT_TIMESTAMP in an INSERT, a strftime default):
                    // two readings of one moment, not two values.
                    || clock_reading(&srow[*i], now) && clock_reading(&prow[*j], now)
            }
        })
    };
    let mut unmatched_p: Vec<usize> = (0..ps.rows.len()).collect();
    let mut missing = Vec::new();
    for srow in &ss.rows {
        match unmatched_p.iter().position(|&j| row_key(srow, &ps.rows[j])) {
            Some(k) => {
                unmatched_p.remove(k);
            }
            None => missing.push(srow),
        }
    }
    if missing.is_empty() && unmatched_p.is_empty() {
        return;
    }
    let show = |row: &[Value]| {
        format!(
            "({})",
            row.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let s_desc: Vec<String> = missing.iter().take(3).map(|r| show(r)).collect();
    let p_desc: Vec<String> = unmatched_p
        .iter()
        .take(3)
        .map(|&j| show(&ps.rows[j]))
        .collect();
    out.push(
        Finding::new(CheckKind::SeedData, Category::SeedData, name, &[], "rows")
            .message(format!(
                "Seed rows of {name} differ: {} row(s) only in SQLite, {} only in PostgreSQL.",
                missing.len(),
                unmatched_p.len()
            ))
            .sides(
                if s_desc.is_empty() {
                    "no extra rows".into()
                } else {
                    format!("only here: {}", s_desc.join(", "))
                },
                if p_desc.is_empty() {
                    "no extra rows".into()
                } else {
                    format!("only here: {}", p_desc.join(", "))
                },
            ),
    );
}

#[cfg(test)]
mod enum_tests {
    use super::*;

    fn pair(check: &str, labels: &[&str]) -> Vec<Finding> {
        let sqlite = Table {
            name: "t".into(),
            columns: vec![Column {
                name: "s".into(),
                declared_type: "TEXT".into(),
                ..Column::default()
            }],
            checks: vec![crate::schema::Check {
                name: String::new(),
                expr: check.into(),
                column: Some("s".into()),
            }],
            ..Table::default()
        };
        let pg = Table {
            columns: vec![Column {
                name: "s".into(),
                declared_type: "S_KIND".into(),
                enum_labels: Some(labels.iter().map(|l| (*l).to_string()).collect()),
                ..Column::default()
            }],
            checks: Vec::new(),
            ..sqlite.clone()
        };
        let mut out = Vec::new();
        let config = Config::default();
        table(
            &expected::table(&Schema::default(), &sqlite, &config, &Probed::new()),
            &pg,
            &mut out,
        );
        out
    }

    #[test]
    fn enum_against_check_in_compares_the_value_sets() {
        // The same set in another order: the enum enforces the CHECK.
        assert!(pair("s IN ('a', 'b')", &["b", "a"]).is_empty());
        let found = pair("s IN ('a', 'b')", &["a", "c"]);
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        assert_eq!(
            (f.category, f.columns.as_slice()),
            (Category::Check, &["s".to_string()][..])
        );
        assert!(
            f.message.contains("only SQLite's CHECK allows 'b'")
                && f.message.contains("allows 'c'"),
            "{}",
            f.message
        );
        let wider = pair("s IN ('a')", &["a", "c"]);
        assert!(
            wider[0]
                .message
                .contains("enum s_kind also allows 'c', which SQLite's CHECK rejects"),
            "{}",
            wider[0].message
        );
    }
}

#[cfg(test)]
mod check_tests {
    use super::*;

    fn table(checks: &[&str]) -> Table {
        Table {
            name: "t".into(),
            columns: vec![Column {
                name: "age".into(),
                declared_type: "INTEGER".into(),
                ..Column::default()
            }],
            checks: checks
                .iter()
                .map(|c| crate::schema::Check {
                    name: String::new(),
                    expr: (*c).into(),
                    column: Some("age".into()),
                })
                .collect(),
            ..Table::default()
        }
    }

    fn found(sqlite: &[&str], pg: &[&str]) -> Vec<Finding> {
        let mut out = Vec::new();
        let (config, sqlite) = (Config::default(), table(sqlite));
        let schema = Schema::default();
        super::table(
            &expected::table(&schema, &sqlite, &config, &Probed::new()),
            &table(pg),
            &mut out,
        );
        out.into_iter()
            .filter(|f| f.category == Category::Check)
            .collect()
    }

    #[test]
    fn a_missing_range_is_one_finding_and_ids_never_collide() {
        // Both bounds of one range, missing in PostgreSQL: one finding.
        let f = found(&["age BETWEEN 0 AND 100"], &[]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("AND"), "{}", f[0].message);
        // `>= 0` against `> 0`: two findings, two ids.
        let f = found(&["age >= 0"], &["age > 0"]);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_ne!(f[0].id, f[1].id);
        // The same CHECK on both sides: none.
        assert!(found(&["age >= 0"], &["age >= 0"]).is_empty());
    }
}

/// `structure` on in-memory models: a difference of each kind is one
/// finding on the right column, an equivalent pair none.
#[cfg(test)]
mod structure_tests {
    use super::*;
    use crate::finding::Severity;

    fn col(name: &str, declared_type: &str, not_null: bool) -> Column {
        Column {
            not_null,
            ..Column::typed(name, declared_type)
        }
    }

    fn schema(columns: Vec<Column>) -> Schema {
        let mut s = Schema::default();
        s.tables.insert(
            "notes".into(),
            Table {
                name: "notes".into(),
                columns,
                ..Table::default()
            },
        );
        s
    }

    fn sqlite() -> Schema {
        schema(vec![
            col("body", "TEXT", true),
            col("views", "INTEGER", false),
            col("score", "REAL", false),
        ])
    }

    fn found(pg: Vec<Column>) -> Vec<(Category, Vec<String>, Severity)> {
        structure(&sqlite(), &schema(pg), &Probed::new(), &Config::default())
            .into_iter()
            .map(|f| (f.category, f.columns, f.severity))
            .collect()
    }

    #[test]
    fn an_equivalent_pair_is_quiet() {
        let pg = vec![
            col("body", "TEXT", true),
            col("views", "BIGINT", false),
            col("score", "DOUBLE PRECISION", false),
        ];
        assert_eq!(found(pg), vec![]);
    }

    #[test]
    fn each_difference_is_one_finding_on_its_column() {
        let error = Severity::Error;
        let cases = [
            (
                vec![
                    col("body", "TEXT", true),
                    col("score", "DOUBLE PRECISION", false),
                ],
                (Category::MissingColumn, "views"),
            ),
            (
                vec![
                    col("body", "TEXT", false),
                    col("views", "BIGINT", false),
                    col("score", "DOUBLE PRECISION", false),
                ],
                (Category::Nullability, "body"),
            ),
            (
                vec![
                    col("body", "TEXT", true),
                    col("views", "INTEGER", false),
                    col("score", "DOUBLE PRECISION", false),
                ],
                (Category::Type, "views"),
            ),
        ];
        for (pg, (category, column)) in cases {
            assert_eq!(
                found(pg),
                vec![(category, vec![column.to_string()], error)],
                "{category:?} on {column}"
            );
        }
    }
}
