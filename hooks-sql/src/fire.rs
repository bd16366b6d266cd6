//! The call points: one function per event of the catalog, called by the
//! host at exactly the moment the event documents.
//!
//! Each function fires its event through the typed dispatcher of the object
//! the event belongs to (the pool, the connection, the engine, the dialect or
//! the schema object) and returns what the event's contract produced: the
//! replaced values of a `retval` event, the halting result of a `do_*`
//! event, the outcome of a fallible one. Keeping the calls here, rather than
//! inline, keeps every event point greppable and documented in one place.
//!
//! `do_setinputsizes` has no call point: SQLite never binds typed input
//! sizes (see [`DialectEvents::do_setinputsizes`]).

use hooks::HasEvents;

use crate::connection::{Connection, ExecutionContext, ExecutionOptions};
use crate::dbapi::{Cursor, DbapiConnection};
use crate::dialect::{ConnectArgs, ConnectParams, Dialect};
use crate::engine::Engine;
use crate::error::{DisconnectionError, Error, ExceptionContext};
#[cfg(doc)]
use crate::events::DialectEvents;
use crate::events::{ConnectionEvents, PoolEvents};
use crate::pool::{ConnectionRecord, Pool, PoolProxiedConnection, PoolResetState};
use crate::schema::{DdlOptions, Inspector, ReflectedColumn, SchemaEventTarget, Table};
use crate::statement::Statement;
use crate::value::{CursorParams, CursorResult, Params};

fn pool_dispatch(pool: &Pool) -> crate::events::pool_events::Dispatcher<'_> {
    HasEvents::<dyn PoolEvents>::dispatch(pool)
}

fn conn_dispatch(conn: &Connection) -> crate::events::connection_events::Dispatcher<'_> {
    HasEvents::<dyn ConnectionEvents>::dispatch(conn)
}

fn engine_dispatch(engine: &Engine) -> crate::events::connection_events::Dispatcher<'_> {
    HasEvents::<dyn ConnectionEvents>::dispatch(engine)
}

// ---------------------------------------------------------------- pool (10)

/// `PoolEvents::connect`: a new DBAPI connection was opened by `pool` (not
/// on reuse). Runs after `first_connect` for the pool's first connection.
/// `Err` aborts the connect.
pub(crate) fn connect(
    pool: &Pool,
    dbapi: &DbapiConnection,
    record: &ConnectionRecord,
) -> Result<(), Error> {
    pool_dispatch(pool).connect(dbapi, record)
}

/// `PoolEvents::first_connect` (exec-once unless error, per pool): called
/// for every new connection; the listeners run until a run succeeds,
/// concurrent callers wait. `Err` aborts the connect.
pub(crate) fn first_connect(
    pool: &Pool,
    dbapi: &DbapiConnection,
    record: &ConnectionRecord,
) -> Result<(), Error> {
    pool_dispatch(pool).first_connect(dbapi, record)
}

/// `PoolEvents::checkout`: a connection is handed out. `Err` refuses it:
/// the pool invalidates it, reconnects and fires `checkout` again (bounded).
pub(crate) fn checkout(
    pool: &Pool,
    dbapi: &DbapiConnection,
    record: &ConnectionRecord,
    proxy: &PoolProxiedConnection,
) -> Result<(), DisconnectionError> {
    pool_dispatch(pool).checkout(dbapi, record, proxy)
}

/// `PoolEvents::checkin`: a checkout was returned; `dbapi` is `None` when
/// the connection was invalidated. Not fired for detached connections.
pub(crate) fn checkin(pool: &Pool, dbapi: Option<&DbapiConnection>, record: &ConnectionRecord) {
    pool_dispatch(pool).checkin(dbapi, record);
}

/// `PoolEvents::reset`: before the reset-on-return rollback, also for
/// detached connections (then `record` is `None`); never for invalidated
/// ones.
pub(crate) fn reset(
    pool: &Pool,
    dbapi: &DbapiConnection,
    record: Option<&ConnectionRecord>,
    state: PoolResetState,
) {
    pool_dispatch(pool).reset(dbapi, record, state);
}

/// `PoolEvents::invalidate`: hard invalidation, before the connection is
/// closed.
pub(crate) fn invalidate(
    pool: &Pool,
    dbapi: &DbapiConnection,
    record: &ConnectionRecord,
    error: Option<&Error>,
) {
    pool_dispatch(pool).invalidate(dbapi, record, error);
}

