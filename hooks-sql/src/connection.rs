//! [`Connection`], its transactions, execution options and the execution
//! context handed to cursor-level events.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use hooks::HasEvents;

use crate::dbapi::{Cursor, DbapiConnection};
use crate::dialect::Dialect;
use crate::engine::Engine;
use crate::error::Error;
use crate::error_handling::{ErrorSite, process_error};
use crate::events::{ConnectionEvents, connection_events};
use crate::pool::PoolProxiedConnection;
use crate::statement::Statement;
use crate::sync::lock;
use crate::value::{CursorParams, CursorResult, Params, Value};

static NEXT_XID: AtomicU64 = AtomicU64::new(1);

/// Numbers every [`Connection`] of the process, so that a detached [`Savepoint`] can tell its
/// own connection from another one.
static NEXT_CONNECTION: AtomicU64 = AtomicU64::new(1);

/// Execution options: a string → [`Value`] map carried by engines and
/// connections.
///
/// Recognised key: `skip_user_error_events` (non-zero integer: errors skip
/// the `handle_error` and `dbapi_error` events). Other keys are stored and
/// visible to listeners.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExecutionOptions {
    values: BTreeMap<String, Value>,
}

impl ExecutionOptions {
    /// No options.
    pub fn new() -> Self {
        ExecutionOptions::default()
    }

    /// Returns the options with `key` set to `value`.
    #[must_use]
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.insert(key, value);
        self
    }

    /// Sets `key` to `value`.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.values.insert(key.into(), value.into());
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.values.remove(key)
    }

    /// The options in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The number of options.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there is no option.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// These options overridden by `other`.
    #[must_use]
    pub fn union(&self, other: &ExecutionOptions) -> Self {
        let mut merged = self.clone();
        merged.merge(other.clone());
        merged
    }

    pub(crate) fn merge(&mut self, other: ExecutionOptions) {
        self.values.extend(other.values);
    }

    /// Whether `skip_user_error_events` is set.
    pub fn skip_user_error_events(&self) -> bool {
        self.get("skip_user_error_events")
            .and_then(Value::as_i64)
            .is_some_and(|v| v != 0)
    }
}

/// What a cursor-level event knows about the statement being executed.
///
/// It borrows the caller's SQL text (`'s`) until a `before_cursor_execute` listener rewrites
/// it, so that a statement is not copied to be shown to the events.
#[derive(Debug, Clone)]
pub struct ExecutionContext<'s> {
    statement: Cow<'s, str>,
    parameters: CursorParams,
    executemany: bool,
    is_ddl: bool,
    /// Shared with the connection: a statement takes a handle, not a copy of the map.
    options: Arc<ExecutionOptions>,
}

impl ExecutionContext<'_> {
    /// The SQL being executed (after `before_cursor_execute` rewrote it).
    pub fn statement(&self) -> &str {
        &self.statement
    }

    /// The parameters being executed.
    pub fn parameters(&self) -> &CursorParams {
        &self.parameters
    }

    /// Whether the statement runs once per parameter set.
    pub fn executemany(&self) -> bool {
        self.executemany
    }

    /// Whether the statement is DDL.
    pub fn is_ddl(&self) -> bool {
        self.is_ddl
    }

    /// The execution options in effect.
    pub fn execution_options(&self) -> &ExecutionOptions {
        &self.options
    }
}

#[derive(Debug)]
struct TxState {
    id: u64,
    savepoints: Vec<(u64, String)>,
}

#[derive(Debug)]
struct ConnState {
    proxy: Option<PoolProxiedConnection>,
    closed: bool,
    invalidated: bool,
    in_begin: bool,
    tx: Option<TxState>,
    next_id: u64,
    next_savepoint: u64,
    /// Replaced (copy on write) when options are set, so that a statement shares them.
    options: Arc<ExecutionOptions>,
}

/// A connection from [`Engine::connect`], holding one checked-out pooled
/// connection.
///
/// Like SQLAlchemy 2.0, the connection autobegins: the first statement
/// outside a transaction begins one, which lasts until
/// [`Connection::commit`] or [`Connection::rollback`]. Closing (or dropping)
/// the connection rolls back whatever is left and returns the DBAPI
/// connection to the pool. Methods take `&self`, so event listeners holding
/// `&Connection` may run statements on it.
///
/// ```
/// use hooks_sql::{create_engine, params};
///
/// let engine = create_engine("sqlite://")?;
/// let conn = engine.connect()?;
/// conn.execute("CREATE TABLE t (x INTEGER)", ())?;
/// conn.execute("INSERT INTO t (x) VALUES (?)", params![41])?;
/// let result = conn.execute("SELECT x + 1 FROM t", ())?;
/// assert_eq!(result.rows()[0].get::<i64>(0)?, 42);
/// conn.commit()?;
/// # Ok::<(), hooks_sql::Error>(())
/// ```
#[hooks::target(
    ConnectionEvents(events = events, join = &self.engine),
    related(crate::PoolEvents, crate::DialectEvents)
)]
pub struct Connection {
    events: hooks::Events<dyn ConnectionEvents>,
    serial: u64,
    engine: Engine,
    state: Mutex<ConnState>,
}

