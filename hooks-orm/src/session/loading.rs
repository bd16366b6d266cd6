//! Loading: [`Session::get`], the reload of expired attributes, [`Session::expire`],
//! [`Session::refresh`] and [`Session::select`], all through the session's connection, the
//! rows going through the identity map (SQLAlchemy's `loading.py`, reduced).

use std::sync::{Arc, MutexGuard};

use hooks_sql::{Params, Value};

use super::fire::{self, Transition};
use super::identity::{MapKey, Objects};
use super::objects::{Membership, key_clause};
use super::{Session, SessionError, lock};
use crate::instance::{self, LoadContext};
use crate::mapper::{Mapped, MapperDef};
use crate::obj::{Handle, Obj, ObjHandle, handle};
use crate::state::{IdentityKey, InstanceState};

impl Session {
    /// The object of class `T` with primary key `primary_key` (one value per key column):
    /// from the identity map (its expired attributes reloaded), else loaded with a SELECT
    /// after an autoflush (`loaded_as_persistent`). `None` when there is no such row, or
    /// its object was deleted in this session.
    ///
    /// # Errors
    ///
    /// [`SessionError::UnmappedClass`], the autoflush's and the SELECT's errors.
    pub fn get<T: Mapped + Send + Sync>(
        &self,
        primary_key: impl Into<PrimaryKey>,
    ) -> Result<Option<Obj<T>>, SessionError> {
        self.mapper_of(T::MAPPER)?;
        let key = IdentityKey::new(T::MAPPER, primary_key.into().0);
        let map_key = MapKey::from(key.clone());
        let found = lock(&self.inner.objects).get(&map_key).cloned();
        if let Some(found) = found {
            let obj = found.instance().downcast_ref::<Obj<T>>().cloned();
            if let Some(obj) = &obj {
                drop(obj.read()?);
            }
            return Ok(obj);
        }
        self.autoflush()?;
        self.load::<T>(&key)
    }

    /// Flushes before a load, unless autoflush is off or a flush is running (SQLAlchemy's
    /// `_autoflush`).
    pub(crate) fn autoflush(&self) -> Result<(), SessionError> {
        if !self.inner.options.autoflush || self.is_flushing() {
            return Ok(());
        }
        self.flush()
    }

    fn load<T: Mapped + Send + Sync>(
        &self,
        key: &IdentityKey,
    ) -> Result<Option<Obj<T>>, SessionError> {
        let sql = select_by_key(T::MAPPER, &all_columns(T::MAPPER));
        let result = self
            .connection()?
            .execute(sql.as_str(), Params::Positional(key.primary_key().to_vec()))?;
        match result.into_rows().into_iter().next() {
            Some(row) => {
                (self.instance_from_row(row.into_values(), &LoadContext::new(self))).map(Some)
            }
            None => Ok(None),
        }
    }

    /// The object of a row of all `T`'s columns, in load run `context`: the identity map's
    /// (its expired attributes filled from the row and `refresh` fired, its other attributes
    /// left as they are, as SQLAlchemy does without `populate_existing`; nothing again if
    /// this run populated it already), else a new persistent one (`load`, then
    /// `loaded_as_persistent`).
    pub(crate) fn instance_from_row<T: Mapped + Send + Sync>(
        &self,
        row: Vec<Value>,
        context: &LoadContext<'_>,
    ) -> Result<Obj<T>, SessionError> {
        let map_key = MapKey::of_row(T::MAPPER, &row).ok_or(SessionError::NullIdentityKey {
            class: T::MAPPER.class_name,
        })?;
        let objects = lock(&self.inner.objects);
        let found =
            (objects.get(&map_key)).and_then(|h| h.instance().downcast_ref::<Obj<T>>().cloned());
        let Some(obj) = found else {
            let value = T::from_values(row)?;
            return self.new_loaded(objects, value, map_key, context);
        };
        drop(objects);
        if obj.state().load_run != Some(context.run_id()) {
            fill_expired(&obj, &row, context)?;
        }
        Ok(obj)
    }

    /// `value`, built from its row, as a new persistent object under `key` (SQLAlchemy's
    /// `_instance` for a new identity), its fields its committed state. `objects` is the
    /// session's identity map, locked by the caller, who found no object of `key` in it:
    /// the object joins it under that one lock; `load` fires, then `loaded_as_persistent`,
    /// once the lock is released.
    pub(crate) fn new_loaded<T: Mapped + Send + Sync>(
        &self,
        mut objects: MutexGuard<'_, Objects>,
        value: T,
        key: MapKey,
        context: &LoadContext<'_>,
    ) -> Result<Obj<T>, SessionError> {
        let state = self.loaded_state(T::MAPPER, &key, context);
        let obj = Obj::loaded(value, state, Arc::downgrade(&self.inner));
        let h = handle(&obj);
        objects.insert_identity(key, Arc::clone(&h));
        drop(objects);
        self.fire_loaded(&h, context)?;
        Ok(obj)
    }

