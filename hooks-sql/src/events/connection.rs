//! [`ConnectionEvents`]: execution, transactions and errors of connections
//! and engines.

use crate::connection::{Connection, ExecutionContext, ExecutionOptions};
use crate::dbapi::Cursor;
use crate::engine::Engine;
use crate::error::Error;
use crate::error_handling::ExceptionContext;
use crate::statement::Statement;
use crate::value::{CursorParams, CursorResult, Params};

/// The events of [`Connection`]s and [`Engine`]s.
///
/// Listen on one connection, on an engine (every connection it hands out,
/// including those that exist already: a connection reads its engine's
/// listeners at every fire), on an option engine from
/// [`Engine::execution_options`] (its connections also run the parent
/// engine's listeners), or on the `Connection` or `Engine` type.
///
/// For one fire the order is: the `Connection` type's listeners, the
/// connection's own, then the `Engine` type's and the engine's, then those of
/// the option engine's parent.
///
/// An execution fires, in order: `before_execute` (statement objects only),
/// `begin` (when it autobegins), `before_cursor_execute`, the dialect's
/// `do_execute*` events, then `after_cursor_execute` and `after_execute`; or,
/// when SQLite reports an error, `dbapi_error` and `handle_error` instead of
/// the `after_*` events.
#[hooks::events(targets(Connection, Engine))]
pub trait ConnectionEvents {
    /// A statement object is about to be executed by
    /// [`Connection::execute`] or [`Connection::execute_many`] (not by
    /// [`Connection::exec_driver_sql`], which only fires the cursor-level
    /// events).
    ///
    /// `multiparams` holds the parameter sets of an executemany (empty for a
    /// single execution), `params` the single set. With `retval`, a listener
    /// returns the statement and parameters to run instead; the next listener
    /// sees them. Returning both non-empty `multiparams` and non-empty
    /// `params` makes the execution fail with
    /// [`Error::InvalidRequest`].
    #[event(retval)]
    fn before_execute(
        conn: &Connection,
        #[retval] clauseelement: &Statement,
        #[retval] multiparams: &[Params],
        #[retval] params: &Params,
        execution_options: &ExecutionOptions,
    ) -> (Statement, Vec<Params>, Params);

    /// A statement object was executed by [`Connection::execute`]; `result`
    /// is what the caller receives. The arguments are those
    /// `before_execute` listeners settled on.
    fn after_execute(
        conn: &Connection,
        clauseelement: &Statement,
        multiparams: &[Params],
        params: &Params,
        execution_options: &ExecutionOptions,
        result: &CursorResult,
    );

    /// SQL text is about to be sent to SQLite.
    ///
    /// Fires for every statement the connection runs: compiled statement
    /// objects, [`Connection::exec_driver_sql`], DDL, reflection queries and
    /// the `SAVEPOINT` statements (not `BEGIN`/`COMMIT`/`ROLLBACK`, which the
    /// dialect issues directly). With `retval`, a listener returns the SQL and
    /// parameters to run instead: what the last listener returns is what
    /// SQLite prepares (a statement comment, a rewritten query). Returning
    /// [`CursorParams::Many`] turns the execution into an executemany.
    #[event(retval)]
    fn before_cursor_execute(
        conn: &Connection,
        cursor: &Cursor,
        #[retval] statement: &str,
        #[retval] parameters: &CursorParams,
        context: Option<&ExecutionContext<'_>>,
        executemany: bool,
    ) -> (String, CursorParams);

    /// SQLite ran the statement without error; the cursor holds its result.
    /// The arguments are the ones that ran (after `before_cursor_execute`).
    fn after_cursor_execute(
        conn: &Connection,
        cursor: &Cursor,
        statement: &str,
        parameters: &CursorParams,
        context: Option<&ExecutionContext<'_>>,
        executemany: bool,
    );

    /// A transaction begins, explicitly ([`Connection::begin`]) or because a
    /// statement ran outside one (autobegin); fires before SQLite's `BEGIN`.
    fn begin(conn: &Connection);

    /// The transaction is about to commit; fires before SQLite's `COMMIT`.
    fn commit(conn: &Connection);

    /// The transaction is about to roll back; fires before SQLite's
    /// `ROLLBACK`. The pool's own rollback of a returned connection is a
    /// `reset` pool event, not this one.
    fn rollback(conn: &Connection);