impl Connection {
    pub(crate) fn new(
        engine: Engine,
        proxy: PoolProxiedConnection,
        options: ExecutionOptions,
    ) -> Self {
        Connection {
            events: hooks::Events::new(),
            serial: NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed),
            engine,
            state: Mutex::new(ConnState {
                proxy: Some(proxy),
                closed: false,
                invalidated: false,
                in_begin: false,
                tx: None,
                next_id: 1,
                next_savepoint: 1,
                options: Arc::new(options),
            }),
        }
    }

    /// The engine this connection came from.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The engine's dialect.
    pub fn dialect(&self) -> &Dialect {
        self.engine.dialect()
    }

    /// The pooled connection in use, reconnecting first if the connection
    /// was invalidated outside a transaction.
    ///
    /// # Errors
    ///
    /// [`Error::ConnectionClosed`], [`Error::PendingRollback`], or a
    /// checkout error when reconnecting.
    pub fn connection(&self) -> Result<PoolProxiedConnection, Error> {
        {
            let st = lock(&self.state);
            if st.closed {
                return Err(Error::ConnectionClosed);
            }
            if !st.invalidated
                && let Some(proxy) = &st.proxy
            {
                return Ok(proxy.clone());
            }
            if st.tx.is_some() {
                return Err(Error::PendingRollback);
            }
        }
        let proxy = self.engine.raw_connection()?;
        let mut st = lock(&self.state);
        st.proxy = Some(proxy.clone());
        st.invalidated = false;
        Ok(proxy)
    }

    /// The DBAPI connection in use (see [`Connection::connection`]).
    ///
    /// # Errors
    ///
    /// As [`Connection::connection`].
    pub fn dbapi_connection(&self) -> Result<DbapiConnection, Error> {
        self.connection()?.dbapi_connection()
    }

    /// Executes a statement object with one parameter set.
    ///
    /// Fires `before_execute` (whose result is what runs), the cursor-level
    /// events, then `after_execute`.
    ///
    /// ```
    /// use hooks_sql::{create_engine, named_params, text};
    ///
    /// let conn = create_engine("sqlite://")?.connect()?;
    /// let row = conn.execute(text("SELECT :a * :b AS product"), named_params! {"a" => 6, "b" => 7})?;
    /// assert_eq!(row.rows()[0].get_named::<i64>("product")?, 42);
    /// # Ok::<(), hooks_sql::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The DBAPI error after `handle_error` processed it, or a state error
    /// (closed, pending rollback).
    pub fn execute(
        &self,
        statement: impl Into<Statement>,
        params: impl Into<Params>,
    ) -> Result<CursorResult, Error> {
        self.execute_statement(statement.into(), vec![params.into()])
    }

    /// Executes a statement object once per parameter set (`executemany`).
    ///
    /// # Errors
    ///
    /// As [`Connection::execute`].
    pub fn execute_many(
        &self,
        statement: impl Into<Statement>,
        multiparams: Vec<Params>,
    ) -> Result<CursorResult, Error> {
        self.execute_statement(statement.into(), multiparams)
    }

    /// Executes SQL text directly: only the cursor-level events fire, not
    /// `before_execute`/`after_execute`.
    ///
    /// # Errors
    ///
    /// As [`Connection::execute`].
    pub fn exec_driver_sql(
        &self,
        sql: &str,
        params: impl Into<Params>,
    ) -> Result<CursorResult, Error> {
        let parameters = CursorParams::Single(params.into());
        self.execute_sql(Cow::Borrowed(sql), parameters, false, None)
    }

    fn execute_statement(
        &self,
        statement: Statement,
        distilled: Vec<Params>,
    ) -> Result<CursorResult, Error> {
        let options = self.shared_execution_options();
        let (multiparams, params) = split_for_event(distilled);
        let (statement, multiparams, params) =
            self.dispatch()
                .before_execute(self, statement, multiparams, params, &options);
        // `after_execute` sees the parameters the statement ran with: copied only for a
        // listener (a flush's executemany of 1,000 sets would copy them all).
        let for_after = (self.is_listened::<connection_events::after_execute>())
            .then(|| (multiparams.clone(), params.clone()));
        let distilled = join_after_event(multiparams, params)?;
        let sql = statement.compile(self.dialect());
        let result = self.execute_sql(
            Cow::Owned(sql),
            cursor_params(distilled),
            statement.is_ddl(),
            Some(Arc::clone(&options)),
        )?;
        if let Some((multiparams, params)) = for_after {
            self.dispatch().after_execute(
                self,
                &statement,
                &multiparams,
                &params,
                &options,
                &result,
            );
        }
        Ok(result)
    }

    /// Runs `sql` through the cursor-level events, with `options`, or, if `None`, the
    /// connection's options as they are when the statement starts.
    fn execute_sql(
        &self,
        sql: Cow<'_, str>,
        parameters: CursorParams,
        is_ddl: bool,
        options: Option<Arc<ExecutionOptions>>,
    ) -> Result<CursorResult, Error> {
        let (dbapi, current) = self.autobegun_dbapi()?;
        let options = options.unwrap_or(current);
        let cursor = dbapi.into_cursor();
        let executemany = parameters.is_many();
        let mut context = ExecutionContext {
            statement: sql,
            parameters,
            executemany,
            is_ddl,
            options,
        };
        if self.is_listened::<connection_events::before_cursor_execute>() {
            let (sql, parameters) = self.dispatch().before_cursor_execute(
                self,
                &cursor,
                String::from(&*context.statement),
                context.parameters.clone(),
                Some(&context),
                executemany,
            );
            context.executemany = parameters.is_many();
            context.statement = Cow::Owned(sql);
            context.parameters = parameters;
        }
        self.run_cursor(&cursor, &context)
    }

    fn run_cursor(
        &self,
        cursor: &Cursor,
        context: &ExecutionContext<'_>,
    ) -> Result<CursorResult, Error> {
        let direct = match self.dispatch_execute(cursor, context) {
            Ok(direct) => direct,
            Err(e) => {
                let site = ErrorSite {
                    statement: Some(&*context.statement),
                    parameters: Some(&context.parameters),
                    cursor: Some(cursor),
                    execution_context: Some(context),
                    ..ErrorSite::default()
                };
                return Err(self.handle_error(e, site));
            }
        };
        if let Some(result) = direct {
            if !self.is_listened::<connection_events::after_cursor_execute>() {
                return Ok(result);
            }
            cursor.set_result(result);
        }
        self.dispatch().after_cursor_execute(
            self,
            cursor,
            &context.statement,
            &context.parameters,
            Some(context),
            context.executemany,
        );
        Ok(cursor.take_result())
    }

    /// Whether event `E` has a listener here. The events whose arguments cost something are
    /// asked first: `before_cursor_execute` takes the statement and parameters by value and
    /// `after_execute` the parameters the statement ran with (both copied only for a
    /// listener), and only an `after_cursor_execute` listener would look at the cursor's
    /// result before the caller receives it.
    fn is_listened<E: hooks::Event<Family = dyn ConnectionEvents>>(&self) -> bool {
        self.dispatch().raw().has_listeners::<E>()
    }

    /// Runs the statement through the dialect's `do_execute*` events and methods. A single
    /// execution whose `do_execute` (or `do_execute_no_params`) event has no listener runs as
    /// the dialect's method would, but returns its result rather than keeping it in the
    /// cursor, where no one could look at it yet: then `Some(result)`; otherwise `None`, and
    /// the result is in the cursor.
    fn dispatch_execute(
        &self,
        cursor: &Cursor,
        context: &ExecutionContext<'_>,
    ) -> Result<Option<CursorResult>, Error> {
        let dialect = self.dialect();
        let sql = &*context.statement;
        if let CursorParams::Single(params) = &context.parameters
            && !has_do_execute(dialect, params)
        {
            return cursor.run(sql, params).map(Some);
        }
        match &context.parameters {
            CursorParams::Many(sets) => {
                if !dialect
                    .dispatch()
                    .do_executemany(cursor, sql, sets, Some(context))?
                {
                    dialect.do_executemany(cursor, sql, sets, Some(context))?;
                }
            }
            CursorParams::Single(params) if params.is_empty() => {
                if !dialect
                    .dispatch()
                    .do_execute_no_params(cursor, sql, Some(context))?
                {
                    dialect.do_execute_no_params(cursor, sql, Some(context))?;
                }
            }
            CursorParams::Single(params) => {
                if !dialect
                    .dispatch()
                    .do_execute(cursor, sql, params, Some(context))?
                {
                    dialect.do_execute(cursor, sql, params, Some(context))?;
                }
            }
        }
        Ok(None)
    }

    /// Runs `error` through `dbapi_error`/`handle_error`, invalidates on a
    /// disconnect and returns the error the caller receives.
    fn handle_error(&self, error: Error, site: ErrorSite<'_>) -> Error {
        let site = ErrorSite {
            connection: Some(self),
            ..site
        };
        process_error(&self.engine, error, site)
    }

    pub(crate) fn invalidate_on_disconnect(&self, error: &Error, invalidate_pool: bool) {
        let proxy = {
            let mut st = lock(&self.state);
            if st.closed || st.invalidated {
                return;
            }
            st.invalidated = true;
            st.proxy.take()
        };
        if let Some(proxy) = proxy {
            if invalidate_pool {
                proxy.pool().invalidate_all();
            }
            proxy.invalidate(Some(error), false);
        }
    }

    // ------------------------------------------------------ transactions

    /// Whether a transaction is in progress.
    pub fn in_transaction(&self) -> bool {
        lock(&self.state).tx.is_some()
    }

    /// Whether a savepoint is in progress.
    pub fn in_nested_transaction(&self) -> bool {
        lock(&self.state)
            .tx
            .as_ref()
            .is_some_and(|tx| !tx.savepoints.is_empty())
    }

    /// Begins a transaction; it rolls back when the handle is dropped
    /// without [`Transaction::commit`].
    ///
    /// ```
    /// use hooks_sql::create_engine;
    ///
    /// let conn = create_engine("sqlite://")?.connect()?;
    /// conn.exec_driver_sql("CREATE TABLE t (x INTEGER)", ())?;
    /// conn.commit()?;
    /// {
    ///     let tx = conn.begin()?;
    ///     conn.exec_driver_sql("INSERT INTO t VALUES (1)", ())?;
    ///     // dropped: rolled back
    /// }
    /// let tx = conn.begin()?;
    /// conn.exec_driver_sql("INSERT INTO t VALUES (2)", ())?;
    /// tx.commit()?;
    /// let n = conn.exec_driver_sql("SELECT count(*) FROM t", ())?;
    /// assert_eq!(n.scalar().and_then(|v| v.as_i64()), Some(1));
    /// # Ok::<(), hooks_sql::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::TransactionAlreadyBegun`] (also after an autobegin), or the
    /// DBAPI error of `BEGIN` after `handle_error`.
    pub fn begin(&self) -> Result<Transaction<'_>, Error> {
        let id = self.begin_impl()?;
        Ok(Transaction {
            conn: self,
            id,
            done: false,
        })
    }

    /// The DBAPI connection to execute on, after [`Connection::autobegin`], and the
    /// execution options read before it: what `get_execution_options`, `autobegin` then
    /// `dbapi_connection` give, with one lock of the state instead of three, and no handle to
    /// the pool proxy, when a transaction is open and the connection valid (every statement
    /// after the first).
    fn autobegun_dbapi(&self) -> Result<(DbapiConnection, Arc<ExecutionOptions>), Error> {
        let open = {
            let st = lock(&self.state);
            let in_transaction = st.tx.is_some() || st.in_begin;
            match &st.proxy {
                Some(proxy) if in_transaction && !st.closed && !st.invalidated => {
                    Some((proxy.dbapi_connection(), Arc::clone(&st.options)))
                }
                _ => None,
            }
        };
        if let Some((dbapi, options)) = open {
            return Ok((dbapi?, options));
        }
        let options = self.shared_execution_options();
        self.autobegin()?;
        Ok((self.dbapi_connection()?, options))
    }

    fn autobegin(&self) -> Result<(), Error> {
        let needed = {
            let st = lock(&self.state);
            st.tx.is_none() && !st.in_begin
        };
        if needed {
            self.begin_impl()?;
        }
        Ok(())
    }

    fn begin_impl(&self) -> Result<u64, Error> {
        if self.in_transaction() {
            return Err(Error::TransactionAlreadyBegun);
        }
        let dbapi = self.dbapi_connection()?;
        lock(&self.state).in_begin = true;
        self.dispatch().begin(self);
        let outcome = self.dialect().do_begin(&dbapi);
        lock(&self.state).in_begin = false;
        if let Err(e) = outcome {
            return Err(self.handle_error(e, ErrorSite::default()));
        }
        let mut st = lock(&self.state);
        let id = st.next_id;
        st.next_id += 1;
        st.tx = Some(TxState {
            id,
            savepoints: Vec::new(),
        });
        Ok(id)
    }

    /// Commits the current transaction, if any (commit-as-you-go).
    ///
    /// # Errors
    ///
    /// [`Error::PendingRollback`] on an invalidated connection, or the DBAPI
    /// error of `COMMIT` after `handle_error` (the transaction then stays
    /// open; roll it back).
    pub fn commit(&self) -> Result<(), Error> {
        self.commit_root(None)
    }

    /// Rolls back the current transaction, if any.
    ///
    /// # Errors
    ///
    /// The DBAPI error of `ROLLBACK` after `handle_error`; the transaction
    /// is over either way.
    pub fn rollback(&self) -> Result<(), Error> {
        self.rollback_root(None)
    }

    fn current_tx(&self, id: Option<u64>) -> Result<Option<u64>, Error> {
        let st = lock(&self.state);
        match (&st.tx, id) {
            (None, None) => Ok(None),
            (Some(tx), None) => Ok(Some(tx.id)),
            (Some(tx), Some(id)) if tx.id == id => Ok(Some(id)),
            _ => Err(Error::TransactionInactive),
        }
    }

    fn valid_dbapi(&self) -> Option<DbapiConnection> {
        let st = lock(&self.state);
        if st.invalidated || st.closed {
            return None;
        }
        st.proxy.as_ref().and_then(|p| p.dbapi_connection().ok())
    }

    fn commit_root(&self, id: Option<u64>) -> Result<(), Error> {
        if self.current_tx(id)?.is_none() {
            return Ok(());
        }
        let dbapi = self.valid_dbapi().ok_or(Error::PendingRollback)?;
        self.dispatch().commit(self);
        match self.dialect().do_commit(&dbapi) {
            Ok(()) => {
                lock(&self.state).tx = None;
                Ok(())
            }
            Err(e) => Err(self.handle_error(e, ErrorSite::default())),
        }
    }

    fn rollback_root(&self, id: Option<u64>) -> Result<(), Error> {
        if self.current_tx(id)?.is_none() {
            return Ok(());
        }
        let outcome = match self.valid_dbapi() {
            Some(dbapi) => {
                self.dispatch().rollback(self);
                self.dialect().do_rollback(&dbapi)
            }
            None => Ok(()),
        };
        lock(&self.state).tx = None;
        outcome.map_err(|e| self.handle_error(e, ErrorSite::default()))
    }

    /// Begins a savepoint (beginning the outer transaction first if
    /// needed); it rolls back to the savepoint when the handle is dropped
    /// without [`NestedTransaction::commit`].
    ///
    /// ```
    /// use hooks_sql::create_engine;
    ///
    /// let conn = create_engine("sqlite://")?.connect()?;
    /// conn.exec_driver_sql("CREATE TABLE t (x INTEGER)", ())?;
    /// conn.exec_driver_sql("INSERT INTO t VALUES (1)", ())?;
    /// let sp = conn.begin_nested()?;
    /// conn.exec_driver_sql("INSERT INTO t VALUES (2)", ())?;
    /// sp.rollback()?;
    /// let n = conn.exec_driver_sql("SELECT count(*) FROM t", ())?;
    /// assert_eq!(n.scalar().and_then(|v| v.as_i64()), Some(1));
    /// # Ok::<(), hooks_sql::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Errors of the outer `BEGIN` or of `SAVEPOINT`.
    pub fn begin_nested(&self) -> Result<NestedTransaction<'_>, Error> {
        if !self.in_transaction() {
            self.begin_impl()?;
        }
        let (id, name) = {
            let mut st = lock(&self.state);
            let (id, n) = (st.next_id, st.next_savepoint);
            st.next_id += 1;
            st.next_savepoint += 1;
            (id, format!("sa_savepoint_{n}"))
        };
        self.dispatch().savepoint(self, &name);
        self.run_internal(&format!("SAVEPOINT {name}"))?;
        if let Some(tx) = lock(&self.state).tx.as_mut() {
            tx.savepoints.push((id, name.clone()));
        }
        Ok(NestedTransaction {
            conn: self,
            id,
            name,
            done: false,
        })
    }

    fn run_internal(&self, sql: &str) -> Result<CursorResult, Error> {
        let parameters = CursorParams::Single(Params::None);
        self.execute_sql(Cow::Borrowed(sql), parameters, false, None)
    }

    fn savepoint_position(&self, id: u64) -> Result<usize, Error> {
        lock(&self.state)
            .tx
            .as_ref()
            .and_then(|tx| tx.savepoints.iter().position(|(sp, _)| *sp == id))
            .ok_or(Error::TransactionInactive)
    }

    fn truncate_savepoints(&self, position: usize) {
        if let Some(tx) = lock(&self.state).tx.as_mut() {
            tx.savepoints.truncate(position);
        }
    }

    fn release_savepoint(&self, id: u64, name: &str) -> Result<(), Error> {
        let position = self.savepoint_position(id)?;
        if self.valid_dbapi().is_none() {
            return Err(Error::PendingRollback);
        }
        self.dispatch().release_savepoint(self, name, None);
        self.run_internal(&format!("RELEASE SAVEPOINT {name}"))?;
        self.truncate_savepoints(position);
        Ok(())
    }

    fn rollback_savepoint(&self, id: u64, name: &str) -> Result<(), Error> {
        let position = self.savepoint_position(id)?;
        let outcome = if self.valid_dbapi().is_some() {
            self.dispatch().rollback_savepoint(self, name, None);
            self.run_internal(&format!("ROLLBACK TO SAVEPOINT {name}"))
                .map(drop)
        } else {
            Ok(())
        };
        self.truncate_savepoints(position);
        outcome
    }

    // ----------------------------------------------------------- two-phase

    /// Fires `begin_twophase`, then fails: SQLite has no two-phase commit.
    /// Without `xid` a unique one is generated.
    ///
    /// # Errors
    ///
    /// Always: [`Error::TransactionAlreadyBegun`] inside a transaction (no
    /// event), otherwise [`Error::TwoPhaseNotSupported`].
    pub fn begin_twophase(&self, xid: Option<&str>) -> Result<Transaction<'_>, Error> {
        if self.in_transaction() {
            return Err(Error::TransactionAlreadyBegun);
        }
        let xid = xid.map_or_else(
            || format!("_sa_{:032x}", NEXT_XID.fetch_add(1, Ordering::Relaxed)),
            str::to_owned,
        );
        self.dispatch().begin_twophase(self, &xid);
        Err(Error::TwoPhaseNotSupported {
            operation: "begin_twophase",
        })
    }

    /// Fires `prepare_twophase`, then fails.
    ///
    /// # Errors
    ///
    /// Always [`Error::TwoPhaseNotSupported`].
    pub fn prepare_twophase(&self, xid: &str) -> Result<(), Error> {
        self.dispatch().prepare_twophase(self, xid);
        Err(Error::TwoPhaseNotSupported {
            operation: "prepare_twophase",
        })
    }

    /// Fires `commit_twophase`, then fails.
    ///
    /// # Errors
    ///
    /// Always [`Error::TwoPhaseNotSupported`].
    pub fn commit_twophase(&self, xid: &str, is_prepared: bool) -> Result<(), Error> {
        self.dispatch().commit_twophase(self, xid, is_prepared);
        Err(Error::TwoPhaseNotSupported {
            operation: "commit_twophase",
        })
    }

    /// Fires `rollback_twophase`, then fails.
    ///
    /// # Errors
    ///
    /// Always [`Error::TwoPhaseNotSupported`].
    pub fn rollback_twophase(&self, xid: &str, is_prepared: bool) -> Result<(), Error> {
        self.dispatch().rollback_twophase(self, xid, is_prepared);
        Err(Error::TwoPhaseNotSupported {
            operation: "rollback_twophase",
        })
    }

    // ------------------------------------------------- options and state

    /// Merges `opts` into this connection's execution options (after
    /// `set_connection_execution_options` listeners saw and possibly changed
    /// them).
    pub fn execution_options(&self, opts: ExecutionOptions) -> &Self {
        let mut opts = opts;
        self.dispatch()
            .set_connection_execution_options(self, &mut opts);
        Arc::make_mut(&mut lock(&self.state).options).merge(opts);
        self
    }

    /// The execution options in effect (the engine's at connect time, plus
    /// this connection's).
    pub fn get_execution_options(&self) -> ExecutionOptions {
        ExecutionOptions::clone(&lock(&self.state).options)
    }

    /// The execution options in effect, shared rather than copied.
    fn shared_execution_options(&self) -> Arc<ExecutionOptions> {
        Arc::clone(&lock(&self.state).options)
    }

    /// Invalidates the DBAPI connection: it is closed and this connection
    /// reconnects at its next use (after a rollback if a transaction was in
    /// progress).
    ///
    /// # Errors
    ///
    /// [`Error::ConnectionClosed`] if the connection was closed.
    pub fn invalidate(&self, error: Option<&Error>) -> Result<(), Error> {
        let proxy = {
            let mut st = lock(&self.state);
            if st.closed {
                return Err(Error::ConnectionClosed);
            }
            if st.invalidated {
                return Ok(());
            }
            st.invalidated = true;
            st.proxy.take()
        };
        if let Some(proxy) = proxy {
            proxy.invalidate(error, false);
        }
        Ok(())
    }

    /// Whether the connection was invalidated and has not reconnected yet.
    pub fn invalidated(&self) -> bool {
        lock(&self.state).invalidated
    }

    /// Whether [`Connection::close`] was called.
    pub fn closed(&self) -> bool {
        lock(&self.state).closed
    }

    /// Rolls back a transaction in progress and returns the DBAPI connection
    /// to the pool. Closing twice is a no-op.
    pub fn close(&self) {
        let had_tx = {
            let st = lock(&self.state);
            if st.closed {
                return;
            }
            st.tx.is_some()
        };
        let was_reset = had_tx && self.rollback_root(None).is_ok();
        let proxy = {
            let mut st = lock(&self.state);
            st.closed = true;
            st.tx = None;
            st.proxy.take()
        };
        if let Some(proxy) = proxy {
            proxy.close_with_reset(was_reset);
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.close();
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = lock(&self.state);
        f.debug_struct("Connection")
            .field("engine", &self.engine)
            .field("closed", &st.closed)
            .field("invalidated", &st.invalidated)
            .field("in_transaction", &st.tx.is_some())
            .finish_non_exhaustive()
    }
}