/// `PoolEvents::soft_invalidate`: the connection will be replaced at its
/// next checkout, but is not closed now.
pub(crate) fn soft_invalidate(
    pool: &Pool,
    dbapi: &DbapiConnection,
    record: &ConnectionRecord,
    error: Option<&Error>,
) {
    pool_dispatch(pool).soft_invalidate(dbapi, record, error);
}

/// `PoolEvents::close`: before a pooled DBAPI connection is closed
/// (dispose, recycle, invalidation, surplus overflow).
pub(crate) fn close(pool: &Pool, dbapi: &DbapiConnection, record: &ConnectionRecord) {
    pool_dispatch(pool).close(dbapi, record);
}

/// `PoolEvents::detach`: a checked-out connection was detached from its
/// record.
pub(crate) fn detach(pool: &Pool, dbapi: &DbapiConnection, record: &ConnectionRecord) {
    pool_dispatch(pool).detach(dbapi, record);
}

/// `PoolEvents::close_detached`: before a detached DBAPI connection is
/// closed.
pub(crate) fn close_detached(pool: &Pool, dbapi: &DbapiConnection) {
    pool_dispatch(pool).close_detached(dbapi);
}

/// Not an event: `Pool::recreate` made `new` from `old`; every
/// instance-level pool listener moves along (an engine's pool listeners
/// live on its current pool).
pub(crate) fn pool_recreated(old: &Pool, new: &Pool) {
    hooks::copy_listeners::<dyn PoolEvents, Pool>(old, new, hooks::Carry::All);
}

// ---------------------------------------------------------- connection (20)

/// `ConnectionEvents::before_execute` (retval): `Connection::execute` of a
/// statement object, not `exec_driver_sql`. The returned values are what
/// runs.
pub(crate) fn before_execute(
    conn: &Connection,
    statement: Statement,
    multiparams: Vec<Params>,
    params: Params,
    execution_options: &ExecutionOptions,
) -> (Statement, Vec<Params>, Params) {
    conn_dispatch(conn).before_execute(conn, statement, multiparams, params, execution_options)
}

/// `ConnectionEvents::after_execute`: `Connection::execute` produced
/// `result`.
pub(crate) fn after_execute(
    conn: &Connection,
    statement: &Statement,
    multiparams: &[Params],
    params: &Params,
    execution_options: &ExecutionOptions,
    result: &CursorResult,
) {
    conn_dispatch(conn).after_execute(
        conn,
        statement,
        multiparams,
        params,
        execution_options,
        result,
    );
}

/// `ConnectionEvents::before_cursor_execute` (retval): just before the
/// DBAPI execution of every statement (DML, DDL, savepoints,
/// `exec_driver_sql`). The returned statement and parameters are what is
/// prepared and executed.
pub(crate) fn before_cursor_execute(
    conn: &Connection,
    cursor: &Cursor,
    statement: String,
    parameters: CursorParams,
    context: Option<&ExecutionContext>,
    executemany: bool,
) -> (String, CursorParams) {
    conn_dispatch(conn).before_cursor_execute(
        conn,
        cursor,
        statement,
        parameters,
        context,
        executemany,
    )
}

/// Whether `before_cursor_execute` has a listener for `conn`: its listeners take the statement
/// and parameters by value, which the caller clones only then.
pub(crate) fn has_before_cursor_execute(conn: &Connection) -> bool {
    conn_dispatch(conn)
        .raw()
        .has_listeners::<crate::events::connection_events::before_cursor_execute>()
}

/// `ConnectionEvents::after_cursor_execute`: after the DBAPI execution
/// succeeded.
pub(crate) fn after_cursor_execute(
    conn: &Connection,
    cursor: &Cursor,
    statement: &str,
    parameters: &CursorParams,
    context: Option<&ExecutionContext>,
    executemany: bool,
) {
    conn_dispatch(conn).after_cursor_execute(
        conn,
        cursor,
        statement,
        parameters,
        context,
        executemany,
    );
}

/// `ConnectionEvents::begin`: a transaction begins (explicit or
/// autobegin), before the DBAPI `BEGIN`.
pub(crate) fn begin(conn: &Connection) {
    conn_dispatch(conn).begin(conn);
}

/// `ConnectionEvents::commit`: a transaction commits, before the DBAPI
/// `COMMIT`.
pub(crate) fn commit(conn: &Connection) {
    conn_dispatch(conn).commit(conn);
}

