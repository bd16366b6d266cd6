//! The relationship operations with their events, and the backrefs between the two sides
//! of a `back_populates` pair. A backref updates the other side and fires its events once,
//! with the initiator of the operation that started it; it never runs the other side's
//! backref again (SQLAlchemy's initiator check, here the [`Backref`] flag), so a change
//! never recurses.

use hooks_sql::Value;

use super::access::{def_of, initiator, with_collection, with_reference};
use super::load::load_children;
use super::{Collection, Reference, RelationshipKind, events};
use crate::events::{AttributeOp, Initiator};
use crate::mapper::Mapped;
use crate::obj::Obj;
use crate::session::{Session, SessionError};
use crate::state::ObjectState;

/// Whether an operation runs the other side's backref: `Skip` when it is itself a backref.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backref {
    Run,
    Skip,
}

fn listener(event: &'static str) -> impl FnOnce(crate::ListenerError) -> SessionError {
    move |source| SessionError::Listener { event, source }
}

/// The index of the relationship `def.back_populates` names on the target, if any.
fn back_index<T: Mapped>(index: usize, kind: RelationshipKind) -> Option<usize> {
    let def = def_of(T::MAPPER, index);
    let name = def.back_populates?;
    (def.target)()
        .relationships
        .iter()
        .position(|r| r.name == name && r.kind == kind)
}

/// `modified` for relationship `index` of `owner`.
fn modified<T: Mapped + Send + Sync>(owner: &Obj<T>, index: usize) {
    let initiator = initiator::<T>(index, AttributeOp::Modified);
    crate::fire::attribute_modified(T::MAPPER, owner, &initiator);
}

/// Marks the foreign-key column `fk` of `child` modified (the flush writes it), storing
/// NULL first when the child lost its parent.
fn touch_fk<C: Mapped + Send + Sync>(
    child: &Obj<C>,
    fk: usize,
    null: bool,
) -> Result<(), SessionError> {
    if null {
        return crate::obj::store_modified(child, fk, Value::Null);
    }
    child.state().modified.set(fk, true);
    Ok(())
}

/// Loads collection `index` of `owner` on first access: a persistent owner's children by
/// their foreign key, a new owner's none; `init_collection` fires.
pub(crate) fn ensure_loaded<T: Mapped + Send + Sync, C: Mapped + Send + Sync>(
    owner: &Obj<T>,
    index: usize,
) -> Result<(), SessionError> {
    if with_collection(owner, index, |c: &mut Collection<C>| c.initialized)? {
        return Ok(());
    }
    let def = def_of(T::MAPPER, index);
    let loaded = match owner.session() {
        Some(session) if owner.object_state() == ObjectState::Persistent => {
            let fk = def.foreign_key(T::MAPPER)?;
            let referenced = C::MAPPER.columns[fk]
                .foreign_key
                .and_then(|target| target.split_once('.'))
                .map_or("id", |(_, column)| column);
            let parent_key = owner.value(referenced)?;
            // As any load: pending changes are flushed first, so the SELECT sees them.
            session.autoflush()?;
            load_children::<C>(&session, fk, &parent_key)?
        }
        _ => Vec::new(),
    };
    events::init_collection(T::MAPPER, owner, def.name);
    with_collection(owner, index, |c: &mut Collection<C>| {
        if !c.initialized {
            // Members a backref removed before the load stay removed.
            c.items = (loaded.into_iter())
                .filter(|member| !c.removed.contains(member))
                .collect();
            c.initialized = true;
        }
    })
}

/// Appends `child` to collection `index` of `owner`, firing `append` (or
/// `append_wo_mutation`) with `initiator`.
pub(crate) fn append<T: Mapped + Send + Sync, C: Mapped + Send + Sync>(
    owner: &Obj<T>,
    index: usize,
    child: &Obj<C>,
    initiator: &Initiator,
    backref: Backref,
) -> Result<(), SessionError> {
    ensure_loaded::<T, C>(owner, index)?;
    let (present, len) = with_collection(owner, index, |c: &mut Collection<C>| {
        (c.items.iter().position(|o| o == child), c.items.len())
    })?;
    if let Some(position) = present {
        events::append_wo_mutation(T::MAPPER, owner, child, position, initiator);
        return Ok(());
    }
    let value = events::append(T::MAPPER, owner, Box::new(child.clone()), len, initiator)
        .map_err(listener("append"))?;
    let def = def_of(T::MAPPER, index);
    let child =
        value
            .downcast_ref::<Obj<C>>()
            .cloned()
            .ok_or(super::RelationshipError::WrongClass {
                class: T::MAPPER.class_name,
                name: def.name,
                expected: C::MAPPER.class_name,
            })?;
    with_collection(owner, index, |c: &mut Collection<C>| {
        if !c.items.contains(&child) {
            c.items.push(child.clone());
        }
        c.removed.retain(|o| *o != child);
    })?;
    touch_fk(&child, def.foreign_key(T::MAPPER)?, false)?;
    modified(owner, index);
    if backref == Backref::Skip {
        return Ok(());
    }
    if let Some(back) = back_index::<T>(index, RelationshipKind::ManyToOne) {
        reference_set::<C, T>(&child, back, Some(owner), initiator, Some(owner))?;
    }
    cascade_save(owner, &child, def.cascade.save_update)
}

