//! Attribution on both engines, one case per row of each engine's table
//! (`postgres::ATTRIBUTION`, keyed by SQLSTATE; `sqlite::ATTRIBUTION`,
//! keyed by extended result code): each case is a small table per engine
//! and a statement that breaks exactly one rule, run for real so that the
//! messages are the engines' own. A case states, per engine, the code the
//! engine refuses the statement with and the columns `attribute` reads
//! from what it says — or that the engine accepts it. A last trial fails
//! when a row of either table has no case.
//!
//! Statements run through the engines' `Connection`s in a case, as the checks' do,
//! spelled as the checks spell them (quoted names). All cases share one
//! scratch database; each case has its own schema.

use std::sync::{Arc, OnceLock};

use libtest_mimic::{Failed, Trial};
use schema_parity::engine::attribution::{Assignment, Row};
use schema_parity::engine::{Connection, Outcome, Shape, Sql, insert_spans, postgres, sqlite};
use schema_parity::migrations;
use schema_parity::model::Engine;
use schema_parity::model::schema::{Schema, Table};
use schema_parity::provision::ScratchDatabase;

use crate::common::Shared;

/// What one engine does with a case's statement.
#[derive(Debug, Clone, Copy)]
enum Expect {
    Accepted,
    /// Refused with this code; `attribute` names these columns of `t`.
    Refused(&'static str, &'static [&'static str]),
}

/// A column a statement sets: its name and the literal each engine is sent
/// (SQLite's, PostgreSQL's).
type Set = (&'static str, &'static str, &'static str);

/// What a case's statement does to table `t`.
#[derive(Debug, Clone, Copy)]
enum Write {
    /// `INSERT INTO "t" (…) VALUES (…)`.
    Insert(&'static [Set]),
    /// `UPDATE "t" SET … ` (every row).
    Update(&'static [Set]),
    /// `DELETE FROM "t"` (every row).
    Delete,
}

/// One case: table `t` (and any other it needs) per engine, rows put in
/// first (the same SQL on both), the statement, and what each engine does.
struct Case {
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
    setup: &'static [&'static str],
    write: Write,
    expect_sqlite: Expect,
    expect_postgres: Expect,
}

/// The same literal on both engines.
const fn same(column: &'static str, literal: &'static str) -> Set {
    (column, literal, literal)
}

use Expect::{Accepted, Refused};

/// One case per row of each engine's table (and more where a row reads
/// several message forms).
const CASES: &[Case] = &[
    // 42703 / "has no column named": the column is in the statement,
    // not in the table, and it is the one blamed.
    Case {
        name: "missing_column_insert",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY)",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("fine_cents", "2")]),
        expect_sqlite: Refused("1", &["fine_cents"]),
        expect_postgres: Refused("42703", &["fine_cents"]),
    },
    Case {
        name: "missing_column_update",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY)",
        setup: &["INSERT INTO t (id) VALUES (1)"],
        write: Write::Update(&[same("fine_cents", "2")]),
        expect_sqlite: Refused("1", &["fine_cents"]),
        expect_postgres: Refused("42703", &["fine_cents"]),
    },
    Case {
        name: "not_null",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, a integer NOT NULL)",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("a", "NULL")]),
        expect_sqlite: Refused("1299", &["a"]),
        expect_postgres: Refused("23502", &["a"]),
    },
    Case {
        name: "unique_key",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT, y TEXT, UNIQUE (x, y))",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, x text, y text, UNIQUE (x, y))",
        setup: &["INSERT INTO t (id, x, y) VALUES (1, 'a', 'b')"],
        write: Write::Insert(&[same("id", "2"), same("x", "'a'"), same("y", "'b'")]),
        expect_sqlite: Refused("2067", &["x", "y"]),
        expect_postgres: Refused("23505", &["x", "y"]),
    },
    // SQLite names a unique index on an expression, not its columns.
    Case {
        name: "unique_expression_index",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT);\n\
                     CREATE UNIQUE INDEX t_lower_b ON t (lower(b))",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, b text);\n\
                       CREATE UNIQUE INDEX t_lower_b ON t (lower(b))",
        setup: &["INSERT INTO t (id, b) VALUES (1, 'ab')"],
        write: Write::Insert(&[same("id", "2"), same("b", "'AB'")]),
        expect_sqlite: Refused("2067", &["b"]),
        expect_postgres: Refused("23505", &["b"]),
    },
    Case {
        name: "primary_key",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, a integer)",
        setup: &["INSERT INTO t (id) VALUES (1)"],
        write: Write::Insert(&[same("id", "1"), same("a", "2")]),
        expect_sqlite: Refused("1555", &["id"]),
        expect_postgres: Refused("23505", &["id"]),
    },
    Case {
        name: "check_by_name",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER CONSTRAINT a_small CHECK (a < 100), b INTEGER)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, a integer CONSTRAINT a_small CHECK (a < 100), b integer)",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("a", "200"), same("b", "200")]),
        expect_sqlite: Refused("275", &["a"]),
        expect_postgres: Refused("23514", &["a"]),
    },
    // An unnamed CHECK: SQLite reports its expression, PostgreSQL the
    // name it gave it.
    Case {
        name: "check_by_expression",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT, CHECK (length(b) <= 3))",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, b text, CHECK (length(b) <= 3))",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("b", "'abcd'")]),
        expect_sqlite: Refused("275", &["b"]),
        expect_postgres: Refused("23514", &["b"]),
    },
    // A domain's CHECK is on each column of the domain: the one set.
    Case {
        name: "check_of_a_domain",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER CHECK (a > 0), b INTEGER CHECK (b > 0))",
        postgres: "CREATE DOMAIN positive AS integer CHECK (VALUE > 0);\n\
                       CREATE TABLE t (id bigint PRIMARY KEY, a positive, b positive)",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("b", "-1")]),
        expect_sqlite: Refused("275", &["b"]),
        expect_postgres: Refused("23514", &["b"]),
    },
    // SQLite's foreign-key failures name nothing: unattributed.
    Case {
        name: "foreign_key",
        sqlite: "CREATE TABLE p (id INTEGER PRIMARY KEY);\n\
                     CREATE TABLE t (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES p (id))",
        postgres: "CREATE TABLE p (id bigint PRIMARY KEY);\n\
                       CREATE TABLE t (id bigint PRIMARY KEY, parent_id bigint REFERENCES p (id))",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("parent_id", "5")]),
        expect_sqlite: Refused("787", &[]),
        expect_postgres: Refused("23503", &["parent_id"]),
    },
    // Deleting a parent a RESTRICT key protects: PostgreSQL names the
    // child's key, whose detail names the parent's columns.
    Case {
        name: "restrict_on_the_parent",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY);\n\
                     CREATE TABLE c (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id) ON DELETE RESTRICT)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY);\n\
                       CREATE TABLE c (id bigint PRIMARY KEY, t_id bigint REFERENCES t (id) ON DELETE RESTRICT)",
        setup: &[
            "INSERT INTO t (id) VALUES (1)",
            "INSERT INTO c (id, t_id) VALUES (1, 1)",
        ],
        write: Write::Delete,
        expect_sqlite: Refused("1811", &[]),
        expect_postgres: Refused("23503", &["id"]),
    },
    // A trigger's refusal may say anything: with no row for its code,
    // its message is not read.
    Case {
        name: "trigger_message_is_not_read",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER);\n\
                     CREATE TRIGGER t_refuse BEFORE INSERT ON t \
                     BEGIN SELECT RAISE(ABORT, 'column a is wrong'); END",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, a integer);\n\
                       CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS \
                       $$ BEGIN RAISE EXCEPTION 'column \"a\" is wrong'; END $$;\n\
                       CREATE TRIGGER t_refuse BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION refuse()",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("a", "1")]),
        expect_sqlite: Refused("1811", &[]),
        expect_postgres: Refused("P0001", &[]),
    },
    Case {
        name: "strict_table_type",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER) STRICT",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, c integer)",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("c", "'abc'")]),
        expect_sqlite: Refused("3091", &["c"]),
        expect_postgres: Refused("22P02", &["c"]),
    },
    // Only the rowid makes a plain SQLite table refuse a value by type.
    Case {
        name: "rowid_datatype_mismatch",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, a text)",
        setup: &[],
        write: Write::Insert(&[same("a", "'abc'"), same("id", "'abc'")]),
        expect_sqlite: Refused("20", &["id"]),
        expect_postgres: Refused("22P02", &["id"]),
    },
    Case {
        name: "generated_column",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, g INTEGER GENERATED ALWAYS AS (a * 2) STORED)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, a integer, g integer GENERATED ALWAYS AS (a * 2) STORED)",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("a", "1"), same("g", "2")]),
        expect_sqlite: Refused("1", &["g"]),
        expect_postgres: Refused("428C9", &["g"]),
    },
    Case {
        name: "string_too_long",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, a VARCHAR(3), v VARCHAR(3))",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, a varchar(3), v varchar(3))",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("a", "'ab   '"), same("v", "'abcd'")]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22001", &["v"]),
    },
    Case {
        name: "integer_out_of_range",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, b INTEGER, a INTEGER)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, b bigint, a integer)",
        setup: &[],
        write: Write::Insert(&[
            same("id", "1"),
            same("b", "3000000000"),
            same("a", "3000000000"),
        ]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22003", &["a"]),
    },
    // Text sent to an integer column: the message quotes the value.
    Case {
        name: "integer_text_out_of_range",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, a integer)",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("a", "'3000000000'")]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22003", &["a"]),
    },
    Case {
        name: "numeric_field_overflow",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, n NUMERIC(5,2))",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, n numeric(5,2))",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("n", "12345.5")]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22003", &["n"]),
    },
    // The message spells 1e39 in full.
    Case {
        name: "real_out_of_range",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, d REAL, r REAL)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, d double precision, r real)",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("d", "1e39"), same("r", "1e39")]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22003", &["r"]),
    },
    // "invalid input syntax" holds "id": the value decides.
    Case {
        name: "invalid_uuid",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, u TEXT)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, u uuid)",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("u", "'abc'")]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22P02", &["u"]),
    },
    // The value 2 is sent to id too: the message's type decides.
    Case {
        name: "invalid_boolean",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, flag INTEGER)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, flag boolean)",
        setup: &[],
        write: Write::Insert(&[same("id", "2"), ("flag", "2", "'2'::boolean")]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22P02", &["flag"]),
    },
    Case {
        name: "invalid_enum",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, m TEXT)",
        postgres: "CREATE TYPE mood AS ENUM ('ok', 'sad');\n\
                       CREATE TABLE t (id bigint PRIMARY KEY, m mood)",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("m", "'x'")]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22P02", &["m"]),
    },
    // No value in the message: the position, or the literal that is
    // not JSON.
    Case {
        name: "invalid_json",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, meta TEXT, j TEXT)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, meta jsonb, j json)",
        setup: &[],
        write: Write::Insert(&[
            same("id", "1"),
            same("meta", "'{}'"),
            same("j", "'not json'"),
        ]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22P02", &["j"]),
    },
    // The same with a column after it: the position alone tells them
    // apart, and inside a case it counts from the statement, not from the
    // BEGIN and SAVEPOINT the connection sends with it.
    Case {
        name: "invalid_json_before_another",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, j TEXT, note TEXT)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, j json, note text)",
        setup: &[],
        write: Write::Insert(&[
            same("id", "1"),
            same("j", "'not json'"),
            same("note", "'a note that is long enough to be pointed at'"),
        ]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22P02", &["j"]),
    },
    Case {
        name: "invalid_datetime",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, ts TEXT)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, ts timestamp with time zone)",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("ts", "'nope'")]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22007", &["ts"]),
    },
    Case {
        name: "datetime_out_of_range",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, d TEXT, dt TEXT)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, d date, dt date)",
        setup: &[],
        write: Write::Insert(&[
            same("id", "1"),
            same("d", "'2024-02-28'"),
            same("dt", "'2024-02-30'"),
        ]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22008", &["dt"]),
    },
    // A NUL spliced in with chr(0), as the checks send it.
    Case {
        name: "nul_character",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, s TEXT)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, a text, s text)",
        setup: &[],
        write: Write::Insert(&[
            same("id", "1"),
            same("a", "'a'"),
            ("s", "'a' || char(0) || 'b'", "'a' || chr(0) || 'b'"),
        ]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("54000", &["s"]),
    },
    // A NUL byte in an escape string.
    Case {
        name: "nul_byte",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, s TEXT)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, a text, s text)",
        setup: &[],
        write: Write::Insert(&[
            same("id", "1"),
            same("a", "'a'"),
            ("s", "'a' || char(0) || 'b'", "E'a\\x00b'"),
        ]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22021", &["s"]),
    },
    Case {
        name: "datatype_mismatch",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, flag INTEGER)",
        postgres: "CREATE TABLE t (id bigint PRIMARY KEY, a integer, flag boolean)",
        setup: &[],
        write: Write::Insert(&[same("id", "1"), same("a", "2"), same("flag", "2")]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("42804", &["flag"]),
    },
];

