//! The `replay` command: read the inputs, build PostgreSQL as `check`
//! builds it (the file read in place), load every table parents first,
//! and report what happened to the rows.

use std::collections::BTreeSet;
use std::time::Instant;

use crate::build::{self, Prepared};
use crate::check::{self, TableInfo};
use crate::engine::sqlite;
use crate::error::{Error, Result};
use crate::migrations::{self, Layout, MigrationSet};
use crate::model::Engine;
use crate::model::finding::{self, Category, CheckKind, Finding};
use crate::progress::Progress;
use crate::provision;
use crate::report::{Inputs, Report};

use super::Options;
use super::load;
use super::rows::Shape;
use super::tally::Tally;

/// Obtains PostgreSQL as the options say, replays the file, releases it.
pub fn replay(opts: &Options, progress: &dyn Progress) -> Result<Report> {
    let (run_opts, prepared, chain) = prepare(opts)?;
    let server = build::obtain(&run_opts, progress)?;
    server.outlived(replay_prepared(
        opts, &run_opts, prepared, chain, &server, progress,
    ))
}

/// [`replay`] on an existing server.
pub fn replay_on(
    opts: &Options,
    server: &provision::Server,
    progress: &dyn Progress,
) -> Result<Report> {
    let (run_opts, prepared, chain) = prepare(opts)?;
    replay_prepared(opts, &run_opts, prepared, chain, server, progress)
}

/// The inputs read before a server is paid for: the file must be a SQLite
/// database (bad input otherwise), the PostgreSQL side, the config, and
/// `--sqlite-migrations`.
fn prepare(opts: &Options) -> Result<(build::RunOptions, Prepared, Option<MigrationSet>)> {
    let run_opts = build::RunOptions {
        sqlite_layout: Some(Layout::SqliteDatabase),
        ..opts.run.clone()
    };
    if !run_opts.sqlite_dir.is_file() {
        return Err(Error::Usage(format!(
            "--sqlite {}: no such file (replay reads a SQLite database file)",
            run_opts.sqlite_dir.display()
        )));
    }
    let prepared = build::prepare(&run_opts)?;
    let chain = (opts.sqlite_migrations.as_deref())
        .map(|dir| migrations::load(dir, Engine::Sqlite, None))
        .transpose()?;
    Ok((run_opts, prepared, chain))
}

/// The tables to load: those asked for and every table they reference,
/// transitively (a child's rows need their parents).
fn with_parents(
    tables: &std::collections::BTreeMap<String, TableInfo>,
    only: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut wanted: BTreeSet<String> = only.clone();
    let mut todo: Vec<String> = only.iter().cloned().collect();
    while let Some(t) = todo.pop() {
        for fk in tables.get(&t).iter().flat_map(|i| &i.foreign_keys) {
            if wanted.insert(fk.target_table.clone()) {
                todo.push(fk.target_table.clone());
            }
        }
    }
    wanted
}

fn replay_prepared(
    opts: &Options,
    run_opts: &build::RunOptions,
    prepared: Prepared,
    chain: Option<MigrationSet>,
    server: &provision::Server,
    progress: &dyn Progress,
) -> Result<Report> {
    let started = Instant::now();
    let (built, configured) = build::build_in_place(run_opts, prepared, server, progress)?;
    let config = &configured.config;
    let mut tables = check::tables(&built.sqlite, &built.pg, &built.probed, config);
    tables.retain(|_, t| t.sqlite_table.virtual_module.is_none());
    let only: BTreeSet<String> = opts.run.only.iter().map(|t| t.to_lowercase()).collect();
    for t in &only {
        if !built.sqlite.tables.contains_key(t) {
            return Err(Error::Usage(format!(
                "--only names table `{t}`, which the database file lacks"
            )));
        }
    }
    let reported = |t: &str| only.is_empty() || only.contains(t);
    let wanted = if only.is_empty() {
        tables.keys().cloned().collect()
    } else {
        with_parents(&tables, &only)
    };
    let mut session = built.database.connect()?;
    // The read-back runs beside the load, on a connection of its own.
    let mut readback = built.database.connect()?;
    let mut tally = Tally::new(opts.no_values);
    let mut findings: Vec<Finding> = Vec::new();
    let mut rows_read: u64 = 0;
    for t in check::topological(&tables) {
        let Some(info) = tables.get(&t).filter(|_| wanted.contains(&t)) else {
            continue;
        };
        let shape = Shape::new(info);
        let total = built.sqlite_conn.count_rows(&t)?;
        progress.phase(&format!("replaying `{t}`: {total} row(s)"));
        let unit = format!("rows of {t}");
        let loaded = load::table(
            &built.sqlite_conn,
            (&mut session, &mut readback),
            &shape,
            &mut tally,
            opts.batch_rows.max(1),
            &mut |done| progress.advance(done, total.max(done), &unit),
        )?;
        rows_read += loaded.read;
        findings.extend(super::sequences::overtaken(&mut session, &info.pg_table)?);
    }
    session.close();
    readback.close();
    // Tables PostgreSQL lacks: their rows have nowhere to go.
    for (name, st) in &built.sqlite.tables {
        if built.pg.tables.contains_key(name)
            || config.skips(name)
            || st.virtual_module.is_some()
            || !reported(name)
        {
            continue;
        }
        let n = built.sqlite_conn.count_rows(name)?;
        if n == 0 {
            continue;
        }
        let mut f = Finding::new(CheckKind::Replay, Category::MissingTable, name, &[], "lost")
            .message(format!(
                "{n} row(s) of `{name}` have nowhere to go: PostgreSQL has no such table"
            ))
            .sides(
                format!("SQLite holds {n} row(s)"),
                "PostgreSQL has no such table",
            );
        f.rows = Some(n);
        findings.push(f);
    }
    let declared = |t: &str, c: &str| {
        let ty = |s: &crate::model::schema::Schema| {
            s.tables
                .get(t)
                .and_then(|t| t.column(c))
                .map(|c| c.declared_type.clone())
                .unwrap_or_default()
        };
        (ty(&built.sqlite), ty(&built.pg))
    };
    findings.extend(tally.findings(declared));
    if let Some(chain) = &chain {
        progress.phase(&format!(
            "comparing the file's schema with {}",
            chain.describe()
        ));
        let db = sqlite::open_memory()?;
        sqlite::apply(
            &db,
            &chain.steps(Engine::Sqlite)?,
            chain.layout.sqlite_foreign_keys_during_chain(),
        )?;
        let built_by_chain = sqlite::introspect(&db)?;
        findings.extend(super::drift::compare(&built.sqlite, &built_by_chain));
    }
    findings.retain(|f| reported(&f.table) && !config.skips(&f.table));
    let unused_accepts = config.unused_accepts(&findings, |a| {
        a.check
            .as_deref()
            .is_none_or(|c| c == CheckKind::Replay.name())
    });
    config.apply(&mut findings);
    finding::sort(&mut findings);
    let inputs = Inputs {
        checks: vec![CheckKind::Replay.name()],
        unused_accepts,
        ..crate::commands::check::inputs(run_opts, &built, &configured)
    };
    let tables = wanted.iter().filter(|t| reported(t)).count();
    drop(built);
    Ok(crate::commands::check::report(
        inputs, findings, tables, 1, rows_read, started,
    ))
}