/// Save-update: `related` joins the session of `owner`, if it has one.
fn cascade_save<T: Mapped + Send + Sync, C: Mapped + Send + Sync>(
    owner: &Obj<T>,
    related: &Obj<C>,
    save_update: bool,
) -> Result<(), SessionError> {
    match owner.session() {
        Some(session) if save_update && !session.contains(related) => session.add(related),
        _ => Ok(()),
    }
}

/// Removes `child` from collection `index` of `owner`, firing `remove` with `initiator`. A
/// backref's remove of a non-member does nothing.
pub(crate) fn remove<T: Mapped + Send + Sync, C: Mapped + Send + Sync>(
    owner: &Obj<T>,
    index: usize,
    child: &Obj<C>,
    initiator: &Initiator,
    backref: Backref,
) -> Result<(), SessionError> {
    let loaded = with_collection(owner, index, |c: &mut Collection<C>| c.initialized)?;
    if !loaded && backref == Backref::Skip {
        // A backref's removal from a collection not loaded (SQLAlchemy's passive pop): the
        // event fires without loading it; the removal waits for its load.
        events::remove(T::MAPPER, owner, child, None, initiator).map_err(listener("remove"))?;
        return removed(owner, index, child, initiator, backref);
    }
    ensure_loaded::<T, C>(owner, index)?;
    let position = with_collection(owner, index, |c: &mut Collection<C>| {
        c.items.iter().position(|o| o == child)
    })?;
    let Some(position) = position else {
        if backref == Backref::Skip {
            return Ok(());
        }
        return Err(super::RelationshipError::NotInCollection {
            class: T::MAPPER.class_name,
            name: def_of(T::MAPPER, index).name,
        }
        .into());
    };
    events::remove(T::MAPPER, owner, child, Some(position), initiator)
        .map_err(listener("remove"))?;
    with_collection(owner, index, |c: &mut Collection<C>| {
        c.items.retain(|o| o != child);
    })?;
    removed(owner, index, child, initiator, backref)
}

/// After `child` left collection `index` of `owner`: an orphan candidate, its foreign key
/// NULL, `modified`, and the backref clears its reference.
fn removed<T: Mapped + Send + Sync, C: Mapped + Send + Sync>(
    owner: &Obj<T>,
    index: usize,
    child: &Obj<C>,
    initiator: &Initiator,
    backref: Backref,
) -> Result<(), SessionError> {
    with_collection(owner, index, |c: &mut Collection<C>| {
        c.removed.push(child.clone());
    })?;
    modified(owner, index);
    // The backref first: an expired reference finds its old parent by the foreign key,
    // which is cleared after it.
    if backref != Backref::Skip
        && let Some(back) = back_index::<T>(index, RelationshipKind::ManyToOne)
    {
        reference_set::<C, T>(child, back, None, initiator, Some(owner))?;
    }
    touch_fk(
        child,
        def_of(T::MAPPER, index).foreign_key(T::MAPPER)?,
        true,
    )
}

/// The bulk replace of collection `index` of `owner` by `members`.
pub(crate) fn replace<T: Mapped + Send + Sync, C: Mapped + Send + Sync>(
    owner: &Obj<T>,
    index: usize,
    members: Vec<Obj<C>>,
) -> Result<(), SessionError> {
    let initiator = initiator::<T>(index, AttributeOp::BulkReplace);
    let def = def_of(T::MAPPER, index);
    let mut values: Vec<Box<crate::AnyInstance>> = members
        .into_iter()
        .map(|m| Box::new(m) as Box<crate::AnyInstance>)
        .collect();
    events::bulk_replace(T::MAPPER, owner, &mut values, &initiator);
    let members = values
        .iter()
        .map(|v| v.downcast_ref::<Obj<C>>().cloned())
        .collect::<Option<Vec<Obj<C>>>>()
        .ok_or(super::RelationshipError::WrongClass {
            class: T::MAPPER.class_name,
            name: def.name,
            expected: C::MAPPER.class_name,
        })?;
    ensure_loaded::<T, C>(owner, index)?;
    let old = with_collection(owner, index, |c: &mut Collection<C>| {
        std::mem::take(&mut c.items)
    })?;
    events::init_collection(T::MAPPER, owner, def.name);
    for member in &members {
        if old.contains(member) {
            let position = with_collection(owner, index, |c: &mut Collection<C>| {
                c.items.push(member.clone());
                c.items.len() - 1
            })?;
            events::append_wo_mutation(T::MAPPER, owner, member, position, &initiator);
        } else {
            append::<T, C>(owner, index, member, &initiator, Backref::Run)?;
        }
    }
    for (position, gone) in old.iter().enumerate() {
        if !members.contains(gone) {
            events::remove(T::MAPPER, owner, gone, Some(position), &initiator)
                .map_err(listener("remove"))?;
            removed(owner, index, gone, &initiator, Backref::Run)?;
        }
    }
    let disposed: Vec<Box<crate::AnyInstance>> = old
        .into_iter()
        .map(|o| Box::new(o) as Box<crate::AnyInstance>)
        .collect();
    events::dispose_collection(T::MAPPER, owner, def.name, &disposed);
    Ok(())
}