type Database = Arc<OnceLock<Result<ScratchDatabase, String>>>;

pub fn trials(shared: &Arc<Shared>) -> Vec<Trial> {
    let db: Database = Arc::new(OnceLock::new());
    let mut out: Vec<Trial> = CASES
        .iter()
        .map(|case| {
            let (s, db) = (shared.clone(), db.clone());
            Trial::test(format!("attribution::{}", case.name), move || {
                run_case(&s, &db, case)
            })
        })
        .collect();
    out.push(Trial::test("attribution::every_row_has_a_case", || {
        every_row_has_a_case(CASES)
    }));
    let s = shared.clone();
    let d = db.clone();
    out.push(Trial::test(
        "attribution::a_shaped_insert_does_what_its_text_does",
        move || shaped_as_text(&s, &d, Form::Insert),
    ));
    let (s, d) = (shared.clone(), db.clone());
    out.push(Trial::test(
        "attribution::a_shaped_update_does_what_its_text_does",
        move || shaped_as_text(&s, &d, Form::Update),
    ));
    let s = shared.clone();
    out.push(Trial::test(
        "attribution::a_value_checked_late_moves_no_sequence",
        move || late_check_moves_no_sequence(&s, &db),
    ));
    out
}

/// How [`shaped_as_text`] runs a case's values.
#[derive(Clone, Copy, PartialEq)]
enum Form {
    /// The case's INSERT.
    Insert,
    /// The case's INSERT as text, then an UPDATE of every row setting the
    /// same columns to the same literals, shaped: on the row the INSERT
    /// wrote where it was taken, on none where it was refused.
    Update,
}

