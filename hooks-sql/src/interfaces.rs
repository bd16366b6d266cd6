//! The pre-event listener interfaces, kept for code written against them:
//! [`PoolListener`] and [`ConnectionProxy`], both implemented on top of the
//! events. New code listens to the events directly.
#![allow(
    deprecated,
    reason = "this module implements the deprecated interfaces"
)]

use std::sync::Arc;

use hooks::{ListenTarget, ListenerHandle, Modifiers};

use crate::connection::{Connection, ExecutionContext};
use crate::dbapi::{Cursor, DbapiConnection};
use crate::engine::Engine;
use crate::error::{DisconnectionError, Error};
use crate::events::{PoolEvents, connection_events, dialect_events, pool_events};
use crate::pool::{ConnectionRecord, PoolProxiedConnection};
use crate::statement::Statement;
use crate::value::{CursorParams, Params};

/// The old pool listener interface: one object with a method per pool
/// event. Every method defaults to doing nothing.
///
/// Attach it with [`add_pool_listener`], which registers one
/// [`PoolEvents`] listener per method, forwarding to the object.
///
/// ```
/// #![allow(deprecated)]
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use hooks_sql::interfaces::{PoolListener, add_pool_listener};
/// use hooks_sql::{ConnectionRecord, DbapiConnection, create_engine};
///
/// #[derive(Default)]
/// struct Counter(AtomicU32);
/// impl PoolListener for Counter {
///     fn connect(&self, _: &DbapiConnection, _: &ConnectionRecord) {
///         self.0.fetch_add(1, Ordering::SeqCst);
///     }
/// }
///
/// let engine = create_engine("sqlite://")?;
/// let counter = Arc::new(Counter::default());
/// add_pool_listener(&engine, counter.clone())?;
/// drop(engine.connect()?);
/// assert_eq!(counter.0.load(Ordering::SeqCst), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[deprecated(note = "listen to the `PoolEvents` events (`pool_events::connect`, …) instead")]
pub trait PoolListener: Send + Sync + 'static {
    /// See [`PoolEvents::connect`].
    fn connect(&self, dbapi_connection: &DbapiConnection, connection_record: &ConnectionRecord) {
        let _ = (dbapi_connection, connection_record);
    }

    /// See [`PoolEvents::first_connect`].
    fn first_connect(
        &self,
        dbapi_connection: &DbapiConnection,
        connection_record: &ConnectionRecord,
    ) {
        let _ = (dbapi_connection, connection_record);
    }

    /// See [`PoolEvents::checkout`]; an `Err` refuses the connection.
    ///
    /// # Errors
    ///
    /// A [`DisconnectionError`] when the connection is unusable.
    fn checkout(
        &self,
        dbapi_connection: &DbapiConnection,
        connection_record: &ConnectionRecord,
        connection_proxy: &PoolProxiedConnection,
    ) -> Result<(), DisconnectionError> {
        let _ = (dbapi_connection, connection_record, connection_proxy);
        Ok(())
    }

    /// See [`PoolEvents::checkin`].
    fn checkin(
        &self,
        dbapi_connection: Option<&DbapiConnection>,
        connection_record: &ConnectionRecord,
    ) {
        let _ = (dbapi_connection, connection_record);
    }
}

/// Attaches `listener` to `target` (a [`Pool`](crate::Pool) or an
/// [`Engine`], or a type through [`hooks::Class`]): four listeners, for
/// `connect`, `first_connect`, `checkout` and `checkin`, forward to it.
/// Remove them through the returned handles.
///
/// # Errors
///
/// A registration error of the framework (none is expected).
#[deprecated(note = "listen to the `PoolEvents` events instead")]
pub fn add_pool_listener<A>(
    target: A,
    listener: Arc<dyn PoolListener>,
) -> Result<Vec<ListenerHandle>, hooks::Error>
where
    A: ListenTarget<dyn PoolEvents> + Copy,
{
    let l = Arc::clone(&listener);
    let first = pool_events::first_connect.listen(target, move |d, r| {
        l.first_connect(d, r);
        Ok(())
    })?;
    let l = Arc::clone(&listener);
    let connect = pool_events::connect.listen(target, move |d, r| {
        l.connect(d, r);
        Ok(())
    })?;
    let l = Arc::clone(&listener);
    let checkout = pool_events::checkout.listen(target, move |d, r, p| l.checkout(d, r, p))?;
    let l = listener;
    let checkin = pool_events::checkin.listen(target, move |d, r| l.checkin(d, r))?;
    Ok(vec![first, connect, checkout, checkin])
}

