//! [`Obj<T>`]: the ORM-owned handle of one mapped object. The value and its
//! [`InstanceState`] live behind it; reads go through [`Obj::read`] and every write through
//! [`Obj::write_attribute`], so no write can bypass the history the flush reads or the
//! attribute events fired there.

mod erased;

pub(crate) use erased::store_modified;

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, Weak};

use hooks_sql::Value;

use crate::mapper::{Mapped, MapperDef};
use crate::session::{AnyInstance, Session, SessionError, SessionInner, lock};
use crate::state::{History, InstanceState, ObjectState};

struct ObjCell<T> {
    value: RwLock<T>,
    state: Mutex<InstanceState>,
    /// The session it belongs to, for the reload of expired attributes.
    owner: Mutex<Weak<SessionInner>>,
}

/// A mapped object owned by the ORM: SQLAlchemy's instrumented instance.
///
/// Cloning gives another handle to the same object; `==` compares identity, as the identity
/// map does. Session lifecycle events pass it erased: `instance.downcast_ref::<Obj<User>>()`.
///
/// ```
/// use hooks_orm::{Mapped, Obj, ObjectState};
///
/// #[derive(Mapped)]
/// #[mapped(table = "users")]
/// struct User {
///     #[column(primary_key)]
///     id: Option<i64>,
///     name: String,
/// }
///
/// let user = Obj::new(User { id: None, name: "ed".into() });
/// user.set(|u| u.name = "jack".into())?;
/// assert_eq!(user.read()?.name, "jack");
/// assert_eq!(user.object_state(), ObjectState::Transient);
/// # Ok::<(), hooks_orm::SessionError>(())
/// ```
pub struct Obj<T> {
    cell: Arc<ObjCell<T>>,
}

impl<T: Mapped + Send + Sync> Obj<T> {
    /// A new transient object: `init` fires first (after `first_init` for the class's first
    /// object), and may change `value`'s attributes.
    pub fn new(mut value: T) -> Self {
        crate::instance::constructed(&mut value);
        Obj::wrap(value)
    }

