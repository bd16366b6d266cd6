//! The [`Session`], its [`SessionFactory`] and its transactions on a `hooks-sql` connection,
//! its objects (the identity map, `objects.rs`), the unit-of-work flush (`flush.rs`) and what
//! a transaction's end does to the objects (`snapshot.rs`), with SQLAlchemy's session and
//! persistence events in SQLAlchemy's order.

mod bulk;
mod cascade;
mod context;
mod criteria;
mod error;
mod factory;
mod fire;
mod flush;
mod flush_order;
mod identity;
mod legacy_load;
mod loading;
mod objects;
mod query;
mod snapshot;
mod statement;
mod transaction;

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hooks_sql::{Connection, CursorResult, Engine, Params, Statement};

pub use bulk::Synchronize;
pub use context::{
    AnyInstance, BulkDeleteContext, BulkUpdateContext, FlushContext, OrmExecuteState,
};
pub use criteria::Criterion;
pub use error::SessionError;
pub use factory::{SessionFactory, SessionOptions};
pub use legacy_load::{EXT_CONTINUE, EXT_STOP, QueryContext};
pub use loading::{PrimaryKey, Select};
pub use query::{AnyQuery, Query};
pub use statement::{OrmDelete, OrmSelect, OrmStatement, OrmUpdate, delete, select, update};
pub use transaction::{SessionTransaction, TransactionOrigin, TransactionState};

use crate::events::{QueryEvents, SessionEvents};

/// The session's locks guard plain fields that every writer leaves consistent before any
/// call that could panic, so a poisoned guard is still sound to use.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) struct SessionInner {
    /// Process-wide serial number: what an object's state names its session by.
    id: u64,
    objects: Mutex<identity::Objects>,
    flushing: AtomicBool,
    events: hooks::Events<dyn SessionEvents>,
    query_events: hooks::Events<dyn QueryEvents>,
    engine: Engine,
    factory: Option<SessionFactory>,
    options: SessionOptions,
    state: Mutex<SessionState>,
}

struct SessionState {
    /// The innermost open transaction.
    transaction: Option<SessionTransaction>,
    /// The innermost open nested transaction.
    nested: Option<SessionTransaction>,
    permanently_closed: bool,
}

/// A unit of work on one [`Engine`]: SQLAlchemy's `Session`, transactions first.
///
/// The session autobegins: its first use creates the root [`SessionTransaction`]
/// (`after_transaction_create`); its first SQL checks a connection out of the engine and
/// begins it (`after_begin`). [`commit`](Session::commit) and
/// [`rollback`](Session::rollback) end every open transaction, innermost first;
/// [`begin_nested`](Session::begin_nested) opens a SAVEPOINT. All SQL runs through
/// `hooks-sql`'s [`Connection`], so the Core events fire underneath.
///
/// Listen on the `Session` type (every session), on a [`SessionFactory`] (its sessions) or
/// on one session; see [`SessionEvents`] for the order. The same three levels take
/// [`QueryEvents`], for the legacy [`Query`]s the session runs. Methods take `&self`: a listener
/// holding `&Session` may call back into it, where SQLAlchemy allows.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use hooks_orm::{Session, session_events};
///
/// let engine = hooks_sql::create_engine("sqlite://")?;
/// let session = Session::new(&engine);
/// let trace = Arc::new(Mutex::new(Vec::new()));
/// let t = Arc::clone(&trace);
/// session_events::after_begin.listen(&session, move |_, _, _| {
///     t.lock().unwrap().push("after_begin");
///     Ok(())
/// })?;
/// let t = Arc::clone(&trace);
/// session_events::after_commit.listen(&session, move |_| t.lock().unwrap().push("after_commit"))?;
///
/// session.execute("CREATE TABLE t (x INTEGER)", ())?;
/// session.execute("INSERT INTO t VALUES (1)", ())?;
/// session.commit()?;
/// assert_eq!(*trace.lock().unwrap(), ["after_begin", "after_commit"]);
/// let n = session.execute("SELECT count(*) FROM t", ())?;
/// assert_eq!(n.scalar().and_then(|v| v.as_i64()), Some(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[hooks::target(
    SessionEvents(events = inner.events, join = self.factory()),
    QueryEvents(events = inner.query_events, join = self.factory())
)]
pub struct Session {
    inner: Arc<SessionInner>,
}

