//! The ORM's event catalog: the configuration events of mappers, the instrumentation events
//! of mapped classes and the session events, declared with `#[hooks::events]`.
//!
//! | family | fired by | listen on |
//! |---|---|---|
//! | [`MapperEvents`] | the [`Registry`](crate::Registry): a mapper constructed, a configure run and each mapper in it | the [`Mapper`](crate::Mapper) type (every mapper of every registry), one registry (`&registry`: its mappers and its configure runs), one mapper |
//! | [`InstrumentationEvents`] | the [`Registry`](crate::Registry): a class instrumented, each of its attributes, the class uninstrumented by [`dispose`](crate::Registry::dispose) | the same three levels |
//! | [`AttributeEvents`] | [`Obj::write_attribute`](crate::Obj::write_attribute): every write of a column | a mapped class (`Class::<User>`: its objects), the [`Mapper`](crate::Mapper) type (every class) |
//! | [`members`]: one family per column type (`StringAttributeEvents` …) | [`Obj::write_attribute`](crate::Obj::write_attribute): every write of that column, before [`AttributeEvents`] | the column (`#[listens_for(User::phone, "set")]`), its values as the field's type |
//! | [`InstanceEvents`] | [`Obj`](crate::Obj)'s constructors and saved state, the session's loads, expires and flush | a mapped class (`Class::<User>`: its objects), the [`Mapper`](crate::Mapper) type (every class) |
//! | [`SessionEvents`] | the [`Session`](crate::Session): its transactions, executions, flushes and the lifecycle of its objects | the [`Session`](crate::Session) type (every session), a [`SessionFactory`](crate::SessionFactory) (its sessions), one session |
//! | [`QueryEvents`] | the legacy [`Query`](crate::Query): compiled into its SELECT, UPDATE or DELETE | the same three levels as [`SessionEvents`]: the queries of every session, of a factory's sessions, of one session |
//!
//! The generated modules ([`mapper_events`], [`attribute_events`], [`instrumentation_events`], [`instance_events`], [`session_events`], [`query_events`]) hold the typed
//! `listen`/`remove` API and the dispatchers.

mod attribute;
mod instance;
mod instrumentation;
mod mapper;
pub mod members;
mod query;
mod session;

pub use attribute::{AttributeEvents, AttributeOp, Initiator, attribute_events};
pub use instance::{InstanceEvents, instance_events};
pub use instrumentation::{InstrumentationEvents, instrumentation_events};
pub use mapper::{MapperEvents, mapper_events};
pub use query::{QueryEvents, query_events};
pub use session::{SessionEvents, session_events};
