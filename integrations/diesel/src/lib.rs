//! SQLAlchemy's connection events, fired by [diesel](https://diesel.rs)
//! through its `Instrumentation`; with the `r2d2` feature, the pool events of
//! [`hooks_r2d2`] on diesel's r2d2 pools.
//!
//! Install [`HooksInstrumentation`] as diesel's default (or on one
//! connection with `set_instrumentation`) and listen on the
//! [`DieselConnection`] type (every instrumented connection) or on one
//! connection's target ([`target_of`]):
//!
//! ```
//! use diesel::prelude::*;
//! use hooks_diesel::{DieselConnection, diesel_connection_events, target_of};
//!
//! #[hooks::listens_for(DieselConnection, "before_cursor_execute")]
//! fn log_sql(_: &DieselConnection, statement: &str, parameters: &str) {
//!     println!("{statement} -- {parameters}");
//! }
//!
//! hooks_diesel::install_default()?; // every new connection fires
//! let mut conn = SqliteConnection::establish(":memory:")?;
//! let commits = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
//! let seen = std::sync::Arc::clone(&commits);
//! diesel_connection_events::commit.listen(&*target_of(&mut conn).unwrap(), move |_| {
//!     seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
//! })?;
//! conn.transaction(|c| diesel::sql_query("CREATE TABLE t (x)").execute(c))?;
//! assert_eq!(commits.load(std::sync::atomic::Ordering::Relaxed), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The `count_queries` example counts and logs an app's queries with a
//! listener of one line (`cargo run --example count_queries`).
//!
//! # What diesel can and cannot fire
//!
//! diesel's `Instrumentation` reports, for each connection, the connection
//! being established, each query before and after it runs, and the
//! transaction depth as it changes. It returns nothing, so every event here
//! observes only: no `retval`, no rewriting a statement, no replacing an
//! error. Its events carry no connection, only text, so the arguments are
//! the connection's [`DieselConnection`] target, the SQL and diesel's text of
//! its bind values.
//!
//! | SQLAlchemy event | fired | from, and how it differs |
//! |---|---|---|
//! | `do_connect` (dialect) | yes | `StartEstablishConnection`: the URL only, cannot supply the connection; only with [`install_default`] (a connection instrumented later is already open) |
//! | `connect` (pool) | yes | `FinishEstablishConnection` without error; no connection object to configure; same caveat |
//! | `before_execute`, `after_execute` | no | diesel has one query level; its queries fire the cursor-level events |
//! | `before_cursor_execute` | yes | `StartQuery`: statement and bind text, observe-only (SQLAlchemy's `retval` rewrite is impossible: diesel hands out `&dyn Display`) |
//! | `after_cursor_execute` | yes | `FinishQuery` without error; no cursor, no row count |
//! | `handle_error` | yes | `FinishQuery` or `FinishEstablishConnection` with an error, as `&dyn Error` (downcast to diesel's); cannot replace it or mark a disconnect |
//! | `dbapi_error` | no | deprecated in SQLAlchemy; `handle_error` covers it |
//! | `begin`, `commit`, `rollback` | yes | `Begin/Commit/RollbackTransaction` at depth 1, before diesel's `BEGIN`/`COMMIT`/`ROLLBACK` (which then fire the cursor events too) |
//! | `savepoint`, `release_savepoint`, `rollback_savepoint` | yes | the same at depth ≥ 2; the depth instead of the name (the SQL shows diesel's name) |
//! | `begin_twophase` … `rollback_twophase` | no | SQLite has no two-phase commit, diesel no API for it |
//! | `engine_connect`, `engine_disposed`, `set_connection_execution_options`, `set_engine_execution_options` | no | diesel has no engine and no execution options |
//! | pool events | with `r2d2` | wrap diesel's `r2d2::ConnectionManager` in [`hooks_r2d2::HooksManager`]: see below |
//!
//! diesel's `CacheQuery` (a statement entered the prepared-statement cache)
//! has no SQLAlchemy counterpart and fires nothing. diesel's event enum is
//! `#[non_exhaustive]`: a kind added by a later diesel fires nothing until
//! this crate maps it.
//!
//! # Pools (feature `r2d2`)
//!
//! ```ignore
//! let manager = hooks_r2d2::HooksManager::new(diesel::r2d2::ConnectionManager::<SqliteConnection>::new(url));
//! let pool = diesel::r2d2::Pool::builder().build(manager)?;
//! let mut pooled = pool.get()?;
//! let conn: &mut SqliteConnection = &mut pooled; // two derefs: r2d2's, then the adapter's
//! ```
//!
//! Every event of [`hooks_r2d2`]'s table fires; a listener downcasts the
//! connection to `SqliteConnection` (and may take [`target_of`] it, to
//! listen on that connection's queries). diesel's manager pings with
//! `SELECT 1` before `checkout`, and its `has_broken` calls a connection
//! returned inside a transaction broken: it fires `invalidate` and is
//! discarded, not `reset`. `diesel::Connection` is implemented for r2d2's
//! `PooledConnection` of diesel's own manager only, so name the connection
//! through the two derefs as above.
#![forbid(unsafe_code)]

mod events;
mod instrumentation;

use std::sync::Arc;

pub use events::{DieselConnection, DieselConnectionEvents, diesel_connection_events};
#[cfg(feature = "r2d2")]
pub use hooks_r2d2;
pub use instrumentation::HooksInstrumentation;

/// Makes every connection diesel opens from now on fire
/// [`DieselConnectionEvents`], each on a target of its own, from the moment
/// it starts connecting (`do_connect`, `connect`).
///
/// This replaces diesel's default instrumentation for the whole process.
///
/// # Errors
///
/// diesel's error if its default-instrumentation lock was poisoned.
pub fn install_default() -> diesel::QueryResult<()> {
    diesel::connection::set_default_instrumentation(|| Some(Box::new(HooksInstrumentation::new())))
}

/// The event target of `conn`, if its instrumentation is a
/// [`HooksInstrumentation`].
pub fn target_of<C: diesel::Connection>(conn: &mut C) -> Option<Arc<DieselConnection>> {
    conn.instrumentation()
        .downcast_ref::<HooksInstrumentation>()
        .map(HooksInstrumentation::target)
}