/// What [`ConnectionProxy::execute`] receives to perform the default
/// behaviour: it returns the statement and parameters to run.
pub type ExecuteFn<'a> =
    dyn Fn(&Statement, &[Params], &Params) -> (Statement, Vec<Params>, Params) + 'a;

/// What [`ConnectionProxy::cursor_execute`] receives to perform the default
/// behaviour: it executes the SQL with the parameters on the cursor.
pub type CursorExecuteFn<'a> = dyn Fn(&str, &CursorParams) -> Result<(), Error> + 'a;

/// The old "around" interface on execution: the proxy receives the
/// continuation that performs the default behaviour, and may call it (or
/// not, or with other arguments).
///
/// Attach it with [`add_connection_proxy`]: `execute` runs as a `retval`
/// [`before_execute`](crate::ConnectionEvents::before_execute) listener,
/// `cursor_execute` as a listener of the halting
/// [`do_execute`](crate::DialectEvents::do_execute),
/// [`do_executemany`](crate::DialectEvents::do_executemany) and
/// [`do_execute_no_params`](crate::DialectEvents::do_execute_no_params)
/// events, which then report the statement as executed — or, when
/// `cursor_execute` returns `Err`, as failed: the error takes the path of a
/// database error (`handle_error`, then the caller).
#[deprecated(note = "listen to `before_execute` and the `do_execute*` events instead")]
pub trait ConnectionProxy: Send + Sync + 'static {
    /// Around `Connection::execute` of a statement object; the default
    /// calls `execute` unchanged.
    fn execute(
        &self,
        conn: &Connection,
        execute: &ExecuteFn<'_>,
        clauseelement: &Statement,
        multiparams: &[Params],
        params: &Params,
    ) -> (Statement, Vec<Params>, Params) {
        let _ = conn;
        execute(clauseelement, multiparams, params)
    }

    /// Around the DBAPI execution of every statement; the default calls
    /// `execute` unchanged.
    ///
    /// # Errors
    ///
    /// The error of `execute`, or the proxy's own.
    fn cursor_execute(
        &self,
        execute: &CursorExecuteFn<'_>,
        cursor: &Cursor,
        statement: &str,
        parameters: &CursorParams,
        context: Option<&ExecutionContext<'_>>,
    ) -> Result<(), Error> {
        let _ = (cursor, context);
        execute(statement, parameters)
    }
}

/// Attaches `proxy` to `engine` (every connection it hands out); remove it
/// through the returned handles.
///
/// # Errors
///
/// A registration error of the framework (none is expected).
#[deprecated(note = "listen to `before_execute` and the `do_execute*` events instead")]
pub fn add_connection_proxy(
    engine: &Engine,
    proxy: Arc<dyn ConnectionProxy>,
) -> Result<Vec<ListenerHandle>, hooks::Error> {
    let p = Arc::clone(&proxy);
    let execute = connection_events::before_execute.listen_retval(
        engine,
        Modifiers::NONE,
        move |conn, stmt, multiparams, params, _| {
            let default =
                |s: &Statement, m: &[Params], p: &Params| (s.clone(), m.to_vec(), p.clone());
            p.execute(conn, &default, stmt, multiparams, params)
        },
    )?;
    let p = Arc::clone(&proxy);
    let single = dialect_events::do_execute.listen(engine, move |cursor, sql, params, ctx| {
        let wrapped = CursorParams::Single(params.clone());
        run_on_cursor(&*p, cursor, sql, &wrapped, ctx)
    })?;
    let p = Arc::clone(&proxy);
    let many = dialect_events::do_executemany.listen(engine, move |cursor, sql, sets, ctx| {
        let wrapped = CursorParams::Many(sets.to_vec());
        run_on_cursor(&*p, cursor, sql, &wrapped, ctx)
    })?;
    let p = proxy;
    let none = dialect_events::do_execute_no_params.listen(engine, move |cursor, sql, ctx| {
        let wrapped = CursorParams::Single(Params::None);
        run_on_cursor(&*p, cursor, sql, &wrapped, ctx)
    })?;
    Ok(vec![execute, single, many, none])
}

/// Calls the proxy with a continuation executing on `cursor`: the statement
/// counts as executed, or as failed with the proxy's error.
fn run_on_cursor(
    proxy: &dyn ConnectionProxy,
    cursor: &Cursor,
    statement: &str,
    parameters: &CursorParams,
    context: Option<&ExecutionContext<'_>>,
) -> Result<bool, Error> {
    let execute = |sql: &str, params: &CursorParams| match params {
        CursorParams::Single(p) => cursor.execute(sql, p),
        CursorParams::Many(sets) => cursor.executemany(sql, sets),
    };
    proxy
        .cursor_execute(&execute, cursor, statement, parameters, context)
        .map(|()| true)
}
