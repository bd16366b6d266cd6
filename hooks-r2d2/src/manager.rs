//! [`HooksManager`]: the wrapping `ManageConnection`, and [`Tracked`], the
//! connection it hands to r2d2.

use std::any::Any;
use std::error::Error as StdError;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use hooks::HasEvents;

use crate::error::{DisconnectionError, Error};
use crate::events::{R2d2Pool, R2d2PoolEvents, r2d2_pool_events};
use crate::record::ConnectionRecord;

/// Wraps any r2d2 [`ManageConnection`](r2d2::ManageConnection) so that the
/// pool built on it fires [`R2d2PoolEvents`].
///
/// Each `HooksManager` is one [`R2d2Pool`] target: build one pool from it,
/// and take [`HooksManager::events`] first to listen on that pool alone.
pub struct HooksManager<M> {
    inner: M,
    pool: Arc<R2d2Pool>,
}

impl<M> HooksManager<M> {
    /// Wraps `inner`, as a new event target.
    pub fn new(inner: M) -> Self {
        HooksManager {
            inner,
            pool: Arc::new(R2d2Pool::new()),
        }
    }

    /// The event target of the pool built on this manager.
    pub fn events(&self) -> Arc<R2d2Pool> {
        Arc::clone(&self.pool)
    }

    /// The wrapped manager.
    pub fn inner(&self) -> &M {
        &self.inner
    }
}

impl<M: fmt::Debug> fmt::Debug for HooksManager<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HooksManager")
            .field("inner", &self.inner)
            .field("pool", &self.pool)
            .finish()
    }
}

impl<M: r2d2::ManageConnection> r2d2::ManageConnection for HooksManager<M> {
    type Connection = Tracked<M::Connection>;
    type Error = Error<M::Error>;

    /// The wrapped `connect`, then `first_connect` and `connect`.
    fn connect(&self) -> Result<Self::Connection, Self::Error> {
        let conn = self.inner.connect().map_err(Error::Manager)?;
        let mut tracked = Tracked::new(conn, Arc::clone(&self.pool));
        tracked.fire_connect().map_err(Error::Refused)?;
        Ok(tracked)
    }

    /// The wrapped `is_valid` (the ping), then `checkout`; a failure of
    /// either invalidates the connection.
    fn is_valid(&self, conn: &mut Self::Connection) -> Result<(), Self::Error> {
        if let Err(e) = self.inner.is_valid(&mut conn.conn) {
            conn.invalidate(Some(&e));
            return Err(Error::Manager(e));
        }
        conn.fire_checkout().map_err(Error::Refused)
    }

    /// The checkin: `reset` and `checkin`, or the discarding of a
    /// connection that is invalidated, broken or refused by `reset`.
    fn has_broken(&self, conn: &mut Self::Connection) -> bool {
        if conn.record.is_invalidated() {
            conn.fire_checkin(false);
            return true;
        }
        if self.inner.has_broken(&mut conn.conn) {
            conn.invalidate(None);
            conn.fire_checkin(false);
            return true;
        }
        let kept = conn.fire_reset();
        conn.fire_checkin(kept);
        !kept
    }
}

/// A pooled connection with its [`ConnectionRecord`]; derefs to the wrapped
/// manager's connection, so `pool.get()?.execute(…)` works as before.
///
/// Dropping it (r2d2 does, when it discards a connection or is dropped)
/// fires `close`. A `close` listener must not panic while a panic is
/// already unwinding through the drop: that aborts the process, as any
/// panicking destructor does.
pub struct Tracked<C: 'static> {
    conn: C,
    record: ConnectionRecord,
    pool: Arc<R2d2Pool>,
}

impl<C: 'static> Tracked<C> {
    fn new(conn: C, pool: Arc<R2d2Pool>) -> Self {
        Tracked {
            conn,
            record: ConnectionRecord::new(),
            pool,
        }
    }

    /// The adapter's record of this connection.
    pub fn record(&self) -> &ConnectionRecord {
        &self.record
    }

    /// Invalidates the connection: fires `invalidate` now, with `error` as
    /// the reason, and r2d2 discards the connection when it comes back
    /// (`checkin` with no connection, then `close`). Invalidating twice
    /// fires once.
    pub fn invalidate(&mut self, error: Option<&dyn StdError>) {
        if self.record.mark_invalidated() {
            dispatch(&self.pool).invalidate(&mut self.conn, &self.record, error);
        }
    }

    fn fire_connect(&mut self) -> Result<(), DisconnectionError> {
        let events = dispatch(&self.pool);
        events.first_connect(&mut self.conn, &self.record)?;
        events.connect(&mut self.conn, &self.record)
    }

    fn fire_checkout(&mut self) -> Result<(), DisconnectionError> {
        let refused = dispatch(&self.pool).checkout(&mut self.conn, &self.record);
        if let Err(e) = &refused {
            self.invalidate(Some(e));
        }
        refused
    }

    /// `reset`; whether the connection may be kept.
    fn fire_reset(&mut self) -> bool {
        match dispatch(&self.pool).reset(&mut self.conn, &self.record) {
            Ok(()) => true,
            Err(e) => {
                self.invalidate(Some(&e));
                false
            }
        }
    }

    fn fire_checkin(&mut self, kept: bool) {
        let conn = kept.then_some(&self.conn as &dyn Any);
        dispatch(&self.pool).checkin(conn, &self.record);
    }
}

fn dispatch(pool: &R2d2Pool) -> r2d2_pool_events::Dispatcher<'_> {
    HasEvents::<dyn R2d2PoolEvents>::dispatch(pool)
}

impl<C: 'static> Drop for Tracked<C> {
    fn drop(&mut self) {
        dispatch(&self.pool).close(&mut self.conn, &self.record);
    }
}

impl<C: 'static> Deref for Tracked<C> {
    type Target = C;

    fn deref(&self) -> &C {
        &self.conn
    }
}

impl<C: 'static> DerefMut for Tracked<C> {
    fn deref_mut(&mut self) -> &mut C {
        &mut self.conn
    }
}

impl<C: fmt::Debug + 'static> fmt::Debug for Tracked<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracked")
            .field("conn", &self.conn)
            .field("record", &self.record)
            .finish_non_exhaustive()
    }
}
