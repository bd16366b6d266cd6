//! [`MapperEvents`]: a mapper's construction and its configuration.

use hooks_sql::{Connection, Value};

use crate::error::ListenerError;
use crate::mapper::{Mapper, MapperDef};
use crate::session::{AnyInstance, QueryContext};

/// The events of a [`Mapper`]: SQLAlchemy's `MapperEvents`, the configuration events a
/// [`Registry`](crate::Registry) fires and the persistence events (`before_insert` …
/// `after_delete`) a [`Session`](crate::Session)'s flush fires.
///
/// Listen on the `Mapper` type (every mapper of every registry), on one registry (`&registry`:
/// its mappers, present and future, and its configure runs) or on one mapper. A mapper fires
/// the `Mapper`-type listeners, then its own, then its registry's. On a mapped class
/// (`#[listens_for(User, "before_insert")]`: its objects), a static listener takes the
/// persistence events' `target` as `&Obj<User>`; elsewhere it is erased.
///
/// The order, for each mapped class as it is mapped: `instrument_class`, then
/// [`InstrumentationEvents`](crate::InstrumentationEvents) `class_instrument` and one
/// `attribute_instrument` per column, then `after_mapper_constructed`. For each
/// [`Registry::configure`](crate::Registry::configure) run that has new mappers:
/// `before_configured`, per new mapper `before_mapper_configured` and `mapper_configured`,
/// then `after_configured`.
#[hooks::events(propagate, crate = crate::__private::hooks)]
pub trait MapperEvents {
    /// A class is being mapped: the first event of its mapper, before the class is
    /// instrumented (`class_instrument`). `class_` is the definition the derive (or
    /// [`Registry::map_imperatively`](crate::Registry::map_imperatively)) gave.
    fn instrument_class(mapper: &Mapper, class_: &MapperDef);

    /// The mapper is fully constructed: its class and every attribute are instrumented. It
    /// is not configured yet (`mapper.is_configured()` is false); the next
    /// [`Registry::configure`](crate::Registry::configure) configures it.
    fn after_mapper_constructed(mapper: &Mapper, class_: &MapperDef);

    /// A configure run is about to configure this new mapper.
    ///
    /// Returning `true` skips the mapper for this run (SQLAlchemy's `EXT_SKIP`): it stays
    /// unconfigured, `mapper_configured` does not fire for it, and the next configure run
    /// offers it again. The other listeners of this event do not run then.
    #[event(halting)]
    fn before_mapper_configured(mapper: &Mapper, class_: &MapperDef) -> bool;

    /// The mapper is configured (`mapper.is_configured()` is true). An `Err` stops the
    /// configure run: [`Registry::configure`](crate::Registry::configure) returns
    /// [`Error::MapperConfigured`](crate::Error::MapperConfigured), the mappers after this
    /// one stay unconfigured and `after_configured` does not fire.
    #[event(fallible)]
    fn mapper_configured(mapper: &Mapper, class_: &MapperDef) -> Result<(), ListenerError>;

    /// A configure run with new mappers starts, before any of them is configured. Fires on
    /// the `Mapper` type and on the registry being configured (not on a mapper), once per run;
    /// a run with nothing new fires nothing.
    fn before_configured();

    /// A configure run ended: every new mapper that was not skipped is configured. Fires on
    /// the `Mapper` type and on the registry, like `before_configured`; again after each later
    /// run that configured new mappers.
    fn after_configured();

    /// Part of a flush, per mapper batch: a pending object is about to be inserted. Fires
    /// for **every** pending object of the batch (then `before_update` for every dirty one)
    /// before any of the batch's statements. The listener may change the object in place
    /// (a listener on `User` takes `target: &Obj<User>` and calls `set`): what it writes is
    /// what the INSERT writes. An `Err` aborts the flush, which rolls back.
    #[event(fallible)]
    fn before_insert(
        mapper: &Mapper,
        connection: &Connection,
        #[target] target: &AnyInstance,
    ) -> Result<(), ListenerError>;