/// `ConnectionEvents::rollback`: a transaction rolls back, before the DBAPI
/// `ROLLBACK`; not for the pool's reset-on-return.
pub(crate) fn rollback(conn: &Connection) {
    conn_dispatch(conn).rollback(conn);
}

/// `ConnectionEvents::savepoint`: before `SAVEPOINT name`.
pub(crate) fn savepoint(conn: &Connection, name: &str) {
    conn_dispatch(conn).savepoint(conn, name);
}

/// `ConnectionEvents::rollback_savepoint`: before `ROLLBACK TO SAVEPOINT
/// name`; `context` is always `None`.
pub(crate) fn rollback_savepoint(
    conn: &Connection,
    name: &str,
    context: Option<&ExecutionContext>,
) {
    conn_dispatch(conn).rollback_savepoint(conn, name, context);
}

/// `ConnectionEvents::release_savepoint`: before `RELEASE SAVEPOINT name`;
/// `context` is always `None`.
pub(crate) fn release_savepoint(conn: &Connection, name: &str, context: Option<&ExecutionContext>) {
    conn_dispatch(conn).release_savepoint(conn, name, context);
}

/// `ConnectionEvents::begin_twophase`: fired before the dialect refuses.
pub(crate) fn begin_twophase(conn: &Connection, xid: &str) {
    conn_dispatch(conn).begin_twophase(conn, xid);
}

/// `ConnectionEvents::prepare_twophase`: fired before the dialect refuses.
pub(crate) fn prepare_twophase(conn: &Connection, xid: &str) {
    conn_dispatch(conn).prepare_twophase(conn, xid);
}

/// `ConnectionEvents::commit_twophase`: fired before the dialect refuses.
pub(crate) fn commit_twophase(conn: &Connection, xid: &str, is_prepared: bool) {
    conn_dispatch(conn).commit_twophase(conn, xid, is_prepared);
}

/// `ConnectionEvents::rollback_twophase`: fired before the dialect refuses.
pub(crate) fn rollback_twophase(conn: &Connection, xid: &str, is_prepared: bool) {
    conn_dispatch(conn).rollback_twophase(conn, xid, is_prepared);
}

/// `ConnectionEvents::engine_connect`: `Engine::connect` created `conn`.
pub(crate) fn engine_connect(conn: &Connection) {
    conn_dispatch(conn).engine_connect(conn);
}

/// `ConnectionEvents::engine_disposed`: `Engine::dispose` finished (fired
/// on the engine).
pub(crate) fn engine_disposed(engine: &Engine) {
    engine_dispatch(engine).engine_disposed(engine);
}

/// `ConnectionEvents::set_connection_execution_options`: before `opts` are
/// merged into `conn`; listeners may change `opts`.
pub(crate) fn set_connection_execution_options(conn: &Connection, opts: &mut ExecutionOptions) {
    conn_dispatch(conn).set_connection_execution_options(conn, opts);
}

/// `ConnectionEvents::set_engine_execution_options`: `engine` is the new
/// option engine (fired on it, so its parent's listeners run through the
/// join), before `opts` are merged into it; listeners may change `opts`.
pub(crate) fn set_engine_execution_options(engine: &Engine, opts: &mut ExecutionOptions) {
    engine_dispatch(engine).set_engine_execution_options(engine, opts);
}

/// `ConnectionEvents::handle_error`: every error processed by the dialect
/// (execute, connect, begin/commit/rollback). Fired on `conn` when there is
/// one, else on `engine`. Listeners may set the chained error or change the
/// disconnect flags; `Err` stops the chain and is what the caller receives.
pub(crate) fn handle_error(
    engine: &Engine,
    conn: Option<&Connection>,
    context: &mut ExceptionContext<'_>,
) -> Result<(), Error> {
    conn.map_or_else(|| engine_dispatch(engine), conn_dispatch)
        .handle_error(context)
}

/// `ConnectionEvents::dbapi_error` (deprecated): fired just before
/// `handle_error`, with the same error, on the same target.
#[allow(deprecated, reason = "the host still fires the deprecated event")]
pub(crate) fn dbapi_error(
    engine: &Engine,
    conn: Option<&Connection>,
    cursor: Option<&Cursor>,
    statement: Option<&str>,
    parameters: Option<&CursorParams>,
    context: Option<&ExecutionContext>,
    error: &Error,
) {
    conn.map_or_else(|| engine_dispatch(engine), conn_dispatch)
        .dbapi_error(conn, cursor, statement, parameters, context, error);
}