    /// An object a `create_instance` listener built for a row joins the identity map under
    /// `key`, as [`new_loaded`](Session::new_loaded) does for the session's own.
    pub(crate) fn register_loaded<T: Mapped + Send + Sync>(
        &self,
        obj: &Obj<T>,
        key: MapKey,
        context: &LoadContext<'_>,
    ) -> Result<(), SessionError> {
        let h = handle(obj);
        *obj.state() = self.loaded_state(T::MAPPER, &key, context);
        h.set_owner(Arc::downgrade(&self.inner));
        lock(&self.inner.objects).insert_identity(key, Arc::clone(&h));
        self.fire_loaded(&h, context)
    }

    /// The state of an object of `class` just built from its row: persistent here under
    /// `key`, its fields its committed state, populated by `context`'s run.
    fn loaded_state(
        &self,
        class: &MapperDef,
        key: &MapKey,
        context: &LoadContext<'_>,
    ) -> InstanceState {
        InstanceState::loaded(
            class.columns.len(),
            key.identity().clone(),
            self.inner.id,
            context.run_id(),
        )
    }

    /// `load`, then `loaded_as_persistent`, on an object that just joined the identity map.
    fn fire_loaded(&self, obj: &Handle, context: &LoadContext<'_>) -> Result<(), SessionError> {
        instance::load(&**obj, context)?;
        fire::transition(self, Transition::LoadedAsPersistent, obj);
        Ok(())
    }

    /// Reloads the expired attributes of `obj` from its row (SQLAlchemy's
    /// `load_scalar_attributes`), without autoflush.
    pub(crate) fn load_expired(&self, obj: &dyn ObjHandle) -> Result<(), SessionError> {
        let class = obj.class();
        let (key, expired) = {
            let st = obj.state();
            let expired: Vec<usize> = (0..class.columns.len())
                .filter(|c| st.is_expired(*c))
                .collect();
            (st.key.clone(), expired)
        };
        let Some(key) = key else {
            return Ok(());
        };
        let names: Vec<&str> = expired.iter().map(|c| class.columns[*c].name).collect();
        let sql = select_by_key(class, &names);
        let result = self
            .connection()?
            .execute(sql.as_str(), Params::Positional(key.primary_key().to_vec()))?;
        let row = result.first().ok_or(SessionError::RowNotPresent {
            class: class.class_name,
        })?;
        let loaded: Vec<(usize, Value)> = expired
            .iter()
            .copied()
            .zip(row.values().iter().cloned())
            .collect();
        store_refreshed(obj, &loaded, &LoadContext::new(self))
    }
}

impl Session {
    /// Expires every attribute of `obj` (SQLAlchemy's `Session.expire`): its unflushed
    /// changes are discarded and the next read reloads it from its row.
    ///
    /// # Errors
    ///
    /// [`SessionError::NotPersisted`] unless `obj` is persistent in this session.
    pub fn expire<T: Mapped + Send + Sync>(&self, obj: &Obj<T>) -> Result<(), SessionError> {
        self.check_persistent(obj)?;
        instance::expire_all(obj);
        Ok(())
    }

    /// Expires the attributes `names` of `obj` only: the next read reloads just those.
    ///
    /// # Errors
    ///
    /// As [`expire`](Session::expire); [`SessionError::NoSuchAttribute`] for an unknown name
    /// (nothing is expired then).
    pub fn expire_attributes<T: Mapped + Send + Sync>(
        &self,
        obj: &Obj<T>,
        names: &[&str],
    ) -> Result<(), SessionError> {
        self.check_persistent(obj)?;
        let columns = names
            .iter()
            .map(|name| T::MAPPER.column_index(name))
            .collect::<Result<Vec<usize>, SessionError>>()?;
        {
            let mut st = obj.state();
            for column in columns {
                st.expire_column(column);
            }
        }
        instance::expire(obj, Some(names));
        Ok(())
    }

    /// Expires every persistent object of the session.
    pub fn expire_all(&self) {
        let persistent = lock(&self.inner.objects).persistent();
        for obj in persistent {
            instance::expire_all(&*obj);
        }
    }

    /// Reloads every attribute of `obj` from its row now (SQLAlchemy's `Session.refresh`),
    /// discarding unflushed changes.
    ///
    /// # Errors
    ///
    /// As [`expire`](Session::expire); [`SessionError::RowNotPresent`] when the row is gone.
    pub fn refresh<T: Mapped + Send + Sync>(&self, obj: &Obj<T>) -> Result<(), SessionError> {
        self.expire(obj)?;
        self.load_expired(obj)
    }

    fn check_persistent<T: Mapped + Send + Sync>(&self, obj: &Obj<T>) -> Result<(), SessionError> {
        let persistent = obj.object_state() == crate::ObjectState::Persistent;
        match self.membership(&handle(obj)) {
            Membership::Mine if persistent => Ok(()),
            _ => Err(SessionError::NotPersisted),
        }
    }

    /// A SELECT of `T`'s objects, run by the session: SQLAlchemy's `select(User)` executed
    /// with `session.scalars`, reduced to SQL filters and ordering. The same statement as
    /// [`select`](crate::select), bound to this session.
    pub fn select<T: Mapped + Send + Sync>(&self) -> Select<'_, T> {
        Select {
            session: self,
            statement: crate::select::<T>(),
        }
    }
}

