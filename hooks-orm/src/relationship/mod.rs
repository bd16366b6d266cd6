//! Relationships: one-to-many [`Collection`] and many-to-one [`Reference`] fields, what the
//! derive declares of them ([`RelationshipDef`]) and the erased view the session's cascades
//! and flush read ([`Relation`]). Changing them goes through the object's handle
//! ([`Obj::collection`](crate::Obj::collection), [`Obj::reference`](crate::Obj::reference),
//! in `access.rs`), which fires the collection events (`events.rs`).

mod access;
mod backref;
mod error;
mod events;
mod load;

use std::any::Any;
use std::fmt;

pub use access::{CollectionRef, ReferenceRef};
pub use error::RelationshipError;
pub use load::ErasedLoader;

use crate::mapper::{Mapped, MapperDef};
use crate::obj::{Handle, Obj, handle};

/// Which side of a foreign key a relationship is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationshipKind {
    /// A [`Collection`] on the parent: the children's rows hold the foreign key.
    OneToMany,
    /// A [`Reference`] on the child: its own row holds the foreign key.
    ManyToOne,
}

/// The cascades of a relationship (`#[relationship(cascade = "…")]`, SQLAlchemy's names:
/// `save-update`, `delete`, `delete-orphan`, `all` = save-update and delete). The default is
/// `save-update`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)]
pub struct Cascade {
    /// Adding the object to a session adds its related objects; appending a child to a
    /// collection of an object in a session adds the child.
    pub save_update: bool,
    /// Deleting the parent deletes the children of the collection.
    pub delete: bool,
    /// A child removed from the collection is deleted at the next flush.
    pub delete_orphan: bool,
}

/// One relationship of a mapped class, as `#[derive(Mapped)]` declares it.
#[derive(Clone, Copy)]
pub struct RelationshipDef {
    /// The field's name.
    pub name: &'static str,
    /// Collection or reference.
    pub kind: RelationshipKind,
    /// The related class (a function: two classes referring to each other are no cycle).
    pub target: fn() -> &'static MapperDef,
    /// The relationship on the target that mirrors this one (`back_populates`).
    pub back_populates: Option<&'static str>,
    /// Its cascades.
    pub cascade: Cascade,
}

impl RelationshipDef {
    /// The index of the foreign-key column, in the class that holds it (the target's for a
    /// collection, `owner`'s for a reference): the column whose `foreign_key` names the
    /// other class's table.
    ///
    /// # Errors
    ///
    /// [`RelationshipError::NoForeignKey`].
    pub fn foreign_key(&self, owner: &'static MapperDef) -> Result<usize, RelationshipError> {
        let (child, parent) = match self.kind {
            RelationshipKind::OneToMany => ((self.target)(), owner),
            RelationshipKind::ManyToOne => (owner, (self.target)()),
        };
        child
            .columns
            .iter()
            .position(|c| {
                c.foreign_key
                    .and_then(|fk| fk.split_once('.'))
                    .is_some_and(|(table, _)| table == parent.table)
            })
            .ok_or(RelationshipError::NoForeignKey {
                class: child.class_name,
                table: parent.table,
            })
    }
}

impl PartialEq for RelationshipDef {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.kind == other.kind
            && std::ptr::eq((self.target)(), (other.target)())
            && self.back_populates == other.back_populates
            && self.cascade == other.cascade
    }
}

impl fmt::Debug for RelationshipDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RelationshipDef")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("target", &(self.target)().class_name)
            .field("back_populates", &self.back_populates)
            .field("cascade", &self.cascade)
            .finish()
    }
}

/// A one-to-many collection field (`addresses: Collection<Address>`): the children, once
/// loaded. It is built empty ([`Collection::new`]) and changed only through
/// [`Obj::collection`](crate::Obj::collection), so every change fires its events; reading the
/// field shows what is loaded, [`CollectionRef::items`] loads it first.
pub struct Collection<C> {
    items: Vec<Obj<C>>,
    initialized: bool,
    /// Removed since the last flush: the delete-orphan candidates.
    removed: Vec<Obj<C>>,
}

impl<C> Collection<C> {
    /// An empty, not yet loaded collection: what a new object starts with.
    pub fn new() -> Self {
        Collection {
            items: Vec::new(),
            initialized: false,
            removed: Vec::new(),
        }
    }

    /// The members loaded so far (nothing is loaded here).
    pub fn loaded(&self) -> &[Obj<C>] {
        &self.items
    }

    /// Whether the collection was loaded (or created by a first append).
    pub fn is_loaded(&self) -> bool {
        self.initialized
    }
}

impl<C> Default for Collection<C> {
    fn default() -> Self {
        Collection::new()
    }
}

/// A copy shows the same members; changing it changes no object (only the handle can).
impl<C> Clone for Collection<C> {
    fn clone(&self) -> Self {
        Collection {
            items: self.items.clone(),
            initialized: self.initialized,
            removed: self.removed.clone(),
        }
    }
}

