//! [`AttributeEvents`]: the writes of a mapped object's attributes.

use hooks_sql::Value;

use crate::error::ListenerError;
use crate::session::AnyInstance;

/// The events of a mapped object's attributes: SQLAlchemy's `AttributeEvents`, fired by
/// [`Obj::write_attribute`](crate::Obj::write_attribute), the one write path of every
/// column (so by [`Obj::set`](crate::Obj::set) and [`Obj::set_attr`](crate::Obj::set_attr)).
///
/// Listen on a mapped class (`hooks::Class::<User>::new()`: its objects) or on the
/// [`Mapper`](crate::Mapper) type (`hooks::Class::<Mapper>::new()`: every mapped class); the
/// class's listeners run first. A listener that wants one attribute filters on
/// [`Initiator::key`] (SQLAlchemy listens on `User.phone`; attribute-level targets come
/// later). `target` is the `Obj<User>`: `target.downcast_ref::<Obj<User>>()`.
///
/// How SQLAlchemy's options map:
/// - `active_history` is always on: the old value is always read before `set` fires, an
///   expired attribute being reloaded first, so `oldvalue` is never a "no value" symbol.
/// - `init_scalar` has no point to fire at: a mapped struct is built whole, every field has a
///   value from its constructor, there is no unset attribute whose first read defaults.
/// - *retval* and *raw*: `set` is `retval, fallible`; the target is always the object.
#[hooks::events(crate = crate::__private::hooks)]
pub trait AttributeEvents {
    /// A column is about to be written: after its old value was read (and reloaded if it was
    /// expired), before the new one is stored, with no lock held (the listener may read the
    /// object). Fires for every write, even of an equal value.
    ///
    /// A `retval` listener returns `Ok(new)`, which the next listener receives and which is
    /// what gets stored (SQLAlchemy's `retval=True`); a plain one returns `Ok(())`. An `Err`
    /// vetoes the write: nothing is stored, the attribute is not marked modified, `modified`
    /// does not fire, and the write returns
    /// [`SessionError::Listener`](crate::SessionError::Listener) with `event: "set"`.
    #[event(retval, fallible)]
    fn set(
        target: &AnyInstance,
        #[retval] value: &Value,
        oldvalue: &Value,
        initiator: &Initiator,
    ) -> Result<Value, ListenerError>;

    /// A column was written: the new value is stored and the attribute marked modified
    /// (SQLAlchemy's `flag_modified` point, fired after every scalar set).
    fn modified(target: &AnyInstance, initiator: &Initiator);
}

/// Which write an attribute event is part of: SQLAlchemy's `attributes.Event` (the
/// `initiator` argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Initiator {
    /// The mapped class.
    pub class: &'static str,
    /// The attribute (column) written.
    pub key: &'static str,
    /// The kind of write.
    pub op: AttributeOp,
}

/// The kind of an attribute write (SQLAlchemy's `OP_REPLACE`, `OP_MODIFIED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttributeOp {
    /// A scalar value replaced (`set`).
    Replace,
    /// The attribute flagged modified (`modified`).
    Modified,
}
