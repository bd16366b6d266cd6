//! Every event point of SQLAlchemy's Core catalog, as one function each.
//!
//! The host calls these functions at exactly the point SQLAlchemy documents
//! for the event, with the documented arguments (borrowed). For now each
//! body is the pass-through default: no listener exists, so values flow
//! through unchanged, `do_*` events report "not handled", `do_connect`
//! supplies no connection and `checkout`/`handle_error` succeed. The event
//! framework will replace the bodies with real dispatch; the control flow
//! around each call (retries, chaining, halting, error paths) is already
//! implemented and tested against these defaults.
//!
//! `do_setinputsizes` is declared but never called: see
//! [`Dialect`](crate::Dialect) for why the SQLite path never binds typed
//! parameter sizes.
//!
//! In this crate's unit tests (`cfg(test)`), every function also appends a
//! line to a thread-local log and the value-returning events consult
//! thread-local overrides, so tests can assert exact event sequences and
//! exercise the retry/halt/chain paths. None of that exists in normal
//! builds.
#![allow(
    unused_variables,
    clippy::needless_pass_by_value,
    clippy::unnecessary_wraps,
    reason = "pass-through bodies ignore their arguments until dispatch replaces them"
)]

use std::collections::BTreeMap;

use crate::connection::{Connection, ExecutionContext, ExecutionOptions};
use crate::dbapi::{Cursor, DbapiConnection};
use crate::dialect::{ConnectArgs, ConnectParams, Dialect};
use crate::engine::Engine;
use crate::error::{DisconnectionError, Error, ExceptionContext};
use crate::pool::{ConnectionRecord, Pool, PoolProxiedConnection, PoolResetState};
use crate::schema::{ColumnType, DdlOptions, Inspector, ReflectedColumn, SchemaEventTarget, Table};
use crate::statement::Statement;
use crate::value::{CursorParams, CursorResult, Params};

/// Records `format!(...)` in the unit-test log; expands to nothing otherwise.
macro_rules! fired {
    ($($arg:tt)*) => {
        #[cfg(test)]
        probe::record(format!($($arg)*));
    };
}

// ---------------------------------------------------------------- pool (10)

/// `PoolEvents.connect`: a new DBAPI connection was opened by `pool` (not on
/// reuse). Runs after `first_connect` for the pool's first connection.
pub(crate) fn connect(pool: &Pool, dbapi: &DbapiConnection, record: &ConnectionRecord) {
    fired!("connect");
}

/// `PoolEvents.first_connect`: the first DBAPI connection of this pool
/// object, exactly once per pool; a recreated pool fires it again.
pub(crate) fn first_connect(pool: &Pool, dbapi: &DbapiConnection, record: &ConnectionRecord) {
    fired!("first_connect");
}

/// `PoolEvents.checkout`: a connection is handed out. `Err` refuses it: the
/// pool invalidates it, reconnects and fires `checkout` again (bounded).
pub(crate) fn checkout(
    pool: &Pool,
    dbapi: &DbapiConnection,
    record: &ConnectionRecord,
    proxy: &PoolProxiedConnection,
) -> Result<(), DisconnectionError> {
    fired!("checkout");
    #[cfg(test)]
    if let Some(outcome) = probe::call(&probe::CHECKOUT, |h| h(dbapi)) {
        return outcome;
    }
    Ok(())
}

/// `PoolEvents.checkin`: a checkout was returned; `dbapi` is `None` when the
/// connection was invalidated. Not fired for detached connections.
pub(crate) fn checkin(pool: &Pool, dbapi: Option<&DbapiConnection>, record: &ConnectionRecord) {
    fired!("checkin{}", if dbapi.is_some() { "" } else { " none" });
}

/// `PoolEvents.reset`: before the reset-on-return rollback, also for
/// detached connections (then `record` is `None`); never for invalidated
/// ones.
pub(crate) fn reset(
    pool: &Pool,
    dbapi: &DbapiConnection,
    record: Option<&ConnectionRecord>,
    state: PoolResetState,
) {
    fired!(
        "reset{}",
        if state.transaction_was_reset() {
            " was_reset"
        } else {
            ""
        }
    );
}

