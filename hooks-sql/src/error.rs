//! Errors, disconnection errors and the context handed to `handle_error`.

use std::fmt;
use std::time::Duration;

/// Every error this crate returns.
///
/// Messages follow rustc's style: lowercase, no trailing period.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An error raised by the DBAPI layer (SQLite or a closed DBAPI
    /// connection).
    Dbapi(DbapiError),
    /// A connection was found to be unusable; see [`DisconnectionError`].
    Disconnection(DisconnectionError),
    /// No pooled connection became available within the pool's timeout.
    PoolTimeout {
        /// The pool's base size.
        size: usize,
        /// The pool's overflow allowance.
        max_overflow: usize,
        /// How long the checkout waited.
        timeout: Duration,
    },
    /// Every checkout attempt was refused by a `checkout` listener.
    CheckoutFailed {
        /// How many times the connection was re-established and re-checked.
        attempts: u32,
        /// The last refusal.
        last: DisconnectionError,
    },
    /// The [`Connection`](crate::Connection) (or pooled connection) was closed.
    ConnectionClosed,
    /// The connection was invalidated inside a transaction; roll the
    /// transaction back before using the connection again.
    PendingRollback,
    /// A transaction was begun while another one is still active.
    TransactionAlreadyBegun,
    /// The transaction handle no longer refers to the connection's current
    /// transaction (it was committed, rolled back or replaced).
    TransactionInactive,
    /// A two-phase operation was requested; SQLite has no two-phase commit.
    TwoPhaseNotSupported {
        /// The operation that was requested, e.g. `"begin_twophase"`.
        operation: &'static str,
    },
    /// The database URL could not be understood.
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// An argument was invalid (bad schema definition, unknown connect
    /// parameter, ...).
    Argument(String),
    /// A request could not be fulfilled in the current state.
    InvalidRequest(String),
    /// A table does not exist in the database.
    NoSuchTable(String),
    /// A result row has no column of this name.
    NoSuchColumn(String),
    /// A result row has fewer columns than the requested index.
    IndexOutOfRange {
        /// The requested index.
        index: usize,
        /// The number of columns.
        len: usize,
    },
    /// A value did not have the requested type.
    Type {
        /// The type that was asked for.
        expected: &'static str,
        /// The type of the stored value.
        found: &'static str,
    },
    /// An error produced by user code, typically an event listener. It is
    /// transparent: it displays as the wrapped error and forwards that
    /// error's `source`; match the variant to reach (or downcast) the error
    /// itself.
    Custom(Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// Wraps any error produced by user code (for example a `handle_error`
    /// listener that substitutes its own error).
    pub fn custom(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Error::Custom(error.into())
    }

    /// The DBAPI error inside, if this is [`Error::Dbapi`].
    pub fn as_dbapi(&self) -> Option<&DbapiError> {
        match self {
            Error::Dbapi(e) => Some(e),
            _ => None,
        }
    }

    /// Whether this error says the connection was invalidated because of a
    /// disconnect.
    pub fn connection_invalidated(&self) -> bool {
        self.as_dbapi().is_some_and(|e| e.connection_invalidated)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Dbapi(e) => e.fmt(f),
            Error::Disconnection(e) => e.fmt(f),
            Error::PoolTimeout {
                size,
                max_overflow,
                timeout,
            } => write!(
                f,
                "pool limit of size {size} overflow {max_overflow} reached, \
                 connection timed out after {timeout:?}"
            ),
            Error::CheckoutFailed { attempts, last } => write!(
                f,
                "this connection is closed: checkout refused {attempts} times (last: {last})"
            ),
            Error::ConnectionClosed => f.write_str("this connection is closed"),
            Error::PendingRollback => {
                f.write_str("can't reconnect until the invalid transaction is rolled back")
            }
            Error::TransactionAlreadyBegun => {
                f.write_str("a transaction is already begun on this connection")
            }
            Error::TransactionInactive => f.write_str("this transaction is inactive"),
            Error::TwoPhaseNotSupported { operation } => write!(
                f,
                "two-phase transactions are not supported by SQLite (in `{operation}`)"
            ),
            Error::InvalidUrl { url, reason } => {
                write!(f, "invalid database url `{url}`: {reason}")
            }
            Error::Argument(msg) => write!(f, "invalid argument: {msg}"),
            Error::InvalidRequest(msg) => write!(f, "invalid request: {msg}"),
            Error::NoSuchTable(name) => write!(f, "no such table: `{name}`"),
            Error::NoSuchColumn(name) => write!(f, "no such column in result row: `{name}`"),
            Error::IndexOutOfRange { index, len } => {
                write!(
                    f,
                    "column index {index} out of range for a row of {len} columns"
                )
            }
            Error::Type { expected, found } => {
                write!(f, "invalid value type: expected {expected}, found {found}")
            }
            Error::Custom(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // Both display their inner error, so they forward its source
            // rather than returning it: a chain prints each message once.
            Error::Dbapi(e) => e.source(),
            Error::Custom(e) => e.source(),
            _ => None,
        }
    }
}