    /// The object `construct` builds, as [`new`](Obj::new); if it fails, `init_failure`
    /// fires with its error, which is then returned (SQLAlchemy's constructor raising).
    ///
    /// ```
    /// use hooks_orm::{Mapped, Obj};
    ///
    /// #[derive(Mapped)]
    /// #[mapped(table = "users")]
    /// struct User {
    ///     #[column(primary_key)]
    ///     id: Option<i64>,
    ///     age: i64,
    /// }
    ///
    /// let parsed = Obj::try_new(|| Ok::<_, std::num::ParseIntError>(User { id: None, age: "x".parse()? }));
    /// assert!(parsed.is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// `construct`'s error.
    pub fn try_new<E>(construct: impl FnOnce() -> Result<T, E>) -> Result<Self, E>
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        match construct() {
            Ok(value) => Ok(Obj::new(value)),
            Err(error) => {
                crate::instance::construction_failed::<T>(&error);
                Err(error)
            }
        }
    }

    /// An object the ORM builds itself (from a row, from a saved state): no `init`.
    pub(crate) fn built(value: T) -> Self {
        crate::instance::built::<T>();
        Obj::wrap(value)
    }

    /// An object the session built from its row, with its state and owner already set
    /// (a load builds a thousand; setting them afterwards took two more locks each).
    pub(crate) fn loaded(value: T, state: InstanceState, owner: Weak<SessionInner>) -> Self {
        crate::instance::built::<T>();
        Obj::with_state(value, state, owner)
    }

    fn wrap(value: T) -> Self {
        let state = InstanceState::new(T::MAPPER.columns.len());
        Obj::with_state(value, state, Weak::new())
    }

    fn with_state(value: T, state: InstanceState, owner: Weak<SessionInner>) -> Self {
        Obj {
            cell: Arc::new(ObjCell {
                value: RwLock::new(value),
                state: Mutex::new(state),
                owner: Mutex::new(owner),
            }),
        }
    }

    /// Reads the object, reloading its expired attributes first (SQLAlchemy's lazy load of
    /// expired attributes). Do not hold the guard across a write to the same object.
    ///
    /// # Errors
    ///
    /// [`SessionError::DetachedInstance`] when attributes are expired and the object is in no
    /// session; the reload's SQL errors.
    pub fn read(&self) -> Result<RwLockReadGuard<'_, T>, SessionError> {
        erased::load_expired(self)?;
        Ok(self
            .cell
            .value
            .read()
            .unwrap_or_else(PoisonError::into_inner))
    }

    /// The current value of column `name`.
    ///
    /// # Errors
    ///
    /// [`SessionError::NoSuchAttribute`], or as [`read`](Obj::read).
    pub fn value(&self, name: &str) -> Result<Value, SessionError> {
        erased::value(self, name)
    }

    /// Changes the object through `change`, run on a copy; each column it changed is then
    /// written through [`write_attribute`](Obj::write_attribute), in column order.
    ///
    /// # Errors
    ///
    /// As [`read`](Obj::read) and [`write_attribute`](Obj::write_attribute).
    pub fn set(&self, change: impl FnOnce(&mut T)) -> Result<(), SessionError> {
        let before = self.read()?.values();
        let mut copy = T::from_values(before.clone())?;
        change(&mut copy);
        for (column, (old, new)) in before.iter().zip(copy.values()).enumerate() {
            if *old != new {
                self.write_attribute(column, new)?;
            }
        }
        Ok(())
    }

    /// Writes column `name`.
    ///
    /// # Errors
    ///
    /// [`SessionError::NoSuchAttribute`], or as [`write_attribute`](Obj::write_attribute).
    pub fn set_attr(&self, name: &str, value: impl Into<Value>) -> Result<(), SessionError> {
        erased::write_named(self, name, value.into())
    }

    /// **The one write path of a mapped attribute** (SQLAlchemy's `ScalarAttributeImpl.set`):
    /// every write of [`set`](Obj::set) and [`set_attr`](Obj::set_attr) ends here. It
    /// reloads the attribute if expired, reads the old value, fires
    /// [`AttributeEvents`](crate::AttributeEvents) `set` (whose `retval` listeners may
    /// replace the value), stores the value, marks the attribute modified (its committed value
    /// stays for the history and the UPDATE) and fires `modified`. No lock is held while the
    /// listeners run.
    ///
    /// # Errors
    ///
    /// [`SessionError::Listener`] (`event: "set"`) when a `set` listener vetoes; a
    /// [`SessionError::Value`] when the value does not fit the field or `column` is not a
    /// column index; or as [`read`](Obj::read). Nothing is stored then.
    pub fn write_attribute(&self, column: usize, value: Value) -> Result<(), SessionError> {
        erased::write_attribute(self, column, value)
    }

    /// The object's [`InstanceState`], copied (SQLAlchemy's `inspect(obj)`).
    pub fn inspect(&self) -> InstanceState {
        let mut state = self.state().clone();
        if state.committed.is_current() {
            state
                .committed
                .values_mut(|| ObjHandle::current_values(self));
        }
        state
    }

    /// Which of the five states it is in.
    pub fn object_state(&self) -> ObjectState {
        self.state().state()
    }

    /// The history of column `name` since the last load or flush.
    ///
    /// # Errors
    ///
    /// [`SessionError::NoSuchAttribute`], or as [`read`](Obj::read).
    pub fn history(&self, name: &str) -> Result<History, SessionError> {
        erased::history(self, name)
    }

    pub(crate) fn write_lock(&self) -> std::sync::RwLockWriteGuard<'_, T> {
        self.cell
            .value
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T> Obj<T> {
    pub(crate) fn state(&self) -> MutexGuard<'_, InstanceState> {
        lock(&self.cell.state)
    }

    /// The session the object belongs to, if it is in one.
    pub(crate) fn session(&self) -> Option<Session> {
        self.state().session_id?;
        lock(&self.cell.owner).upgrade().map(Session::from_inner)
    }

    /// Whether both handles are the same object.
    pub fn ptr_eq(&self, other: &Obj<T>) -> bool {
        Arc::ptr_eq(&self.cell, &other.cell)
    }
}

