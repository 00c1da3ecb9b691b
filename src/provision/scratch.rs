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
            cleanup_id,
        })
    }

    /// Options for the maintenance database this one was created from.
    pub fn admin(&self) -> &PgConnectOptions {
        &self.admin
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