    /// Part of a flush: a dirty persistent object is about to be updated, before any
    /// statement of its batch; fires even when no column changed in the end (no UPDATE is
    /// emitted then). Changes made here are written. An `Err` aborts the flush.
    #[event(fallible)]
    fn before_update(
        mapper: &Mapper,
        connection: &Connection,
        #[target] target: &AnyInstance,
    ) -> Result<(), ListenerError>;

    /// Part of a flush: the batch's `INSERT`s and `UPDATE`s ran, the object's row was inserted
    /// and its generated key is set. Fires for every inserted object of the batch, after
    /// all the batch's statements.
    fn after_insert(mapper: &Mapper, connection: &Connection, #[target] target: &AnyInstance);

    /// Part of a flush: after all the batch's statements, for every object `before_update`
    /// fired for, whether or not an UPDATE was emitted for it.
    fn after_update(mapper: &Mapper, connection: &Connection, #[target] target: &AnyInstance);

    /// Part of a flush: an object marked with `Session::delete` is about to be deleted,
    /// for every such object of the batch before any DELETE. An `Err` aborts the flush.
    #[event(fallible)]
    fn before_delete(
        mapper: &Mapper,
        connection: &Connection,
        #[target] target: &AnyInstance,
    ) -> Result<(), ListenerError>;

    /// Part of a flush: after all the DELETEs of the batch, for every deleted object.
    fn after_delete(mapper: &Mapper, connection: &Connection, #[target] target: &AnyInstance);

    /// Pre-1.0 (SQLAlchemy's `MapperExtension.translate_row`): a row of this mapper's SELECT
    /// is about to be turned into an object, before the identity lookup. Returning
    /// `Some(row)` (anything but `EXT_CONTINUE`) stops the chain and loads that row instead;
    /// `None` is `EXT_CONTINUE`. Fired by [`Session::select`](crate::Session::select),
    /// [`Session::execute_orm`](crate::Session::execute_orm) of a `select` and
    /// [`Query`](crate::Query), not by `Session::get`.
    #[deprecated(
        note = "a pre-1.0 extension point: listen for SessionEvents `do_orm_execute` to change what a SELECT returns"
    )]
    #[event(halting)]
    fn translate_row(
        mapper: &Mapper,
        context: &QueryContext<'_>,
        row: &[Value],
    ) -> Option<Vec<Value>>;

    /// Pre-1.0: a row's identity is not in the session, a new object is about to be built.
    /// Returning `Some(instance)` (an `Obj<T>` of this mapper's class, boxed) stops the chain
    /// and uses it; `None` (`EXT_CONTINUE`) builds it from the row. Another class is
    /// [`SessionError::WrongClass`](crate::SessionError::WrongClass).
    #[deprecated(
        note = "a pre-1.0 extension point: build objects in a `do_orm_execute` listener or after loading"
    )]
    #[event(halting)]
    fn create_instance(
        mapper: &Mapper,
        context: &QueryContext<'_>,
        row: &[Value],
        class_: &MapperDef,
    ) -> Option<Box<AnyInstance>>;

    /// Pre-1.0: a new object is about to be populated from its row. Returning `EXT_STOP`
    /// (`true`) stops the chain and skips the default population, `EXT_CONTINUE` (`false`)
    /// goes on. An object built by the ORM is built from its row already (a Rust struct is
    /// built whole), so only one a `create_instance` listener made is left unpopulated.
    #[deprecated(note = "a pre-1.0 extension point: listen for InstanceEvents `load` instead")]
    #[event(halting)]
    fn populate_instance(
        mapper: &Mapper,
        context: &QueryContext<'_>,
        row: &[Value],
        #[target] target: &AnyInstance,
    ) -> bool;

    /// Pre-1.0: a loaded object is about to be appended to the result. Returning `EXT_STOP`
    /// (`true`) stops the chain and skips the append (the listener may push to `result`
    /// itself: objects of the mapper's class only), `EXT_CONTINUE` (`false`) goes on.
    #[deprecated(note = "a pre-1.0 extension point: filter the result after loading")]
    #[event(halting)]
    fn append_result(
        mapper: &Mapper,
        context: &QueryContext<'_>,
        row: &[Value],
        #[target] target: &AnyInstance,
        result: &mut Vec<Box<AnyInstance>>,
    ) -> bool;
}
