//! An in-memory SQLite database with foreign keys enforced: the one a
//! chain is applied to, and every copy of it (a copy is SQLite's online
//! backup, <https://sqlite.org/backup.html>, page by page in one step).

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Called before this process opens a SQLite connection. SQLite counts
/// every allocation under one process-wide mutex unless told not to
/// (`SQLITE_CONFIG_MEMSTATUS`, <https://sqlite.org/c3ref/c_config_covering_index_scan.html>):
/// the workers, each on its own connection, then wait on each other's
/// mallocs (futex calls in the profile). Nothing here reads the counts.
pub(super) fn untracked_memory() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: MEMSTATUS takes one int. Before SQLite is initialised it
        // takes effect; after (a connection opened elsewhere first) it
        // returns SQLITE_MISUSE and changes nothing. `ONCE` orders it
        // before every connection this crate opens.
        let _ = unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                std::ffi::c_int::from(false),
            )
        };
    });
}

/// An in-memory database (foreign keys enforced).
pub struct Database {
    conn: Connection,
}

impl Database {
    /// A fresh empty database.
    pub fn open_memory() -> Result<Self> {
        untracked_memory();
        let conn = Connection::open_in_memory().map_err(Error::sqlite)?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(Error::sqlite)?;
        Ok(Database { conn })
    }

    /// An in-memory copy of an existing database file, which is opened
    /// read-only and never written (not even a journal rollback).
    pub fn open_copy(path: &std::path::Path) -> Result<Self> {
        use rusqlite::OpenFlags;
        untracked_memory();
        let source = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::MigrationDir {
            dir: path.to_path_buf(),
            reason: format!("failed to open the SQLite database read-only: {e}"),
        })?;
        let mut copy = Self::open_memory()?;
        rusqlite::backup::Backup::new(&source, &mut copy.conn)
            .and_then(|b| b.run_to_completion(1024, std::time::Duration::ZERO, None))
            .map_err(|e| Error::MigrationDir {
                dir: path.to_path_buf(),
                reason: format!("failed to copy the SQLite database into memory: {e}"),
            })?;
        copy.conn
            .execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(Error::sqlite)?;
        Ok(copy)
    }

    /// A copy of this database, as it is now.
    pub fn copy(&self) -> Result<Self> {
        untracked_memory();
        let mut conn = Connection::open_in_memory().map_err(Error::sqlite)?;
        {
            let backup =
                rusqlite::backup::Backup::new(&self.conn, &mut conn).map_err(Error::sqlite)?;
            backup
                .run_to_completion(1_000_000, std::time::Duration::ZERO, None)
                .map_err(Error::sqlite)?;
        }
        conn.execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(Error::sqlite)?;
        Ok(Database { conn })
    }

    /// A database around a connection the engine's own modules opened
    /// (a user's file, read in place: `read.rs`).
    pub(super) fn wrap(conn: Connection) -> Self {
        Database { conn }
    }

    /// The driver's connection, for the engine's own modules.
    pub(super) fn conn(&self) -> &Connection {
        &self.conn
    }
}
