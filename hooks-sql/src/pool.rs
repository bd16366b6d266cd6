//! Connection pools: [`Pool`] (queue or static strategy), the
//! [`ConnectionRecord`] kept for each pooled DBAPI connection, and the
//! checked-out [`PoolProxiedConnection`].

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use hooks::HasEvents;

use crate::dbapi::DbapiConnection;
use crate::dialect::{ConnectArgs, ConnectParams, Dialect};
use crate::error::Error;
use crate::events::PoolEvents;
use crate::sync::{lock, wait_timeout};
use crate::value::Value;

/// How many times a checkout is attempted when `checkout` listeners refuse
/// the connection: each refusal invalidates the connection and reconnects,
/// and after this many refusals the checkout fails with
/// [`Error::CheckoutFailed`].
pub const CHECKOUT_ATTEMPTS: u32 = 2;

static NEXT_POOL_ID: AtomicU64 = AtomicU64::new(1);
static NEXT_RECORD_ID: AtomicU64 = AtomicU64::new(1);

/// The per-connection `info` map of a [`ConnectionRecord`].
pub type Info = HashMap<String, Value>;

/// The pooling strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PoolClass {
    /// A bounded queue of connections (`size` + `max_overflow`), waiting up
    /// to `timeout` for a free one. Used for database files.
    Queue,
    /// Exactly one DBAPI connection shared by every checkout. Used for
    /// in-memory databases, where a second connection would see a different,
    /// empty database. Returning any checkout resets (rolls back) the shared
    /// connection, so concurrent checkouts should not hold transactions.
    Static,
}

/// Pool settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolConfig {
    /// The strategy.
    pub class: PoolClass,
    /// How many idle connections the queue keeps.
    pub size: usize,
    /// How many connections may exist beyond `size`.
    pub max_overflow: usize,
    /// How long a checkout waits for a free connection.
    pub timeout: Duration,
    /// Connections older than this are closed and reopened at checkout.
    pub recycle: Option<Duration>,
}

impl PoolConfig {
    /// The defaults for `class`: size 5, overflow 10, 30 s timeout, no
    /// recycling.
    pub fn new(class: PoolClass) -> Self {
        PoolConfig {
            class,
            size: 5,
            max_overflow: 10,
            timeout: Duration::from_secs(30),
            recycle: None,
        }
    }
}

/// A snapshot of a pool's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStatus {
    /// The strategy.
    pub class: PoolClass,
    /// Connection records currently existing (idle or checked out).
    pub open: usize,
    /// Idle records waiting in the queue.
    pub checked_in: usize,
    /// Checkouts not yet returned.
    pub checked_out: usize,
}

/// What the pool is about to do when a connection is returned; passed to the
/// `reset` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolResetState {
    transaction_was_reset: bool,
    terminate_only: bool,
    asyncio_safe: bool,
}

impl PoolResetState {
    /// Whether the [`crate::Connection`] already rolled its transaction back,
    /// so the pool skips its own rollback.
    pub fn transaction_was_reset(&self) -> bool {
        self.transaction_was_reset
    }

    /// Whether the connection is about to be closed instead of reused
    /// (true for detached connections).
    pub fn terminate_only(&self) -> bool {
        self.terminate_only
    }

    /// Whether the reset may do I/O; always `true` in this synchronous host.
    pub fn asyncio_safe(&self) -> bool {
        self.asyncio_safe
    }
}

/// Opens DBAPI connections for a pool, through the `do_connect` event.
#[derive(Debug, Clone)]
pub(crate) struct Creator {
    dialect: Arc<Dialect>,
    cargs: ConnectArgs,
    cparams: ConnectParams,
}

impl Creator {
    pub(crate) fn new(dialect: Arc<Dialect>, cargs: ConnectArgs, cparams: ConnectParams) -> Self {
        Creator {
            dialect,
            cargs,
            cparams,
        }
    }

    /// Every attempt gets fresh copies of the arguments, so a listener's
    /// changes never leak into the next attempt.
    fn create(&self, record: &ConnectionRecord) -> Result<DbapiConnection, Error> {
        let mut cargs = self.cargs.clone();
        let mut cparams = self.cparams.clone();
        if let Some(made) =
            self.dialect
                .dispatch()
                .do_connect(&self.dialect, record, &mut cargs, &mut cparams)
        {
            return Ok(made);
        }
        self.dialect.connect(&cargs, &cparams)
    }
}

