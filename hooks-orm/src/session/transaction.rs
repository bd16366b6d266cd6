//! [`SessionTransaction`]: the session's stack of root and nested (SAVEPOINT) transactions
//! on one `hooks-sql` connection, and their state machine, ported from SQLAlchemy's
//! `SessionTransaction` (`orm/session.py`).
//!
//! Locks: a transaction's state lock and the session's are only held to read or write
//! fields, never while a listener or a Core call runs, so listeners may call back into the
//! session; what SQLAlchemy refuses from inside a listener is a typed error here.

use std::fmt;
use std::sync::{Arc, Mutex, Weak};

use hooks_sql::{Connection, Savepoint};

use super::error::SessionError;
use super::{Session, SessionInner, fire, lock};

/// How a [`SessionTransaction`] was started (SQLAlchemy's `SessionTransactionOrigin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransactionOrigin {
    /// The session's first use began it.
    Autobegin,
    /// [`Session::begin`].
    Begin,
    /// [`Session::begin_nested`]: a SAVEPOINT.
    BeginNested,
}

/// The state of a [`SessionTransaction`] (SQLAlchemy's `SessionTransactionState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransactionState {
    /// Open: SQL may run, commit and rollback are allowed.
    Active,
    /// Acquiring its connection (during `after_begin`).
    ProvisioningConnection,
    /// `before_commit` ran; the database commit comes next.
    Prepared,
    /// Committed (during `after_commit`).
    Committed,
    /// Rolled back but not ended (during `after_rollback`): only `rollback` and `close`.
    Deactive,
    /// Ended.
    Closed,
}

impl TransactionState {
    /// SQLAlchemy's lowercase name of the state, as its messages spell it.
    pub fn name(self) -> &'static str {
        match self {
            TransactionState::Active => "active",
            TransactionState::ProvisioningConnection => "provisioning_connection",
            TransactionState::Prepared => "prepared",
            TransactionState::Committed => "committed",
            TransactionState::Deactive => "deactive",
            TransactionState::Closed => "closed",
        }
    }

    /// `Ok` in the `allowed` states, else the error SQLAlchemy raises in this state.
    pub(crate) fn check(self, allowed: &[TransactionState]) -> Result<(), SessionError> {
        match self {
            state if allowed.contains(&state) => Ok(()),
            TransactionState::Closed => Err(SessionError::TransactionClosed),
            TransactionState::ProvisioningConnection => Err(SessionError::Provisioning),
            state => Err(SessionError::InvalidState { state }),
        }
    }
}

/// The connection a transaction began on: the root holds the connection's own transaction,
/// a nested one its savepoint.
struct Binding {
    connection: Arc<Connection>,
    savepoint: Option<Arc<Savepoint>>,
}

struct TxState {
    state: TransactionState,
    binding: Option<Binding>,
    /// The state-changing method running on this transaction, if any.
    in_progress: Option<&'static str>,
}

struct TxInner {
    session: Weak<SessionInner>,
    parent: Option<SessionTransaction>,
    origin: TransactionOrigin,
    /// For a nested transaction, the session's nested transaction before it, restored when
    /// it ends.
    previous_nested: Option<SessionTransaction>,
    state: Mutex<TxState>,
}

/// One transaction of a [`Session`]: the root (autobegun or from [`Session::begin`]) or a
/// nested SAVEPOINT ([`Session::begin_nested`]). The session events receive it.
///
/// Cloning gives another handle to the same transaction; `==` compares identity.
#[derive(Clone)]
pub struct SessionTransaction {
    inner: Arc<TxInner>,
}

