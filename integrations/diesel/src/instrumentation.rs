//! [`HooksInstrumentation`]: diesel's `Instrumentation`, translated into
//! [`DieselConnectionEvents`].

use std::sync::Arc;

use diesel::connection::{DebugQuery, Instrumentation, InstrumentationEvent};
use hooks::HasEvents;

use crate::events::diesel_connection_events::{after_cursor_execute, before_cursor_execute};
use crate::events::{DieselConnection, DieselConnectionEvents, diesel_connection_events};

/// diesel's `Instrumentation`, firing [`DieselConnectionEvents`] on its
/// [`DieselConnection`] target.
///
/// Give one to a connection with `conn.set_instrumentation(…)`, or to
/// every new connection with [`install_default`](crate::install_default).
pub struct HooksInstrumentation {
    target: Arc<DieselConnection>,
}

impl HooksInstrumentation {
    /// An instrumentation with a new target.
    pub fn new() -> Self {
        HooksInstrumentation {
            target: Arc::new(DieselConnection::new()),
        }
    }

    /// The event target of the connection this instruments.
    pub fn target(&self) -> Arc<DieselConnection> {
        Arc::clone(&self.target)
    }
}

impl Default for HooksInstrumentation {
    fn default() -> Self {
        HooksInstrumentation::new()
    }
}

impl std::fmt::Debug for HooksInstrumentation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HooksInstrumentation")
            .field("target", &self.target)
            .finish()
    }
}

impl Instrumentation for HooksInstrumentation {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        fire(&self.target, &event);
    }
}

/// One diesel event, fired as its SQLAlchemy counterpart. diesel's enum is
/// `#[non_exhaustive]`: a variant added later fires nothing until mapped.
fn fire(conn: &DieselConnection, event: &InstrumentationEvent<'_>) {
    let events = HasEvents::<dyn DieselConnectionEvents>::dispatch(conn);
    match *event {
        InstrumentationEvent::StartEstablishConnection { url, .. } => events.do_connect(conn, url),
        InstrumentationEvent::FinishEstablishConnection { url, error, .. } => match error {
            None => events.connect(conn, url),
            Some(error) => events.handle_error(conn, None, error),
        },
        InstrumentationEvent::StartQuery { query, .. } if has::<before_cursor_execute>(&events) => {
            with_sql(query, |sql, binds| {
                events.before_cursor_execute(conn, sql, binds);
            });
        }
        InstrumentationEvent::FinishQuery {
            query, error: None, ..
        } if has::<after_cursor_execute>(&events) => {
            with_sql(query, |sql, binds| {
                events.after_cursor_execute(conn, sql, binds);
            });
        }
        InstrumentationEvent::FinishQuery {
            query,
            error: Some(error),
            ..
        } => {
            with_sql(query, |sql, _| events.handle_error(conn, Some(sql), error));
        }
        InstrumentationEvent::BeginTransaction { depth, .. } => match depth.get() {
            1 => events.begin(conn),
            depth => events.savepoint(conn, depth),
        },
        InstrumentationEvent::CommitTransaction { depth, .. } => match depth.get() {
            1 => events.commit(conn),
            depth => events.release_savepoint(conn, depth),
        },
        InstrumentationEvent::RollbackTransaction { depth, .. } => match depth.get() {
            1 => events.rollback(conn),
            depth => events.rollback_savepoint(conn, depth),
        },
        // Queries nobody listens to, and the prepared-statement cache, which
        // has no SQLAlchemy event.
        _ => {}
    }
}

/// Whether `E` has listeners: formatting a query is skipped when not.
fn has<E: hooks::Event<Family = dyn DieselConnectionEvents>>(
    events: &diesel_connection_events::Dispatcher<'_>,
) -> bool {
    events.raw().has_listeners::<E>()
}

/// Calls `f` with the statement and its bind values. diesel shows a query
/// only as text, `SQL -- binds: [..]`, and a plain statement (`BEGIN`) as
/// its SQL alone; formatting it costs an allocation, so it is done only for
/// an event with listeners.
fn with_sql(query: &dyn DebugQuery, f: impl FnOnce(&str, &str)) {
    let text = query.to_string();
    let (sql, binds) = text.rsplit_once(" -- binds: ").unwrap_or((&text, "[]"));
    f(sql, binds);
}