/// Whether the dialect event that runs a single execution with `params` has a listener:
/// `do_execute`, or `do_execute_no_params` when there is no parameter.
fn has_do_execute(dialect: &Dialect, params: &Params) -> bool {
    use crate::events::dialect_events::{do_execute, do_execute_no_params};
    let dispatch = dialect.dispatch();
    if params.is_empty() {
        dispatch.raw().has_listeners::<do_execute_no_params>()
    } else {
        dispatch.raw().has_listeners::<do_execute>()
    }
}

/// The parameter sets of one execution as the cursor takes them: more than one is an
/// `executemany`.
fn cursor_params(mut distilled: Vec<Params>) -> CursorParams {
    if distilled.len() > 1 {
        CursorParams::Many(distilled)
    } else {
        CursorParams::Single(distilled.pop().unwrap_or_default())
    }
}

fn split_for_event(mut distilled: Vec<Params>) -> (Vec<Params>, Params) {
    if distilled.len() == 1 {
        (Vec::new(), distilled.pop().unwrap_or_default())
    } else {
        (distilled, Params::None)
    }
}

fn join_after_event(multiparams: Vec<Params>, params: Params) -> Result<Vec<Params>, Error> {
    match (multiparams.is_empty(), params.is_empty()) {
        (false, false) => Err(Error::InvalidRequest(
            "event handler can't return non-empty multiparams and params at the same time".into(),
        )),
        (false, true) => Ok(multiparams),
        (true, _) => Ok(vec![params]),
    }
}

