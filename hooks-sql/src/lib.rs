//! A SQLAlchemy-Core-shaped database layer on embedded SQLite: the reference
//! host of the `hooks` event framework, firing SQLAlchemy Core's whole event
//! catalog for real.
//!
//! The pieces follow SQLAlchemy's names and behaviour:
//!
//! - [`create_engine`] makes an [`Engine`]: a [`Dialect`] plus a [`Pool`].
//! - [`Engine::connect`] gives a [`Connection`], which autobegins
//!   transactions like SQLAlchemy 2.0, supports explicit [`Transaction`]s and
//!   savepoints ([`NestedTransaction`]), and executes [`Statement`]s or raw
//!   SQL.
//! - The pool hands out [`PoolProxiedConnection`]s over
//!   [`DbapiConnection`]s (thin wrappers around `rusqlite::Connection`), each
//!   tracked by a [`ConnectionRecord`].
//! - [`schema`] has [`MetaData`], [`Table`], [`Column`], constraints, DDL and
//!   reflection.
//!
//! # The event catalog
//!
//! Four families, each page listing its events with their signatures,
//! contracts and what listeners may do ([`events`] has the overview):
//!
//! | family | fires where | targets |
//! |---|---|---|
//! | [`PoolEvents`] (10) | the pool: `connect`, `first_connect`, `checkout`, `checkin`, `reset`, `invalidate`, `soft_invalidate`, `close`, `detach`, `close_detached` | [`Pool`]; [`Engine`] (its current pool; the `Engine` type = every pool) |
//! | [`ConnectionEvents`] (20) | connections and engines: execution (`before_execute` … `after_cursor_execute`), transactions, savepoints, two-phase, `engine_connect`, `engine_disposed`, execution options, `handle_error`, `dbapi_error` | [`Connection`], [`Engine`] (a connection runs its own listeners, then its engine's, then the parent engine's of an option engine) |
//! | [`DialectEvents`] (5) | the dialect: `do_connect`, `do_execute`, `do_executemany`, `do_execute_no_params`, `do_setinputsizes` | [`Dialect`]; [`Engine`] (its dialect) |
//! | [`DDLEvents`] (7) | schema objects: `before_create`, `after_create`, `before_drop`, `after_drop`, `before_parent_attach`, `after_parent_attach`, `column_reflect` | [`MetaData`], [`Table`], [`Column`], [`UniqueConstraint`], [`PrimaryKey`] |
//!
//! Listen statically, checked at compile time, or at runtime on a type or
//! one instance:
//!
//! ```
//! use hooks_sql::{Connection, Engine, Modifiers, connection_events, create_engine};
//!
//! #[hooks::listens_for(Engine, "begin")] // every connection of every engine
//! fn on_begin(_conn: &Connection) {}
//!
//! let engine = create_engine("sqlite://")?;
//! // A retval listener on one engine: what it returns is what SQLite runs.
//! connection_events::before_cursor_execute.listen_retval(
//!     &engine,
//!     Modifiers::NONE,
//!     |_conn, _cursor, sql, params, _context, _many| (format!("{sql} -- tagged"), params.clone()),
//! )?;
//! let one = engine.connect()?.exec_driver_sql("SELECT 1", ())?;
//! assert_eq!(one.scalar().and_then(|v| v.as_i64()), Some(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Listeners added through an engine live on its pool and dialect; when
//! [`Engine::dispose`] (or [`Pool::recreate`]) recreates the pool, the pool
//! listeners move to the new one. [`Table::to_metadata`] copies the DDL listeners registered with
//! `propagate`. The deprecated pre-event interfaces ([`interfaces`]:
//! `PoolListener`, `ConnectionProxy`) are implemented on top of the events.
//!
//! ## SQLite specifics
//!
//! - **No two-phase commit.** `begin_twophase`, `prepare_twophase`,
//!   `commit_twophase` and `rollback_twophase` fire, then the call fails with
//!   the typed [`Error::TwoPhaseNotSupported`] and no transaction begins.
//! - **`do_setinputsizes` never fires.** SQLite binds every value with its
//!   own storage class and has no way to declare parameter types or sizes
//!   ahead of binding, so the event has no point to fire at (see
//!   [`DialectEvents::do_setinputsizes`]).
//! - `BEGIN`, `COMMIT` and `ROLLBACK` are issued by the dialect directly:
//!   they fire `begin`/`commit`/`rollback`, not the cursor-level events;
//!   `SAVEPOINT` statements go through `before_cursor_execute`.
//! - Each DBAPI connection caches its prepared statements (bounded, by
//!   text, emptied by DDL; see [`Cursor`]), as a hand-written rusqlite
//!   program using `prepare_cached` would.
//! - An in-memory URL (`sqlite://`) uses a static pool: every checkout shares
//!   one DBAPI connection (a second one would see another, empty database).
//!
//! ## Examples
//!
//! `cargo run -p hooks-sql --example NAME`, each asserting what it shows:
//! `quickstart` (the tour, with a trace of every event),
//! `pool_connect_logging`, `checkout_ping`, `statement_comment`,
//! `handle_error_replace`, `after_create_alter`, `naming_convention`,
//! `listen_levels`.
//!
//! To observe SQLite itself (in tests), install rusqlite hooks through
//! [`DbapiConnection::with_raw`]:
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use hooks_sql::create_engine;
//!
//! let engine = create_engine("sqlite://")?;
//! let conn = engine.connect()?;
//! let seen = Arc::new(Mutex::new(Vec::new()));
//! let sink = Arc::clone(&seen);
//! conn.dbapi_connection()?.with_raw(move |raw| {
//!     raw.trace_v2(
//!         rusqlite::trace::TraceEventCodes::SQLITE_TRACE_STMT,
//!         Some(move |event: rusqlite::trace::TraceEvent<'_>| {
//!             if let rusqlite::trace::TraceEvent::Stmt(_, sql) = event {
//!                 sink.lock().unwrap().push(sql.to_owned());
//!             }
//!         }),
//!     )
//! })?;
//! conn.exec_driver_sql("SELECT 1", ())?;
//! conn.commit()?;
//! assert_eq!(*seen.lock().unwrap(), ["BEGIN", "SELECT 1", "COMMIT"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Locks: this crate never panics on a poisoned lock; see the private
//! `sync` module for why recovering the guard is sound here.

