//! The SQLite dialect: how to connect, execute and recognise disconnects.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use rusqlite::OpenFlags;

use crate::connection::ExecutionContext;
use crate::dbapi::{Cursor, DbapiConnection};
use crate::error::{DbapiErrorKind, Error};
use crate::events::DialectEvents;
use crate::url::Url;
use crate::value::{Params, Value};

/// Positional connect arguments; for SQLite exactly one, the database path
/// (`:memory:` for an in-memory database).
pub type ConnectArgs = Vec<String>;

/// Keyword connect parameters. Recognised keys: `timeout` (busy timeout in
/// seconds, integer or real) and `uri` (non-zero integer: interpret the path
/// as an SQLite URI filename).
pub type ConnectParams = BTreeMap<String, Value>;

/// The SQLite dialect over rusqlite.
///
/// # Typed bind sizes (`do_setinputsizes`)
///
/// This dialect never binds typed parameter sizes, so the
/// `do_setinputsizes` event point is never reached. SQLite is dynamically
/// typed: every bound value carries its own storage class
/// (`sqlite3_bind_int64`, `_double`, `_text`, `_blob`, `_null`) and the C API
/// has no way to declare a parameter's type or size ahead of binding. There is
/// therefore nothing a listener could adjust, exactly as in SQLAlchemy, whose
/// SQLite dialects do not use `setinputsizes` either.
#[hooks::target(
    DialectEvents(events = events),
    related(crate::ConnectionEvents, crate::PoolEvents)
)]
pub struct Dialect {
    events: hooks::Events<dyn DialectEvents>,
    default_timeout: Duration,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect {
            events: hooks::Events::new(),
            default_timeout: Duration::from_secs(5),
        }
    }
}

impl fmt::Debug for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dialect")
            .field("name", &self.name())
            .field("default_timeout", &self.default_timeout)
            .finish_non_exhaustive()
    }
}

impl Dialect {
    /// The SQLite dialect with its defaults (5 second busy timeout).
    pub fn sqlite() -> Self {
        Dialect::default()
    }

