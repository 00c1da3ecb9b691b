//! The only code that runs SQL: one module per engine with the same file
//! names for the same jobs (apply migrations, introspect, execute cases).

pub mod attribution;
pub mod postgres;
pub mod sqlite;