/// The parent of reference `index` of `owner`, loaded by its key through the session when
/// not loaded yet.
pub(crate) fn reference_get<T: Mapped + Send + Sync, P: Mapped + Send + Sync>(
    owner: &Obj<T>,
    index: usize,
) -> Result<Option<Obj<P>>, SessionError> {
    let lookup = match reference_state::<T, P>(owner, index)? {
        ReferenceState::Loaded(parent) => return Ok(parent),
        ReferenceState::Unloaded(lookup) => lookup,
    };
    let parent = match lookup {
        Some((session, key)) => session.get::<P>(key)?,
        None => None,
    };
    with_reference(owner, index, |r: &mut Reference<P>| {
        if !r.loaded {
            r.target = parent;
            r.loaded = true;
        }
        r.target.clone()
    })
}

/// A reference as it stands: its parent loaded, or the session and key to find it by
/// (`None`: no session or a NULL key, so no parent).
enum ReferenceState<P> {
    Loaded(Option<Obj<P>>),
    Unloaded(Option<(Session, Value)>),
}

fn reference_state<T: Mapped + Send + Sync, P: Mapped + Send + Sync>(
    owner: &Obj<T>,
    index: usize,
) -> Result<ReferenceState<P>, SessionError> {
    if let Some(loaded) = with_reference(owner, index, |r: &mut Reference<P>| {
        r.loaded.then(|| r.target.clone())
    })? {
        return Ok(ReferenceState::Loaded(loaded));
    }
    let fk = def_of(T::MAPPER, index).foreign_key(T::MAPPER)?;
    let key = owner.value(T::MAPPER.columns[fk].name)?;
    Ok(ReferenceState::Unloaded(match owner.session() {
        Some(session) if !key.is_null() => Some((session, key)),
        _ => None,
    }))
}

/// The parent already known without SQL: loaded, or in the identity map (SQLAlchemy's
/// `PASSIVE_NO_FETCH` read of the old value of a many-to-one set).
fn known_parent<T: Mapped + Send + Sync, P: Mapped + Send + Sync>(
    owner: &Obj<T>,
    index: usize,
) -> Result<Option<Obj<P>>, SessionError> {
    Ok(match reference_state::<T, P>(owner, index)? {
        ReferenceState::Loaded(parent) => parent,
        ReferenceState::Unloaded(Some((session, key))) => session.identity_get::<P>(key),
        ReferenceState::Unloaded(None) => None,
    })
}

/// Sets reference `index` of `owner` to `parent`, firing `set_object` with `initiator`.
/// `from` is the parent whose collection started this as its backref: its collection is
/// already changed, so only the other parent's is.
pub(crate) fn reference_set<T: Mapped + Send + Sync, P: Mapped + Send + Sync>(
    owner: &Obj<T>,
    index: usize,
    parent: Option<&Obj<P>>,
    initiator: &Initiator,
    from: Option<&Obj<P>>,
) -> Result<(), SessionError> {
    let old = known_parent::<T, P>(owner, index)?;
    let value = parent.map(|p| p as &crate::AnyInstance);
    let oldvalue = old.as_ref().map(|p| p as &crate::AnyInstance);
    events::set_object(T::MAPPER, owner, value, oldvalue, initiator)
        .map_err(listener("set_object"))?;
    let def = def_of(T::MAPPER, index);
    if let Some(back) = back_index::<T>(index, RelationshipKind::OneToMany) {
        if let Some(old) = old
            .as_ref()
            .filter(|o| Some(*o) != parent && Some(*o) != from)
        {
            remove::<P, T>(old, back, owner, initiator, Backref::Skip)?;
        }
        if let Some(new) = parent.filter(|p| from.is_none() && Some(*p) != old.as_ref()) {
            append::<P, T>(new, back, owner, initiator, Backref::Skip)?;
        }
    }
    with_reference(owner, index, |r: &mut Reference<P>| {
        r.target = parent.cloned();
        r.loaded = true;
    })?;
    touch_fk(owner, def.foreign_key(T::MAPPER)?, parent.is_none())?;
    modified(owner, index);
    match parent {
        Some(parent) if from.is_none() => cascade_save(owner, parent, def.cascade.save_update),
        _ => Ok(()),
    }
}
