//! The typed accessors of relationships on an object's handle: [`Obj::collection`] and
//! [`Obj::reference`]. Every change goes through `backref.rs`, which fires the events.

use std::marker::PhantomData;

use super::backref::{self, Backref};
use super::{Collection, Reference, RelationshipDef, RelationshipError, RelationshipKind};
use crate::events::{AttributeOp, Initiator};
use crate::mapper::{Mapped, MapperDef};
use crate::obj::Obj;
use crate::session::SessionError;

impl<T: Mapped + Send + Sync> Obj<T> {
    /// The one-to-many collection `name` of the object, whose members are `C` objects:
    /// SQLAlchemy's `user.addresses`.
    ///
    /// ```
    /// use hooks_orm::{Collection, Mapped, Obj, Reference};
    ///
    /// #[derive(Mapped)]
    /// #[mapped(table = "users")]
    /// struct User {
    ///     #[column(primary_key)]
    ///     id: Option<i64>,
    ///     #[relationship(back_populates = "user")]
    ///     addresses: Collection<Address>,
    /// }
    ///
    /// #[derive(Mapped)]
    /// #[mapped(table = "addresses")]
    /// struct Address {
    ///     #[column(primary_key)]
    ///     id: Option<i64>,
    ///     #[column(foreign_key = "users.id")]
    ///     user_id: Option<i64>,
    ///     #[relationship(back_populates = "addresses")]
    ///     user: Reference<User>,
    /// }
    ///
    /// let user = Obj::new(User { id: None, addresses: Collection::new() });
    /// let address = Obj::new(Address { id: None, user_id: None, user: Reference::new() });
    /// user.collection::<Address>("addresses")?.append(&address)?;
    /// // The backref set the other side.
    /// assert_eq!(address.reference::<User>("user")?.get()?, Some(user.clone()));
    /// # Ok::<(), hooks_orm::SessionError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`RelationshipError::NoSuchRelationship`] when `T` has no collection `name`,
    /// [`RelationshipError::WrongClass`] when its members are not `C`.
    pub fn collection<C: Mapped + Send + Sync>(
        &self,
        name: &str,
    ) -> Result<CollectionRef<'_, T, C>, SessionError> {
        let index = find(T::MAPPER, name, RelationshipKind::OneToMany, C::MAPPER)?;
        Ok(CollectionRef {
            owner: self,
            index,
            member: PhantomData,
        })
    }

    /// The many-to-one reference `name` of the object, to a `P` object: SQLAlchemy's
    /// `address.user`.
    ///
    /// # Errors
    ///
    /// As [`collection`](Obj::collection).
    pub fn reference<P: Mapped + Send + Sync>(
        &self,
        name: &str,
    ) -> Result<ReferenceRef<'_, T, P>, SessionError> {
        let index = find(T::MAPPER, name, RelationshipKind::ManyToOne, P::MAPPER)?;
        Ok(ReferenceRef {
            owner: self,
            index,
            parent: PhantomData,
        })
    }
}

/// The index of relationship `name` of kind `kind` on `class`, checked to relate to `target`.
fn find(
    class: &'static MapperDef,
    name: &str,
    kind: RelationshipKind,
    target: &'static MapperDef,
) -> Result<usize, RelationshipError> {
    let index = class
        .relationships
        .iter()
        .position(|r| r.name == name && r.kind == kind)
        .ok_or_else(|| RelationshipError::NoSuchRelationship {
            class: class.class_name,
            name: name.to_owned(),
            kind: match kind {
                RelationshipKind::OneToMany => "collection",
                RelationshipKind::ManyToOne => "reference",
            },
        })?;
    let def = &class.relationships[index];
    let expected = (def.target)();
    if expected.same_class(target) {
        Ok(index)
    } else {
        Err(RelationshipError::WrongClass {
            class: class.class_name,
            name: def.name,
            expected: expected.class_name,
        })
    }
}

/// Relationship `index` of `class`, as [`find`] checked it.
pub(crate) fn def_of(class: &'static MapperDef, index: usize) -> &'static RelationshipDef {
    &class.relationships[index]
}

/// The initiator of an operation on relationship `index` of `T`.
pub(crate) fn initiator<T: Mapped>(index: usize, op: AttributeOp) -> Initiator {
    Initiator {
        class: T::MAPPER.class_name,
        key: def_of(T::MAPPER, index).name,
        op,
    }
}

/// Runs `f` on the `Collection<C>` field `index` of `owner`, under its write lock.
pub(crate) fn with_collection<T: Mapped + Send + Sync, C: Mapped + Send + Sync, R>(
    owner: &Obj<T>,
    index: usize,
    f: impl FnOnce(&mut Collection<C>) -> R,
) -> Result<R, SessionError> {
    let mut value = owner.write_lock();
    value
        .relation_mut(index)
        .and_then(|r| r.as_any_mut().downcast_mut::<Collection<C>>())
        .map(f)
        .ok_or_else(|| wrong_class::<T>(index).into())
}

/// Runs `f` on the `Reference<P>` field `index` of `owner`, under its write lock.
pub(crate) fn with_reference<T: Mapped + Send + Sync, P: Mapped + Send + Sync, R>(
    owner: &Obj<T>,
    index: usize,
    f: impl FnOnce(&mut Reference<P>) -> R,
) -> Result<R, SessionError> {
    let mut value = owner.write_lock();
    value
        .relation_mut(index)
        .and_then(|r| r.as_any_mut().downcast_mut::<Reference<P>>())
        .map(f)
        .ok_or_else(|| wrong_class::<T>(index).into())
}

fn wrong_class<T: Mapped>(index: usize) -> RelationshipError {
    let def = def_of(T::MAPPER, index);
    RelationshipError::WrongClass {
        class: T::MAPPER.class_name,
        name: def.name,
        expected: (def.target)().class_name,
    }
}

/// One collection of one object ([`Obj::collection`]): reads load it, changes fire the
/// collection events ([`AttributeEvents`](crate::AttributeEvents) `append`, `remove`,
/// `bulk_replace`, …) and update the other side of a `back_populates` relationship.
pub struct CollectionRef<'a, T, C> {
    owner: &'a Obj<T>,
    index: usize,
    member: PhantomData<fn() -> C>,
}