#[derive(Default)]
struct PoolState {
    idle: VecDeque<ConnectionRecord>,
    open: usize,
    checked_out: usize,
    static_record: Option<ConnectionRecord>,
}

/// A pool of DBAPI connections.
///
/// Obtain one from [`crate::Engine::pool`]. [`Pool::connect`] checks a
/// connection out; dropping or closing the returned proxy checks it back in
/// (after a rollback).
#[hooks::target(
    PoolEvents(events = events),
    related(crate::ConnectionEvents, crate::DialectEvents)
)]
pub struct Pool {
    events: hooks::Events<dyn PoolEvents>,
    id: u64,
    config: PoolConfig,
    creator: Creator,
    state: Mutex<PoolState>,
    available: Condvar,
    generation: AtomicU64,
}

impl Pool {
    pub(crate) fn new(config: PoolConfig, creator: Creator) -> Arc<Self> {
        Arc::new(Pool {
            events: hooks::Events::new(),
            id: NEXT_POOL_ID.fetch_add(1, Ordering::Relaxed),
            config,
            creator,
            state: Mutex::new(PoolState::default()),
            available: Condvar::new(),
            generation: AtomicU64::new(0),
        })
    }

    /// A process-unique number identifying this pool object.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The pool's settings.
    pub fn config(&self) -> &PoolConfig {
        &self.config
    }

    /// The dialect used to open connections.
    pub fn dialect(&self) -> &Dialect {
        &self.creator.dialect
    }

    /// Current counters.
    pub fn status(&self) -> PoolStatus {
        let st = lock(&self.state);
        PoolStatus {
            class: self.config.class,
            open: st.open + usize::from(st.static_record.is_some()),
            checked_in: st.idle.len(),
            checked_out: st.checked_out,
        }
    }

    /// Checks a connection out, opening one if needed.
    ///
    /// Fires `first_connect`/`connect` for new DBAPI connections and then
    /// `checkout`. A `checkout` listener refusing the connection makes the
    /// pool invalidate it, reconnect and ask again, up to
    /// [`CHECKOUT_ATTEMPTS`] times.
    ///
    /// # Errors
    ///
    /// [`Error::PoolTimeout`], [`Error::CheckoutFailed`], or the error of
    /// opening the DBAPI connection.
    pub fn connect(self: &Arc<Self>) -> Result<PoolProxiedConnection, Error> {
        let record = match self.config.class {
            PoolClass::Static => self.static_record(),
            PoolClass::Queue => self.acquire_queued()?,
        };
        self.checkout(&record)
    }

    /// Closes every idle connection (firing `close` for each). Connections
    /// checked out keep working and come back to this pool when returned.
    pub fn dispose(&self) {
        let records: Vec<ConnectionRecord> = {
            let mut st = lock(&self.state);
            let idle: Vec<_> = st.idle.drain(..).collect();
            st.open -= idle.len();
            idle.into_iter().chain(st.static_record.take()).collect()
        };
        for record in records {
            record.close(self);
        }
    }

    /// A new, empty pool with the same settings and this pool's listeners
    /// (SQLAlchemy's `recreate()` hands its dispatch to the new pool). The
    /// new pool fires `first_connect` again for its first connection; a
    /// listener removed by its handle later is gone from both pools.
    pub fn recreate(&self) -> Arc<Pool> {
        let new = Pool::new(self.config.clone(), self.creator.clone());
        hooks::copy_listeners::<dyn PoolEvents, Pool>(self, &new, hooks::Carry::All);
        new
    }

    /// Marks every existing connection stale: each is closed and reopened at
    /// its next checkout.
    pub(crate) fn invalidate_all(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn is_expired(&self, since: Instant) -> bool {
        self.config.recycle.is_some_and(|r| since.elapsed() >= r)
    }

    fn static_record(self: &Arc<Self>) -> ConnectionRecord {
        let mut st = lock(&self.state);
        st.static_record
            .get_or_insert_with(|| ConnectionRecord::new(self))
            .clone()
    }

    fn acquire_queued(self: &Arc<Self>) -> Result<ConnectionRecord, Error> {
        let deadline = Instant::now() + self.config.timeout;
        let mut st = lock(&self.state);
        loop {
            if let Some(record) = st.idle.pop_front() {
                return Ok(record);
            }
            if st.open < self.config.size + self.config.max_overflow {
                st.open += 1;
                return Ok(ConnectionRecord::new(self));
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::PoolTimeout {
                    size: self.config.size,
                    max_overflow: self.config.max_overflow,
                    timeout: self.config.timeout,
                });
            }
            st = wait_timeout(&self.available, st, deadline - now);
        }
    }

