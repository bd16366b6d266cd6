//! Timestamps on every model, from the ORM lifecycle guide: a `before_insert` listener
//! stamps `created_at` and `updated_at`, a `before_update` listener stamps `updated_at`,
//! and what they write is what the flush's INSERT / UPDATE writes. Shared by
//! `examples/timestamps/main.rs` and `tests/example_timestamps.rs`.
//!
//! SQLAlchemy puts these listeners on a mixin class with `propagate=True`, so they reach
//! every model that inherits it. `hooks-orm` has no mixin markers or `propagate` yet, so
//! the listeners are static ones on the `Mapper` type: every mapper of the program, and
//! each stamps only the models that have the columns (`Tag` has none and is left alone).
//! The erased target carries no attribute writer either, so `write` downcasts to the
//! timestamped models it knows; a model with the columns that it does not know fails the
//! flush with a clear error instead of going unstamped.

use std::time::{SystemTime, UNIX_EPOCH};

use hooks_orm::{AnyInstance, ListenerError, Mapped, Mapper, Obj};
use hooks_sql::Connection;

/// A mapped user with timestamps (microseconds since the Unix epoch).
#[derive(Mapped, Debug, Clone, PartialEq)]
#[mapped(table = "users")]
pub(crate) struct User {
    /// The primary key.
    #[column(primary_key)]
    pub(crate) id: Option<i64>,
    /// The user's name.
    pub(crate) name: String,
    /// Stamped by the first flush.
    pub(crate) created_at: Option<i64>,
    /// Stamped by every flush that writes the row.
    pub(crate) updated_at: Option<i64>,
}

/// A mapped post with the same timestamps.
#[derive(Mapped, Debug, Clone, PartialEq)]
#[mapped(table = "posts")]
pub(crate) struct Post {
    /// The primary key.
    #[column(primary_key)]
    pub(crate) id: Option<i64>,
    /// The post's title.
    pub(crate) title: String,
    /// Stamped by the first flush.
    pub(crate) created_at: Option<i64>,
    /// Stamped by every flush that writes the row.
    pub(crate) updated_at: Option<i64>,
}

/// A mapped model without timestamps: the listeners skip it.
#[derive(Mapped, Debug, Clone, PartialEq)]
#[mapped(table = "tags")]
pub(crate) struct Tag {
    /// The primary key.
    #[column(primary_key)]
    pub(crate) id: Option<i64>,
    /// The tag's text.
    pub(crate) label: String,
}

/// The columns a new row gets stamped.
const ON_INSERT: [&str; 2] = ["created_at", "updated_at"];
/// The column a changed row gets stamped.
const ON_UPDATE: [&str; 1] = ["updated_at"];

#[hooks::listens_for(Mapper, "before_insert")]
fn stamp_created(
    mapper: &Mapper,
    _connection: &Connection,
    target: &AnyInstance,
) -> Result<(), ListenerError> {
    stamp(mapper, target, &ON_INSERT)
}

#[hooks::listens_for(Mapper, "before_update")]
fn stamp_updated(
    mapper: &Mapper,
    _connection: &Connection,
    target: &AnyInstance,
) -> Result<(), ListenerError> {
    stamp(mapper, target, &ON_UPDATE)
}

/// Writes the current time into each of `columns` that `mapper`'s class has.
fn stamp(mapper: &Mapper, target: &AnyInstance, columns: &[&str]) -> Result<(), ListenerError> {
    let now = now_micros()?;
    for &column in columns {
        if mapper.class().column(column).is_some() {
            write(mapper, target, column, now)?;
        }
    }
    Ok(())
}

/// Sets `column` of `target` (a timestamped model) to `now`.
fn write(
    mapper: &Mapper,
    target: &AnyInstance,
    column: &str,
    now: i64,
) -> Result<(), ListenerError> {
    let written = if let Some(user) = target.downcast_ref::<Obj<User>>() {
        user.set_attr(column, now)
    } else if let Some(post) = target.downcast_ref::<Obj<Post>>() {
        post.set_attr(column, now)
    } else {
        return Err(ListenerError::new(format!(
            "`{}` has a `{column}` column but the timestamps listener does not know its \
             type; add it to `write` in examples/timestamps/stamps.rs",
            mapper.table()
        )));
    };
    written.map_err(ListenerError::from_error)
}

/// Microseconds since the Unix epoch.
pub(crate) fn now_micros() -> Result<i64, ListenerError> {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(ListenerError::from_error)?;
    i64::try_from(since_epoch.as_micros()).map_err(ListenerError::from_error)
}
