//! A scratch database with a unique name, created for this run and dropped
//! when it goes out of scope (or on Ctrl-C).

use sqlx::postgres::PgConnectOptions;

use crate::engine::postgres::Session;
use crate::error::{Error, Result};

use super::cleanup;

pub struct ScratchDatabase {
    admin: PgConnectOptions,
    pub name: String,
    pub options: PgConnectOptions,
    /// `--pg-schema`: the schema every session reads and writes first.
    search_path: Option<String>,
    cleanup_id: u64,
}

impl ScratchDatabase {
    pub fn create(admin: &PgConnectOptions, label: &str) -> Result<Self> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let label: String = label
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(20)
            .collect::<String>()
            .to_lowercase();
        let name = format!("parity_{}_{label}_{nanos:x}", std::process::id());
        Self::create_named(admin, &name, None)
    }

    /// Creates `name` as a copy of `template` (a clone for a worker).
    pub fn create_named(
        admin: &PgConnectOptions,
        name: &str,
        template: Option<&str>,
    ) -> Result<Self> {
        let mut s = Session::connect(admin)?;
        let sql = match template {
            Some(t) => format!("CREATE DATABASE \"{name}\" TEMPLATE \"{t}\""),
            None => format!("CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"),
        };
        s.execute(&sql).map_err(|e| {
            Error::postgres(format!("failed to create scratch database {name}: {e}"))
        })?;
        s.close();
        let admin_c = admin.clone();
        let name_c = name.to_string();
        let cleanup_id = cleanup::register(move || drop_database(&admin_c, &name_c));
        Ok(ScratchDatabase {
            admin: admin.clone(),
            name: name.to_string(),
            options: admin.clone().database(name),
            search_path: None,
            cleanup_id,
        })
    }

    /// A copy of this database named `name`, on the same server and with
    /// the same search path (a worker's or a mutant's).
    pub fn copy(&self, name: &str) -> Result<Self> {
        let mut db = Self::create_named(&self.admin, name, Some(&self.name))?;
        db.set_search_path(self.search_path());
        Ok(db)
    }

    /// Options for the maintenance database this one was created from.
    pub fn admin(&self) -> &PgConnectOptions {
        &self.admin
    }

    /// Makes `schema` (then `public`, where extensions usually live) the
    /// search path of every session on this database: a PostgreSQL side
    /// that keeps its tables in another schema is applied, read and
    /// checked there. A copy made from this one takes it with
    /// [`Self::search_path`].
    pub fn set_search_path(&mut self, schema: Option<&str>) {
        self.search_path = schema.map(|s| format!("{}, public", crate::sql::text::quote_ident(s)));
        if let Some(path) = &self.search_path {
            self.options = self.options.clone().options([("search_path", path)]);
        }
    }

    /// The schema [`Self::set_search_path`] set, if any.
    pub fn search_path(&self) -> Option<&str> {
        self.search_path
            .as_deref()
            .and_then(|p| p.strip_suffix(", public"))
            .map(|q| q.trim_matches('"'))
    }

    pub fn connect(&self) -> Result<Session> {
        Session::connect(&self.options)
    }
}

fn drop_database(admin: &PgConnectOptions, name: &str) {
    if let Ok(mut s) = Session::connect(admin) {
        let _ = s.execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        s.close();
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        cleanup::unregister(self.cleanup_id);
        drop_database(&self.admin, &self.name);
    }
}
