//! The session's object operations: `add`, `delete`, `expunge`, `expunge_all`,
//! `make_transient`, `get`, `merge` and the `new`/`dirty`/`deleted` views, with the state
//! transition events at SQLAlchemy's points (`Session._save_impl`, `_update_impl`,
//! `_delete_impl`, `_expunge_states`, `InstanceState._detach_states`).

use std::sync::Arc;

use super::fire::{self, Transition};
use super::identity::{self, MapKey};
use super::loading::PrimaryKey;
use super::{Session, SessionError, lock};
use crate::mapper::{Mapped, Mapper, MapperDef};
use crate::obj::{Handle, Obj, handle};
use crate::state::IdentityKey;

/// Where an object stands relative to one session.
pub(crate) enum Membership {
    Mine,
    Other,
    None,
}

impl Session {
    pub(crate) fn membership(&self, obj: &Handle) -> Membership {
        match obj.state().session_id {
            Some(id) if id == self.inner.id => Membership::Mine,
            Some(_) => Membership::Other,
            None => Membership::None,
        }
    }

    pub(crate) fn mapper_of(&self, class: &MapperDef) -> Result<Arc<Mapper>, SessionError> {
        self.inner
            .options
            .mappers
            .iter()
            .find(|m| m.class().same_class(class))
            .cloned()
            .ok_or(SessionError::UnmappedClass {
                class: class.class_name,
            })
    }

    /// `before_attach`, then the object joins this session.
    fn attach(&self, obj: &Handle) -> Result<(), SessionError> {
        fire::before_attach(self, obj)?;
        obj.state().session_id = Some(self.inner.id);
        obj.set_owner(Arc::downgrade(&self.inner));
        Ok(())
    }

    /// Puts `obj` in the session: a transient object becomes pending (`before_attach`,
    /// `after_attach`, `transient_to_pending`), a detached one persistent again
    /// (`before_attach`, `after_attach`, `detached_to_persistent`). An object already in
    /// this session is left as it is.
    ///
    /// # Errors
    ///
    /// [`SessionError::InOtherSession`], [`SessionError::ObjectDeleted`] (its row was
    /// deleted: [`make_transient`](Session::make_transient) first),
    /// [`SessionError::IdentityConflict`], [`SessionError::UnmappedClass`], a `before_attach`
    /// listener's error (the object stays out).
    pub fn add<T: Mapped + Send + Sync>(&self, obj: &Obj<T>) -> Result<(), SessionError> {
        let obj = handle(obj);
        self.add_handle(&obj)?;
        self.cascade_add(&obj)
    }

    pub(crate) fn add_handle(&self, obj: &Handle) -> Result<(), SessionError> {
        self.mapper_of(obj.class())?;
        let (key, deleted) = {
            let st = obj.state();
            (st.key.clone(), st.deleted)
        };
        match self.membership(obj) {
            Membership::Mine if deleted => Err(SessionError::ObjectDeleted),
            Membership::Mine => Ok(()),
            Membership::Other => Err(SessionError::InOtherSession { key }),
            Membership::None => match key {
                None => {
                    self.attach(obj)?;
                    lock(&self.inner.objects).new.push(Arc::clone(obj));
                    fire::transition(self, Transition::AfterAttach, obj);
                    fire::transition(self, Transition::TransientToPending, obj);
                    Ok(())
                }
                Some(_) if deleted => Err(SessionError::ObjectDeleted),
                Some(key) => self.reattach(obj, key),
            },
        }
    }

    /// A detached object back into the identity map: `detached_to_persistent`.
    fn reattach(&self, obj: &Handle, key: IdentityKey) -> Result<(), SessionError> {
        let map_key = MapKey::from(key.clone());
        if lock(&self.inner.objects).contains_key(&map_key) {
            return Err(SessionError::IdentityConflict { key });
        }
        self.attach(obj)?;
        lock(&self.inner.objects).insert_identity(map_key, Arc::clone(obj));
        fire::transition(self, Transition::AfterAttach, obj);
        fire::transition(self, Transition::DetachedToPersistent, obj);
        Ok(())
    }