/// `PoolEvents.invalidate`: hard invalidation, before the connection is
/// closed.
pub(crate) fn invalidate(
    pool: &Pool,
    dbapi: &DbapiConnection,
    record: &ConnectionRecord,
    error: Option<&Error>,
) {
    fired!("invalidate");
}

/// `PoolEvents.soft_invalidate`: the connection will be replaced at its next
/// checkout, but is not closed now.
pub(crate) fn soft_invalidate(
    pool: &Pool,
    dbapi: &DbapiConnection,
    record: &ConnectionRecord,
    error: Option<&Error>,
) {
    fired!("soft_invalidate");
}

/// `PoolEvents.close`: before a pooled DBAPI connection is closed (dispose,
/// recycle, invalidation, surplus overflow).
pub(crate) fn close(pool: &Pool, dbapi: &DbapiConnection, record: &ConnectionRecord) {
    fired!("close");
}

/// `PoolEvents.detach`: a checked-out connection was detached from its
/// record.
pub(crate) fn detach(pool: &Pool, dbapi: &DbapiConnection, record: &ConnectionRecord) {
    fired!("detach");
}

/// `PoolEvents.close_detached`: before a detached DBAPI connection is
/// closed.
pub(crate) fn close_detached(pool: &Pool, dbapi: &DbapiConnection) {
    fired!("close_detached");
}

/// Not an event: `Engine::dispose` replaced `old` by `new`, so listeners
/// registered on the old pool can be carried over to the new one.
pub(crate) fn pool_recreated(old: &Pool, new: &Pool) {
    fired!("pool_recreated");
}

// ---------------------------------------------------------- connection (20)

/// `ConnectionEvents.before_execute` (retval): `Connection::execute` of a
/// statement object, not `exec_driver_sql`. The returned values are what
/// runs.
pub(crate) fn before_execute(
    conn: &Connection,
    statement: Statement,
    multiparams: Vec<Params>,
    params: Params,
    execution_options: &ExecutionOptions,
) -> (Statement, Vec<Params>, Params) {
    fired!("before_execute");
    #[cfg(test)]
    if let Some(replaced) = probe::call(&probe::BEFORE_EXECUTE, |h| {
        h(statement.clone(), multiparams.clone(), params.clone())
    }) {
        return replaced;
    }
    (statement, multiparams, params)
}

/// `ConnectionEvents.after_execute`: `Connection::execute` produced
/// `result`.
pub(crate) fn after_execute(
    conn: &Connection,
    statement: &Statement,
    multiparams: &[Params],
    params: &Params,
    execution_options: &ExecutionOptions,
    result: &CursorResult,
) {
    fired!("after_execute");
}

/// `ConnectionEvents.before_cursor_execute` (retval): just before the DBAPI
/// execution of every statement (DML, DDL, savepoints, `exec_driver_sql`).
/// The returned statement and parameters are what is prepared and executed.
pub(crate) fn before_cursor_execute(
    conn: &Connection,
    cursor: &Cursor,
    statement: String,
    parameters: CursorParams,
    context: Option<&ExecutionContext>,
    executemany: bool,
) -> (String, CursorParams) {
    fired!("before_cursor_execute {statement}");
    #[cfg(test)]
    if let Some(replaced) = probe::call(&probe::BEFORE_CURSOR_EXECUTE, |h| {
        h(statement.clone(), parameters.clone())
    }) {
        return replaced;
    }
    (statement, parameters)
}

/// `ConnectionEvents.after_cursor_execute`: after the DBAPI execution
/// succeeded.
pub(crate) fn after_cursor_execute(
    conn: &Connection,
    cursor: &Cursor,
    statement: &str,
    parameters: &CursorParams,
    context: Option<&ExecutionContext>,
    executemany: bool,
) {
    fired!("after_cursor_execute {statement}");
}

/// `ConnectionEvents.begin`: a transaction begins (explicit or autobegin),
/// before the DBAPI `BEGIN`.
pub(crate) fn begin(conn: &Connection) {
    fired!("begin");
}

/// `ConnectionEvents.commit`: a transaction commits, before the DBAPI
/// `COMMIT`.
pub(crate) fn commit(conn: &Connection) {
    fired!("commit");
}