// ------------------------------------------------------------- dialect (5)

/// `DialectEvents::do_connect`: before the DBAPI connect; `cargs`/`cparams`
/// are fresh copies per attempt and may be changed. `Some` supplies the
/// connection and skips the dialect's own connect.
pub(crate) fn do_connect(
    dialect: &Dialect,
    record: &ConnectionRecord,
    cargs: &mut ConnectArgs,
    cparams: &mut ConnectParams,
) -> Option<DbapiConnection> {
    dialect
        .dispatch()
        .do_connect(dialect, record, cargs, cparams)
}

/// `DialectEvents::do_execute`: `Ok(true)` means a listener executed the
/// statement and the dialect's `do_execute` is skipped; `Err`, that it failed.
pub(crate) fn do_execute(
    dialect: &Dialect,
    cursor: &Cursor,
    statement: &str,
    parameters: &Params,
    context: Option<&ExecutionContext>,
) -> Result<bool, Error> {
    dialect
        .dispatch()
        .do_execute(cursor, statement, parameters, context)
}

/// `DialectEvents::do_executemany`: `Ok(true)` skips the dialect's
/// `do_executemany`; `Err` fails the statement.
pub(crate) fn do_executemany(
    dialect: &Dialect,
    cursor: &Cursor,
    statement: &str,
    parameters: &[Params],
    context: Option<&ExecutionContext>,
) -> Result<bool, Error> {
    dialect
        .dispatch()
        .do_executemany(cursor, statement, parameters, context)
}

/// `DialectEvents::do_execute_no_params`: `Ok(true)` skips the dialect's
/// `do_execute_no_params`; `Err` fails the statement.
pub(crate) fn do_execute_no_params(
    dialect: &Dialect,
    cursor: &Cursor,
    statement: &str,
    context: Option<&ExecutionContext>,
) -> Result<bool, Error> {
    dialect
        .dispatch()
        .do_execute_no_params(cursor, statement, context)
}

// ----------------------------------------------------------------- DDL (7)

/// `DDLEvents::before_create` on `target`: before `CREATE TABLE` of a
/// table, or before a `create_all` of a metadata.
pub(crate) fn before_create(target: SchemaEventTarget<'_>, conn: &Connection, kw: &DdlOptions) {
    target.dispatch().before_create(target, conn, kw);
}

/// `DDLEvents::after_create` on `target`: after `CREATE TABLE` of a table,
/// or after a `create_all` of a metadata.
pub(crate) fn after_create(target: SchemaEventTarget<'_>, conn: &Connection, kw: &DdlOptions) {
    target.dispatch().after_create(target, conn, kw);
}

/// `DDLEvents::before_drop` on `target`: before `DROP TABLE` of a table,
/// or before a `drop_all` of a metadata.
pub(crate) fn before_drop(target: SchemaEventTarget<'_>, conn: &Connection, kw: &DdlOptions) {
    target.dispatch().before_drop(target, conn, kw);
}

/// `DDLEvents::after_drop` on `target`: after `DROP TABLE` of a table, or
/// after a `drop_all` of a metadata.
pub(crate) fn after_drop(target: SchemaEventTarget<'_>, conn: &Connection, kw: &DdlOptions) {
    target.dispatch().after_drop(target, conn, kw);
}

/// `DDLEvents::before_parent_attach` on `target`: it is about to be
/// associated with `parent` (column/constraint → table, table → metadata).
pub(crate) fn before_parent_attach(target: SchemaEventTarget<'_>, parent: SchemaEventTarget<'_>) {
    target.dispatch().before_parent_attach(target, parent);
}

/// `DDLEvents::after_parent_attach` on `target`: it was associated with
/// `parent`.
pub(crate) fn after_parent_attach(target: SchemaEventTarget<'_>, parent: SchemaEventTarget<'_>) {
    target.dispatch().after_parent_attach(target, parent);
}

/// `DDLEvents::column_reflect`: one reflected column, before its `Column`
/// is built; fired on `table`, then on its metadata. Listeners may change
/// `info`.
pub(crate) fn column_reflect(inspector: &Inspector<'_>, table: &Table, info: &mut ReflectedColumn) {
    table.dispatch().column_reflect(inspector, table, info);
    if let Some(metadata) = table.metadata() {
        metadata.dispatch().column_reflect(inspector, table, info);
    }
}