    /// Marks a persistent object for deletion at the next flush (a detached one is attached
    /// first: `before_attach`, `after_attach`, `detached_to_persistent`). The flush deletes
    /// its row (`persistent_to_deleted`); the commit detaches it (`deleted_to_detached`).
    ///
    /// # Errors
    ///
    /// [`SessionError::NotPersisted`] for a transient or pending object, as
    /// [`add`](Session::add) otherwise.
    pub fn delete<T: Mapped + Send + Sync>(&self, obj: &Obj<T>) -> Result<(), SessionError> {
        self.delete_handle(&handle(obj))
    }

    /// [`delete`](Session::delete), erased; then the delete cascade of its relationships.
    pub(crate) fn delete_handle(&self, obj: &Handle) -> Result<(), SessionError> {
        self.mapper_of(obj.class())?;
        let (key, deleted) = {
            let st = obj.state();
            (st.key.clone(), st.deleted)
        };
        let Some(key) = key else {
            return Err(SessionError::NotPersisted);
        };
        match self.membership(obj) {
            Membership::Other => return Err(SessionError::InOtherSession { key: Some(key) }),
            Membership::Mine if deleted => return Ok(()),
            Membership::Mine => {}
            Membership::None if deleted => return Err(SessionError::ObjectDeleted),
            Membership::None => self.reattach(obj, key)?,
        }
        {
            let mut objects = lock(&self.inner.objects);
            if !identity::contains(&objects.deleted, obj) {
                objects.deleted.push(Arc::clone(obj));
            }
        }
        self.cascade_delete(obj)
    }

    /// Removes `obj` from the session: pending → transient (`pending_to_transient`),
    /// persistent → detached (`persistent_to_detached`), deleted → detached
    /// (`deleted_to_detached`).
    ///
    /// # Errors
    ///
    /// [`SessionError::NotInSession`].
    pub fn expunge<T: Mapped + Send + Sync>(&self, obj: &Obj<T>) -> Result<(), SessionError> {
        let obj = handle(obj);
        if !matches!(self.membership(&obj), Membership::Mine) {
            return Err(SessionError::NotInSession);
        }
        self.forget(&obj);
        self.detach_states(&[obj], false);
        Ok(())
    }

    /// Takes `obj` out of every list of the session.
    pub(crate) fn forget(&self, obj: &Handle) {
        let mut objects = lock(&self.inner.objects);
        let key = MapKey::of(obj);
        if let Some(key) = key
            && objects.holds(obj)
        {
            objects.remove_identity(&key);
        }
        identity::remove(&mut objects.new, obj);
        identity::remove(&mut objects.deleted, obj);
        identity::remove(&mut objects.tx_inserted, obj);
        objects
            .tx_generated_keys
            .retain(|k| k.obj.addr() != obj.addr());
        identity::remove(&mut objects.tx_deleted, obj);
    }

    /// Removes every object from the session, firing each one's transition
    /// (`persistent_to_detached`, `pending_to_transient`, `deleted_to_detached`).
    pub fn expunge_all(&self) {
        let all = lock(&self.inner.objects).take_all();
        self.detach_states(&all, false);
    }

    /// Sends `obj` back to the transient state: out of its session (`pending_to_transient`
    /// or `persistent_to_transient`), its identity key and deleted flag removed
    /// (SQLAlchemy's `make_transient`). Works on a detached object too (no event then).
    ///
    /// # Errors
    ///
    /// [`SessionError::InOtherSession`].
    pub fn make_transient<T: Mapped + Send + Sync>(
        &self,
        obj: &Obj<T>,
    ) -> Result<(), SessionError> {
        let obj = handle(obj);
        match self.membership(&obj) {
            Membership::Other => Err(SessionError::InOtherSession { key: None }),
            Membership::Mine => {
                self.forget(&obj);
                self.detach_states(&[obj], true);
                Ok(())
            }
            Membership::None => {
                let mut st = obj.state();
                st.key = None;
                st.deleted = false;
                Ok(())
            }
        }
    }