    fn checkout(
        self: &Arc<Self>,
        record: &ConnectionRecord,
    ) -> Result<PoolProxiedConnection, Error> {
        let mut attempt = 1;
        loop {
            let dbapi = self.connect_or_release(record)?;
            let proxy = PoolProxiedConnection::new(Arc::clone(self), record.clone(), dbapi.clone());
            // A panicking `checkout` listener leaves the connection
            // half-initialised: the guard closes it and frees its slot
            // instead of letting the dropped proxy check it back in.
            let guard = UnwindGuard {
                pool: self,
                record,
                proxy: Some(&proxy),
            };
            let outcome = self.dispatch().checkout(&dbapi, record, &proxy);
            std::mem::forget(guard);
            match outcome {
                Ok(()) => {
                    lock(&self.state).checked_out += 1;
                    return Ok(proxy);
                }
                Err(refusal) => {
                    proxy.disarm();
                    self.refuse(record, &refusal);
                    if attempt == CHECKOUT_ATTEMPTS {
                        self.release_failed(record);
                        return Err(Error::CheckoutFailed {
                            attempts: attempt,
                            last: refusal,
                        });
                    }
                    attempt += 1;
                }
            }
        }
    }

    /// The record's connection, reused or newly opened. Whatever fails on
    /// the way (the creator, a `first_connect` or `connect` listener, by
    /// `Err` or by panic) frees the slot, and the half-open connection is
    /// closed (see [`HalfOpen`]): a failed connect never costs the pool a
    /// connection.
    fn connect_or_release(&self, record: &ConnectionRecord) -> Result<DbapiConnection, Error> {
        let guard = UnwindGuard {
            pool: self,
            record,
            proxy: None,
        };
        let outcome = record.ensure_connected(self);
        std::mem::forget(guard);
        outcome.inspect_err(|_| self.release_failed(record))
    }

    fn refuse(&self, record: &ConnectionRecord, refusal: &crate::DisconnectionError) {
        if refusal.invalidate_pool() {
            self.invalidate_all();
        }
        let error = Error::Disconnection(refusal.clone());
        record.invalidate_with(self, Some(&error), false);
    }

    /// Gives back the slot of a record whose checkout failed; the record's
    /// connection (if any) is closed, never queued half-initialised.
    fn release_failed(&self, record: &ConnectionRecord) {
        record.close(self);
        if self.config.class == PoolClass::Queue {
            lock(&self.state).open -= 1;
            self.available.notify_one();
        }
    }

    fn fire_connect(
        &self,
        dbapi: &DbapiConnection,
        record: &ConnectionRecord,
    ) -> Result<(), Error> {
        // `first_connect` is exec-once unless error: the first caller runs
        // its listeners while concurrent callers wait, so no `connect`
        // listener runs before it completed; once a run succeeded, later
        // calls return at once.
        self.dispatch().first_connect(dbapi, record)?;
        self.dispatch().connect(dbapi, record)
    }

    fn return_record(&self, record: &ConnectionRecord, dbapi: &DbapiConnection, was_reset: bool) {
        let current = record.holds(dbapi).then_some(dbapi);
        if let Some(dbapi) = current {
            let state = PoolResetState {
                transaction_was_reset: was_reset,
                terminate_only: false,
                asyncio_safe: true,
            };
            self.dispatch().reset(dbapi, Some(record), state);
            if !was_reset && let Err(e) = dbapi.rollback() {
                record.invalidate_with(self, Some(&e), false);
            }
        }
        let current = record.dbapi_connection();
        self.dispatch().checkin(current.as_ref(), record);
        self.put_back(record);
    }

    fn put_back(&self, record: &ConnectionRecord) {
        let surplus = {
            let mut st = lock(&self.state);
            st.checked_out = st.checked_out.saturating_sub(1);
            match self.config.class {
                PoolClass::Static => false,
                PoolClass::Queue if st.idle.len() < self.config.size => {
                    st.idle.push_back(record.clone());
                    false
                }
                PoolClass::Queue => {
                    st.open -= 1;
                    true
                }
            }
        };
        if surplus {
            record.close(self);
        }
        self.available.notify_one();
    }