/// `UPDATE "t" SET "a" = l1, "b" = l2` and where each literal is.
fn update_every_row(sets: &[(&str, &str)]) -> (String, Vec<std::ops::Range<usize>>) {
    let mut text = String::from("UPDATE \"t\" SET ");
    let mut spans = Vec::new();
    for (i, (column, literal)) in sets.iter().enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        text.push_str(&format!("\"{column}\" = "));
        spans.push(text.len()..text.len() + literal.len());
        text.push_str(literal);
    }
    (text, spans)
}

/// Every case's values, run as a shaped statement (`engine::Sql` with its
/// literals cut out: SQLite binds them to a prepared statement, PostgreSQL
/// runs `EXECUTE` of one) — the case's INSERT, or an UPDATE setting them
/// ([`Form`]) — give the outcome its text gives, to the byte (message,
/// code, error position): the first time (PostgreSQL runs a shape met once
/// as its text), the second (the shape prepared) and the third (already
/// prepared). Most run prepared, or the test would prove nothing.
fn shaped_as_text(shared: &Shared, db: &Database, form: Form) -> Result<(), Failed> {
    let mut problems = Vec::new();
    let mut cases = 0;
    let mut prepared = [0u64; 2];
    let schema = match form {
        Form::Insert => "shaped",
        Form::Update => "shaped_update",
    };
    for case in CASES {
        let Write::Insert(sets) = case.write else {
            continue;
        };
        cases += 1;
        let mut sides = sides(shared, db, case, &format!("{schema}_{}", case.name))?;
        for (i, (engine, connection, _, _)) in sides.iter_mut().enumerate() {
            let (insert, _) = statement(case.write, *engine);
            let columns: Vec<&str> = sets.iter().map(|s| s.0).collect();
            let literals: Vec<&str> = sets
                .iter()
                .map(|s| match engine {
                    Engine::Sqlite => s.1,
                    Engine::Postgres => s.2,
                })
                .collect();
            let (text, spans) = match form {
                Form::Insert => (insert.clone(), insert_spans(&insert, &literals)),
                Form::Update => {
                    let pairs: Vec<(&str, &str)> = columns
                        .iter()
                        .copied()
                        .zip(literals.iter().copied())
                        .collect();
                    let (text, spans) = update_every_row(&pairs);
                    (text, Some(spans))
                }
            };
            let spans = spans.unwrap_or_default();
            let sql = Sql {
                text: &text,
                shape: Shape::of(&text, "t", &columns, &spans),
                repeats: false,
            };
            if sql.shape.is_none() {
                problems.push(format!("{engine}: {text} was not cut"));
                continue;
            }
            // The case's statement as its text, then shaped three times.
            let run = |connection: &mut Box<dyn Connection>, shaped: bool| {
                connection.begin()?;
                if form == Form::Update {
                    let _ = connection.run(&insert);
                }
                let outcome = if shaped {
                    connection.run_sql(sql)
                } else {
                    connection.run(&text)
                };
                connection.rollback()?;
                Ok::<_, Failed>(outcome)
            };
            let as_text = run(connection, false)?;
            let before = connection.prepared_runs();
            for round in ["first", "second", "third"] {
                let shaped = run(connection, true)?;
                if shaped != as_text {
                    problems.push(format!(
                        "{engine}, {}, {round} run: {text}\n  as text: {as_text:?}\n  shaped:  {shaped:?}",
                        case.name
                    ));
                }
            }
            prepared[i] += u64::from(connection.prepared_runs() > before);
        }
    }
    for (engine, n) in [Engine::Sqlite, Engine::Postgres].into_iter().zip(prepared) {
        if 2 * n < cases {
            problems.push(format!("{engine} ran only {n} of {cases} cases prepared"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

/// A shape setting a column PostgreSQL checks late (a length), in a table
/// whose id is a serial: `EXECUTE` with the plain type evaluates the id's
/// `nextval` before it refuses the value, and the sequence would move
/// where the text's refusal leaves it. Its parameter declared as a domain
/// over varchar(3), the value is refused while the arguments are read,
/// before anything runs, and the sequence stays where it was.
fn late_check_moves_no_sequence(shared: &Shared, db: &Database) -> Result<(), Failed> {
    static CASE: Case = Case {
        name: "late_sequenced",
        sqlite: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
        postgres: "CREATE TABLE t (id serial PRIMARY KEY, v varchar(3))",
        setup: &[],
        write: Write::Insert(&[same("v", "'abcd'")]),
        expect_sqlite: Accepted,
        expect_postgres: Refused("22001", &["v"]),
    };
    let [_, (_, pg, _, _)] = &mut sides(shared, db, &CASE, "late_sequenced")?;
    let text = r#"INSERT INTO "t" ("v") VALUES ('abcd')"#;
    let spans = insert_spans(text, &["'abcd'"]).ok_or("the INSERT was not cut")?;
    let sql = Sql {
        text,
        shape: Shape::of(text, "t", &["v"], &spans),
        repeats: false,
    };
    let sequence =
        |pg: &mut Box<dyn Connection>| pg.run("SELECT last_value, is_called FROM t_id_seq");
    let before = sequence(pg);
    for round in ["first", "second", "third"] {
        pg.begin()?;
        let outcome = pg.run_sql(sql);
        pg.rollback()?;
        if outcome.is_ok() {
            return Err(format!("the {round} run took the value: {outcome:?}").into());
        }
    }
    let after = sequence(pg);
    if !before.is_ok() || before != after {
        return Err(format!("the sequence moved: {before:?} -> {after:?}").into());
    }
    // The shape ran prepared (its parameter declared as a domain over
    // varchar(3)), or this would prove nothing of EXECUTE.
    if pg.prepared_runs() == 0 {
        return Err("the shape never ran prepared".into());
    }
    Ok(())
}

/// Every row of each engine's table is some case's expected code.
fn every_row_has_a_case(cases: &[Case]) -> Result<(), Failed> {
    let untested = |rows: &[Row], code: &dyn Fn(&Case) -> Expect| -> Vec<&'static str> {
        rows.iter()
            .filter(|row| {
                !cases
                    .iter()
                    .any(|c| matches!(code(c), Refused(got, _) if got == row.code))
            })
            .map(|row| row.code)
            .collect()
    };
    let sqlite = untested(sqlite::ATTRIBUTION, &|c| c.expect_sqlite);
    let postgres = untested(postgres::ATTRIBUTION, &|c| c.expect_postgres);
    if sqlite.is_empty() && postgres.is_empty() {
        Ok(())
    } else {
        Err(format!("rows without a case: SQLite {sqlite:?}, PostgreSQL {postgres:?}").into())
    }
}

/// The scratch database all cases share, made once.
fn database<'a>(shared: &Shared, db: &'a Database) -> Result<&'a ScratchDatabase, Failed> {
    db.get_or_init(|| {
        let server = shared.server()?;
        server.scratch("attribution").map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| Failed::from(e.as_str()))
}

/// Table `t` as an engine's introspection reads it.
fn table_t(schema: Schema, engine: Engine) -> Result<Table, Failed> {
    schema
        .tables
        .get("t")
        .cloned()
        .ok_or_else(|| Failed::from(format!("{engine} has no table t")))
}

/// The statement on one engine, and what it sets there.
fn statement(write: Write, engine: Engine) -> (String, Vec<Assignment<'static>>) {
    let literal = |&(_, s, p): &Set| match engine {
        Engine::Sqlite => s,
        Engine::Postgres => p,
    };
    let set = |sets: &'static [Set]| -> Vec<Assignment<'static>> {
        sets.iter()
            .map(|s| Assignment {
                column: s.0,
                literal: literal(s),
            })
            .collect()
    };
    match write {
        Write::Insert(sets) => {
            let columns: Vec<String> = sets.iter().map(|s| format!("\"{}\"", s.0)).collect();
            let values: Vec<&str> = sets.iter().map(literal).collect();
            (
                format!(
                    "INSERT INTO \"t\" ({}) VALUES ({})",
                    columns.join(", "),
                    values.join(", ")
                ),
                set(sets),
            )
        }
        Write::Update(sets) => {
            let assignments: Vec<String> = sets
                .iter()
                .map(|s| format!("\"{}\" = {}", s.0, literal(s)))
                .collect();
            (
                format!("UPDATE \"t\" SET {}", assignments.join(", ")),
                set(sets),
            )
        }
        Write::Delete => ("DELETE FROM \"t\"".into(), Vec::new()),
    }
}

/// One engine's side of a case: its connection, its table `t`, and what
/// the case expects of it.
type Side = (Engine, Box<dyn Connection>, Table, Expect);

/// `case`'s tables on both engines (PostgreSQL's in schema `schema`), its
/// setup rows in.
fn sides(shared: &Shared, db: &Database, case: &Case, schema: &str) -> Result<[Side; 2], Failed> {
    let db = database(shared, db)?;
    // SQLite: the case's DDL as a one-file migration chain.
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("001_t.sql"), format!("{};\n", case.sqlite))?;
    let chain = migrations::load(dir.path(), Engine::Sqlite, None)?;
    let lite = sqlite::open_memory()?;
    sqlite::apply(
        &lite,
        &chain.steps(Engine::Sqlite)?,
        chain.layout.sqlite_foreign_keys_during_chain(),
    )?;
    let sqlite_table = table_t(sqlite::introspect(&lite)?, Engine::Sqlite)?;
    // PostgreSQL: the case's own schema.
    let mut session = db.connect()?;
    session.execute(&format!(
        "CREATE SCHEMA {schema}; SET search_path TO {schema}, public; {}",
        case.postgres
    ))?;
    let pg_table = table_t(postgres::introspect(&mut session)?, Engine::Postgres)?;
    let mut sides: [Side; 2] = [
        (
            Engine::Sqlite,
            Box::new(sqlite::Connection::new(lite)?),
            sqlite_table,
            case.expect_sqlite,
        ),
        (
            Engine::Postgres,
            Box::new(postgres::Connection::new(session)),
            pg_table,
            case.expect_postgres,
        ),
    ];
    for (engine, connection, _, _) in &mut sides {
        for sql in case.setup {
            let o = connection.run(sql);
            if !o.is_ok() {
                return Err(format!("{engine} refused the setup {sql}: {}", o.describe()).into());
            }
        }
    }
    Ok(sides)
}

/// Runs `case` on both engines and compares what each did, and what
/// `attribute` reads from it, with the case's expectations.
fn run_case(shared: &Shared, db: &Database, case: &Case) -> Result<(), Failed> {
    let mut sides = sides(shared, db, case, &format!("attr_{}", case.name))?;
    let mut problems = Vec::new();
    for (engine, connection, table, expect) in &mut sides {
        let (sql, set) = statement(case.write, *engine);
        // In a case, as the checks run it (PostgreSQL sends its BEGIN and
        // SAVEPOINT with the statement).
        connection.begin()?;
        let outcome = connection.run(&sql);
        connection.rollback()?;
        let got = match &outcome {
            Outcome::Ok(_) => None,
            Outcome::Rejected { fields, .. } => {
                let culprit = match engine {
                    Engine::Sqlite => sqlite::attribute(fields, &sql, table, &set),
                    Engine::Postgres => postgres::attribute(fields, &sql, table, &set),
                };
                Some((fields.code.clone(), culprit.columns))
            }
        };
        let matches = match (*expect, &got) {
            (Accepted, None) => true,
            (Refused(code, columns), Some((c, cols))) => code == c && columns == cols.as_slice(),
            _ => false,
        };
        if !matches {
            problems.push(format!(
                "{engine}: {sql}\n  expected {expect:?}\n  got {got:?} ({})",
                outcome.describe()
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}