impl Session {
    /// A session on `engine` with the default options, joining no factory.
    pub fn new(engine: &Engine) -> Self {
        Session::build(engine, SessionOptions::new(), None)
    }

    /// A session on `engine` with `options`.
    pub fn with_options(engine: &Engine, options: SessionOptions) -> Self {
        Session::build(engine, options, None)
    }

    pub(crate) fn build(
        engine: &Engine,
        options: SessionOptions,
        factory: Option<SessionFactory>,
    ) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Session {
            inner: Arc::new(SessionInner {
                id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
                objects: Mutex::new(identity::Objects::default()),
                flushing: AtomicBool::new(false),
                events: hooks::Events::new(),
                query_events: hooks::Events::new(),
                engine: engine.clone(),
                factory,
                options,
                state: Mutex::new(SessionState {
                    transaction: None,
                    nested: None,
                    permanently_closed: false,
                }),
            }),
        }
    }

    pub(crate) fn from_inner(inner: Arc<SessionInner>) -> Self {
        Session { inner }
    }

    /// Whether a flush is running.
    pub fn is_flushing(&self) -> bool {
        self.inner.flushing.load(Ordering::Acquire)
    }

    /// The factory that made it, whose listeners it joins.
    pub fn factory(&self) -> Option<&SessionFactory> {
        self.inner.factory.as_ref()
    }

    /// The engine it runs on.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    pub(crate) fn current_transaction(&self) -> Option<SessionTransaction> {
        lock(&self.inner.state).transaction.clone()
    }

    /// The current transaction, created by autobegin if there is none.
    fn autobegin(&self, explicit: bool) -> Result<SessionTransaction, SessionError> {
        if let Some(current) = self.current_transaction() {
            return Ok(current);
        }
        if !explicit && !self.inner.options.autobegin {
            return Err(SessionError::AutobeginDisabled);
        }
        let origin = if explicit {
            TransactionOrigin::Begin
        } else {
            TransactionOrigin::Autobegin
        };
        SessionTransaction::create(self, origin, None)
    }

    /// Begins the root transaction explicitly (`after_transaction_create`).
    ///
    /// # Errors
    ///
    /// [`SessionError::AlreadyBegun`] with a transaction in progress (autobegun ones
    /// included), [`SessionError::PermanentlyClosed`].
    pub fn begin(&self) -> Result<SessionTransaction, SessionError> {
        if self.current_transaction().is_some() {
            return Err(SessionError::AlreadyBegun);
        }
        self.autobegin(true)
    }

    /// Begins a nested (SAVEPOINT) transaction inside the current one, beginning the root
    /// first if needed. `after_transaction_create` fires now; the `SAVEPOINT` runs, and
    /// `after_begin` fires for it, at its first SQL.
    ///
    /// # Errors
    ///
    /// [`SessionError::InvalidState`] if the current transaction is not active,
    /// [`SessionError::PermanentlyClosed`].
    pub fn begin_nested(&self) -> Result<SessionTransaction, SessionError> {
        let outer = self.autobegin(true)?;
        outer.state().check(&[TransactionState::Active])?;
        let nested = SessionTransaction::create(self, TransactionOrigin::BeginNested, Some(outer))?;
        lock(&self.inner.state).nested = Some(nested.clone());
        Ok(nested)
    }

    /// Commits every open transaction, innermost first, then the root (autobeginning one to
    /// commit if there is none, as SQLAlchemy does, so the commit events still fire).
    ///
    /// # Errors
    ///
    /// A `before_commit` listener's error or a database error: the transaction is left
    /// open; [`rollback`](Session::rollback) it. [`SessionError::InvalidState`] inside
    /// `after_commit` or `after_rollback`.
    pub fn commit(&self) -> Result<(), SessionError> {
        self.autobegin(false)?.commit_impl(self, true)
    }

    /// Rolls back every open transaction, innermost first; a no-op without one.
    ///
    /// # Errors
    ///
    /// A database error of the rollback; the transaction ends anyway.
    pub fn rollback(&self) -> Result<(), SessionError> {
        match self.current_transaction() {
            Some(current) => current.rollback_impl(self, true),
            None => Ok(()),
        }
    }

    /// Expunges every object ([`expunge_all`](Session::expunge_all): `persistent_to_detached`
    /// and the others), then ends every open transaction, innermost first, without the
    /// rollback events (their work is rolled back on the connection, which returns to the
    /// pool): `after_transaction_end` for each. The session can be used again, unless it was
    /// built with [`close_resets_only(false)`](SessionOptions::close_resets_only).
    ///
    /// # Errors
    ///
    /// A database error of the rollback; every transaction ends anyway.
    pub fn close(&self) -> Result<(), SessionError> {
        if !self.inner.options.close_resets_only {
            lock(&self.inner.state).permanently_closed = true;
        }
        self.expunge_all();
        self.close_transactions()
    }

    /// As [`close`](Session::close), but the session is always reusable afterwards.
    ///
    /// # Errors
    ///
    /// As [`close`](Session::close).
    pub fn reset(&self) -> Result<(), SessionError> {
        self.expunge_all();
        self.close_transactions()
    }

    fn close_transactions(&self) -> Result<(), SessionError> {
        let Some(current) = self.current_transaction() else {
            return Ok(());
        };
        let mut outcome = Ok(());
        for transaction in current.self_and_parents() {
            let closed = transaction.close_impl(self);
            outcome = outcome.and(closed);
        }
        outcome
    }

    /// The connection of the current transaction, autobeginning and acquiring it (with
    /// `after_begin`) on first use. Statements run on it are part of the session's
    /// transaction; it is closed when the root transaction ends.
    ///
    /// # Errors
    ///
    /// [`SessionError::Provisioning`] inside `after_begin`, [`SessionError::InvalidState`]
    /// inside `after_commit`/`after_rollback`, [`SessionError::AutobeginDisabled`],
    /// an `after_begin` listener's error, a connect or `BEGIN`/`SAVEPOINT` error.
    pub fn connection(&self) -> Result<Arc<Connection>, SessionError> {
        self.autobegin(false)?.connection_for(self)
    }

    /// Runs `statement` through the session's connection: `do_orm_execute` first (a
    /// listener may rewrite it, or answer with a result), then the Core execution events.
    ///
    /// # Errors
    ///
    /// As [`connection`](Session::connection), and the statement's SQL error.
    pub fn execute(
        &self,
        statement: impl Into<Statement>,
        params: impl Into<Params>,
    ) -> Result<CursorResult, SessionError> {
        let mut state = OrmExecuteState::new(self, statement.into(), params.into());
        if let Some(result) = fire::do_orm_execute(self, &mut state) {
            return Ok(result);
        }
        let (statement, params) = state.into_parts();
        Ok(self.connection()?.execute(statement, params)?)
    }

    /// Whether a transaction is in progress.
    pub fn in_transaction(&self) -> bool {
        self.current_transaction().is_some()
    }

    /// Whether a nested transaction is in progress.
    pub fn in_nested_transaction(&self) -> bool {
        lock(&self.inner.state).nested.is_some()
    }

    /// The root transaction in progress.
    pub fn get_transaction(&self) -> Option<SessionTransaction> {
        self.current_transaction()
            .and_then(|t| t.self_and_parents().pop())
    }

    /// The innermost nested transaction in progress.
    pub fn get_nested_transaction(&self) -> Option<SessionTransaction> {
        lock(&self.inner.state).nested.clone()
    }

    /// Whether the session can run SQL: no transaction yet (one will autobegin), or the
    /// current one is active. False during `after_rollback` and `after_commit`.
    pub fn is_active(&self) -> bool {
        self.current_transaction().is_none_or(|t| t.is_active())
    }
}

impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for Session {}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("engine", &self.inner.engine)
            .field("transaction", &self.current_transaction())
            .finish_non_exhaustive()
    }
}
