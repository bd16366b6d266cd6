//! [`InstrumentationEvents`]: classes and attributes instrumented and uninstrumented.

use crate::mapper::{AttributeDef, Mapper, MapperDef};

/// The instrumentation of mapped classes: SQLAlchemy's `InstrumentationEvents`.
///
/// Listen at the same three levels as [`MapperEvents`](crate::MapperEvents): the `Mapper`
/// type (every class), one registry (every class it maps), one mapper. SQLAlchemy's events take
/// the class alone; here the class arrives with its mapper, which is where the listeners live.
#[hooks::events(propagate, crate = crate::__private::hooks)]
pub trait InstrumentationEvents {
    /// The class is instrumented: fires after `instrument_class` and before its attributes'
    /// `attribute_instrument`.
    fn class_instrument(mapper: &Mapper, cls: &MapperDef);

    /// One attribute of the class is instrumented, after `class_instrument` and before
    /// `after_mapper_constructed`: the columns in field order, then the relationships in field
    /// order. `key` is the attribute's name; `inst` its definition, a column or a relationship.
    fn attribute_instrument(mapper: &Mapper, cls: &MapperDef, key: &str, inst: AttributeDef<'_>);

    /// The class is uninstrumented: [`Registry::dispose`](crate::Registry::dispose) fires it
    /// for each of the registry's classes, in mapping order, then forgets them.
    fn class_uninstrument(mapper: &Mapper, cls: &MapperDef);
}
