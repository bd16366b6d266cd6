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
/// class's listeners run first. A listener that wants one column listens on it
/// (`#[listens_for(User::phone, "set")]`, SQLAlchemy's `User.phone`, with the field's type:
/// [`members`](crate::events::members)), whose listeners run before these; one on a
/// relationship filters on [`Initiator::key`]. `target` is the object: a static listener on `User` takes it as `&Obj<User>`; one
/// on `Mapper` or a mixin takes it erased (`target.downcast_ref::<Obj<User>>()`).
///
/// Relationships: the collection events (`append`, `append_wo_mutation`, `remove`,
/// `bulk_replace`, `init_collection`, `dispose_collection`) fire on the parent's class for its
/// [`Collection`](crate::Collection) fields, `set_object` on the child's class for its
/// [`Reference`](crate::Reference) fields; the members and parents are `Obj<…>` handles,
/// erased. A backref fires the other side's events once, with the initiator of the operation
/// that started it (so `initiator.key == "addresses"` in `Address`'s `set_object` says it came
/// from `User.addresses`); it never runs the first side's again. Listeners of one side run
/// before the backref updates the other. `include_key` (SQLAlchemy's modifier) gives a
/// listener the member's index in `key` (`keys` for `bulk_replace`); without it `key` is
/// `None`. `tests/relationship_*.rs` assert the exact sequences.
///
/// How SQLAlchemy's options map:
/// - `active_history` is always on: the old value is always read before `set` fires, an
///   expired attribute being reloaded first, so `oldvalue` is never a "no value" symbol.
/// - `init_scalar` has no point to fire at: a mapped struct is built whole, every field has a
///   value from its constructor, there is no unset attribute whose first read defaults.
/// - *retval* and *raw*: `set` is `retval, fallible`; the target is always the object.
#[hooks::events(propagate, crate = crate::__private::hooks)]
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
        #[target] target: &AnyInstance,
        #[retval] value: &Value,
        oldvalue: &Value,
        initiator: &Initiator,
    ) -> Result<Value, ListenerError>;

    /// A column was written: the new value is stored and the attribute marked modified
    /// (SQLAlchemy's `flag_modified` point, fired after every scalar set). Also fires after
    /// every change of a collection ([`append`](AttributeEvents::append),
    /// [`remove`](AttributeEvents::remove), a bulk replace), with `op` `Modified` and the
    /// collection's key.
    fn modified(#[target] target: &AnyInstance, initiator: &Initiator);

    /// An object is about to be appended to a one-to-many collection
    /// ([`CollectionRef::append`](crate::CollectionRef::append), a member new to a
    /// [`replace`](crate::CollectionRef::replace), or the backref of a
    /// [`ReferenceRef::set`](crate::ReferenceRef::set)): after the collection was loaded,
    /// before the member is stored. `target` is the parent (`Obj<User>`), `value` the child
    /// (`Obj<Address>`).
    ///
    /// A `retval` listener returns `Ok(Box::new(other))`: that object is appended instead
    /// (it must be of the collection's class). An `Err` vetoes: nothing is appended, no
    /// backref runs, and the append returns
    /// [`SessionError::Listener`](crate::SessionError::Listener) with `event: "append"`.
    /// `key` is the index the member will take, for listeners registered with the
    /// `include_key` modifier; `None` for the others (SQLAlchemy's `key=NO_KEY`).
    #[event(retval, fallible, modifiers(include_key))]
    fn append(
        #[target] target: &AnyInstance,
        #[retval] value: &AnyInstance,
        key: Option<usize>,
        initiator: &Initiator,
    ) -> Result<Box<AnyInstance>, ListenerError>;

    /// An object already in the collection was appended again (or kept by a bulk replace):
    /// nothing changes. `key` as for [`append`](AttributeEvents::append): its index.
    #[event(modifiers(include_key))]
    fn append_wo_mutation(
        #[target] target: &AnyInstance,
        value: &AnyInstance,
        key: Option<usize>,
        initiator: &Initiator,
    );

    /// An object is about to be removed from the collection
    /// ([`CollectionRef::remove`](crate::CollectionRef::remove), a member a
    /// [`replace`](crate::CollectionRef::replace) drops, the backref of a reference set to
    /// another parent): before it is taken out. An `Err` vetoes: nothing is removed.
    /// `key` is its index, with `include_key`.
    #[event(fallible, modifiers(include_key))]
    fn remove(
        #[target] target: &AnyInstance,
        value: &AnyInstance,
        key: Option<usize>,
        initiator: &Initiator,
    ) -> Result<(), ListenerError>;

    /// A whole collection is being assigned
    /// ([`CollectionRef::replace`](crate::CollectionRef::replace)): first, before the old
    /// collection is read and before any per-member `append`/`remove`. `values` are the new
    /// members; the listener may change them in place (an object of another class makes the
    /// replace fail with [`RelationshipError::WrongClass`](crate::RelationshipError)).
    /// `keys` are their indices, with `include_key`.
    #[event(modifiers(include_key))]
    fn bulk_replace(
        #[target] target: &AnyInstance,
        values: &mut Vec<Box<AnyInstance>>,
        keys: Option<&[usize]>,
        initiator: &Initiator,
    );

    /// A collection was created empty: on its first access (a persistent parent's lazy
    /// load, after the SELECT and before its rows are stored; a new parent's first append),
    /// and for the new collection of a bulk replace. `key` names the collection.
    fn init_collection(#[target] target: &AnyInstance, key: &'static str);

    /// The old collection of a bulk replace was discarded, after every per-member event;
    /// `collection` is what it held.
    fn dispose_collection(
        #[target] target: &AnyInstance,
        key: &'static str,
        collection: &[Box<AnyInstance>],
    );

    /// A many-to-one reference is about to be set
    /// ([`ReferenceRef::set`](crate::ReferenceRef::set), or the backref of a collection's
    /// append or remove): after the old value was loaded, before the backref updates the
    /// other side and before the new value is stored. `value` and `oldvalue` are the parents
    /// (`Obj<User>`), `None` for no parent. An `Err` vetoes: nothing is stored, no backref
    /// runs.
    ///
    /// SQLAlchemy fires `set` here; `set` of this erased family carries column values
    /// (`&Value`), so a reference, whose value is an object, has this event of its own.
    #[event(fallible)]
    fn set_object(
        #[target] target: &AnyInstance,
        value: Option<&AnyInstance>,
        oldvalue: Option<&AnyInstance>,
        initiator: &Initiator,
    ) -> Result<(), ListenerError>;
}

/// Which write an attribute event is part of: SQLAlchemy's `attributes.Event` (the
/// `initiator` argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Initiator {
    /// The mapped class.
    pub class: &'static str,
    /// The attribute written: a column, a collection or a reference.
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
    /// A member appended to a collection (`OP_APPEND`).
    Append,
    /// A member removed from a collection (`OP_REMOVE`).
    Remove,
    /// A whole collection assigned (`OP_BULK_REPLACE`).
    BulkReplace,
}
