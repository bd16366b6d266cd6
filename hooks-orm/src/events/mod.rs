//! The ORM's event catalog, part 1: the configuration events of mappers and the
//! instrumentation events of mapped classes, declared with `#[hooks::events]`.
//!
//! | family | fired by | listen on |
//! |---|---|---|
//! | [`MapperEvents`] | the [`Registry`](crate::Registry): a mapper constructed, a configure run and each mapper in it | the [`Mapper`](crate::Mapper) type (every mapper of every registry), one registry (`&registry`: its mappers and its configure runs), one mapper |
//! | [`InstrumentationEvents`] | the [`Registry`](crate::Registry): a class instrumented, each of its attributes, the class uninstrumented by [`dispose`](crate::Registry::dispose) | the same three levels |
//!
//! The generated modules ([`mapper_events`], [`instrumentation_events`]) hold the typed
//! `listen`/`remove` API and the dispatchers.

mod instrumentation;
mod mapper;

pub use instrumentation::{InstrumentationEvents, instrumentation_events};
pub use mapper::{MapperEvents, mapper_events};