    fn close_detached(&self, dbapi: &DbapiConnection, was_reset: bool) {
        let state = PoolResetState {
            transaction_was_reset: was_reset,
            terminate_only: true,
            asyncio_safe: true,
        };
        self.dispatch().reset(dbapi, None, state);
        if !was_reset {
            // The connection is closed right after; a failed rollback changes
            // nothing for it.
            let _ = dbapi.rollback();
        }
        self.dispatch().close_detached(dbapi);
        let _ = dbapi.close();
    }
}

/// Dropped only when a connect or `checkout` listener unwinds (see
/// [`Pool::checkout`]): closes the record's connection and frees its slot;
/// the proxy already handed to `checkout` listeners is disarmed first, so
/// its drop does not check the connection in.
struct UnwindGuard<'a> {
    pool: &'a Pool,
    record: &'a ConnectionRecord,
    proxy: Option<&'a PoolProxiedConnection>,
}

impl Drop for UnwindGuard<'_> {
    fn drop(&mut self) {
        if let Some(proxy) = self.proxy {
            proxy.disarm();
        }
        self.pool.release_failed(self.record);
    }
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("id", &self.id)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// The pool's bookkeeping for one pooled DBAPI connection.
///
/// A record outlives the DBAPI connections it holds: after an invalidation
/// it opens a new one at the next checkout. Its [`ConnectionRecord::info`]
/// map describes the current DBAPI connection: it survives checkouts and is
/// cleared whenever the record loses its connection (invalidation,
/// recycling, detaching).
#[derive(Clone)]
pub struct ConnectionRecord {
    inner: Arc<RecordInner>,
}

struct RecordInner {
    id: u64,
    pool: Weak<Pool>,
    connect_lock: Mutex<()>,
    conn: Mutex<RecordConn>,
    info: Mutex<Info>,
}

struct RecordConn {
    dbapi: Option<DbapiConnection>,
    starttime: Instant,
    generation: u64,
    soft_invalidated: bool,
}

impl ConnectionRecord {
    fn new(pool: &Arc<Pool>) -> Self {
        ConnectionRecord {
            inner: Arc::new(RecordInner {
                id: NEXT_RECORD_ID.fetch_add(1, Ordering::Relaxed),
                pool: Arc::downgrade(pool),
                connect_lock: Mutex::new(()),
                conn: Mutex::new(RecordConn {
                    dbapi: None,
                    starttime: Instant::now(),
                    generation: 0,
                    soft_invalidated: false,
                }),
                info: Mutex::new(Info::new()),
            }),
        }
    }

    /// A process-unique number identifying this record.
    pub fn id(&self) -> u64 {
        self.inner.id
    }

    /// The DBAPI connection currently held; `None` after a hard
    /// invalidation, until the next checkout reconnects.
    pub fn dbapi_connection(&self) -> Option<DbapiConnection> {
        lock(&self.inner.conn).dbapi.clone()
    }

    /// When the current DBAPI connection was opened.
    pub fn starttime(&self) -> Instant {
        lock(&self.inner.conn).starttime
    }

