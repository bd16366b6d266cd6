//! An ORM host for `hooks`, on [`hooks_sql`]: mapped structs, the registry that configures
//! their mappers, the session with its identity map, transactions and unit-of-work flush, and
//! SQLAlchemy's mapper, instrumentation and session events, fired for real.
//!
//! - `#[derive(Mapped)]` on a plain struct (`#[mapped(table = "users")]`,
//!   `#[column(primary_key)]`) generates its [`MapperDef`]: table, columns with their SQL types
//!   (from the field types; `Option<T>` is nullable), primary key. The linker collects every
//!   definition of the binary; nothing runs before `main`. `#[column(listen)]` makes a field a
//!   target of its own ([attribute targets](#attribute-targets-userphone)).
//! - A [`Registry`] maps classes ([`map`](Registry::map), [`map_declared`](Registry::map_declared),
//!   [`map_imperatively`](Registry::map_imperatively)), configures them
//!   ([`configure`](Registry::configure)), creates their tables through `hooks-sql`'s schema
//!   ([`create_all`](Registry::create_all), so DDL and Core events fire underneath) and
//!   uninstruments them ([`dispose`](Registry::dispose)).
//!
//! # The event catalog
//!
//! | event | family | contract | fires when | status |
//! |---|---|---|---|---|
//! | `instrument_class` | [`MapperEvents`] | none | a class is being mapped, first | fires |
//! | `class_instrument` | [`InstrumentationEvents`] | none | the class is instrumented, after `instrument_class` | fires |
//! | `attribute_instrument` | [`InstrumentationEvents`] | none | per column, then per relationship ([`AttributeDef`]), after `class_instrument` | fires |
//! | `after_mapper_constructed` | [`MapperEvents`] | none | the mapper is built, last of the mapping | fires |
//! | `before_configured` | [`MapperEvents`] | none | a configure run with new mappers starts | fires |
//! | `before_mapper_configured` | [`MapperEvents`] | halting (`true` = skip this mapper for this run) | per new mapper, in the run | fires |
//! | `mapper_configured` | [`MapperEvents`] | fallible (`Err` stops the run) | per new mapper, configured | fires |
//! | `after_configured` | [`MapperEvents`] | none | the run ended | fires |
//! | `class_uninstrument` | [`InstrumentationEvents`] | none | per class, on [`Registry::dispose`] | fires |
//! | `before_insert`, `before_update` | [`MapperEvents`] | fallible (`Err` aborts the flush; changes made to the object are written) | per pending / dirty object of a mapper's batch, all before the batch's statements | fires |
//! | `after_insert`, `after_update` | [`MapperEvents`] | none | per object of the batch, after all its statements | fires |
//! | `before_delete` | [`MapperEvents`] | fallible | per deleted object of the batch, before its DELETEs | fires |
//! | `after_delete` | [`MapperEvents`] | none | per deleted object, after the batch's DELETEs | fires |
//! | 25 session events | [`SessionEvents`] | see the family | transactions, `do_orm_execute`, the flush, attach and the ten state transitions | fire |
//! | `do_orm_execute` | [`SessionEvents`] | halting (`Some(result)` answers), `&mut` [`OrmExecuteState`] | [`Session::execute`] of text, [`Session::execute_orm`] of [`select`]/[`update`]/[`delete`], [`Session::select`], [`Query`]; before the autoflush | fires |
//! | `after_bulk_update`, `after_bulk_delete` | [`SessionEvents`] | none | [`Query::update`] / [`Query::delete`] ran and synchronized the loaded objects | fires |
//! | `before_compile` | [`QueryEvents`] | retval (the query to compile), chained | [`Query::all`], `first`, `count`, `sql` | fires |
//! | `before_compile_update`, `before_compile_delete` | [`QueryEvents`] | retval; the context's `values` mutable | [`Query::update`] / [`Query::delete`], before the statement is built | fires |
//! | `translate_row`, `create_instance` | [`MapperEvents`] | deprecated (pre-1.0); halting `Option` (`None` = `EXT_CONTINUE`) | per row of a SELECT path; `create_instance` for a new identity | fires |
//! | `populate_instance`, `append_result` | [`MapperEvents`] | deprecated (pre-1.0); halting `bool` ([`EXT_STOP`] skips the default step) | a new object about to be populated / an object about to join the result | fires |
//! | `append` | [`AttributeEvents`] | retval, fallible (`Err` appends nothing); `include_key` passes the index | [`CollectionRef::append`], a new member of a `replace`, a reference's backref | fires |
//! | `append_wo_mutation` | [`AttributeEvents`] | none; `include_key` | the member is already there (append, or kept by a `replace`) | fires |
//! | `remove` | [`AttributeEvents`] | fallible; `include_key` | [`CollectionRef::remove`], a member a `replace` drops, a reference's backref | fires |
//! | `bulk_replace` | [`AttributeEvents`] | none (`values` changed in place); `include_key` passes the indices | [`CollectionRef::replace`], before anything else | fires |
//! | `init_collection`, `dispose_collection` | [`AttributeEvents`] | none | a collection's first access (lazy load) / a `replace`'s new collection; the old one after it | fires |
//! | `set_object` | [`AttributeEvents`] | fallible | [`ReferenceRef::set`], a collection's backref (SQLAlchemy's `set` on a many-to-one) | fires |
//! | `first_init` | [`InstanceEvents`] | none | once per class: its first object, constructed or loaded | fires |
//! | `init`, `init_failure` | [`InstanceEvents`] | none (`init` may change the constructor's values) | [`Obj::new`] / [`Obj::try_new`] constructed the value / its constructor failed | fires |
//! | `load` | [`InstanceEvents`] | fallible (`Err` aborts the load); `restore_load_context` | a new object built from its first row, before `loaded_as_persistent` | fires |
//! | `refresh` | [`InstanceEvents`] | fallible; `restore_load_context` | an identity-map object populated again (expired attributes reloaded, [`Session::refresh`], an ORM UPDATE's synchronization) | fires |
//! | `refresh_flush` | [`InstanceEvents`] | none | the flush's INSERT read back server defaults (`RETURNING`) | fires |
//! | `expire` | [`InstanceEvents`] | none | [`Session::expire`] (and `expire_attributes`, `expire_all`), commit with `expire_on_commit`, rollback | fires |
//! | `pickle`, `unpickle` | [`InstanceEvents`] | none (`pickle` may add to the state) | [`Obj::to_state`] / [`Obj::from_state`] | fires |
//! | `resurrect` | [`InstanceEvents`] | — | — | declared, deprecated, never fires (nothing to resurrect) |
//!
//! Listen on a mapped class (`Class::<User>::new()`, or `#[hooks::listens_for(User, …)]`:
//! that class's mapper in every registry; at class level only, as SQLAlchemy takes mapper
//! events on the class, so `listen(&user, …)` does not compile), on a [`Mixin`] the class names
//! in `#[mapped(mixins(…))]` (every class that names it: SQLAlchemy's mixin with
//! `propagate=True`), on the [`Mapper`] type (every mapper of every registry), on a registry
//! (`&registry`: its mappers and its configure runs) or on one mapper; a mapper fires its
//! class's listeners, then its mixins', then the `Mapper`-type listeners, then its own, then
//! its registry's. A listener that does not know the class reads and writes the object
//! through [`MapperDef::any_obj`] ([`AnyObj`]):
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use hooks_orm::{Mapped, Registry, instrumentation_events, mapper_events};
//!
//! #[derive(Mapped)]
//! #[mapped(table = "users")]
//! struct User {
//!     #[column(primary_key)]
//!     id: i64,
//!     name: String,
//!     phone: Option<String>,
//! }
//!
//! let registry = Registry::new();
//! let trace = Arc::new(Mutex::new(Vec::new()));
//! let t = Arc::clone(&trace);
//! instrumentation_events::attribute_instrument.listen(&registry, move |_, _, key, _| {
//!     t.lock().unwrap().push(format!("attribute_instrument {key}"));
//! })?;
//! let t = Arc::clone(&trace);
//! mapper_events::mapper_configured.listen(&registry, move |mapper, _| {
//!     t.lock().unwrap().push(format!("mapper_configured {}", mapper.table()));
//!     Ok(())
//! })?;
//!
//! registry.map::<User>()?;
//! registry.configure()?;
//! assert_eq!(
//!     *trace.lock().unwrap(),
//!     ["attribute_instrument id", "attribute_instrument name", "attribute_instrument phone",
//!      "mapper_configured users"],
//! );
//! assert!(User::MAPPER.column("phone").unwrap().nullable);
//! # Ok::<(), hooks_orm::Error>(())
//! ```
//!
//! Static listeners work as everywhere in `hooks`:
//! `#[hooks::listens_for(Mapper, "before_mapper_configured")] fn skip(m: &Mapper, c: &MapperDef) -> bool`,
//! or on one class, from any module or crate:
//!
//! ```
//! use hooks_orm::{ListenerError, Mapped, Mapper, MapperDef, Registry};
//!
//! #[derive(Mapped)]
//! #[mapped(table = "users")]
//! pub struct User {
//!     #[column(primary_key)]
//!     pub id: i64,
//! }
//!
//! #[hooks::listens_for(User, "mapper_configured")]
//! fn user_configured(mapper: &Mapper, _class: &MapperDef) -> Result<(), ListenerError> {
//!     assert_eq!(mapper.table(), "users");
//!     Ok(())
//! }
//!
//! let registry = Registry::new();
//! registry.map::<User>()?;
//! registry.configure()?;
//! # Ok::<(), hooks_orm::Error>(())
//! ```
//!
//! # Objects, the session and the flush
//!
//! An [`Obj<T>`](Obj) is the ORM's handle of one object: reads through [`Obj::read`], writes
//! through [`Obj::set`] / [`Obj::set_attr`], which record the attribute history the flush
//! reads ([`Obj::history`], [`InstanceState`]). A [`Session`] given the registry
//! ([`SessionOptions::registry`]) keeps the identity map and writes the objects at
//! [`Session::flush`] (and at commit), firing the persistence events per mapper batch; it
//! loads them with [`Session::get`] and [`Session::select`], and reloads expired attributes
//! on read ([`Session::expire`], [`Session::refresh`]; a commit expires everything):
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use hooks_orm::{Mapped, Obj, ObjectState, Registry, Session, SessionOptions, mapper_events};
//!
//! #[derive(Mapped)]
//! #[mapped(table = "users")]
//! struct User {
//!     #[column(primary_key)]
//!     id: Option<i64>,
//!     name: String,
//! }
//!
//! let registry = Registry::new();
//! registry.map::<User>()?;
//! registry.configure()?;
//! let engine = hooks_sql::create_engine("sqlite://")?;
//! registry.create_all(&engine)?;
//! let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));
//!
//! let inserted = Arc::new(Mutex::new(Vec::new()));
//! let seen = Arc::clone(&inserted);
//! mapper_events::after_insert.listen(&registry, move |_, _, target| {
//!     let user = target.downcast_ref::<Obj<User>>().unwrap();
//!     seen.lock().unwrap().push(user.read().unwrap().id);
//! })?;
//!
//! let user = Obj::new(User { id: None, name: "ed".into() });
//! session.add(&user)?;
//! session.commit()?;
//! assert_eq!(*inserted.lock().unwrap(), [Some(1)]);
//! assert_eq!(user.object_state(), ObjectState::Persistent);
//! assert_eq!(user.read()?.name, "ed"); // expired by the commit, reloaded
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Listeners on a class take its objects typed
//!
//! A static listener on a mapped class takes the object an event is about as that class's
//! handle: `target: &Obj<User>` in `#[listens_for(User, "before_insert")]`, `"load"`, `"set"`
//! and every other event whose object argument the family marks `#[target]`. rustc checks
//! it: `&Obj<Order>` on `User` is an error on that type, naming `&Obj<User>`. The families
//! themselves pass the object erased ([`AnyInstance`]), because `User`, `Order` and the
//! `Mapper` type share their dispatchers; a listener may still take it so, and listeners on
//! `Mapper`, a registry, a mixin or the session, and runtime `listen` closures, take it erased
//! (downcast with `target.downcast_ref::<Obj<User>>()`, or read it through [`AnyObj`]).
//!
//! ```
//! use hooks_orm::{ListenerError, Mapped, Mapper, Obj};
//! use hooks_sql::Connection;
//!
//! #[derive(Mapped)]
//! #[mapped(table = "tickets")]
//! pub struct Ticket {
//!     #[column(primary_key)]
//!     pub id: Option<i64>,
//!     pub title: String,
//!     pub slug: Option<String>,
//! }
//!
//! #[hooks::listens_for(Ticket, "before_insert")]
//! fn slug_from_title(
//!     _: &Mapper,
//!     _: &Connection,
//!     target: &Obj<Ticket>,
//! ) -> Result<(), ListenerError> {
//!     let slug = target.read()?.title.to_lowercase().replace(' ', "-");
//!     target.set(|ticket| ticket.slug = Some(slug))?;
//!     Ok(())
//! }
//! # fn main() {}
//! ```
//!
//! # Attribute targets: `User::phone`
//!
//! A column marked `#[column(listen)]` is a target of its own, SQLAlchemy's `User.phone`: its
//! `set` and `modified` listeners hear that column only, with the values as the field's type,
//! and run before the class-level [`AttributeEvents`] (which receive what they returned). The
//! family is the column type's ([`events::members`]: `String` → `StringAttributeEvents`), so a
//! listener taking `&i64` for a `String` column, or asking a column for `"append"`, is a
//! compile error naming the right signature or the attribute's events; a misspelt column is
//! one naming the class's columns, and an unmarked one says to mark it.
//!
//! Why opt-in, where SQLAlchemy lets any attribute be listened on: a column's target is a type
//! and a target declaration of its own, and with every column one the derive took five times
//! the compile time of serde's derives (the ORM's goal is three; BENCHMARKS.md, "Compile time").
//! Class-level `AttributeEvents` listeners on `User` hear every column, marked or not.
//!
//! ```
//! use hooks_orm::{Initiator, ListenerError, Mapped, Obj};
//!
//! #[derive(Mapped)]
//! #[mapped(table = "users")]
//! pub struct User {
//!     #[column(primary_key)]
//!     pub id: Option<i64>,
//!     #[column(listen)]
//!     pub phone: String,
//! }
//!
//! // SQLAlchemy's `@validates("phone")`: the cleaned value is stored, an `Err` vetoes.
//! #[hooks::listens_for(User::phone, "set", retval)]
//! fn digits_only(
//!     _: &Obj<User>,
//!     value: &String,
//!     _old: &String,
//!     _: &Initiator,
//! ) -> Result<String, ListenerError> {
//!     Ok(value.chars().filter(char::is_ascii_digit).collect())
//! }
//!
//! let user = Obj::new(User { id: None, phone: String::new() });
//! user.set_attr("phone", "(555) 010-2030")?;
//! assert_eq!(user.read()?.phone, "5550102030");
//! # Ok::<(), hooks_orm::SessionError>(())
//! ```
//!
//! # Reduced, for now
//!
//! A listener's `class_` is the [`MapperDef`] and its mapper the [`Mapper`], not typed per
//! class. Attribute targets are columns: relationships (`User::addresses`) are heard at class
//! level, filtering on [`Initiator::key`]; runtime `listen` on an attribute target is not
//! offered (its type is hidden). `before_insert`/`before_update` are `fallible` (changes made to the object in place are
//! written), not the `retval, fallible` form returning the object. Relationships are
//! one-to-many [`Collection`]s and many-to-one [`Reference`]s (no many-to-many, no
//! self-referential cycle, no `post_update`; list collections only); the flush orders the
//! batches parents first (deletes children first) and otherwise in class order. A backref's
//! append to an unloaded collection loads it first (SQLAlchemy queues the change instead; its
//! removal does not load), and `modified` fires after each collection change (as it does
//! after each scalar set). The flush runs in the current transaction (no subtransaction
//! events). [`Session::execute`] of raw SQL does not autoflush, as SQLAlchemy's `text()` does
//! not; [`Session::get`], `select`, lazy loads and commit do. ORM statements have one entity
//! and no joins; `do_orm_execute` does not fire for [`Session::get`] or the reload of expired
//! attributes (SQLAlchemy's does), and `with_loader_criteria` filters the SELECTs of its
//! class, not relationship loads. [`Synchronize::Fetch`] selects the matched keys before the
//! statement (SQLAlchemy uses `RETURNING` where it can), and `invoke_statement()` is not
//! provided. `InstrumentationEvents` take `(mapper, cls)`, not SQLAlchemy's `cls` alone: here
//! a class is instrumented only when it is mapped. Column types: `i64`, `i32`, `u32`, `bool`,
//! `f64`, `String`, and `Option` of them.
//!
//! `cargo run -p hooks-orm --example configure` prints the whole trace.