/// A root transaction from [`Connection::begin`]; rolls back on drop.
#[must_use = "a transaction rolls back when dropped"]
pub struct Transaction<'c> {
    conn: &'c Connection,
    id: u64,
    done: bool,
}

impl Transaction<'_> {
    /// Commits the transaction.
    ///
    /// # Errors
    ///
    /// [`Error::TransactionInactive`] if it already ended (for example
    /// through [`Connection::commit`]), or the `COMMIT` error.
    pub fn commit(mut self) -> Result<(), Error> {
        self.done = true;
        self.conn.commit_root(Some(self.id))
    }

    /// Rolls the transaction back.
    ///
    /// # Errors
    ///
    /// [`Error::TransactionInactive`] if it already ended, or the
    /// `ROLLBACK` error.
    pub fn rollback(mut self) -> Result<(), Error> {
        self.done = true;
        self.conn.rollback_root(Some(self.id))
    }

    /// Whether this is still the connection's current transaction.
    pub fn is_active(&self) -> bool {
        self.conn.current_tx(Some(self.id)).is_ok()
    }

    /// Gives up the handle without ending the transaction: it stays open
    /// until [`Connection::commit`] or [`Connection::rollback`]. For an owner
    /// that keeps the connection and its transaction side by side (an ORM
    /// session), where a handle borrowing the connection cannot be stored.
    pub fn detach(mut self) {
        self.done = true;
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if !self.done && self.is_active() {
            // A failed rollback already went through `handle_error`; the
            // transaction is over either way.
            let _ = self.conn.rollback_root(Some(self.id));
        }
    }
}

