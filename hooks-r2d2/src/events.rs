//! [`R2d2PoolEvents`] and its target, [`R2d2Pool`].

use std::any::Any;
use std::error::Error as StdError;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::DisconnectionError;
use crate::record::ConnectionRecord;

static NEXT_POOL_ID: AtomicU64 = AtomicU64::new(1);

/// SQLAlchemy's pool events, fired by an r2d2 pool whose manager is a
/// [`HooksManager`](crate::HooksManager).
///
/// `connection` is the manager's own connection type, erased: a listener
/// gets it back with `connection.downcast_mut::<rusqlite::Connection>()`
/// (or the connection type of the manager it wraps). `connection_record` is
/// the adapter's bookkeeping for that connection.
///
/// A connection's life, as the events see it: `first_connect` (the pool's
/// first connection only), `connect`, then for every use `checkout` …
/// `reset`, `checkin`; on the way out `invalidate` (when it is discarded as
/// unusable) and `close`.
#[hooks::events]
pub trait R2d2PoolEvents {
    /// The pool opened a new connection.
    ///
    /// Fires once per connection, on r2d2's connection thread, right after
    /// the wrapped manager's `connect` and before r2d2's own
    /// `CustomizeConnection::on_acquire`; after `first_connect` when it is
    /// the pool's first. `Err` refuses the connection: it is closed (`close`
    /// fires), r2d2 reports the error to its error handler and tries again
    /// later, as it does when the database cannot be reached.
    #[event(fallible)]
    fn connect(
        connection: &mut dyn Any,
        connection_record: &ConnectionRecord,
    ) -> Result<(), DisconnectionError>;

    /// The pool opened its first connection.
    ///
    /// Exactly once per pool (per [`HooksManager`](crate::HooksManager)),
    /// before `connect` for that connection: r2d2 opens connections on
    /// several threads at once, and the others wait until the first run
    /// finished. A run that fails (`Err` or a panic) does not count; the
    /// next new connection runs it again. `Err` refuses the connection as
    /// `connect` does.
    #[event(exec_once(unless_error), fallible)]
    fn first_connect(
        connection: &mut dyn Any,
        connection_record: &ConnectionRecord,
    ) -> Result<(), DisconnectionError>;

    /// A connection is about to be handed out.
    ///
    /// Fires for every checkout, of a new or an idle connection, after the
    /// wrapped manager's `is_valid` accepted it. `Err` says the connection is
    /// unusable: `invalidate` and `close` fire, r2d2 discards it and hands
    /// out another (an idle one or a new one), firing `checkout` again, until
    /// the pool's connection timeout. A refusal stops the other listeners of
    /// that attempt.
    ///
    /// Needs r2d2's `test_on_check_out` (its default): without it r2d2 never
    /// shows the manager a connection at checkout.
    #[event(fallible)]
    fn checkout(
        connection: &mut dyn Any,
        connection_record: &ConnectionRecord,
    ) -> Result<(), DisconnectionError>;

    /// A checked-out connection came back to the pool.
    ///
    /// Fires after `reset`, with the connection shared (a checkin observes;
    /// `reset` is the place to change it). `connection` is `None` when the connection is
    /// being discarded rather than kept: it was invalidated while checked
    /// out, the wrapped manager's `has_broken` said so, or `reset` refused
    /// it; its `close` follows.
    fn checkin(connection: Option<&dyn Any>, connection_record: &ConnectionRecord);

    /// A returned connection is to be reset before it goes back to the idle
    /// set.
    ///
    /// r2d2 resets nothing itself (a connection returned inside a
    /// transaction comes back in it), so this is the place to roll back.
    /// `Err` declares the connection broken: `invalidate` fires with the
    /// error, then `checkin` with no connection, and r2d2 discards it
    /// (`close`). Not fired for a connection already invalidated or broken.
    #[event(fallible)]
    fn reset(
        connection: &mut dyn Any,
        connection_record: &ConnectionRecord,
    ) -> Result<(), DisconnectionError>;

    /// A connection is being discarded as unusable.
    ///
    /// `exception` is why: a `checkout` or `reset` refusal, the error of the
    /// wrapped manager's `is_valid`, or the error given to
    /// [`Tracked::invalidate`](crate::Tracked::invalidate); `None` when the
    /// wrapped manager's `has_broken` said so (it gives no reason). The
    /// connection is still open while listeners run; `close` follows once
    /// r2d2 drops it.
    fn invalidate(
        connection: &mut dyn Any,
        connection_record: &ConnectionRecord,
        exception: Option<&dyn StdError>,
    );

    /// A connection is about to be closed.
    ///
    /// Fires when the connection is dropped, whatever the reason: discarded
    /// (after `invalidate`), past r2d2's `max_lifetime` or `idle_timeout`,
    /// refused by `connect`, or because the pool itself was dropped. The
    /// connection is still open while listeners run.
    fn close(connection: &mut dyn Any, connection_record: &ConnectionRecord);
}

/// One r2d2 pool as an event target: listen on the type for every pool, or
/// on the value a [`HooksManager`](crate::HooksManager) gives out
/// ([`HooksManager::events`](crate::HooksManager::events)) for that pool only.
#[hooks::target(R2d2PoolEvents(events = events))]
pub struct R2d2Pool {
    events: hooks::Events<dyn R2d2PoolEvents>,
    id: u64,
}

impl R2d2Pool {
    pub(crate) fn new() -> Self {
        R2d2Pool {
            events: hooks::Events::new(),
            id: NEXT_POOL_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// A process-unique number identifying this pool.
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl fmt::Debug for R2d2Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("R2d2Pool")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}