/// `ConnectionEvents.rollback`: a transaction rolls back, before the DBAPI
/// `ROLLBACK`; not for the pool's reset-on-return.
pub(crate) fn rollback(conn: &Connection) {
    fired!("rollback");
}

/// `ConnectionEvents.savepoint`: before `SAVEPOINT name`.
pub(crate) fn savepoint(conn: &Connection, name: &str) {
    fired!("savepoint {name}");
}

/// `ConnectionEvents.rollback_savepoint`: before `ROLLBACK TO SAVEPOINT
/// name`; `context` is always `None`.
pub(crate) fn rollback_savepoint(
    conn: &Connection,
    name: &str,
    context: Option<&ExecutionContext>,
) {
    fired!("rollback_savepoint {name}");
}

/// `ConnectionEvents.release_savepoint`: before `RELEASE SAVEPOINT name`;
/// `context` is always `None`.
pub(crate) fn release_savepoint(conn: &Connection, name: &str, context: Option<&ExecutionContext>) {
    fired!("release_savepoint {name}");
}

/// `ConnectionEvents.begin_twophase`: fired before the dialect refuses.
pub(crate) fn begin_twophase(conn: &Connection, xid: &str) {
    fired!("begin_twophase {xid}");
}

/// `ConnectionEvents.prepare_twophase`: fired before the dialect refuses.
pub(crate) fn prepare_twophase(conn: &Connection, xid: &str) {
    fired!("prepare_twophase {xid}");
}

/// `ConnectionEvents.commit_twophase`: fired before the dialect refuses.
pub(crate) fn commit_twophase(conn: &Connection, xid: &str, is_prepared: bool) {
    fired!("commit_twophase {xid}");
}

/// `ConnectionEvents.rollback_twophase`: fired before the dialect refuses.
pub(crate) fn rollback_twophase(conn: &Connection, xid: &str, is_prepared: bool) {
    fired!("rollback_twophase {xid}");
}

/// `ConnectionEvents.engine_connect`: `Engine::connect` created `conn`.
pub(crate) fn engine_connect(conn: &Connection) {
    fired!("engine_connect");
}

/// `ConnectionEvents.engine_disposed`: `Engine::dispose` finished.
pub(crate) fn engine_disposed(engine: &Engine) {
    fired!("engine_disposed");
}

/// `ConnectionEvents.set_connection_execution_options`: before `opts` are
/// merged into `conn`; listeners may change `opts`.
pub(crate) fn set_connection_execution_options(conn: &Connection, opts: &mut ExecutionOptions) {
    fired!("set_connection_execution_options");
}

/// `ConnectionEvents.set_engine_execution_options`: `engine` is the new
/// option engine, before `opts` are merged into it; listeners may change
/// `opts`.
pub(crate) fn set_engine_execution_options(engine: &Engine, opts: &mut ExecutionOptions) {
    fired!("set_engine_execution_options");
}

/// `DialectEvents.handle_error`: every error processed by the dialect
/// (execute, connect, begin/commit/rollback). Listeners may set the chained
/// error or change the disconnect flags; `Err` stops the chain and is what
/// the caller receives.
pub(crate) fn handle_error(context: &mut ExceptionContext<'_>) -> Result<(), Error> {
    fired!("handle_error");
    #[cfg(test)]
    if let Some(outcome) = probe::call(&probe::HANDLE_ERROR, |h| h(context)) {
        return outcome;
    }
    Ok(())
}

/// `ConnectionEvents.dbapi_error` (deprecated in SQLAlchemy): fired just
/// before `handle_error`, with the same error.
pub(crate) fn dbapi_error(
    conn: Option<&Connection>,
    cursor: Option<&Cursor>,
    statement: Option<&str>,
    parameters: Option<&CursorParams>,
    context: Option<&ExecutionContext>,
    error: &Error,
) {
    fired!("dbapi_error");
}

// ------------------------------------------------------------- dialect (5)

