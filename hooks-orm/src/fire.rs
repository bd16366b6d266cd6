//! The call points: one function per event, called by the registry at exactly the moment the
//! event documents. Keeping them here keeps every event point greppable.

use hooks::{Class, HasEvents};

use hooks_sql::Value;

use crate::error::ListenerError;
use crate::events::{
    AttributeEvents, Initiator, InstrumentationEvents, MapperEvents, mapper_events,
};
use crate::mapper::{Mapper, MapperDef, RegistryScope};
use crate::session::AnyInstance;

/// A mapper's events: its class's listeners (`User`), then the `Mapper` type's, the mapper's
/// own, its registry's.
pub(crate) fn mapper_dispatch(mapper: &Mapper) -> mapper_events::Dispatcher<'_> {
    match mapper.class().class_listeners {
        Some(class) => (class.mapper)(mapper),
        None => HasEvents::<dyn MapperEvents>::dispatch(mapper),
    }
}

fn instrumentation_dispatch(
    mapper: &Mapper,
) -> crate::events::instrumentation_events::Dispatcher<'_> {
    match mapper.class().class_listeners {
        Some(class) => (class.instrumentation)(mapper),
        None => HasEvents::<dyn InstrumentationEvents>::dispatch(mapper),
    }
}

/// The registry-wide events have no mapper to fire on (SQLAlchemy fires them on the `Mapper`
/// class): they fire on the `Mapper` type's class-level listeners, then join the registry's,
/// the same order a mapper's events take.
fn configure_dispatch(scope: &RegistryScope) -> mapper_events::Dispatcher<'_> {
    Class::<Mapper>::new().dispatch_joined::<dyn MapperEvents>(scope)
}

/// The construction sequence of one mapper: `instrument_class`, `class_instrument`, one
/// `attribute_instrument` per column, `after_mapper_constructed`.
pub(crate) fn construct(mapper: &Mapper) {
    let class = mapper.class();
    mapper_dispatch(mapper).instrument_class(mapper, class);
    instrumentation_dispatch(mapper).class_instrument(mapper, class);
    for column in class.columns {
        instrumentation_dispatch(mapper).attribute_instrument(mapper, class, column.name, column);
    }
    mapper_dispatch(mapper).after_mapper_constructed(mapper, class);
}

/// `before_configured`, once per run with new mappers.
pub(crate) fn before_configured(scope: &RegistryScope) {
    configure_dispatch(scope).before_configured();
}

/// `after_configured`, at the end of a run with new mappers.
pub(crate) fn after_configured(scope: &RegistryScope) {
    configure_dispatch(scope).after_configured();
}

/// `before_mapper_configured`: true = skip this mapper for this run.
pub(crate) fn before_mapper_configured(mapper: &Mapper) -> bool {
    mapper_dispatch(mapper).before_mapper_configured(mapper, mapper.class())
}

/// `mapper_configured`: an `Err` stops the run.
pub(crate) fn mapper_configured(mapper: &Mapper) -> Result<(), ListenerError> {
    mapper_dispatch(mapper).mapper_configured(mapper, mapper.class())
}

/// `class_uninstrument`, on dispose.
pub(crate) fn class_uninstrument(mapper: &Mapper) {
    instrumentation_dispatch(mapper).class_uninstrument(mapper, mapper.class());
}

/// An attribute's `set`: the class's listeners, then the `Mapper` type's, each receiving the
/// value the previous one returned; the first `Err` vetoes.
pub(crate) fn attribute_set(
    class: &MapperDef,
    target: &AnyInstance,
    value: Value,
    oldvalue: &Value,
    initiator: &Initiator,
) -> Result<Value, ListenerError> {
    let value = match class.class_listeners {
        Some(listeners) => (listeners.attribute)().set(target, value, oldvalue, initiator)?,
        None => value,
    };
    Class::<Mapper>::new()
        .dispatch::<dyn AttributeEvents>()
        .set(target, value, oldvalue, initiator)
}

/// An attribute's `modified`: the class's listeners, then the `Mapper` type's.
pub(crate) fn attribute_modified(class: &MapperDef, target: &AnyInstance, initiator: &Initiator) {
    if let Some(listeners) = class.class_listeners {
        (listeners.attribute)().modified(target, initiator);
    }
    Class::<Mapper>::new()
        .dispatch::<dyn AttributeEvents>()
        .modified(target, initiator);
}
