//! The shared error path of connections and engines: [`ExceptionContext`],
//! what `handle_error` listeners see and change, and the processing every
//! DBAPI error goes through (`dbapi_error`, `handle_error`, invalidation on a
//! disconnect, the error the caller receives).
//!
//! It lives apart from `error.rs` so that the error types stay a leaf that
//! every module can use without reaching back up into the connection.

use hooks::HasEvents;

use crate::connection::{Connection, ExecutionContext};
use crate::dbapi::Cursor;
use crate::dialect::Dialect;
use crate::engine::Engine;
use crate::error::Error;
use crate::events::ConnectionEvents;
use crate::value::CursorParams;

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
    execution_context: Option<&'a ExecutionContext<'a>>,
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
    pub(crate) execution_context: Option<&'a ExecutionContext<'a>>,
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
    pub fn execution_context(&self) -> Option<&ExecutionContext<'a>> {
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

/// The shared error path: `dbapi_error` then `handle_error`, invalidation
/// on a disconnect, and the final error for the caller.
pub(crate) fn process_error(engine: &Engine, error: Error, site: ErrorSite<'_>) -> Error {
    let site = ErrorSite {
        engine: Some(engine),
        ..site
    };
    let skip = site
        .connection
        .map_or_else(
            || engine.get_execution_options(),
            Connection::get_execution_options,
        )
        .skip_user_error_events();
    let mut context = ExceptionContext::new(error, engine.dialect(), site);
    let outcome = if skip {
        Ok(())
    } else {
        let dispatch = site.connection.map_or_else(
            || engine.connection_events(),
            HasEvents::<dyn ConnectionEvents>::dispatch,
        );
        #[allow(deprecated, reason = "the host still fires the deprecated event")]
        dispatch.dbapi_error(
            site.connection,
            site.cursor,
            site.statement,
            site.parameters,
            site.execution_context,
            context.original_exception(),
        );
        dispatch.handle_error(&mut context)
    };
    let (is_disconnect, invalidate_pool) =
        (context.is_disconnect, context.invalidate_pool_on_disconnect);
    let (original, chained) = context.into_parts();
    if is_disconnect {
        match site.connection {
            Some(conn) => conn.invalidate_on_disconnect(&original, invalidate_pool),
            None if invalidate_pool => engine.pool().invalidate_all(),
            None => {}
        }
    }
    let mut error = match outcome {
        Err(raised) => raised,
        Ok(()) => chained.unwrap_or(original),
    };
    if let Error::Dbapi(dbapi) = &mut error {
        dbapi.set_statement(site.statement);
        dbapi.set_connection_invalidated(is_disconnect && site.connection.is_some());
    }
    error
}