impl fmt::Debug for Transaction<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction")
            .field("id", &self.id)
            .field("active", &self.is_active())
            .finish()
    }
}

/// A savepoint from [`Connection::begin_nested`]; rolls back to the
/// savepoint on drop.
#[must_use = "a savepoint rolls back when dropped"]
pub struct NestedTransaction<'c> {
    conn: &'c Connection,
    id: u64,
    name: String,
    done: bool,
}

impl NestedTransaction<'_> {
    /// The savepoint name, e.g. `sa_savepoint_1`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Releases the savepoint (`RELEASE SAVEPOINT`).
    ///
    /// # Errors
    ///
    /// [`Error::TransactionInactive`] if the savepoint already ended,
    /// [`Error::PendingRollback`] on an invalidated connection, or the SQL
    /// error.
    pub fn commit(mut self) -> Result<(), Error> {
        self.done = true;
        self.conn.release_savepoint(self.id, &self.name)
    }

    /// Rolls back to the savepoint (`ROLLBACK TO SAVEPOINT`).
    ///
    /// # Errors
    ///
    /// [`Error::TransactionInactive`] if the savepoint already ended, or the
    /// SQL error.
    pub fn rollback(mut self) -> Result<(), Error> {
        self.done = true;
        self.conn.rollback_savepoint(self.id, &self.name)
    }

    /// Whether the savepoint is still in progress.
    pub fn is_active(&self) -> bool {
        self.conn.savepoint_position(self.id).is_ok()
    }

    /// Gives up the handle without ending the savepoint, returning a
    /// [`Savepoint`] that ends it later with the connection passed in: for an
    /// owner that keeps the connection and its savepoints side by side (an
    /// ORM session's transaction stack).
    ///
    /// ```
    /// use hooks_sql::create_engine;
    ///
    /// let conn = create_engine("sqlite://")?.connect()?;
    /// conn.exec_driver_sql("CREATE TABLE t (x INTEGER)", ())?;
    /// let savepoint = conn.begin_nested()?.detach();
    /// conn.exec_driver_sql("INSERT INTO t VALUES (1)", ())?;
    /// assert!(savepoint.is_active(&conn));
    /// savepoint.rollback(&conn)?;
    /// let n = conn.exec_driver_sql("SELECT count(*) FROM t", ())?;
    /// assert_eq!(n.scalar().and_then(|v| v.as_i64()), Some(0));
    ///
    /// // It only ends on the connection that began it.
    /// let other = create_engine("sqlite://")?.connect()?;
    /// let savepoint = conn.begin_nested()?.detach();
    /// let _theirs = other.begin_nested()?.detach();
    /// assert!(!savepoint.is_active(&other));
    /// assert!(matches!(savepoint.release(&other), Err(hooks_sql::Error::TransactionInactive)));
    /// savepoint.release(&conn)?;
    /// # Ok::<(), hooks_sql::Error>(())
    /// ```
    pub fn detach(mut self) -> Savepoint {
        self.done = true;
        Savepoint {
            connection: self.conn.serial,
            id: self.id,
            name: std::mem::take(&mut self.name),
        }
    }
}

