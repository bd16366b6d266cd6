//! Timestamps on every model, from the ORM lifecycle guide: a `before_insert` listener
//! stamps `created_at` and `updated_at`, a `before_update` listener stamps `updated_at`,
//! and what they write is what the flush's INSERT / UPDATE writes. Shared by
//! `examples/timestamps/main.rs` and `tests/example_timestamps.rs`.
//!
//! As in SQLAlchemy, the listeners sit on a mixin with `propagate`: `Timestamped`, which
//! `User` and `Post` name in `#[mapped(mixins(Timestamped))]` and `Tag` does not, so `Tag` is
//! never stamped. The listeners write through [`AnyObj`]: one listener for every model,
//! whatever its type.

use std::time::{SystemTime, UNIX_EPOCH};

use hooks_orm::{AnyInstance, ListenerError, Mapped, Mapper, Mixin};
use hooks_sql::Connection;

/// The mixin of the timestamped models: every class that names it gets its listeners.
#[derive(Mixin)]
pub(crate) struct Timestamped;

/// A mapped user with timestamps (microseconds since the Unix epoch).
#[derive(Mapped, Debug, Clone, PartialEq)]
#[mapped(table = "users", mixins(Timestamped))]
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
#[mapped(table = "posts", mixins(Timestamped))]
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

/// A mapped model without timestamps: it names no mixin, the listeners never see it.
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

#[hooks::listens_for(Timestamped, "before_insert", propagate)]
fn stamp_created(
    mapper: &Mapper,
    _connection: &Connection,
    target: &AnyInstance,
) -> Result<(), ListenerError> {
    stamp(mapper, target, &ON_INSERT)
}

#[hooks::listens_for(Timestamped, "before_update", propagate)]
fn stamp_updated(
    mapper: &Mapper,
    _connection: &Connection,
    target: &AnyInstance,
) -> Result<(), ListenerError> {
    stamp(mapper, target, &ON_UPDATE)
}

/// Writes the current time into each of `columns` of `target`, an object of `mapper`'s class.
fn stamp(mapper: &Mapper, target: &AnyInstance, columns: &[&str]) -> Result<(), ListenerError> {
    let now = now_micros()?;
    let class = mapper.class();
    let obj = (class.any_obj(target))
        .ok_or_else(|| ListenerError::new(format!("the target is not a `{}`", class.class_name)))?;
    for &column in columns {
        obj.set_value(column, now.into())
            .map_err(ListenerError::from_error)?;
    }
    Ok(())
}

/// Microseconds since the Unix epoch.
pub(crate) fn now_micros() -> Result<i64, ListenerError> {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(ListenerError::from_error)?;
    i64::try_from(since_epoch.as_micros()).map_err(ListenerError::from_error)
}
