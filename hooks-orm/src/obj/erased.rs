//! The bodies of [`Obj`](super::Obj)'s reads and writes, on the object with its class erased.
//!
//! `Obj<T>`'s methods are thin shells over these fns: a generic method is compiled again for
//! every mapped class of the program, these once. Fifty mapped structs compiled a copy each of
//! the reload of expired attributes and of the write path, a fifth of what `#[derive(Mapped)]`
//! cost to compile (`bench/orm-compile-time`).

use hooks_sql::Value;

use super::ObjHandle;
use crate::events::{AttributeOp, Initiator};
use crate::session::{Session, SessionError};
use crate::state::History;

/// Reloads `obj`'s expired attributes from its row, if any are (SQLAlchemy's lazy load of
/// expired attributes).
pub(super) fn load_expired(obj: &dyn ObjHandle) -> Result<(), SessionError> {
    if !obj.state().any_expired() {
        return Ok(());
    }
    match obj.owner() {
        Some(inner) => Session::from_inner(inner).load_expired(obj),
        None => Err(SessionError::DetachedInstance {
            class: obj.class().class_name,
        }),
    }
}

/// The current value of column `column`, reloaded first if expired.
fn current(obj: &dyn ObjHandle, column: usize) -> Result<Value, SessionError> {
    load_expired(obj)?;
    Ok(obj.current_values().swap_remove(column))
}

/// The current value of column `name`.
pub(super) fn value(obj: &dyn ObjHandle, name: &str) -> Result<Value, SessionError> {
    current(obj, obj.class().column_index(name)?)
}

/// The history of column `name` since the last load or flush.
pub(super) fn history(obj: &dyn ObjHandle, name: &str) -> Result<History, SessionError> {
    let column = obj.class().column_index(name)?;
    let current = current(obj, column)?;
    Ok(obj.state().history(column, &current))
}

/// Writes column `name` through [`write_attribute`].
pub(super) fn write_named(
    obj: &dyn ObjHandle,
    name: &str,
    value: Value,
) -> Result<(), SessionError> {
    write_attribute(obj, obj.class().column_index(name)?, value)
}

/// The one write path of a mapped attribute: see [`Obj::write_attribute`](super::Obj::write_attribute).
pub(super) fn write_attribute(
    obj: &dyn ObjHandle,
    column: usize,
    value: Value,
) -> Result<(), SessionError> {
    let class = obj.class();
    let Some(def) = class.columns.get(column) else {
        return Err(crate::ValueError::no_column(class, column).into());
    };
    let old = current(obj, column)?;
    let initiator = |op| Initiator {
        class: class.class_name,
        key: def.name,
        op,
    };
    let target = obj.instance();
    let value = crate::fire::column_set(
        class,
        column,
        target,
        value,
        &old,
        &initiator(AttributeOp::Replace),
    )
    .map_err(|source| SessionError::Listener {
        event: "set",
        source,
    })?;
    store_modified(obj, column, value)?;
    crate::fire::column_modified(class, column, target, &initiator(AttributeOp::Modified));
    Ok(())
}

/// Stores `value` in column `column` as a write the flush will see: the committed state kept
/// apart first, then the value, then the column marked modified. No event fires here.
pub(crate) fn store_modified(
    obj: &dyn ObjHandle,
    column: usize,
    value: Value,
) -> Result<(), SessionError> {
    keep_committed(obj);
    obj.store_value(column, value)?;
    obj.state().modified.set(column, true);
    Ok(())
}

/// Before the first write since a load or a flush: copies the fields' values into the
/// committed state, which until then was the fields themselves (the history and the UPDATE
/// compare against it).
fn keep_committed(obj: &dyn ObjHandle) {
    if !obj.state().committed.is_current() {
        return;
    }
    // The copy is read without the state's lock; a concurrent first write that copied first
    // did so before it stored anything, so the check below keeps the older copy.
    let values = obj.current_values();
    let mut st = obj.state();
    if st.committed.is_current() {
        st.committed.values_mut(|| values);
    }
}
