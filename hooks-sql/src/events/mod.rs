//! The event catalog: SQLAlchemy Core's four event families, declared with
//! `#[hooks::events]`.
//!
//! | family | fired by | listen on |
//! |---|---|---|
//! | [`PoolEvents`] | the [`Pool`](crate::Pool): connections opened, checked out and in, reset, invalidated, closed, detached | a [`Pool`](crate::Pool); an [`Engine`](crate::Engine) (its current pool, carried over [`Engine::dispose`](crate::Engine::dispose)); the `Engine` type (every pool) |
//! | [`ConnectionEvents`] | [`Connection`](crate::Connection) and [`Engine`](crate::Engine): execution, transactions, savepoints, two-phase, options, errors | a connection; an engine (every connection it hands out, also those that already exist); an option engine (then also its parent's) |
//! | [`DialectEvents`] | the [`Dialect`](crate::Dialect): connecting and executing on the DBAPI cursor | a dialect; an engine (its dialect) |
//! | [`DDLEvents`] | schema objects: create/drop, attachment to a parent, reflection | [`MetaData`](crate::MetaData), [`Table`](crate::Table), [`Column`](crate::Column), [`UniqueConstraint`](crate::UniqueConstraint), [`PrimaryKey`](crate::PrimaryKey) |
//!
//! Each family's trait page lists its events with their listener signature,
//! contract and modifiers; each event's own section says when it fires, what
//! its arguments are and what a listener may do. The generated modules
//! ([`pool_events`], [`connection_events`], [`dialect_events`],
//! [`ddl_events`]) hold the typed `listen`/`remove` API and the dispatchers.
//!
//! Listeners that may abort what the host is doing return the family's
//! typed error, which reaches the caller unchanged: `checkout` refuses a
//! connection with a [`DisconnectionError`](crate::DisconnectionError);
//! `connect` and `first_connect` return [`Error`](crate::Error) (a failed
//! `PRAGMA`, say, passed on with `?` from
//! [`DbapiConnection::with_raw`](crate::DbapiConnection::with_raw)), which
//! aborts the checkout, closes the new connection and frees its pool slot
//! (a panic does the same); a failed `first_connect` runs again for the
//! next new connection. `handle_error` and the `do_*` dialect events are
//! fallible too.

mod connection;
mod ddl;
mod dialect;
mod pool;

pub use connection::{ConnectionEvents, connection_events};
pub use ddl::{DDLEvents, ddl_events};
pub use dialect::{DialectEvents, dialect_events};
pub use pool::{PoolEvents, pool_events};
