//! [`DieselConnectionEvents`] and its target, [`DieselConnection`].

use std::error::Error as StdError;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_CONNECTION_ID: AtomicU64 = AtomicU64::new(1);

/// SQLAlchemy's connection events, fired by a diesel connection that uses a
/// [`HooksInstrumentation`](crate::HooksInstrumentation).
///
/// Every event is observe-only: diesel's `Instrumentation` returns nothing,
/// so a listener can neither rewrite a statement nor replace an error.
/// `statement` is the SQL diesel runs, `parameters` the text diesel gives
/// for its bind values (`[]` when there are none).
#[hooks::events]
pub trait DieselConnectionEvents {
    /// diesel is about to open the connection to `url` (SQLAlchemy's
    /// `DialectEvents.do_connect`, which could also supply the connection;
    /// here it only observes).
    ///
    /// Fires only for connections that got a `HooksInstrumentation` as
    /// diesel's default ([`install_default`](crate::install_default)): one
    /// set afterwards comes too late to see the connection being made.
    fn do_connect(conn: &DieselConnection, url: &str);

    /// The connection to `url` is open (SQLAlchemy's `PoolEvents.connect`;
    /// diesel gives no connection object to configure). A failed attempt
    /// fires `handle_error` instead. Same caveat as `do_connect`.
    fn connect(conn: &DieselConnection, url: &str);

    /// diesel is about to run `statement`, with `parameters` bound.
    ///
    /// Also fires for the `BEGIN`, `COMMIT`, `SAVEPOINT` … statements of
    /// diesel's transactions, which diesel runs as queries.
    fn before_cursor_execute(conn: &DieselConnection, statement: &str, parameters: &str);

    /// `statement` ran without error.
    fn after_cursor_execute(conn: &DieselConnection, statement: &str, parameters: &str);

    /// A query or the connection attempt failed. `statement` is `None` for
    /// a connection attempt; `exception` is diesel's error
    /// (`diesel::result::Error` or `diesel::ConnectionError`: downcast it).
    fn handle_error(
        conn: &DieselConnection,
        statement: Option<&str>,
        exception: &(dyn StdError + 'static),
    );

    /// The outermost transaction is about to begin (before diesel's `BEGIN`).
    fn begin(conn: &DieselConnection);

    /// The outermost transaction is about to commit (before `COMMIT`).
    fn commit(conn: &DieselConnection);

    /// The outermost transaction is about to roll back (before `ROLLBACK`).
    fn rollback(conn: &DieselConnection);

    /// A nested transaction is about to begin, as a savepoint. `depth` is
    /// the transaction depth it opens (2 for the first savepoint); diesel
    /// gives no name (the SQL that follows shows it).
    fn savepoint(conn: &DieselConnection, depth: u32);

    /// The savepoint at `depth` is about to be released (its nested
    /// transaction commits).
    fn release_savepoint(conn: &DieselConnection, depth: u32);

    /// The connection is about to roll back to the savepoint at `depth`.
    fn rollback_savepoint(conn: &DieselConnection, depth: u32);
}

/// One diesel connection as an event target: listen on the type for every
/// instrumented connection, or on the value of one connection
/// ([`HooksInstrumentation::target`](crate::HooksInstrumentation::target),
/// [`target_of`](crate::target_of)).
#[hooks::target(DieselConnectionEvents(events = events))]
pub struct DieselConnection {
    events: hooks::Events<dyn DieselConnectionEvents>,
    id: u64,
}

impl DieselConnection {
    pub(crate) fn new() -> Self {
        DieselConnection {
            events: hooks::Events::new(),
            id: NEXT_CONNECTION_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// A process-unique number identifying this connection.
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl fmt::Debug for DieselConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DieselConnection")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}
