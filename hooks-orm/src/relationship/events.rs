//! The call points of the collection and reference events: the class's listeners, then the
//! `Mapper` type's (as `set` and `modified` in `fire.rs`). The walks that pass `key` go
//! listener by listener, since only a listener registered with `include_key` receives it.

use std::ops::ControlFlow;

use hooks::Modifiers;

use crate::error::ListenerError;
use crate::events::{Initiator, attribute_events};
use crate::fire::attribute_dispatchers;
use crate::mapper::MapperDef;
use crate::session::AnyInstance;

/// `key` for a listener: only with `include_key`.
fn key_for<K: Copy>(modifiers: &Modifiers, key: K) -> Option<K> {
    modifiers.has_custom("include_key").then_some(key)
}

/// `append`: the retval chain; the first `Err` vetoes.
pub(crate) fn append(
    class: &MapperDef,
    target: &AnyInstance,
    value: Box<AnyInstance>,
    key: usize,
    initiator: &Initiator,
) -> Result<Box<AnyInstance>, ListenerError> {
    let mut value = value;
    let mut vetoed = None;
    for dispatcher in attribute_dispatchers(class) {
        let _ = dispatcher
            .raw()
            .each::<attribute_events::append, _>(&mut |listener, modifiers| match listener(
                target,
                &*value,
                key_for(modifiers, key),
                initiator,
            ) {
                Ok(Some(new)) => {
                    value = new;
                    ControlFlow::Continue(())
                }
                Ok(None) => ControlFlow::Continue(()),
                Err(error) => {
                    vetoed = Some(error);
                    ControlFlow::Break(())
                }
            });
        if let Some(error) = vetoed.take() {
            return Err(error);
        }
    }
    Ok(value)
}

/// `append_wo_mutation`.
pub(crate) fn append_wo_mutation(
    class: &MapperDef,
    target: &AnyInstance,
    value: &AnyInstance,
    key: usize,
    initiator: &Initiator,
) {
    for dispatcher in attribute_dispatchers(class) {
        let _ = dispatcher
            .raw()
            .each::<attribute_events::append_wo_mutation, _>(&mut |listener, modifiers| {
                listener(target, value, key_for(modifiers, key), initiator);
                ControlFlow::Continue(())
            });
    }
}

/// `remove`: the first `Err` vetoes. `key` is `None` for a member of a collection not
/// loaded (a backref's removal from it), whose index is unknown.
pub(crate) fn remove(
    class: &MapperDef,
    target: &AnyInstance,
    value: &AnyInstance,
    key: Option<usize>,
    initiator: &Initiator,
) -> Result<(), ListenerError> {
    let mut vetoed = None;
    for dispatcher in attribute_dispatchers(class) {
        let _ = dispatcher
            .raw()
            .each::<attribute_events::remove, _>(&mut |listener, modifiers| match listener(
                target,
                value,
                key_for(modifiers, key).flatten(),
                initiator,
            ) {
                Ok(()) => ControlFlow::Continue(()),
                Err(error) => {
                    vetoed = Some(error);
                    ControlFlow::Break(())
                }
            });
        if let Some(error) = vetoed.take() {
            return Err(error);
        }
    }
    Ok(())
}

/// `bulk_replace`: each listener may change `values` in place.
pub(crate) fn bulk_replace(
    class: &MapperDef,
    target: &AnyInstance,
    values: &mut Vec<Box<AnyInstance>>,
    initiator: &Initiator,
) {
    for dispatcher in attribute_dispatchers(class) {
        let _ = dispatcher.raw().each::<attribute_events::bulk_replace, _>(
            &mut |listener, modifiers| {
                let keys: Vec<usize> = (0..values.len()).collect();
                listener(target, values, key_for(modifiers, &keys[..]), initiator);
                ControlFlow::Continue(())
            },
        );
    }
}

/// `init_collection`.
pub(crate) fn init_collection(class: &MapperDef, target: &AnyInstance, key: &'static str) {
    for dispatcher in attribute_dispatchers(class) {
        dispatcher.init_collection(target, key);
    }
}

/// `dispose_collection`, with the old members.
pub(crate) fn dispose_collection(
    class: &MapperDef,
    target: &AnyInstance,
    key: &'static str,
    collection: &[Box<AnyInstance>],
) {
    for dispatcher in attribute_dispatchers(class) {
        dispatcher.dispose_collection(target, key, collection);
    }
}

/// `set_object`: the first `Err` vetoes.
pub(crate) fn set_object(
    class: &MapperDef,
    target: &AnyInstance,
    value: Option<&AnyInstance>,
    oldvalue: Option<&AnyInstance>,
    initiator: &Initiator,
) -> Result<(), ListenerError> {
    for dispatcher in attribute_dispatchers(class) {
        dispatcher.set_object(target, value, oldvalue, initiator)?;
    }
    Ok(())
}