#![forbid(unsafe_code)]

mod class_level;
mod error;
pub mod events;
mod fire;
mod instance;
mod mapper;
mod member_target;
mod obj;
mod registry;
mod relationship;
mod session;
mod state;
mod typed_target;
mod values;

pub use class_level::{AnyObj, ClassLevel, Mixin};
pub use error::{Error, ListenerError};
pub use events::{
    AttributeEvents, AttributeOp, Initiator, InstanceEvents, InstrumentationEvents, MapperEvents,
    QueryEvents, SessionEvents, attribute_events, instance_events, instrumentation_events,
    mapper_events, query_events, session_events,
};
pub use hooks_orm_macros::{Mapped, Mixin};
pub use instance::{ConstructorArgs, ConstructorError, LoadContext, StateDict};
pub use mapper::{
    AttributeDef, ClassListeners, ColumnDef, Mapped, Mapper, MapperDef, RegistryScope,
};
pub use member_target::MemberSet;
pub use obj::Obj;
pub use registry::Registry;
pub use relationship::{
    Cascade, Collection, CollectionRef, Reference, ReferenceRef, RelationshipDef,
    RelationshipError, RelationshipKind,
};
pub use session::{
    AnyInstance, AnyQuery, BulkDeleteContext, BulkUpdateContext, Criterion, EXT_CONTINUE, EXT_STOP,
    FlushContext, OrmDelete, OrmExecuteState, OrmSelect, OrmStatement, OrmUpdate, PrimaryKey,
    Query, QueryContext, Select, Session, SessionError, SessionFactory, SessionOptions,
    SessionTransaction, Synchronize, TransactionOrigin, TransactionState, delete, select, update,
};
pub use state::{History, IdentityKey, InstanceState, ObjectState};
pub use values::{FromColumn, ValueError};

pub(crate) use __private::DECLARED_MAPPERS;

#[doc(hidden)]
pub mod __private {
    pub use crate::class_level::any_obj_of;
    pub use crate::member_target::member_set;
    pub use crate::relationship::{ErasedLoader, RelatedHandle, Relation};
    pub use crate::typed_target::ObjectClass;
    pub use crate::values::{FromColumn, ValueError, check_width};
    pub use hooks;
    pub use hooks_sql::{ColumnType, Value};
    pub use linkme;

    /// Every mapper definition `#[derive(Mapped)]` generated in the binary.
    #[linkme::distributed_slice]
    pub static DECLARED_MAPPERS: [&'static crate::MapperDef];
}
