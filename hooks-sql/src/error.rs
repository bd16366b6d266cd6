//! Errors, disconnection errors and the context handed to `handle_error`.

use std::fmt;
use std::time::Duration;

use crate::connection::{Connection, ExecutionContext};
use crate::dbapi::Cursor;
use crate::dialect::Dialect;
use crate::engine::Engine;
use crate::value::CursorParams;

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
    /// The [`Connection`] (or pooled connection) was closed.
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
    /// An error produced by user code, typically an event listener.
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
            Error::Dbapi(e) => e.source(),
            Error::Custom(e) => Some(e.as_ref()),
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

impl std::error::Error for DbapiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            DbapiErrorKind::Sqlite(e) => Some(e),
            DbapiErrorKind::ClosedConnection => None,
        }
    }
}

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

/// Everything known about an error while `handle_error` listeners run.
///
/// Listeners read the original error and where it happened, and may:
/// set [`ExceptionContext::set_chained_exception`] to replace the error the
/// caller receives, flip [`ExceptionContext::is_disconnect`] to change whether
/// the connection is invalidated, or clear
/// [`ExceptionContext::invalidate_pool_on_disconnect`] to invalidate only the
/// failing connection instead of the whole pool.
#[derive(Debug)]
pub struct ExceptionContext<'a> {
    original_exception: Error,
    chained_exception: Option<Error>,
    statement: Option<&'a str>,
    parameters: Option<&'a CursorParams>,
    cursor: Option<&'a Cursor>,
    connection: Option<&'a Connection>,
    engine: Option<&'a Engine>,
    dialect: &'a Dialect,
    execution_context: Option<&'a ExecutionContext>,
    is_pre_ping: bool,
    /// Whether the error means the connection is gone. Initially what
    /// [`Dialect::is_disconnect`] says; listeners may change it.
    pub is_disconnect: bool,
    /// When [`ExceptionContext::is_disconnect`] is set: whether every
    /// connection of the pool is invalidated (the default) or only the failing
    /// one.
    pub invalidate_pool_on_disconnect: bool,
}

/// Where an error happened; the input of [`ExceptionContext::new`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ErrorSite<'a> {
    pub(crate) statement: Option<&'a str>,
    pub(crate) parameters: Option<&'a CursorParams>,
    pub(crate) cursor: Option<&'a Cursor>,
    pub(crate) connection: Option<&'a Connection>,
    pub(crate) engine: Option<&'a Engine>,
    pub(crate) execution_context: Option<&'a ExecutionContext>,
}

impl<'a> ExceptionContext<'a> {
    pub(crate) fn new(original: Error, dialect: &'a Dialect, site: ErrorSite<'a>) -> Self {
        let is_disconnect = dialect.is_disconnect(&original);
        ExceptionContext {
            original_exception: original,
            chained_exception: None,
            statement: site.statement,
            parameters: site.parameters,
            cursor: site.cursor,
            connection: site.connection,
            engine: site.engine,
            dialect,
            execution_context: site.execution_context,
            is_pre_ping: false,
            is_disconnect,
            invalidate_pool_on_disconnect: true,
        }
    }

    /// The error that started error handling.
    pub fn original_exception(&self) -> &Error {
        &self.original_exception
    }

    /// The error set by an earlier listener, if any.
    pub fn chained_exception(&self) -> Option<&Error> {
        self.chained_exception.as_ref()
    }

    /// Replaces the error the caller will receive. Later listeners see it
    /// through [`ExceptionContext::chained_exception`].
    pub fn set_chained_exception(&mut self, error: Error) {
        self.chained_exception = Some(error);
    }

    /// The SQL statement being executed, if the error came from execution.
    pub fn statement(&self) -> Option<&str> {
        self.statement
    }

    /// The parameters of the statement, if the error came from execution.
    pub fn parameters(&self) -> Option<&CursorParams> {
        self.parameters
    }

    /// The DBAPI cursor in use, if any.
    pub fn cursor(&self) -> Option<&Cursor> {
        self.cursor
    }

    /// The [`Connection`]; `None` when the error happened while connecting.
    pub fn connection(&self) -> Option<&Connection> {
        self.connection
    }

    /// The [`Engine`] involved, if known.
    pub fn engine(&self) -> Option<&Engine> {
        self.engine
    }

    /// The dialect that processed the error.
    pub fn dialect(&self) -> &Dialect {
        self.dialect
    }

    /// The execution context of the failing statement, if any.
    pub fn execution_context(&self) -> Option<&ExecutionContext> {
        self.execution_context
    }

    /// Whether the error came from a pre-ping. This host does not pre-ping,
    /// so it is always `false`; the field exists so listeners written for
    /// SQLAlchemy's shape keep compiling.
    pub fn is_pre_ping(&self) -> bool {
        self.is_pre_ping
    }

    pub(crate) fn into_parts(self) -> (Error, Option<Error>) {
        (self.original_exception, self.chained_exception)
    }
}