impl SessionTransaction {
    /// Creates the transaction, makes it the session's current one and fires
    /// `after_transaction_create`.
    pub(crate) fn create(
        session: &Session,
        origin: TransactionOrigin,
        parent: Option<SessionTransaction>,
    ) -> Result<SessionTransaction, SessionError> {
        let tx = {
            let mut st = lock(&session.inner.state);
            if st.permanently_closed {
                return Err(SessionError::PermanentlyClosed);
            }
            let nested = origin == TransactionOrigin::BeginNested;
            let tx = SessionTransaction {
                inner: Arc::new(TxInner {
                    session: Arc::downgrade(&session.inner),
                    parent,
                    origin,
                    previous_nested: if nested { st.nested.clone() } else { None },
                    state: Mutex::new(TxState {
                        state: TransactionState::Active,
                        binding: None,
                        in_progress: None,
                    }),
                }),
            };
            st.transaction = Some(tx.clone());
            tx
        };
        if tx.nested() {
            session.push_snapshot_mark();
        }
        fire::after_transaction_create(session, &tx);
        Ok(tx)
    }

    /// The enclosing transaction; `None` for the root.
    pub fn parent(&self) -> Option<&SessionTransaction> {
        self.inner.parent.as_ref()
    }

    /// Whether this is a SAVEPOINT transaction.
    pub fn nested(&self) -> bool {
        self.inner.origin == TransactionOrigin::BeginNested
    }

    /// How it was started.
    pub fn origin(&self) -> TransactionOrigin {
        self.inner.origin
    }

    /// Its state.
    pub fn state(&self) -> TransactionState {
        lock(&self.inner.state).state
    }

    /// Whether it is active: SQL may run in it.
    pub fn is_active(&self) -> bool {
        self.state() == TransactionState::Active
    }

    /// The connection it began on, once it did (its first SQL).
    pub fn connection(&self) -> Option<Arc<Connection>> {
        let st = lock(&self.inner.state);
        st.binding.as_ref().map(|b| Arc::clone(&b.connection))
    }

    /// Commits this transaction alone (a nested one releases its savepoint; the root
    /// commits): `before_commit`, the database commit, `after_commit`,
    /// `after_transaction_end`. Transactions opened inside it commit first.
    ///
    /// # Errors
    ///
    /// [`SessionError::TransactionClosed`] if it ended, [`SessionError::InvalidState`] if
    /// it cannot commit, a `before_commit` listener's error, a database error.
    pub fn commit(&self) -> Result<(), SessionError> {
        self.commit_impl(&self.session()?, false)
    }

    /// Rolls back this transaction alone; transactions opened inside it just end.
    ///
    /// # Errors
    ///
    /// [`SessionError::TransactionClosed`] if it ended, a database error.
    pub fn rollback(&self) -> Result<(), SessionError> {
        self.rollback_impl(&self.session()?, false)
    }

    /// Ends this transaction without the rollback events (its savepoint or transaction is
    /// rolled back on the connection): `after_transaction_end`.
    ///
    /// # Errors
    ///
    /// A database error of the rollback or of closing the connection.
    pub fn close(&self) -> Result<(), SessionError> {
        self.close_impl(&self.session()?)
    }

    fn session(&self) -> Result<Session, SessionError> {
        let inner = self.inner.session.upgrade();
        inner
            .map(|inner| Session { inner })
            .ok_or(SessionError::SessionDropped)
    }

    fn set_state(&self, state: TransactionState) {
        lock(&self.inner.state).state = state;
    }