    /// The dialect name, `sqlite`.
    pub fn name(&self) -> &'static str {
        "sqlite"
    }

    /// The driver name, `rusqlite`.
    pub fn driver(&self) -> &'static str {
        "rusqlite"
    }

    /// Whether two-phase transactions are supported: never for SQLite.
    pub fn supports_two_phase(&self) -> bool {
        false
    }

    /// The arguments [`Dialect::connect`] receives for `url`. The pool makes
    /// a fresh copy for every connection attempt.
    ///
    /// # Errors
    ///
    /// [`Error::Argument`] for a query-string value of the wrong type.
    pub fn create_connect_args(&self, url: &Url) -> Result<(ConnectArgs, ConnectParams), Error> {
        let cargs = vec![url.database().unwrap_or(":memory:").to_owned()];
        let mut cparams = ConnectParams::new();
        for (key, raw) in url.query() {
            cparams.insert(key.clone(), query_value(key, raw)?);
        }
        Ok((cargs, cparams))
    }

    /// Opens a new DBAPI connection.
    ///
    /// # Errors
    ///
    /// [`Error::Argument`] for a wrong number of `cargs` or an unknown or
    /// mistyped parameter, and the SQLite error if opening fails.
    pub fn connect(
        &self,
        cargs: &[String],
        cparams: &ConnectParams,
    ) -> Result<DbapiConnection, Error> {
        let [path] = cargs else {
            return Err(Error::Argument(format!(
                "sqlite takes exactly one connect argument (the database path), got {}",
                cargs.len()
            )));
        };
        let options = ConnectOptions::from_params(cparams, self.default_timeout)?;
        let raw = rusqlite::Connection::open_with_flags(path, options.flags)?;
        raw.busy_timeout(options.timeout)?;
        Ok(DbapiConnection::new(raw))
    }

    /// Executes `statement` with one parameter set on `cursor`.
    ///
    /// # Errors
    ///
    /// The DBAPI error.
    pub fn do_execute(
        &self,
        cursor: &Cursor,
        statement: &str,
        parameters: &Params,
        _context: Option<&ExecutionContext<'_>>,
    ) -> Result<(), Error> {
        cursor.execute(statement, parameters)
    }

    /// Executes `statement` once per parameter set on `cursor`.
    ///
    /// # Errors
    ///
    /// The first DBAPI error.
    pub fn do_executemany(
        &self,
        cursor: &Cursor,
        statement: &str,
        parameters: &[Params],
        _context: Option<&ExecutionContext<'_>>,
    ) -> Result<(), Error> {
        cursor.executemany(statement, parameters)
    }

    /// Executes `statement` without parameters on `cursor`.
    ///
    /// # Errors
    ///
    /// The DBAPI error.
    pub fn do_execute_no_params(
        &self,
        cursor: &Cursor,
        statement: &str,
        _context: Option<&ExecutionContext<'_>>,
    ) -> Result<(), Error> {
        cursor.execute(statement, &Params::None)
    }

    /// Begins a transaction on `dbapi` (`BEGIN`).
    ///
    /// # Errors
    ///
    /// The DBAPI error.
    pub fn do_begin(&self, dbapi: &DbapiConnection) -> Result<(), Error> {
        dbapi.begin()
    }

    /// Commits the transaction on `dbapi`.
    ///
    /// # Errors
    ///
    /// The DBAPI error.
    pub fn do_commit(&self, dbapi: &DbapiConnection) -> Result<(), Error> {
        dbapi.commit()
    }

    /// Rolls back the transaction on `dbapi`.
    ///
    /// # Errors
    ///
    /// The DBAPI error.
    pub fn do_rollback(&self, dbapi: &DbapiConnection) -> Result<(), Error> {
        dbapi.rollback()
    }

    /// Whether `error` means the DBAPI connection is unusable.
    ///
    /// True for operations on a closed DBAPI connection, for a
    /// [`Error::Disconnection`], and for SQLite's `SQLITE_NOTADB` /
    /// `SQLITE_CANTOPEN` on an open connection (the file went away or was
    /// replaced). Ordinary SQL errors (syntax, constraint, busy) are not
    /// disconnects.
    pub fn is_disconnect(&self, error: &Error) -> bool {
        match error {
            Error::Disconnection(_) => true,
            Error::Dbapi(e) => match e.kind() {
                DbapiErrorKind::ClosedConnection => true,
                DbapiErrorKind::Sqlite(_) => matches!(
                    e.sqlite_code(),
                    Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::CannotOpen)
                ),
            },
            _ => false,
        }
    }

    /// Quotes an identifier for SQLite (always double-quoted).
    pub fn quote_identifier(&self, name: &str) -> String {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

struct ConnectOptions {
    flags: OpenFlags,
    timeout: Duration,
}

impl ConnectOptions {
    fn from_params(cparams: &ConnectParams, default_timeout: Duration) -> Result<Self, Error> {
        let mut options = ConnectOptions {
            flags: OpenFlags::default(),
            timeout: default_timeout,
        };
        for (key, value) in cparams {
            match key.as_str() {
                "timeout" => options.timeout = timeout_from(value)?,
                "uri" if value.as_i64().is_some_and(|v| v != 0) => {
                    options.flags |= OpenFlags::SQLITE_OPEN_URI;
                }
                "uri" => {}
                other => {
                    return Err(Error::Argument(format!(
                        "unknown sqlite connect parameter `{other}`"
                    )));
                }
            }
        }
        Ok(options)
    }
}

fn timeout_from(value: &Value) -> Result<Duration, Error> {
    let seconds = match value {
        Value::Integer(i) => u64::try_from(*i).ok().map(Duration::from_secs),
        Value::Real(r) => Duration::try_from_secs_f64(*r).ok(),
        _ => None,
    };
    seconds.ok_or_else(|| {
        Error::Argument(format!(
            "`timeout` must be a non-negative number of seconds, got {value:?}"
        ))
    })
}

fn query_value(key: &str, raw: &str) -> Result<Value, Error> {
    match key {
        "timeout" => raw
            .parse::<f64>()
            .map(Value::Real)
            .map_err(|_| Error::Argument(format!("`timeout` must be a number, got `{raw}`"))),
        "uri" => Ok(Value::Integer(i64::from(matches!(raw, "true" | "1")))),
        _ => Ok(Value::Text(raw.to_owned())),
    }
}
