//! An existing server given by URL. The database named in the URL is only
//! used to create and drop this run's scratch databases; nothing is written
//! to it.

use sqlx::postgres::PgConnectOptions;

use crate::error::{Error, Result};

use super::{Guard, Server};

pub(super) fn server(url: &str) -> Result<Server> {
    let admin: PgConnectOptions = url
        .parse()
        .map_err(|e| Error::Provision(format!("bad --pg-url {}: {e}", redact(url))))?;
    // Probe now so a wrong URL fails with exit 3 before any work.
    let session = crate::engine::postgres::Session::connect(&admin)
        .map_err(|e| Error::Provision(format!("cannot connect to {}: {e}", redact(url))))?;
    session.close();
    Ok(Server {
        admin,
        backend: "url",
        description: redact(url),
        _guard: Guard::None,
    })
}

/// The URL with any password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let mut out = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    };
    // password=… in the query string
    if let Some(i) = out.find("password=") {
        let end = out[i..].find('&').map_or(out.len(), |e| i + e);
        out.replace_range(i + "password=".len()..end, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_print() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact("postgres://h/db?user=u&password=secret&x=1"),
            "postgres://h/db?user=u&password=***&x=1"
        );
    }
}