impl<T: Mapped + Send + Sync, C: Mapped + Send + Sync> CollectionRef<'_, T, C> {
    /// The members, loaded first if needed: a persistent object's collection is loaded
    /// with a SELECT through its session on first access (`init_collection` fires), a new
    /// object's starts empty (`init_collection` too).
    ///
    /// # Errors
    ///
    /// The load's SQL errors, [`RelationshipError::NoForeignKey`].
    pub fn items(&self) -> Result<Vec<Obj<C>>, SessionError> {
        backref::ensure_loaded::<T, C>(self.owner, self.index)?;
        with_collection(self.owner, self.index, |c: &mut Collection<C>| {
            c.items.clone()
        })
    }

    /// Appends `child` (SQLAlchemy's `user.addresses.append(a)`): `append` fires (its
    /// `retval` listeners may substitute the member, an `Err` vetoes), then `modified`, then
    /// the backref sets `child`'s reference (its `set_object` fires, with this initiator).
    /// With `save-update` cascade, a child not in the parent's session is added to it. A
    /// member already present fires `append_wo_mutation` alone.
    ///
    /// # Errors
    ///
    /// [`SessionError::Listener`] (`event: "append"`) on a veto: nothing is appended; the
    /// load's errors; the cascade's [`Session::add`](crate::Session::add) errors.
    pub fn append(&self, child: &Obj<C>) -> Result<(), SessionError> {
        let initiator = initiator::<T>(self.index, AttributeOp::Append);
        backref::append::<T, C>(self.owner, self.index, child, &initiator, Backref::Run)
    }

    /// Removes `child`: `remove` fires (an `Err` vetoes), then `modified`; the child's
    /// foreign key becomes NULL (written at the flush) and the backref clears its
    /// reference. With `delete-orphan` cascade the flush deletes it, unless it was
    /// appended to a parent again.
    ///
    /// # Errors
    ///
    /// [`RelationshipError::NotInCollection`], [`SessionError::Listener`]
    /// (`event: "remove"`), the load's errors.
    pub fn remove(&self, child: &Obj<C>) -> Result<(), SessionError> {
        let initiator = initiator::<T>(self.index, AttributeOp::Remove);
        backref::remove::<T, C>(self.owner, self.index, child, &initiator, Backref::Run)
    }

    /// Assigns the whole collection (SQLAlchemy's `user.addresses = [...]`): `bulk_replace`
    /// with the new members, then the old collection is loaded, `init_collection` for the
    /// new one, `append_wo_mutation` for each member kept and `append` for each new one (in
    /// the new order), `remove` for each dropped one, and `dispose_collection` with the old
    /// members. Every per-member event carries the bulk replace's initiator.
    ///
    /// # Errors
    ///
    /// As [`append`](CollectionRef::append) and [`remove`](CollectionRef::remove);
    /// [`RelationshipError::WrongClass`] when a `bulk_replace` listener put in an object of
    /// another class. A veto stops the replace where it is.
    pub fn replace(&self, members: Vec<Obj<C>>) -> Result<(), SessionError> {
        backref::replace::<T, C>(self.owner, self.index, members)
    }
}

/// The many-to-one reference of one object ([`Obj::reference`]).
pub struct ReferenceRef<'a, T, P> {
    owner: &'a Obj<T>,
    index: usize,
    parent: PhantomData<fn() -> P>,
}

impl<T: Mapped + Send + Sync, P: Mapped + Send + Sync> ReferenceRef<'_, T, P> {
    /// The parent, loaded by its key through the session ([`Session::get`](crate::Session::get):
    /// the identity map first) when not loaded yet; `None` when the foreign key is NULL.
    ///
    /// # Errors
    ///
    /// The load's errors, [`RelationshipError::NoForeignKey`].
    pub fn get(&self) -> Result<Option<Obj<P>>, SessionError> {
        backref::reference_get::<T, P>(self.owner, self.index)
    }

    /// Sets the parent (SQLAlchemy's `address.user = u`): `set_object` fires (an `Err`
    /// vetoes), then the backref removes the object from the old parent's collection
    /// (`remove` there) and appends it to the new one's (`append` there), each loaded first,
    /// then the value is stored and `modified` fires. The foreign key is written at the
    /// flush. With `save-update`, a parent not in the object's session is added to it.
    ///
    /// # Errors
    ///
    /// [`SessionError::Listener`] (`event: "set_object"`, or the backref's `append` /
    /// `remove`), the loads' errors.
    pub fn set(&self, parent: Option<&Obj<P>>) -> Result<(), SessionError> {
        let initiator = initiator::<T>(self.index, AttributeOp::Replace);
        backref::reference_set::<T, P>(self.owner, self.index, parent, &initiator, None)
    }
}
