//! The argument types of [`InstanceEvents`] and their call points: the class's listeners
//! first, then the [`Mapper`] type's (the order of every class-level family here).

mod pickle;

use std::any::Any;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering};

use hooks::{Class, Modifiers};
use hooks_sql::Value;

pub use pickle::StateDict;

use crate::error::ListenerError;
use crate::events::{InstanceEvents, instance_events};
use crate::mapper::{Mapped, Mapper, MapperDef};
use crate::obj::ObjHandle;
use crate::session::{FlushContext, Session, SessionError};
use crate::values::ValueError;

/// The error a constructor given to [`Obj::try_new`](crate::Obj::try_new) returned, as
/// `init_failure` receives it.
pub type ConstructorError = dyn std::error::Error + Send + Sync;

/// The constructed value's attributes, as `init` listeners may change them (SQLAlchemy's
/// `kwargs` of the constructor).
pub struct ConstructorArgs<'a> {
    class: &'static MapperDef,
    value: &'a mut dyn MappedValue,
}

impl<'a> ConstructorArgs<'a> {
    pub(crate) fn new<T: Mapped>(value: &'a mut T) -> Self {
        ConstructorArgs {
            class: T::MAPPER,
            value,
        }
    }

    /// The class being constructed.
    pub fn class(&self) -> &'static MapperDef {
        self.class
    }

    /// The current value of attribute `name`; `None` if the class has no such column.
    pub fn get(&self, name: &str) -> Option<Value> {
        let column = self.class.columns.iter().position(|c| c.name == name)?;
        Some(self.value.values().swap_remove(column))
    }

    /// Sets attribute `name` of the value being constructed.
    ///
    /// # Errors
    ///
    /// A [`ValueError`] when the class has no such column or the value does not fit its
    /// field; nothing changes then.
    pub fn set(&mut self, name: &str, value: impl Into<Value>) -> Result<(), ValueError> {
        let column = (self.class.columns.iter().position(|c| c.name == name))
            .ok_or_else(|| ValueError::no_attribute(self.class, name))?;
        self.value.set_value(column, value.into())
    }

    /// The value itself, if it is a `T`.
    pub fn downcast_mut<T: Mapped>(&mut self) -> Option<&mut T> {
        self.value.as_any_mut().downcast_mut::<T>()
    }
}

impl std::fmt::Debug for ConstructorArgs<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = self.class.columns.iter().map(|c| c.name);
        f.debug_map()
            .entries(names.zip(self.value.values()))
            .finish()
    }
}

