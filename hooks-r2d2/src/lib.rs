//! SQLAlchemy's pool events on any [r2d2](https://docs.rs/r2d2) pool.
//!
//! Wrap the manager you already use in a [`HooksManager`] and build the pool
//! as before; the pool then fires [`R2d2PoolEvents`] on its [`R2d2Pool`]
//! target, with SQLAlchemy's names and order. Listen on the type (every such
//! pool) or on one pool's target, statically or at runtime:
//!
//! ```
//! # #[derive(Debug)] struct Manager;
//! # impl r2d2::ManageConnection for Manager {
//! #     type Connection = Vec<&'static str>;
//! #     type Error = std::io::Error;
//! #     fn connect(&self) -> Result<Self::Connection, Self::Error> { Ok(Vec::new()) }
//! #     fn is_valid(&self, _: &mut Self::Connection) -> Result<(), Self::Error> { Ok(()) }
//! #     fn has_broken(&self, _: &mut Self::Connection) -> bool { false }
//! # }
//! use std::any::Any;
//! use hooks_r2d2::{ConnectionRecord, DisconnectionError, HooksManager, R2d2Pool, r2d2_pool_events};
//!
//! // Every r2d2 pool built on a HooksManager: refuse a connection whose
//! // previous user left work behind; r2d2 discards it and hands out another.
//! #[hooks::listens_for(R2d2Pool, "checkout")]
//! fn clean(conn: &mut dyn Any, _: &ConnectionRecord) -> Result<(), DisconnectionError> {
//!     match conn.downcast_ref::<Vec<&str>>() {
//!         Some(log) if !log.is_empty() => Err("left dirty".into()),
//!         _ => Ok(()),
//!     }
//! }
//!
//! let manager = HooksManager::new(Manager);
//! let target = manager.events(); // this pool's own listeners
//! r2d2_pool_events::reset.listen(&*target, |conn, _| {
//!     conn.downcast_mut::<Vec<&str>>().unwrap().clear(); // SQL: a rollback
//!     Ok(())
//! })?;
//! let pool = r2d2::Pool::builder().max_size(1).build(manager)?;
//! pool.get()?.push("work"); // the pooled connection derefs to yours
//! assert!(pool.get()?.is_empty()); // reset cleaned it, checkout let it through
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What r2d2 can and cannot fire
//!
//! r2d2 shows a manager the connection at three points: `connect`,
//! `is_valid` (at checkout, with r2d2's default `test_on_check_out`) and
//! `has_broken` (at checkin). Its `HandleEvent` callbacks carry ids and
//! durations only, never the connection, and its `CustomizeConnection`
//! adds nothing the manager does not see first, so the adapter uses the
//! manager alone and leaves both builder slots to you. The connection's
//! `Drop` gives the last point, `close`.
//!
//! | SQLAlchemy event | fired | from, and how it differs |
//! |---|---|---|
//! | `connect` | yes | the wrapped `connect`, on r2d2's connection thread; may refuse (`Err`): the connection is closed and r2d2 retries later |
//! | `first_connect` | yes | derived: exec-once per `HooksManager` before the first `connect`; r2d2 opens connections on several threads, and they wait for the first run; a failed run is retried |
//! | `checkout` | yes | `is_valid`, after the wrapped manager's ping; `Err` invalidates the connection and r2d2 hands out another; no `connection_proxy` argument: r2d2 builds its `PooledConnection` only after the check; not fired if `test_on_check_out` is off |
//! | `checkin` | yes | `has_broken`, after `reset`; the connection is shared, not `&mut`; `None` when it is being discarded |
//! | `reset` | yes | `has_broken`, before `checkin`; r2d2 resets nothing, so a listener rolls back; `Err` declares the connection broken (SQLAlchemy invalidates a connection whose reset fails); no `reset_state`: there is no SQLAlchemy `Connection` above the pool to have reset already |
//! | `invalidate` | yes | a `checkout`/`reset` refusal, a failed ping, the wrapped `has_broken`, or [`Tracked::invalidate`]; the connection closes when r2d2 drops it, not at once: a checked-out one is discarded at its checkin |
//! | `soft_invalidate` | no | r2d2 has no "replace at next checkout": its `max_lifetime` is a setting, enforced by a reaper that closes (`close` fires) |
//! | `close` | yes | the connection's `Drop`: discarded, reaped (`max_lifetime`, `idle_timeout`) or the pool dropped (r2d2's own `on_release` misses that last case); may run on r2d2's thread |
//! | `detach`, `close_detached` | no | r2d2 cannot detach a connection from its pool |
//!
//! Arguments: `dbapi_connection` is the manager's connection as
//! `&mut dyn Any` (downcast it to your type); `connection_record` is the
//! adapter's [`ConnectionRecord`]. Families and targets are not generic, so
//! a pool of any connection type has to erase it.
//!
//! # One listener for this pool and `hooks-sql`'s
//!
//! [`R2d2PoolEvents`] is a family of its own, not `hooks-sql`'s
//! `PoolEvents`: that family's arguments are `hooks-sql`'s own
//! `DbapiConnection`, `ConnectionRecord` and `PoolProxiedConnection`, which
//! only its pool can build, and which an r2d2 pool of an arbitrary
//! connection type could not supply. So one fn cannot listen to both (its
//! signature is checked against each event's); write the check once and
//! call it from two one-line listeners, as the `checkout_on_both_pools`
//! example does (`cargo run -p hooks-r2d2 --example checkout_on_both_pools`).
#![forbid(unsafe_code)]

mod error;
mod events;
mod manager;
mod record;

pub use error::{DisconnectionError, Error};
pub use events::{R2d2Pool, R2d2PoolEvents, r2d2_pool_events};
pub use manager::{HooksManager, Tracked};
pub use record::ConnectionRecord;