impl<C: Mapped> fmt::Debug for Collection<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.initialized {
            f.debug_list().entries(&self.items).finish()
        } else {
            f.write_str("<not loaded>")
        }
    }
}

/// A many-to-one reference field (`user: Reference<User>`): the parent, once loaded. Built
/// empty ([`Reference::new`]), changed only through [`Obj::reference`](crate::Obj::reference);
/// its foreign-key column is written from it at the flush.
pub struct Reference<P> {
    target: Option<Obj<P>>,
    loaded: bool,
}

impl<P> Reference<P> {
    /// No parent yet, not loaded: what a new object starts with.
    pub fn new() -> Self {
        Reference {
            target: None,
            loaded: false,
        }
    }

    /// The parent loaded or set so far (nothing is loaded here).
    pub fn loaded(&self) -> Option<&Obj<P>> {
        self.target.as_ref()
    }

    /// Whether the reference was loaded or set.
    pub fn is_loaded(&self) -> bool {
        self.loaded
    }
}

impl<P> Default for Reference<P> {
    fn default() -> Self {
        Reference::new()
    }
}

impl<P> Clone for Reference<P> {
    fn clone(&self) -> Self {
        Reference {
            target: self.target.clone(),
            loaded: self.loaded,
        }
    }
}

impl<P: Mapped> fmt::Debug for Reference<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.target, self.loaded) {
            (_, false) => f.write_str("<not loaded>"),
            (Some(target), true) => target.fmt(f),
            (None, true) => f.write_str("None"),
        }
    }
}

/// An object of a relationship, its class erased: what [`Relation`] hands the session.
#[doc(hidden)]
pub struct RelatedHandle(pub(crate) Handle);

/// The erased view of a relationship field, implemented by [`Collection`] and
/// [`Reference`]; `#[derive(Mapped)]` returns it from `Mapped::relation_mut`.
#[doc(hidden)]
pub trait Relation: Send + Sync {
    /// The field itself, for the typed accessors.
    fn as_any_mut(&mut self) -> &mut dyn Any;
    /// The objects loaded or set: the members, or the parent.
    fn related(&self) -> Vec<RelatedHandle>;
    /// Whether it was loaded.
    fn is_loaded(&self) -> bool;
    /// The members removed since the last call (delete-orphan candidates).
    fn take_removed(&mut self) -> Vec<RelatedHandle>;
    /// Whether `obj` is a member (or the parent).
    fn holds(&self, obj: &RelatedHandle) -> bool;
    /// Loads the collection of the persistent parent with key `parent_key` erased, when it
    /// was not loaded yet: the cascades of a deleted parent need its children.
    fn loader(&self) -> ErasedLoader;
    /// Stores loaded members (a collection) or the parent (a reference).
    fn store(&mut self, loaded: Vec<RelatedHandle>);
    /// Forgets what was loaded, so the next access loads it again (an expired object's
    /// relationship, as SQLAlchemy expires it with the columns).
    fn expire(&mut self);
}

impl<C: Mapped + Send + Sync> Relation for Collection<C> {
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn related(&self) -> Vec<RelatedHandle> {
        self.items
            .iter()
            .map(|o| RelatedHandle(handle(o)))
            .collect()
    }

    fn is_loaded(&self) -> bool {
        self.initialized
    }

    fn take_removed(&mut self) -> Vec<RelatedHandle> {
        std::mem::take(&mut self.removed)
            .iter()
            .map(|o| RelatedHandle(handle(o)))
            .collect()
    }

    fn holds(&self, obj: &RelatedHandle) -> bool {
        self.items.iter().any(|o| handle(o).addr() == obj.0.addr())
    }

    fn loader(&self) -> ErasedLoader {
        load::load_children_erased::<C>
    }

    fn store(&mut self, loaded: Vec<RelatedHandle>) {
        self.items = downcast_all(loaded);
        self.initialized = true;
    }

    fn expire(&mut self) {
        *self = Collection::new();
    }
}

impl<P: Mapped + Send + Sync> Relation for Reference<P> {
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn related(&self) -> Vec<RelatedHandle> {
        self.target
            .iter()
            .map(|o| RelatedHandle(handle(o)))
            .collect()
    }

    fn is_loaded(&self) -> bool {
        self.loaded
    }

    fn take_removed(&mut self) -> Vec<RelatedHandle> {
        Vec::new()
    }

    fn holds(&self, obj: &RelatedHandle) -> bool {
        self.target
            .as_ref()
            .is_some_and(|o| handle(o).addr() == obj.0.addr())
    }

    fn loader(&self) -> ErasedLoader {
        load::load_nothing
    }

    fn store(&mut self, loaded: Vec<RelatedHandle>) {
        self.target = downcast_all(loaded).into_iter().next();
        self.loaded = true;
    }

    fn expire(&mut self) {
        *self = Reference::new();
    }
}

fn downcast_all<C: Mapped + Send + Sync>(loaded: Vec<RelatedHandle>) -> Vec<Obj<C>> {
    loaded
        .into_iter()
        .filter_map(|h| h.0.instance().downcast_ref::<Obj<C>>().cloned())
        .collect()
}
