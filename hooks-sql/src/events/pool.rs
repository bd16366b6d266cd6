//! [`PoolEvents`]: the connection pool's life cycle.

use crate::dbapi::DbapiConnection;
use crate::error::{DisconnectionError, Error};
use crate::pool::{ConnectionRecord, PoolProxiedConnection, PoolResetState};

/// The events of a connection [`Pool`](crate::Pool).
///
/// Listen on a [`Pool`](crate::Pool) instance, on an
/// [`Engine`](crate::Engine) (which means its current pool; the listeners
/// move to the new pool when [`Engine::dispose`](crate::Engine::dispose)
/// replaces it), or on the `Pool` or `Engine` type (every pool of the
/// process).
///
/// A DBAPI connection's life, as the events see it: `first_connect` (the
/// pool's very first connection only), `connect`, then for every use
/// `checkout` … `reset`, `checkin`; on the way out `invalidate` or
/// `soft_invalidate`, `close`, or `detach` … `close_detached`.
#[hooks::events(targets(Pool, Engine))]
pub trait PoolEvents {
    /// The pool opened a new DBAPI connection (not when it hands out one it
    /// already had).
    ///
    /// Fires once per DBAPI connection, right after it was opened and before
    /// its first `checkout`, after `first_connect` when it is the pool's
    /// first. `connection_record` is the pool's record for it: its
    /// [`info`](ConnectionRecord::info) map is the place to keep per-connection
    /// state. A typical listener sets per-connection SQLite settings
    /// (`PRAGMA foreign_keys = ON`, custom functions) on `dbapi_connection`.
    ///
    /// Returning `Err` (a `PRAGMA` that failed, say) aborts the checkout:
    /// the remaining listeners do not run, the pool fires `close` and closes
    /// the new connection, frees its slot, and the checkout returns that
    /// error unchanged (a [`Error::Dbapi`] one after `handle_error` saw it,
    /// as any connect error). A panicking listener does the same and the
    /// panic unwinds to the caller. The next checkout opens a new connection
    /// and runs `connect` again. (SQLAlchemy leaves the failed connection to
    /// the garbage collector; here it is closed at once, so a lock or a file
    /// it took is released before the caller sees the error.)
    #[event(fallible)]
    fn connect(
        dbapi_connection: &DbapiConnection,
        connection_record: &ConnectionRecord,
    ) -> Result<(), Error>;

    /// The pool opened its first DBAPI connection.
    ///
    /// Exactly once per pool object, before any `connect` listener runs for
    /// that connection: threads that open connections concurrently wait
    /// until the first run finished. A listener returning `Err` or panicking
    /// aborts the checkout as a failing `connect` does (no `connect` runs
    /// for that connection, which is closed), and the run counts as not
    /// done: the next new connection runs `first_connect` again. A pool
    /// recreated by [`Pool::recreate`](crate::Pool::recreate) or
    /// [`Engine::dispose`](crate::Engine::dispose) fires it again.
    #[event(fallible, exec_once(unless_error))]
    fn first_connect(
        dbapi_connection: &DbapiConnection,
        connection_record: &ConnectionRecord,
    ) -> Result<(), Error>;

    /// A connection is being handed out by the pool.
    ///
    /// Fires for every checkout, new or reused connection alike, with the
    /// proxy the caller will receive. Returning `Err(DisconnectionError)`
    /// says the connection is unusable (a failed ping): the pool invalidates
    /// it (fires `invalidate`, `close`), opens a new one and fires `checkout`
    /// again, up to [`CHECKOUT_ATTEMPTS`](crate::CHECKOUT_ATTEMPTS) attempts,
    /// after which the checkout fails with
    /// [`Error::CheckoutFailed`](crate::Error::CheckoutFailed). With
    /// [`DisconnectionError::with_invalidate_pool`] every connection of the
    /// pool is replaced, not only this one. A refusal stops the other
    /// listeners of that attempt.
    #[event(fallible)]
    fn checkout(
        dbapi_connection: &DbapiConnection,
        connection_record: &ConnectionRecord,
        connection_proxy: &PoolProxiedConnection,
    ) -> Result<(), DisconnectionError>;

    /// A checkout was returned to the pool.
    ///
    /// Fires after `reset`. `dbapi_connection` is `None` when the connection
    /// was invalidated while checked out (the record stays in the pool and
    /// reconnects at its next checkout). Detached connections never come
    /// back, so they do not fire it.
    fn checkin(dbapi_connection: Option<&DbapiConnection>, connection_record: &ConnectionRecord);

    /// A returned connection is about to be reset (rolled back).
    ///
    /// Fires before `checkin`, and also for a detached connection being
    /// closed (then `connection_record` is `None` and
    /// [`terminate_only`](PoolResetState::terminate_only) is set); never for
    /// an invalidated one. When the [`Connection`](crate::Connection)
    /// already rolled its transaction back,
    /// [`transaction_was_reset`](PoolResetState::transaction_was_reset) is
    /// set and the pool skips its own rollback.
    fn reset(
        dbapi_connection: &DbapiConnection,
        connection_record: Option<&ConnectionRecord>,
        reset_state: PoolResetState,
    );

    /// A connection is invalidated for good ("hard" invalidation).
    ///
    /// Fires before the DBAPI connection is closed (a `close` follows).
    /// `exception` is the error that caused it, when there is one: a
    /// `checkout` refusal, a disconnect found by `handle_error`, or `None`
    /// for an explicit [`Connection::invalidate`](crate::Connection::invalidate)
    /// without error.
    fn invalidate(
        dbapi_connection: &DbapiConnection,
        connection_record: &ConnectionRecord,
        exception: Option<&Error>,
    );

    /// A connection is marked to be replaced at its next checkout, without
    /// closing it now ("soft" invalidation): whoever holds it may finish
    /// their work.
    fn soft_invalidate(
        dbapi_connection: &DbapiConnection,
        connection_record: &ConnectionRecord,
        exception: Option<&Error>,
    );

    /// A pooled DBAPI connection is about to be closed.
    ///
    /// Fires for [`Pool::dispose`](crate::Pool::dispose), after `invalidate`,
    /// for a connection past its recycle age or made stale by a pool-wide
    /// invalidation (at its next checkout), and for a surplus connection
    /// returned to a full queue. The connection is still open while
    /// listeners run.
    fn close(dbapi_connection: &DbapiConnection, connection_record: &ConnectionRecord);

    /// A checked-out connection was detached from its record
    /// ([`PoolProxiedConnection::detach`]): the pool forgets it, the record
    /// opens a new connection next time, and the caller owns the DBAPI
    /// connection until it closes the proxy.
    fn detach(dbapi_connection: &DbapiConnection, connection_record: &ConnectionRecord);

    /// A detached DBAPI connection is about to be closed (after its
    /// `reset`).
    fn close_detached(dbapi_connection: &DbapiConnection);
}