/// `DialectEvents.do_connect`: before the DBAPI connect; `cargs`/`cparams`
/// are fresh copies per attempt and may be changed. `Some` supplies the
/// connection and skips the dialect's own connect.
pub(crate) fn do_connect(
    dialect: &Dialect,
    record: &ConnectionRecord,
    cargs: &mut ConnectArgs,
    cparams: &mut ConnectParams,
) -> Option<DbapiConnection> {
    fired!("do_connect");
    #[cfg(test)]
    if let Some(made) = probe::call(&probe::DO_CONNECT, |h| h(cargs, cparams)) {
        return made;
    }
    None
}

/// `DialectEvents.do_execute`: `true` means a listener executed the
/// statement and the dialect's `do_execute` is skipped.
pub(crate) fn do_execute(
    cursor: &Cursor,
    statement: &str,
    parameters: &Params,
    context: Option<&ExecutionContext>,
) -> bool {
    fired!("do_execute");
    #[cfg(test)]
    if let Some(handled) = probe::call(&probe::DO_EXECUTE, |h| h(cursor, statement)) {
        return handled;
    }
    false
}

/// `DialectEvents.do_executemany`: `true` skips the dialect's
/// `do_executemany`.
pub(crate) fn do_executemany(
    cursor: &Cursor,
    statement: &str,
    parameters: &[Params],
    context: Option<&ExecutionContext>,
) -> bool {
    fired!("do_executemany");
    #[cfg(test)]
    if let Some(handled) = probe::call(&probe::DO_EXECUTE, |h| h(cursor, statement)) {
        return handled;
    }
    false
}

/// `DialectEvents.do_execute_no_params`: `true` skips the dialect's
/// `do_execute_no_params`.
pub(crate) fn do_execute_no_params(
    cursor: &Cursor,
    statement: &str,
    context: Option<&ExecutionContext>,
) -> bool {
    fired!("do_execute_no_params");
    #[cfg(test)]
    if let Some(handled) = probe::call(&probe::DO_EXECUTE, |h| h(cursor, statement)) {
        return handled;
    }
    false
}

/// `DialectEvents.do_setinputsizes`: never called by this host. SQLite binds
/// each value with its own storage class and has no typed-size binding (see
/// [`Dialect`]), so there is no point at which it could apply.
#[expect(
    dead_code,
    reason = "SQLite never binds typed input sizes; see `Dialect`"
)]
pub(crate) fn do_setinputsizes(
    inputsizes: &mut BTreeMap<String, ColumnType>,
    cursor: &Cursor,
    statement: &str,
    parameters: &CursorParams,
    context: Option<&ExecutionContext>,
) {
}

// ----------------------------------------------------------------- DDL (7)

/// `DDLEvents.before_create`: before `CREATE TABLE` of a table, or before a
/// `create_all` of a metadata.
pub(crate) fn before_create(target: SchemaEventTarget<'_>, conn: &Connection, kw: &DdlOptions) {
    fired!("before_create {target}");
}

/// `DDLEvents.after_create`: after `CREATE TABLE` of a table, or after a
/// `create_all` of a metadata.
pub(crate) fn after_create(target: SchemaEventTarget<'_>, conn: &Connection, kw: &DdlOptions) {
    fired!("after_create {target}");
}

/// `DDLEvents.before_drop`: before `DROP TABLE` of a table, or before a
/// `drop_all` of a metadata.
pub(crate) fn before_drop(target: SchemaEventTarget<'_>, conn: &Connection, kw: &DdlOptions) {
    fired!("before_drop {target}");
}

/// `DDLEvents.after_drop`: after `DROP TABLE` of a table, or after a
/// `drop_all` of a metadata.
pub(crate) fn after_drop(target: SchemaEventTarget<'_>, conn: &Connection, kw: &DdlOptions) {
    fired!("after_drop {target}");
}

/// `DDLEvents.before_parent_attach`: `target` is about to be associated with
/// `parent` (column/constraint → table, table → metadata).
pub(crate) fn before_parent_attach(target: SchemaEventTarget<'_>, parent: SchemaEventTarget<'_>) {
    fired!("before_parent_attach {target} -> {parent}");
}

/// `DDLEvents.after_parent_attach`: `target` was associated with `parent`.
pub(crate) fn after_parent_attach(target: SchemaEventTarget<'_>, parent: SchemaEventTarget<'_>) {
    fired!("after_parent_attach {target} -> {parent}");
}

