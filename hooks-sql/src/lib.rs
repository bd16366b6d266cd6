//! A SQLAlchemy-Core-shaped database layer on embedded SQLite: the reference
//! host for the `hooks` event framework.
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
//! Every event of SQLAlchemy's Core catalog (pool, connection, dialect and
//! DDL events) has its call point in place, at the documented moment and
//! with the documented arguments. Until the event framework is connected,
//! those points are pass-through: values flow on unchanged.
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
//! })??;
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
mod events;
mod pool;
pub mod schema;
mod statement;
mod sync;
mod url;
mod value;

pub use connection::{
    Connection, ExecutionContext, ExecutionOptions, NestedTransaction, Transaction,
};
pub use dbapi::{Cursor, DbapiConnection};
pub use dialect::{ConnectArgs, ConnectParams, Dialect};
pub use engine::{Engine, EngineOptions, create_engine, create_engine_with};
pub use error::{DbapiError, DbapiErrorKind, DisconnectionError, Error, ExceptionContext};
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