impl<T> Clone for Obj<T> {
    fn clone(&self) -> Self {
        Obj {
            cell: Arc::clone(&self.cell),
        }
    }
}

impl<T> PartialEq for Obj<T> {
    fn eq(&self, other: &Self) -> bool {
        self.ptr_eq(other)
    }
}

impl<T> Eq for Obj<T> {}

impl<T: Mapped> fmt::Debug for Obj<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("Obj")
            .field("class", &T::MAPPER.class_name)
            .field("state", &state.state())
            .field("key", &state.key)
            .finish_non_exhaustive()
    }
}

/// An object as the session holds it: its class erased.
pub(crate) type Handle = Arc<dyn ObjHandle>;

/// What the session and the flush need of an object, whatever its class.
pub(crate) trait ObjHandle: Send + Sync {
    fn class(&self) -> &'static MapperDef;
    /// The `Obj<T>` itself, as the events pass it.
    fn instance(&self) -> &AnyInstance;
    /// Another handle to the object, erased.
    fn boxed_instance(&self) -> Box<AnyInstance>;
    /// The object's identity (its cell's address).
    fn addr(&self) -> usize;
    fn state(&self) -> MutexGuard<'_, InstanceState>;
    fn set_owner(&self, owner: Weak<SessionInner>);
    /// The session it belongs to, if that session is still open.
    fn owner(&self) -> Option<Arc<SessionInner>>;
    /// The column values as they are, expired or not.
    fn current_values(&self) -> Vec<Value>;
    /// Writes columns from the database (a load, a generated key): no history.
    fn store_loaded(&self, columns: &[(usize, Value)]) -> Result<(), SessionError>;
    /// Stores `value` in column `column`, under the write lock: the last step of a write,
    /// after its events.
    fn store_value(&self, column: usize, value: Value) -> Result<(), SessionError>;
    /// Runs `f` on relationship `index`, under the object's write lock (`f` fires nothing).
    fn with_relation(&self, index: usize, f: &mut dyn FnMut(&mut dyn crate::__private::Relation));
}

impl<T: Mapped + Send + Sync> ObjHandle for Obj<T> {
    fn class(&self) -> &'static MapperDef {
        T::MAPPER
    }

    fn instance(&self) -> &AnyInstance {
        self
    }

    fn boxed_instance(&self) -> Box<AnyInstance> {
        Box::new(self.clone())
    }

    fn addr(&self) -> usize {
        Arc::as_ptr(&self.cell).cast::<()>() as usize
    }

    fn state(&self) -> MutexGuard<'_, InstanceState> {
        Obj::state(self)
    }

    fn set_owner(&self, owner: Weak<SessionInner>) {
        *lock(&self.cell.owner) = owner;
    }

    fn owner(&self) -> Option<Arc<SessionInner>> {
        lock(&self.cell.owner).upgrade()
    }

    fn current_values(&self) -> Vec<Value> {
        self.cell
            .value
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
    }

    fn store_loaded(&self, columns: &[(usize, Value)]) -> Result<(), SessionError> {
        let mut value = self.write_lock();
        for (column, v) in columns {
            value.set_value(*column, v.clone())?;
        }
        Ok(())
    }

    fn store_value(&self, column: usize, value: Value) -> Result<(), SessionError> {
        Ok(self.write_lock().set_value(column, value)?)
    }

    fn with_relation(&self, index: usize, f: &mut dyn FnMut(&mut dyn crate::__private::Relation)) {
        if let Some(relation) = self.write_lock().relation_mut(index) {
            f(relation);
        }
    }
}

/// The handle of `obj`, for the session's lists.
pub(crate) fn handle<T: Mapped + Send + Sync>(obj: &Obj<T>) -> Handle {
    Arc::new(obj.clone())
}