/// `DDLEvents.column_reflect`: one reflected column, before its `Column` is
/// built; listeners may change `info`.
pub(crate) fn column_reflect(inspector: &Inspector<'_>, table: &Table, info: &mut ReflectedColumn) {
    fired!("column_reflect {}", info.name);
    #[cfg(test)]
    probe::call(&probe::COLUMN_REFLECT, |h| h(info));
}

/// Test-only instrumentation: an event log and overrides for the
/// value-returning events.
#[cfg(test)]
pub(crate) mod probe {
    use std::cell::RefCell;
    use std::thread::LocalKey;

    use super::{ConnectArgs, ConnectParams, Cursor, CursorParams, DbapiConnection};
    use super::{DisconnectionError, Error, ExceptionContext, Params, ReflectedColumn, Statement};

    pub(crate) type Hook<H> = RefCell<Option<Box<H>>>;
    type Checkout = dyn FnMut(&DbapiConnection) -> Result<(), DisconnectionError>;
    type HandleError = dyn FnMut(&mut ExceptionContext<'_>) -> Result<(), Error>;
    type BeforeCursor = dyn FnMut(String, CursorParams) -> (String, CursorParams);
    type BeforeExecute =
        dyn FnMut(Statement, Vec<Params>, Params) -> (Statement, Vec<Params>, Params);
    type DoConnect = dyn FnMut(&mut ConnectArgs, &mut ConnectParams) -> Option<DbapiConnection>;
    type DoExecute = dyn FnMut(&Cursor, &str) -> bool;
    type ColumnReflect = dyn FnMut(&mut ReflectedColumn);

    thread_local! {
        static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
        pub(crate) static CHECKOUT: Hook<Checkout> = const { RefCell::new(None) };
        pub(crate) static HANDLE_ERROR: Hook<HandleError> = const { RefCell::new(None) };
        pub(crate) static BEFORE_CURSOR_EXECUTE: Hook<BeforeCursor> = const { RefCell::new(None) };
        pub(crate) static BEFORE_EXECUTE: Hook<BeforeExecute> = const { RefCell::new(None) };
        pub(crate) static DO_CONNECT: Hook<DoConnect> = const { RefCell::new(None) };
        pub(crate) static DO_EXECUTE: Hook<DoExecute> = const { RefCell::new(None) };
        pub(crate) static COLUMN_REFLECT: Hook<ColumnReflect> = const { RefCell::new(None) };
    }

    pub(crate) fn record(line: String) {
        LOG.with(|log| log.borrow_mut().push(line));
    }

    /// Takes the log recorded so far on this thread.
    pub(crate) fn take() -> Vec<String> {
        LOG.with(|log| std::mem::take(&mut *log.borrow_mut()))
    }

    /// Installs a hook (replacing any previous one).
    pub(crate) fn set<H: ?Sized + 'static>(key: &'static LocalKey<Hook<H>>, hook: Box<H>) {
        key.with(|cell| *cell.borrow_mut() = Some(hook));
    }

    /// Removes every hook and clears the log.
    pub(crate) fn reset() {
        take();
        CHECKOUT.with(|c| c.borrow_mut().take());
        HANDLE_ERROR.with(|c| c.borrow_mut().take());
        BEFORE_CURSOR_EXECUTE.with(|c| c.borrow_mut().take());
        BEFORE_EXECUTE.with(|c| c.borrow_mut().take());
        DO_CONNECT.with(|c| c.borrow_mut().take());
        DO_EXECUTE.with(|c| c.borrow_mut().take());
        COLUMN_REFLECT.with(|c| c.borrow_mut().take());
    }

    /// Calls the installed hook, if any; the hook is taken out while it runs
    /// so that re-entrant events see no hook instead of a borrow panic.
    pub(crate) fn call<H: ?Sized + 'static, R>(
        key: &'static LocalKey<Hook<H>>,
        f: impl FnOnce(&mut H) -> R,
    ) -> Option<R> {
        let mut hook = key.with(|cell| cell.borrow_mut().take())?;
        let out = f(&mut hook);
        key.with(|cell| {
            let mut slot = cell.borrow_mut();
            if slot.is_none() {
                *slot = Some(hook);
            }
        });
        Some(out)
    }
}
