//! SQL as text, read and written without a database: the lexer for the
//! `CREATE` text SQLite stores, and the one way an identifier or a string
//! literal is quoted (`text`); expression semantics — CHECK predicates,
//! defaults and index predicates parsed and reduced to a canonical form
//! (`expr`). No I/O; below `engine/`, whose introspection reads with it.

pub mod expr;
pub mod text;