/// A savepoint detached from its [`NestedTransaction`] handle
/// ([`NestedTransaction::detach`]): it holds no borrow, and ends with the
/// connection that began it passed in. Dropping it leaves the savepoint to
/// the connection's transaction (a root rollback discards it).
#[derive(Debug)]
pub struct Savepoint {
    /// The serial number of the connection that began it.
    connection: u64,
    id: u64,
    name: String,
}

impl Savepoint {
    /// The savepoint name, e.g. `sa_savepoint_1`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Releases the savepoint (`RELEASE SAVEPOINT`), firing
    /// `release_savepoint`.
    ///
    /// # Errors
    ///
    /// As [`NestedTransaction::commit`]; [`Error::TransactionInactive`] also
    /// when `conn` is not the connection that began it.
    pub fn release(&self, conn: &Connection) -> Result<(), Error> {
        self.check_connection(conn)?;
        conn.release_savepoint(self.id, &self.name)
    }

    /// Rolls back to the savepoint (`ROLLBACK TO SAVEPOINT`), firing
    /// `rollback_savepoint`.
    ///
    /// # Errors
    ///
    /// As [`NestedTransaction::rollback`]; [`Error::TransactionInactive`] also when `conn`
    /// is not the connection that began it.
    pub fn rollback(&self, conn: &Connection) -> Result<(), Error> {
        self.check_connection(conn)?;
        conn.rollback_savepoint(self.id, &self.name)
    }

    /// Whether the savepoint is still in progress on `conn`.
    pub fn is_active(&self, conn: &Connection) -> bool {
        self.check_connection(conn).is_ok() && conn.savepoint_position(self.id).is_ok()
    }

    fn check_connection(&self, conn: &Connection) -> Result<(), Error> {
        if conn.serial == self.connection {
            Ok(())
        } else {
            Err(Error::TransactionInactive)
        }
    }
}

impl Drop for NestedTransaction<'_> {
    fn drop(&mut self) {
        if !self.done && self.is_active() {
            // Errors went through `handle_error` already.
            let _ = self.conn.rollback_savepoint(self.id, &self.name);
        }
    }
}

impl fmt::Debug for NestedTransaction<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NestedTransaction")
            .field("name", &self.name)
            .field("active", &self.is_active())
            .finish()
    }
}
