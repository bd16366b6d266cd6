//! The call points: one function per event, called by the registry at exactly the moment the
//! event documents. Keeping them here keeps every event point greppable.

use hooks::{Class, HasEvents};

use hooks_sql::Value;

use crate::error::ListenerError;
use crate::events::{
    AttributeEvents, Initiator, InstrumentationEvents, MapperEvents, attribute_events,
    instrumentation_events, mapper_events,
};
use crate::mapper::{AttributeDef, Mapper, MapperDef, RegistryScope};
use crate::session::AnyInstance;

/// A mapper's events, in firing order: its class's listeners (`User`), its mixins', then the
/// `Mapper` type's, the mapper's own and its registry's (one joined dispatcher).
pub(crate) fn mapper_dispatchers(
    mapper: &Mapper,
) -> impl Iterator<Item = mapper_events::Dispatcher<'_>> {
    let class_levels = mapper.class().levels().map(|level| (level.mapper)());
    class_levels.chain([HasEvents::<dyn MapperEvents>::dispatch(mapper)])
}

fn instrumentation_dispatchers(
    mapper: &Mapper,
) -> impl Iterator<Item = instrumentation_events::Dispatcher<'_>> {
    let class_levels = mapper
        .class()
        .levels()
        .map(|level| (level.instrumentation)());
    class_levels.chain([HasEvents::<dyn InstrumentationEvents>::dispatch(mapper)])
}

/// An object's attribute events, in firing order: its class's, its mixins', the `Mapper`
/// type's.
pub(crate) fn attribute_dispatchers(
    class: &MapperDef,
) -> impl Iterator<Item = attribute_events::Dispatcher<'static>> + use<> {
    let class_levels = class.levels().map(|level| (level.attribute)());
    class_levels.chain([Class::<Mapper>::new().dispatch::<dyn AttributeEvents>()])
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
    mapper_dispatchers(mapper).for_each(|d| d.instrument_class(mapper, class));
    instrumentation_dispatchers(mapper).for_each(|d| d.class_instrument(mapper, class));
    let columns = class.columns.iter().map(AttributeDef::Column);
    let relationships = class.relationships.iter().map(AttributeDef::Relationship);
    for attribute in columns.chain(relationships) {
        instrumentation_dispatchers(mapper)
            .for_each(|d| d.attribute_instrument(mapper, class, attribute.name(), attribute));
    }
    mapper_dispatchers(mapper).for_each(|d| d.after_mapper_constructed(mapper, class));
}

/// `before_configured`, once per run with new mappers.
pub(crate) fn before_configured(scope: &RegistryScope) {
    configure_dispatch(scope).before_configured();
}

/// `after_configured`, at the end of a run with new mappers.
pub(crate) fn after_configured(scope: &RegistryScope) {
    configure_dispatch(scope).after_configured();
}

/// `before_mapper_configured`: true = skip this mapper for this run (the first `true` halts).
pub(crate) fn before_mapper_configured(mapper: &Mapper) -> bool {
    mapper_dispatchers(mapper).any(|d| d.before_mapper_configured(mapper, mapper.class()))
}

/// `mapper_configured`: an `Err` stops the run.
pub(crate) fn mapper_configured(mapper: &Mapper) -> Result<(), ListenerError> {
    mapper_dispatchers(mapper).try_for_each(|d| d.mapper_configured(mapper, mapper.class()))
}

/// `class_uninstrument`, on dispose.
pub(crate) fn class_uninstrument(mapper: &Mapper) {
    instrumentation_dispatchers(mapper).for_each(|d| d.class_uninstrument(mapper, mapper.class()));
}

/// A column's `set`: the listeners of its own target (`User::phone`), then the class-level
/// ones ([`attribute_set`]), each receiving the value the previous one returned.
pub(crate) fn column_set(
    class: &MapperDef,
    column: usize,
    target: &AnyInstance,
    value: Value,
    oldvalue: &Value,
    initiator: &Initiator,
) -> Result<Value, ListenerError> {
    let value = match class.class_listeners {
        Some(listeners) => (listeners.member_set)(column, target, value, oldvalue, initiator)?,
        None => value,
    };
    attribute_set(class, target, value, oldvalue, initiator)
}

/// A column's `modified`: its own target's listeners, then the class-level ones.
pub(crate) fn column_modified(
    class: &MapperDef,
    column: usize,
    target: &AnyInstance,
    initiator: &Initiator,
) {
    if let Some(listeners) = class.class_listeners {
        (listeners.member_modified)(column, target, initiator);
    }
    attribute_modified(class, target, initiator);
}

/// An attribute's `set`: the class's listeners, its mixins', then the `Mapper` type's, each
/// receiving the value the previous one returned; the first `Err` vetoes.
pub(crate) fn attribute_set(
    class: &MapperDef,
    target: &AnyInstance,
    value: Value,
    oldvalue: &Value,
    initiator: &Initiator,
) -> Result<Value, ListenerError> {
    attribute_dispatchers(class)
        .try_fold(value, |value, d| d.set(target, value, oldvalue, initiator))
}

/// An attribute's `modified`: the class's listeners, its mixins', then the `Mapper` type's.
pub(crate) fn attribute_modified(class: &MapperDef, target: &AnyInstance, initiator: &Initiator) {
    attribute_dispatchers(class).for_each(|d| d.modified(target, initiator));
}