    /// The mutable info map. Do not hold the guard across calls into the
    /// pool.
    pub fn info(&self) -> MutexGuard<'_, Info> {
        lock(&self.inner.info)
    }

    /// Invalidates the held DBAPI connection. Hard (`soft == false`): fires
    /// `invalidate`, closes the connection and clears [`Self::info`]. Soft:
    /// fires `soft_invalidate`; the connection stays open and is replaced at
    /// its next checkout. Without a connection this does nothing.
    pub fn invalidate(&self, error: Option<&Error>, soft: bool) {
        match self.inner.pool.upgrade() {
            Some(pool) => self.invalidate_with(&pool, error, soft),
            None => self.drop_connection(),
        }
    }

    fn invalidate_with(&self, pool: &Pool, error: Option<&Error>, soft: bool) {
        let Some(dbapi) = self.dbapi_connection() else {
            return;
        };
        if soft {
            pool.dispatch().soft_invalidate(&dbapi, self, error);
            lock(&self.inner.conn).soft_invalidated = true;
        } else {
            pool.dispatch().invalidate(&dbapi, self, error);
            self.close(pool);
        }
    }

    /// Fires `close`, closes the DBAPI connection and forgets it.
    fn close(&self, pool: &Pool) {
        if let Some(dbapi) = self.dbapi_connection() {
            pool.dispatch().close(&dbapi, self);
            self.forget(&dbapi);
            // Closing is best effort: the handle is gone either way.
            let _ = dbapi.close();
        }
    }

    fn drop_connection(&self) {
        if let Some(dbapi) = lock(&self.inner.conn).dbapi.take() {
            let _ = dbapi.close();
        }
        self.info().clear();
    }

    fn forget(&self, dbapi: &DbapiConnection) {
        {
            let mut conn = lock(&self.inner.conn);
            if conn
                .dbapi
                .as_ref()
                .is_some_and(|d| d.same_connection(dbapi))
            {
                conn.dbapi = None;
            }
        }
        self.info().clear();
    }

    fn holds(&self, dbapi: &DbapiConnection) -> bool {
        lock(&self.inner.conn)
            .dbapi
            .as_ref()
            .is_some_and(|d| d.same_connection(dbapi))
    }

    /// The held connection if it may be reused; a stale one (soft
    /// invalidated, recycled, or older than a pool invalidation) is closed.
    fn reusable(&self, pool: &Pool) -> Option<DbapiConnection> {
        let (dbapi, stale) = {
            let conn = lock(&self.inner.conn);
            let stale = conn.soft_invalidated
                || pool.is_expired(conn.starttime)
                || conn.generation < pool.generation();
            (conn.dbapi.clone()?, stale)
        };
        if stale {
            self.close(pool);
            return None;
        }
        Some(dbapi)
    }

    fn ensure_connected(&self, pool: &Pool) -> Result<DbapiConnection, Error> {
        let _connecting = lock(&self.inner.connect_lock);
        if let Some(dbapi) = self.reusable(pool) {
            return Ok(dbapi);
        }
        let dbapi = pool.creator.create(self)?;
        *lock(&self.inner.conn) = RecordConn {
            dbapi: Some(dbapi.clone()),
            starttime: Instant::now(),
            generation: pool.generation(),
            soft_invalidated: false,
        };
        // Declared after `_connecting`, so it drops first: a failed
        // connect is closed before another checkout of a shared (static)
        // record can take the lock and reuse it.
        let half_open = HalfOpen { pool, record: self };
        pool.fire_connect(&dbapi, self)?;
        std::mem::forget(half_open);
        Ok(dbapi)
    }
}

/// A connection whose `first_connect`/`connect` listeners have not all
/// succeeded yet: dropped on their `Err` or panic alike, it fires `close`
/// and closes the connection, so the record never keeps it.
struct HalfOpen<'a> {
    pool: &'a Pool,
    record: &'a ConnectionRecord,
}

impl Drop for HalfOpen<'_> {
    fn drop(&mut self) {
        self.record.close(self.pool);
    }
}

impl fmt::Debug for ConnectionRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionRecord")
            .field("id", &self.inner.id)
            .field("dbapi", &self.dbapi_connection())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum ProxyState {
    CheckedOut,
    Detached,
    Invalidated,
    Closed,
    /// Handed to a `checkout` listener that refused it: never checked in.
    Disarmed,
}

impl ProxyState {
    const ALL: [ProxyState; 5] = [
        ProxyState::CheckedOut,
        ProxyState::Detached,
        ProxyState::Invalidated,
        ProxyState::Closed,
        ProxyState::Disarmed,
    ];

    fn from_u8(raw: u8) -> Self {
        Self::ALL
            .get(usize::from(raw))
            .copied()
            .unwrap_or(ProxyState::Closed)
    }
}

/// A proxy's [`ProxyState`], read by every statement: an atomic rather than a mutex, as each
/// access is one load or one swap (a mutex made it no more atomic, and cost a lock per
/// statement).
struct StateCell(AtomicU8);

impl StateCell {
    fn new(state: ProxyState) -> Self {
        StateCell(AtomicU8::new(state as u8))
    }

    fn get(&self) -> ProxyState {
        ProxyState::from_u8(self.0.load(Ordering::Acquire))
    }

    fn replace(&self, state: ProxyState) -> ProxyState {
        ProxyState::from_u8(self.0.swap(state as u8, Ordering::AcqRel))
    }
}

/// A checked-out pooled connection.
///
/// A cheap-to-clone handle; the connection returns to the pool (rollback,
/// then checkin) when [`PoolProxiedConnection::close`] is called or the last
/// handle is dropped.
#[derive(Clone)]
pub struct PoolProxiedConnection {
    inner: Arc<ProxyInner>,
}

struct ProxyInner {
    pool: Arc<Pool>,
    record: ConnectionRecord,
    dbapi: DbapiConnection,
    state: StateCell,
    detached_info: Mutex<Info>,
}