/// A SELECT of the objects of class `T` ([`Session::select`]): the ORM statement
/// [`select`](crate::select) bound to a session, its filters SQL text with positional
/// parameters. Running it goes through [`Session::execute_orm`]: `do_orm_execute` sees it
/// (and may add criteria), then it autoflushes (with
/// [`SessionOptions::autoflush`](crate::SessionOptions::autoflush)) and passes each row
/// through the identity map: an object already in the session is returned as it is (its
/// expired attributes filled), a new one is loaded (`loaded_as_persistent`).
///
/// ```
/// # use hooks_orm::{Mapped, Obj, Registry, Session, SessionOptions};
/// # #[derive(Mapped)]
/// # #[mapped(table = "users")]
/// # struct User { #[column(primary_key)] id: Option<i64>, name: String }
/// # let registry = Registry::new();
/// # registry.map::<User>()?;
/// # let engine = hooks_sql::create_engine("sqlite://")?;
/// # registry.create_all(&engine)?;
/// # let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));
/// session.add(&Obj::new(User { id: None, name: "ed".into() }))?;
/// session.add(&Obj::new(User { id: None, name: "wendy".into() }))?;
/// let users = session
///     .select::<User>()
///     .filter("name LIKE ?", ["%d%"])
///     .order_by("name DESC")
///     .all()?; // autoflushed first
/// let names: Vec<String> = users.iter().map(|u| u.read().unwrap().name.clone()).collect();
/// assert_eq!(names, ["wendy", "ed"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use = "a Select does nothing until `all` or `first`"]
pub struct Select<'s, T> {
    session: &'s Session,
    statement: crate::OrmSelect<T>,
}

impl<T: Mapped + Send + Sync> Select<'_, T> {
    /// Adds `WHERE (condition)` (joined with `AND`), its `?` bound to `params` in order.
    pub fn filter<V: Into<Value>>(
        mut self,
        condition: &str,
        params: impl IntoIterator<Item = V>,
    ) -> Self {
        self.statement = self
            .statement
            .filter(crate::Criterion::sql(condition, params));
        self
    }

    /// Adds an `ORDER BY` term.
    pub fn order_by(mut self, term: &str) -> Self {
        self.statement = self.statement.order_by(term);
        self
    }

    /// The statement's SQL.
    pub fn sql(&self) -> String {
        self.statement.sql()
    }

    /// Every matching object.
    ///
    /// # Errors
    ///
    /// As [`Session::execute_orm`].
    pub fn all(self) -> Result<Vec<Obj<T>>, SessionError> {
        self.session.execute_orm(self.statement)
    }

    /// The first matching object, if any (the whole result is read, as `LIMIT` is up to
    /// the caller's `order_by` and filters).
    ///
    /// # Errors
    ///
    /// As [`all`](Select::all).
    pub fn first(self) -> Result<Option<Obj<T>>, SessionError> {
        Ok(self.all()?.into_iter().next())
    }
}

/// Writes reloaded values onto `obj` and into its committed state, un-expiring them, then
/// fires `refresh` (`attrs` `None` when every column was reloaded).
fn store_refreshed(
    obj: &dyn ObjHandle,
    loaded: &[(usize, Value)],
    context: &LoadContext<'_>,
) -> Result<(), SessionError> {
    obj.store_loaded(loaded)?;
    {
        let mut st = obj.state();
        st.commit_columns(loaded, true, || obj.current_values());
        for (column, _) in loaded {
            st.expired.set(*column, false);
        }
        st.load_run = Some(context.run_id());
    }
    let class = obj.class();
    let names: Vec<&str> = loaded.iter().map(|(c, _)| class.columns[*c].name).collect();
    let attrs = (names.len() < class.columns.len()).then_some(&names[..]);
    instance::refresh(obj, context, attrs)
}

/// Fills the expired attributes of an identity-map object from a full row.
fn fill_expired(
    obj: &dyn ObjHandle,
    row: &[Value],
    context: &LoadContext<'_>,
) -> Result<(), SessionError> {
    let expired: Vec<(usize, Value)> = {
        let st = obj.state();
        (0..row.len())
            .filter(|c| st.is_expired(*c))
            .map(|c| (c, row[c].clone()))
            .collect()
    };
    if expired.is_empty() {
        return Ok(());
    }
    store_refreshed(obj, &expired, context)
}

/// A primary key given to [`Session::get`]: one value per key column.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimaryKey(pub Vec<Value>);

impl<V: Into<Value>> From<V> for PrimaryKey {
    fn from(value: V) -> Self {
        PrimaryKey(vec![value.into()])
    }
}

pub(crate) fn all_columns(class: &MapperDef) -> Vec<&'static str> {
    class.columns.iter().map(|c| c.name).collect()
}

fn select_by_key(class: &MapperDef, columns: &[&str]) -> String {
    format!(
        "SELECT {} FROM {} WHERE {}",
        columns.join(", "),
        class.table,
        key_clause(class)
    )
}