    /// Marks `method` as the running state change; refused while another one runs.
    fn begin_change(&self, method: &'static str) -> Result<ChangeGuard<'_>, SessionError> {
        let mut st = lock(&self.inner.state);
        if let Some(in_progress) = st.in_progress {
            return Err(SessionError::IllegalStateChange {
                method,
                in_progress,
            });
        }
        st.in_progress = Some(method);
        Ok(ChangeGuard { tx: self })
    }

    /// This transaction and its parents, innermost first.
    pub(crate) fn self_and_parents(&self) -> Vec<SessionTransaction> {
        let mut chain = vec![self.clone()];
        while let Some(parent) = chain.last().and_then(|t| t.parent().cloned()) {
            chain.push(parent);
        }
        chain
    }

    /// The transactions from this one up to `outer`, `outer` excluded.
    fn up_to(&self, outer: &SessionTransaction) -> Vec<SessionTransaction> {
        let mut chain = self.self_and_parents();
        let end = chain.iter().position(|t| t == outer).unwrap_or(chain.len());
        chain.truncate(end);
        chain
    }

    /// The transaction's connection, acquiring it on first use: SQLAlchemy's
    /// `_connection_for_bind`. The root connects and begins (Core `engine_connect`,
    /// `begin`), a nested one begins its savepoint on its parent's connection (Core
    /// `savepoint`); then `after_begin`, while the transaction is still provisioning.
    pub(crate) fn connection_for(
        &self,
        session: &Session,
    ) -> Result<Arc<Connection>, SessionError> {
        {
            let mut st = lock(&self.inner.state);
            // The state first, as SQLAlchemy's `declare_states`: inside `after_begin`,
            // `after_commit` or `after_rollback` the connection is there but refused.
            st.state.check(&[TransactionState::Active])?;
            if let Some(binding) = &st.binding {
                return Ok(Arc::clone(&binding.connection));
            }
            st.state = TransactionState::ProvisioningConnection;
        }
        // Back to active on every path, a panicking listener's included.
        let _provisioned = Provisioning { tx: self };
        let conn = self.acquire(session)?;
        fire::after_begin(session, self, &conn)?;
        Ok(conn)
    }

    fn acquire(&self, session: &Session) -> Result<Arc<Connection>, SessionError> {
        let binding = if let Some(parent) = self.parent() {
            let connection = parent.connection_for(session)?;
            let savepoint = connection.begin_nested()?.detach();
            Binding {
                connection,
                savepoint: Some(Arc::new(savepoint)),
            }
        } else {
            Binding {
                connection: Self::connect_and_begin(session)?,
                savepoint: None,
            }
        };
        let connection = Arc::clone(&binding.connection);
        lock(&self.inner.state).binding = Some(binding);
        Ok(connection)
    }

    /// The root's connection: checked out of the engine, its transaction begun.
    fn connect_and_begin(session: &Session) -> Result<Arc<Connection>, SessionError> {
        let connection = Arc::new(session.inner.engine.connect()?);
        match connection.begin() {
            Ok(transaction) => transaction.detach(),
            Err(e) => {
                // Never associated with the session: close it now.
                connection.close();
                return Err(e.into());
            }
        }
        Ok(connection)
    }

    fn binding(&self) -> Option<(Arc<Connection>, Option<Arc<Savepoint>>)> {
        let st = lock(&self.inner.state);
        st.binding
            .as_ref()
            .map(|b| (Arc::clone(&b.connection), b.savepoint.clone()))
    }

    /// `before_commit`, then the commit of the transactions opened inside this one, then
    /// the flush loop (flush until clean, at most 100 times, as `before_flush` listeners may
    /// keep adding): SQLAlchemy's `_prepare_impl`.
    fn prepare(&self, session: &Session) -> Result<(), SessionError> {
        fire::before_commit(session)?;
        if let Some(current) = session.current_transaction()
            && current != *self
        {
            for inner in current.up_to(self) {
                inner.commit_impl(session, false)?;
            }
        }
        if !session.is_flushing() {
            for _ in 0..100 {
                if session.is_clean() {
                    break;
                }
                session.flush()?;
            }
        }
        self.set_state(TransactionState::Prepared);
        Ok(())
    }

    pub(crate) fn commit_impl(&self, session: &Session, to_root: bool) -> Result<(), SessionError> {
        let state = self.state();
        state.check(&[TransactionState::Active, TransactionState::Prepared])?;
        let guard = self.begin_change("commit")?;
        if state != TransactionState::Prepared {
            self.prepare(session)?;
        }
        if let Some((conn, savepoint)) = self.binding() {
            match savepoint {
                Some(savepoint) => savepoint.release(&conn)?,
                None => conn.commit()?,
            }
        }
        self.set_state(TransactionState::Committed);
        fire::after_commit(session);
        session.remove_snapshot(self.nested());
        let closed = self.close_impl(session);
        drop(guard);
        closed?;
        match (to_root, self.parent()) {
            (true, Some(parent)) => parent.commit_impl(session, true),
            _ => Ok(()),
        }
    }

    pub(crate) fn rollback_impl(
        &self,
        session: &Session,
        to_root: bool,
    ) -> Result<(), SessionError> {
        let state = self.state();
        state.check(&[
            TransactionState::Active,
            TransactionState::Deactive,
            TransactionState::Prepared,
        ])?;
        let guard = self.begin_change("rollback")?;
        if let Some(current) = session.current_transaction()
            && current != *self
        {
            for inner in current.up_to(self) {
                inner.close_impl(session)?;
            }
        }
        // Every transaction is a boundary (root or SAVEPOINT): the flush runs in the current
        // transaction, with no subtransaction of its own.
        let mut rollback_err = None;
        if matches!(state, TransactionState::Active | TransactionState::Prepared) {
            rollback_err = self.rollback_connection().err();
            self.set_state(TransactionState::Deactive);
            if rollback_err.is_none() {
                fire::after_rollback(session);
            }
            session.restore_snapshot(self.nested());
        }
        let closed = self.close_impl(session);
        drop(guard);
        if let Some(e) = rollback_err {
            return Err(e);
        }
        closed?;
        fire::after_soft_rollback(session, self);
        match (to_root, self.parent()) {
            (true, Some(parent)) => parent.rollback_impl(session, true),
            _ => Ok(()),
        }
    }

    /// A flush failed in this transaction: its database work is rolled back
    /// (`after_rollback`, the objects restored), and it stays inactive until
    /// [`Session::rollback`] ends it, as SQLAlchemy's flush subtransaction leaves its
    /// boundary. A rollback error is dropped: the flush's error is the one reported.
    pub(crate) fn fail_flush(&self, session: &Session) {
        if !matches!(self.state(), TransactionState::Active) {
            return;
        }
        let rolled_back = self.rollback_connection().is_ok();
        self.set_state(TransactionState::Deactive);
        if rolled_back {
            fire::after_rollback(session);
        }
        session.restore_snapshot(self.nested());
    }

    /// The database rollback of this transaction, if it began on a connection.
    fn rollback_connection(&self) -> Result<(), SessionError> {
        match self.binding() {
            Some((conn, Some(savepoint))) if savepoint.is_active(&conn) => {
                Ok(savepoint.rollback(&conn)?)
            }
            Some((conn, None)) => Ok(conn.rollback()?),
            _ => Ok(()),
        }
    }

    /// Ends the transaction: the session's current transaction becomes the parent, a
    /// savepoint still open is rolled back, the root's connection is closed (rolling back
    /// what is left, returning it to the pool), then `after_transaction_end`.
    pub(crate) fn close_impl(&self, session: &Session) -> Result<(), SessionError> {
        {
            let mut st = lock(&session.inner.state);
            if self.nested() {
                st.nested.clone_from(&self.inner.previous_nested);
            }
            st.transaction.clone_from(&self.inner.parent);
        }
        if self.nested() {
            session.pop_snapshot_mark();
        }
        let binding = lock(&self.inner.state).binding.take();
        let mut outcome = Ok(());
        if let Some(binding) = binding {
            match binding.savepoint {
                Some(savepoint) if savepoint.is_active(&binding.connection) => {
                    outcome = savepoint.rollback(&binding.connection).map_err(Into::into);
                }
                Some(_) => {}
                None => binding.connection.close(),
            }
        }
        self.set_state(TransactionState::Closed);
        fire::after_transaction_end(session, self);
        outcome
    }
}

/// Ends the provisioning state when `connection_for` returns, on every path.
struct Provisioning<'a> {
    tx: &'a SessionTransaction,
}

impl Drop for Provisioning<'_> {
    fn drop(&mut self) {
        self.tx.set_state(TransactionState::Active);
    }
}

/// Clears the running state change when the method returns, on every path.
struct ChangeGuard<'a> {
    tx: &'a SessionTransaction,
}

impl Drop for ChangeGuard<'_> {
    fn drop(&mut self) {
        lock(&self.tx.inner.state).in_progress = None;
    }
}

impl PartialEq for SessionTransaction {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for SessionTransaction {}

impl fmt::Debug for SessionTransaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionTransaction")
            .field("origin", &self.inner.origin)
            .field("state", &self.state())
            .field("root", &self.inner.parent.is_none())
            .finish_non_exhaustive()
    }
}