mod connection;
mod dbapi;
mod dialect;
mod engine;
mod error;
mod error_handling;
pub mod events;
pub mod interfaces;
mod pool;
pub mod schema;
mod statement;
mod sync;
mod url;
mod value;

pub use connection::{
    Connection, ExecutionContext, ExecutionOptions, NestedTransaction, Savepoint, Transaction,
};
pub use dbapi::{Cursor, DbapiConnection};
pub use dialect::{ConnectArgs, ConnectParams, Dialect};
pub use engine::{Engine, EngineOptions, create_engine, create_engine_with};
pub use error::{DbapiError, DbapiErrorKind, DisconnectionError, Error};
pub use error_handling::ExceptionContext;
pub use events::{
    ConnectionEvents, DDLEvents, DialectEvents, PoolEvents, connection_events, ddl_events,
    dialect_events, pool_events,
};
pub use hooks::Modifiers;
pub use pool::{
    CHECKOUT_ATTEMPTS, ConnectionRecord, Info, Pool, PoolClass, PoolConfig, PoolProxiedConnection,
    PoolResetState, PoolStatus,
};
pub use schema::{
    Bind, Column, ColumnType, Constraint, MetaData, PrimaryKey, Table, TableBuilder,
    UniqueConstraint,
};
pub use statement::{Statement, StatementKind, text};
pub use url::Url;
pub use value::{CursorParams, CursorResult, FromValue, Params, Row, Value};

#[cfg(test)]
mod tests;

/// The README's example, compiled as a doctest so that it cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