impl From<DbapiError> for Error {
    fn from(e: DbapiError) -> Self {
        Error::Dbapi(e)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Dbapi(DbapiError::sqlite(e))
    }
}

impl From<DisconnectionError> for Error {
    fn from(e: DisconnectionError) -> Self {
        Error::Disconnection(e)
    }
}

/// What went wrong at the DBAPI level.
#[derive(Debug)]
#[non_exhaustive]
pub enum DbapiErrorKind {
    /// SQLite (through rusqlite) reported an error.
    Sqlite(rusqlite::Error),
    /// The DBAPI connection was already closed.
    ClosedConnection,
}

/// An error raised by the DBAPI layer, with the statement that caused it.
///
/// Its `Display` already carries SQLite's message, so
/// [`source`](std::error::Error::source) returns `None`: an error chain
/// (`anyhow`'s `{:#}`, a reporter walking `source()`) prints the message
/// once. The underlying rusqlite error is [`DbapiError::sqlite_error`].
///
/// ```
/// let error = hooks_sql::DbapiError::sqlite(rusqlite::Error::InvalidQuery);
/// assert!(error.to_string().contains("Query is not read-only"));
/// assert!(std::error::Error::source(&error).is_none());
/// ```
#[derive(Debug)]
pub struct DbapiError {
    kind: DbapiErrorKind,
    statement: Option<String>,
    connection_invalidated: bool,
}

impl DbapiError {
    /// Wraps a rusqlite error.
    pub fn sqlite(error: rusqlite::Error) -> Self {
        DbapiError {
            kind: DbapiErrorKind::Sqlite(error),
            statement: None,
            connection_invalidated: false,
        }
    }

    /// The error for an operation on a closed DBAPI connection.
    pub fn closed_connection() -> Self {
        DbapiError {
            kind: DbapiErrorKind::ClosedConnection,
            statement: None,
            connection_invalidated: false,
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &DbapiErrorKind {
        &self.kind
    }

    /// The underlying rusqlite error, if SQLite raised it.
    pub fn sqlite_error(&self) -> Option<&rusqlite::Error> {
        match &self.kind {
            DbapiErrorKind::Sqlite(e) => Some(e),
            DbapiErrorKind::ClosedConnection => None,
        }
    }

    /// SQLite's primary error code, if SQLite raised the error.
    pub fn sqlite_code(&self) -> Option<rusqlite::ErrorCode> {
        self.sqlite_error()
            .and_then(rusqlite::Error::sqlite_error_code)
    }

    /// The SQL statement being executed when the error happened.
    pub fn statement(&self) -> Option<&str> {
        self.statement.as_deref()
    }

    /// Whether the connection was invalidated because this error was judged
    /// a disconnect.
    pub fn connection_invalidated(&self) -> bool {
        self.connection_invalidated
    }

    pub(crate) fn set_statement(&mut self, statement: Option<&str>) {
        if self.statement.is_none() {
            self.statement = statement.map(str::to_owned);
        }
    }

    pub(crate) fn set_connection_invalidated(&mut self, invalidated: bool) {
        self.connection_invalidated = invalidated;
    }
}

impl fmt::Display for DbapiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            DbapiErrorKind::Sqlite(e) => write!(f, "database error: {e}")?,
            DbapiErrorKind::ClosedConnection => {
                f.write_str("database error: cannot operate on a closed database")?;
            }
        }
        if let Some(statement) = &self.statement {
            write!(f, " (statement: `{statement}`)")?;
        }
        Ok(())
    }
}

/// No `source`: the SQLite message is part of `Display` (see [`DbapiError`]).
impl std::error::Error for DbapiError {}

/// Raised (by a `checkout` listener) to say a pooled connection is unusable.
///
/// The pool invalidates the connection, opens a new one and checks again; if
/// [`DisconnectionError::invalidate_pool`] is set, every connection of the pool
/// is invalidated, not only this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisconnectionError {
    message: String,
    invalidate_pool: bool,
}

impl DisconnectionError {
    /// A disconnection error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        DisconnectionError {
            message: message.into(),
            invalidate_pool: false,
        }
    }

    /// Asks the pool to invalidate all of its connections, not only this one.
    #[must_use]
    pub fn with_invalidate_pool(mut self, invalidate_pool: bool) -> Self {
        self.invalidate_pool = invalidate_pool;
        self
    }

    /// The message given at creation.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the whole pool should be invalidated.
    pub fn invalidate_pool(&self) -> bool {
        self.invalidate_pool
    }
}

impl fmt::Display for DisconnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "disconnected: {}", self.message)
    }
}

impl std::error::Error for DisconnectionError {}
