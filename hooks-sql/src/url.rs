//! Database URLs.

use std::fmt;

use crate::error::Error;

/// A parsed database URL.
///
/// Accepted forms:
/// - `sqlite://` — an in-memory database;
/// - `sqlite:///relative/path.db` and `sqlite:////absolute/path.db` — a file;
/// - `sqlite+rusqlite://...` — the same, naming the driver explicitly.
///
/// A query string (`?timeout=2&uri=true`) is passed to the dialect as
/// connect parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    drivername: String,
    database: Option<String>,
    query: Vec<(String, String)>,
}

impl Url {
    /// Parses `url`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUrl`] for another scheme, a host part, or a malformed
    /// query string.
    pub fn parse(url: &str) -> Result<Self, Error> {
        let invalid = |reason: &str| Error::InvalidUrl {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let (drivername, rest) = url
            .split_once("://")
            .ok_or_else(|| invalid("expected `dialect://...`"))?;
        if drivername != "sqlite" && drivername != "sqlite+rusqlite" {
            return Err(invalid("only `sqlite` urls are supported"));
        }
        let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
        let database = match location {
            "" => None,
            path => Some(
                path.strip_prefix('/')
                    .ok_or_else(|| invalid("sqlite urls take no host; use `sqlite:///path`"))?,
            ),
        };
        let database = database.filter(|d| !d.is_empty() && *d != ":memory:");
        Ok(Url {
            drivername: drivername.to_owned(),
            database: database.map(str::to_owned),
            query: parse_query(query).ok_or_else(|| invalid("malformed query string"))?,
        })
    }

    /// The scheme, e.g. `sqlite`.
    pub fn drivername(&self) -> &str {
        &self.drivername
    }

    /// The database file path; `None` for an in-memory database.
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// Whether this names an in-memory database.
    pub fn is_memory(&self) -> bool {
        self.database.is_none()
    }

    /// The query-string pairs, in order.
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }
}

fn parse_query(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (!k.is_empty()).then(|| (k.to_owned(), v.to_owned()))
        })
        .collect()
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.drivername)?;
        if let Some(db) = &self.database {
            write!(f, "/{db}")?;
        }
        for (i, (k, v)) in self.query.iter().enumerate() {
            write!(f, "{}{k}={v}", if i == 0 { '?' } else { '&' })?;
        }
        Ok(())
    }
}