impl PoolProxiedConnection {
    fn new(pool: Arc<Pool>, record: ConnectionRecord, dbapi: DbapiConnection) -> Self {
        PoolProxiedConnection {
            inner: Arc::new(ProxyInner {
                pool,
                record,
                dbapi,
                state: StateCell::new(ProxyState::CheckedOut),
                detached_info: Mutex::new(Info::new()),
            }),
        }
    }

    fn state(&self) -> ProxyState {
        self.inner.state.get()
    }

    fn set_state(&self, state: ProxyState) -> ProxyState {
        self.inner.state.replace(state)
    }

    /// The DBAPI connection.
    ///
    /// # Errors
    ///
    /// [`Error::ConnectionClosed`] after close or hard invalidation.
    pub fn dbapi_connection(&self) -> Result<DbapiConnection, Error> {
        match self.state() {
            ProxyState::CheckedOut | ProxyState::Detached => Ok(self.inner.dbapi.clone()),
            _ => Err(Error::ConnectionClosed),
        }
    }

    /// The record, while checked out (not after detach or close).
    pub fn record(&self) -> Option<&ConnectionRecord> {
        (self.state() == ProxyState::CheckedOut).then_some(&self.inner.record)
    }

    /// The pool this connection came from.
    pub fn pool(&self) -> &Arc<Pool> {
        &self.inner.pool
    }

    /// Whether the connection can still be used.
    pub fn is_valid(&self) -> bool {
        matches!(self.state(), ProxyState::CheckedOut | ProxyState::Detached)
    }

    /// Whether [`PoolProxiedConnection::detach`] was called.
    pub fn is_detached(&self) -> bool {
        self.state() == ProxyState::Detached
    }

    /// The info map: the record's while attached, a private copy once
    /// detached.
    pub fn info(&self) -> MutexGuard<'_, Info> {
        if self.is_detached() {
            lock(&self.inner.detached_info)
        } else {
            self.inner.record.info()
        }
    }

    /// Invalidates the connection. Hard: the DBAPI connection is closed and
    /// this checkout is returned to the pool at once (firing `checkin` with
    /// no connection). Soft: the connection stays usable and is replaced at
    /// its next checkout.
    pub fn invalidate(&self, error: Option<&Error>, soft: bool) {
        let inner = &self.inner;
        match self.state() {
            ProxyState::CheckedOut => {
                inner.record.invalidate_with(&inner.pool, error, soft);
                if !soft {
                    self.set_state(ProxyState::Invalidated);
                    inner.pool.dispatch().checkin(None, &inner.record);
                    inner.pool.put_back(&inner.record);
                }
            }
            ProxyState::Detached if !soft => {
                self.set_state(ProxyState::Invalidated);
                inner.pool.dispatch().close_detached(&inner.dbapi);
                let _ = inner.dbapi.close();
            }
            _ => {}
        }
    }

    /// Separates the DBAPI connection from the pool: the record goes back to
    /// the pool (and will open a new connection), this handle keeps the
    /// DBAPI connection, which is closed when the handle is closed.
    pub fn detach(&self) {
        let inner = &self.inner;
        if self.state() != ProxyState::CheckedOut {
            return;
        }
        lock(&inner.detached_info).clone_from(&inner.record.info());
        inner.pool.dispatch().detach(&inner.dbapi, &inner.record);
        inner.record.forget(&inner.dbapi);
        self.set_state(ProxyState::Detached);
        inner.pool.put_back(&inner.record);
    }

    /// Returns the connection to the pool (or closes it, if detached).
    /// Closing twice is a no-op.
    pub fn close(&self) {
        self.inner.finish(false);
    }

    pub(crate) fn close_with_reset(&self, transaction_was_reset: bool) {
        self.inner.finish(transaction_was_reset);
    }

    fn disarm(&self) {
        self.set_state(ProxyState::Disarmed);
    }
}

impl ProxyInner {
    fn finish(&self, was_reset: bool) {
        let previous = self.state.replace(ProxyState::Closed);
        match previous {
            ProxyState::CheckedOut => self
                .pool
                .return_record(&self.record, &self.dbapi, was_reset),
            ProxyState::Detached => self.pool.close_detached(&self.dbapi, was_reset),
            ProxyState::Invalidated | ProxyState::Closed | ProxyState::Disarmed => {}
        }
    }
}

impl Drop for ProxyInner {
    fn drop(&mut self) {
        self.finish(false);
    }
}

impl fmt::Debug for PoolProxiedConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PoolProxiedConnection")
            .field("dbapi", &self.inner.dbapi)
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}