/// What `ConstructorArgs` needs of the value, whatever its class.
trait MappedValue {
    fn values(&self) -> Vec<Value>;
    fn set_value(&mut self, column: usize, value: Value) -> Result<(), ValueError>;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Mapped> MappedValue for T {
    fn values(&self) -> Vec<Value> {
        Mapped::values(self)
    }

    fn set_value(&mut self, column: usize, value: Value) -> Result<(), ValueError> {
        Mapped::set_value(self, column, value)
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// One load run (SQLAlchemy's `QueryContext`, reduced): a `get`, a select, a refresh or the
/// reload of expired attributes. Each run has its own id, recorded on every object it
/// populates ([`InstanceState::load_run`](crate::InstanceState::load_run)); an object the
/// run already populated is not populated again by a later row of the same run.
///
/// A `load` or `refresh` listener that reloads the object (say, [`Session::refresh`] inside
/// it) starts a run of its own, which then owns the object. With the `restore_load_context`
/// modifier the outer run's id is put back after the listener, as SQLAlchemy's
/// `restore_load_context=True` does; without it the object keeps the inner run's id.
#[derive(Debug)]
pub struct LoadContext<'a> {
    session: &'a Session,
    run_id: u64,
}

impl<'a> LoadContext<'a> {
    pub(crate) fn new(session: &'a Session) -> Self {
        static RUNS: AtomicU64 = AtomicU64::new(1);
        LoadContext {
            session,
            run_id: RUNS.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The session loading.
    pub fn session(&self) -> &'a Session {
        self.session
    }

    /// This run's id.
    pub fn run_id(&self) -> u64 {
        self.run_id
    }
}

/// The class's dispatchers (its own, its mixins'), then the `Mapper` type's.
fn dispatchers(
    class: &MapperDef,
) -> impl Iterator<Item = instance_events::Dispatcher<'static>> + use<> {
    let class_levels = class.levels().map(|level| (level.instance)());
    class_levels.chain([Class::<Mapper>::new().dispatch::<dyn InstanceEvents>()])
}

/// `first_init`, if no object of `T` was built before.
fn first_init<T: Mapped>() {
    let first = T::MAPPER
        .class_listeners
        .is_some_and(|listeners| (listeners.claim_first_init)());
    if first {
        dispatchers(T::MAPPER).for_each(|d| d.first_init(T::MAPPER));
    }
}

/// `first_init` (once per class), then `init`, on a constructed value.
pub(crate) fn constructed<T: Mapped>(value: &mut T) {
    first_init::<T>();
    let mut args = ConstructorArgs::new(value);
    dispatchers(T::MAPPER).for_each(|d| d.init(T::MAPPER, &mut args));
}

/// `first_init` (once per class), then `init_failure`, on a constructor's error.
pub(crate) fn construction_failed<T: Mapped>(error: &ConstructorError) {
    first_init::<T>();
    dispatchers(T::MAPPER).for_each(|d| d.init_failure(T::MAPPER, error));
}

/// `first_init` for an object built from a row or a saved state (which fire no `init`).
pub(crate) fn built<T: Mapped>() {
    first_init::<T>();
}

/// `load`, on a new object populated by `context`.
pub(crate) fn load(obj: &dyn ObjHandle, context: &LoadContext<'_>) -> Result<(), SessionError> {
    let target = obj.instance();
    each_loading::<instance_events::load>(obj, "load", |listener| listener(target, context))
}

/// `refresh`, on an object of the identity map populated again by `context`.
pub(crate) fn refresh(
    obj: &dyn ObjHandle,
    context: &LoadContext<'_>,
    attrs: Option<&[&str]>,
) -> Result<(), SessionError> {
    let target = obj.instance();
    each_loading::<instance_events::refresh>(obj, "refresh", |listener| {
        listener(target, context, attrs)
    })
}

/// Runs a loading event's listeners until one fails, putting the object's load run back
/// after each `restore_load_context` listener.
fn each_loading<E>(
    obj: &dyn ObjHandle,
    event: &'static str,
    mut call: impl FnMut(&E::Callable) -> Result<(), ListenerError>,
) -> Result<(), SessionError>
where
    E: hooks::Event<Family = dyn InstanceEvents>,
{
    let mut failed = None;
    for dispatcher in dispatchers(obj.class()) {
        let _ = dispatcher.raw().each::<E, _>(&mut |listener, modifiers| {
            let outcome = restoring_load_run(obj, modifiers, || call(listener));
            match outcome {
                Ok(()) => ControlFlow::Continue(()),
                Err(source) => {
                    failed = Some(source);
                    ControlFlow::Break(())
                }
            }
        });
        if let Some(source) = failed.take() {
            return Err(SessionError::Listener { event, source });
        }
    }
    Ok(())
}

fn restoring_load_run<R>(obj: &dyn ObjHandle, modifiers: &Modifiers, run: impl FnOnce() -> R) -> R {
    if !modifiers.has_custom("restore_load_context") {
        return run();
    }
    let saved = obj.state().load_run;
    let result = run();
    obj.state().load_run = saved;
    result
}

/// `refresh_flush`, with the generated columns the INSERT read back.
pub(crate) fn refresh_flush(obj: &dyn ObjHandle, flush_context: &FlushContext<'_>, attrs: &[&str]) {
    let target = obj.instance();
    dispatchers(obj.class()).for_each(|d| d.refresh_flush(target, flush_context, attrs));
}

/// Expires every attribute of `obj` (discarding its pending changes), its relationships
/// included (each loads again on its next access), then fires `expire`.
pub(crate) fn expire_all(obj: &dyn ObjHandle) {
    obj.state().expire_all();
    for index in 0..obj.class().relationships.len() {
        obj.with_relation(index, &mut |relation| relation.expire());
    }
    expire(obj, None);
}

/// `expire`, after the state changed: `None` = every attribute.
pub(crate) fn expire(obj: &dyn ObjHandle, attrs: Option<&[&str]>) {
    let target = obj.instance();
    dispatchers(obj.class()).for_each(|d| d.expire(target, attrs));
}

/// `pickle`, on the state dict being written out.
pub(crate) fn pickle(obj: &dyn ObjHandle, state_dict: &mut StateDict) {
    let target = obj.instance();
    dispatchers(obj.class()).for_each(|d| d.pickle(target, state_dict));
}

/// `unpickle`, on the object rebuilt from `state_dict`.
pub(crate) fn unpickle(obj: &dyn ObjHandle, state_dict: &StateDict) {
    let target = obj.instance();
    dispatchers(obj.class()).for_each(|d| d.unpickle(target, state_dict));
}