    /// A savepoint named `name` is about to be created
    /// ([`Connection::begin_nested`]), before `SAVEPOINT name` runs.
    fn savepoint(conn: &Connection, name: &str);

    /// The connection is about to roll back to the savepoint `name`, before
    /// `ROLLBACK TO SAVEPOINT name`. `context` is always `None`.
    fn rollback_savepoint(conn: &Connection, name: &str, context: Option<&ExecutionContext<'_>>);

    /// The savepoint `name` is about to be released, before
    /// `RELEASE SAVEPOINT name`. `context` is always `None`.
    fn release_savepoint(conn: &Connection, name: &str, context: Option<&ExecutionContext<'_>>);

    /// A two-phase transaction with id `xid` was requested.
    ///
    /// SQLite has no two-phase commit: the event fires, then the call fails
    /// with [`Error::TwoPhaseNotSupported`] and no transaction begins.
    fn begin_twophase(conn: &Connection, xid: &str);

    /// Preparing the two-phase transaction `xid` was requested; fires, then
    /// the call fails with [`Error::TwoPhaseNotSupported`].
    fn prepare_twophase(conn: &Connection, xid: &str);

    /// Committing the two-phase transaction `xid` was requested; fires, then
    /// the call fails with [`Error::TwoPhaseNotSupported`].
    fn commit_twophase(conn: &Connection, xid: &str, is_prepared: bool);

    /// Rolling back the two-phase transaction `xid` was requested; fires,
    /// then the call fails with [`Error::TwoPhaseNotSupported`].
    fn rollback_twophase(conn: &Connection, xid: &str, is_prepared: bool);

    /// [`Engine::connect`] made a new [`Connection`]; fires after the pool's
    /// `checkout`, before the connection is returned to the caller.
    fn engine_connect(conn: &Connection);

    /// [`Engine::dispose`] closed the idle connections and replaced the
    /// pool; the engine's pool listeners were carried over to the new pool.
    fn engine_disposed(engine: &Engine);

    /// [`Connection::execution_options`] is about to merge `opts` into the
    /// connection's options. Listeners may change `opts` in place: what they
    /// leave is what is merged.
    fn set_connection_execution_options(conn: &Connection, opts: &mut ExecutionOptions);

    /// [`Engine::execution_options`] made the option engine `engine` and is
    /// about to merge `opts` into it. Listeners may change `opts` in place.
    /// The new engine has no listener of its own yet, so those of its parent
    /// (and of the `Engine` type) are the ones that run.
    fn set_engine_execution_options(engine: &Engine, opts: &mut ExecutionOptions);

    /// An error is being processed: a SQLite error while executing, opening
    /// a connection, beginning, committing or rolling back, or a closed DBAPI
    /// connection.
    ///
    /// `exception_context` says where it happened (its
    /// [`connection`](ExceptionContext::connection) is `None` for connect
    /// errors) and lets listeners act: set a
    /// [chained error](ExceptionContext::set_chained_exception) that the
    /// caller receives instead of the original, flip
    /// [`is_disconnect`](ExceptionContext::is_disconnect) (a disconnect
    /// invalidates the connection, and the whole pool unless
    /// [`invalidate_pool_on_disconnect`](ExceptionContext::invalidate_pool_on_disconnect)
    /// is cleared). Returning `Err` stops the chain: that error is what the
    /// caller gets. Fires on the connection when there is one, otherwise on
    /// the engine. Skipped when the execution option
    /// `skip_user_error_events` is set.
    ///
    /// Unlike SQLAlchemy 2.0, which refuses it on a connection, a listener
    /// may be attached to one [`Connection`]: the manual's list of deliberate
    /// differences says why.
    #[event(fallible)]
    fn handle_error(exception_context: &mut ExceptionContext<'_>) -> Result<(), Error>;

    /// The raw error, just before `handle_error` sees it; listeners can only
    /// observe it.
    ///
    /// Kept for code written against the old SQLAlchemy interface; listen to
    /// `handle_error` instead.
    #[deprecated(note = "listen to `handle_error`, which can also change the error")]
    fn dbapi_error(
        conn: Option<&Connection>,
        cursor: Option<&Cursor>,
        statement: Option<&str>,
        parameters: Option<&CursorParams>,
        context: Option<&ExecutionContext<'_>>,
        exception: &Error,
    );
}