    /// SQLAlchemy's `InstanceState._detach_states`: each object leaves the session with
    /// the event of the state it was in; with `to_transient`, keyed ones lose their key.
    pub(crate) fn detach_states(&self, objects: &[Handle], to_transient: bool) {
        for obj in objects {
            let transition = {
                let mut st = obj.state();
                let (pending, deleted) = (st.key.is_none(), st.deleted);
                st.session_id = None;
                if to_transient {
                    st.key = None;
                    st.deleted = false;
                }
                match (pending, deleted, to_transient) {
                    (true, _, _) => Transition::PendingToTransient,
                    (false, true, _) => Transition::DeletedToDetached,
                    (false, false, true) => Transition::PersistentToTransient,
                    (false, false, false) => Transition::PersistentToDetached,
                }
            };
            obj.set_owner(std::sync::Weak::new());
            fire::transition(self, transition, obj);
        }
    }

    /// The pending objects, in `add` order (SQLAlchemy's `session.new`), erased: downcast
    /// each with `downcast_ref::<Obj<User>>()`.
    pub fn new_objects(&self) -> Vec<Box<crate::AnyInstance>> {
        erase(&lock(&self.inner.objects).new)
    }

    /// The persistent objects with attribute writes since their last load or flush
    /// (SQLAlchemy's `session.dirty`).
    pub fn dirty(&self) -> Vec<Box<crate::AnyInstance>> {
        erase(&self.dirty_handles())
    }

    /// The objects marked for deletion (SQLAlchemy's `session.deleted`).
    pub fn deleted(&self) -> Vec<Box<crate::AnyInstance>> {
        erase(&lock(&self.inner.objects).deleted)
    }

    pub(crate) fn dirty_handles(&self) -> Vec<Handle> {
        let persistent = lock(&self.inner.objects).persistent();
        persistent
            .into_iter()
            .filter(|h| h.state().is_modified())
            .collect()
    }

    /// Whether the session holds `obj`.
    pub fn contains<T: Mapped + Send + Sync>(&self, obj: &Obj<T>) -> bool {
        matches!(self.membership(&handle(obj)), Membership::Mine)
    }

    /// Copies the state of `obj` onto the session's object of the same identity, loading it
    /// if needed, and returns that object (SQLAlchemy's `merge`); an object without a key is
    /// copied into a new pending one. `obj` itself is not attached.
    ///
    /// # Errors
    ///
    /// As [`get`](Session::get) and [`add`](Session::add).
    pub fn merge<T: Mapped + Send + Sync>(&self, obj: &Obj<T>) -> Result<Obj<T>, SessionError> {
        let values = obj.read()?.values();
        let key = obj.state().key.clone();
        let target = match key {
            Some(key) => self.get::<T>(PrimaryKey(key.primary_key().to_vec()))?,
            None => None,
        };
        let Some(target) = target else {
            let copy = Obj::new(T::from_values(values)?);
            self.add(&copy)?;
            return Ok(copy);
        };
        let current = target.read()?.values();
        for (column, value) in values.into_iter().enumerate() {
            if current[column] != value {
                target.write_attribute(column, value)?;
            }
        }
        Ok(target)
    }
}

fn erase(list: &[Handle]) -> Vec<Box<crate::AnyInstance>> {
    list.iter().map(|h| h.boxed_instance()).collect()
}

/// `WHERE pk1 = ? AND pk2 = ?`, the key columns in order.
pub(crate) fn key_clause(class: &MapperDef) -> String {
    let parts: Vec<String> = class.primary_key().map(|c| format!("{c} = ?")).collect();
    parts.join(" AND ")
}
