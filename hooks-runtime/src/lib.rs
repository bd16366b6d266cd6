//! The runtime half of [`hooks`](https://docs.rs/hooks): the registry, the immutable listener
//! snapshots, and the lock-free dispatch that hosts fire through.
//!
//! Applications and hosts use it through the `hooks` facade, whose crate documentation is the
//! manual. This crate has no SQL and no proc-macro dependency.

mod atomics;
mod dispatch;
mod dynamic;
mod error;
mod event;
mod exec_once;
mod form;
mod generated;
mod instance;
mod modifiers;
mod registry;
mod scoped;
mod slot;
mod statics;
mod target;
#[doc(hidden)]
pub mod text;
mod view;

#[doc(hidden)]
pub mod private;

/// The runtime's own lock-free protocols, generic over their atomics, for the loom model checks
/// of the `tests` crate (`reliability_loom.rs`, with this crate's test-only `loom` feature,
/// which implements the cell traits for loom's atomics). Not an API.
/// Test-only hooks that widen race windows (feature `race-windows`). Not an API.
#[cfg(feature = "race-windows")]
#[doc(hidden)]
pub mod race_windows;

#[doc(hidden)]
pub mod protocols {
    pub use crate::atomics::{Bits, Flag, Serial, StateBits, Word, claim_once, is_claimed};
    pub use crate::exec_once::Protocol as ExecOnce;
}

pub use dispatch::{Dispatch, Gate};
pub use dynamic::{
    DynListener, DynTarget, FamilyAccess, TargetArg, contains_by_name, listen_by_name,
    remove_by_name,
};
pub use error::Error;
pub use event::{
    ArgInfo, Contract, Event, EventInfo, EventVisitor, ExecOnceMode, Family, FamilyInfo, Halt,
    UNKNOWN_REGISTRATIONS,
};
pub use exec_once::ExecOnce;
pub use instance::Events;
pub use modifiers::Modifiers;
pub use registry::{Carry, ListenerHandle, copy_listeners};
pub use scoped::ScopedListener;
pub use slot::Slot;
pub use statics::{STATIC_LISTENERS, StaticListener, static_listeners};
pub use target::{
    Accepts, Class, HasEvents, InstanceAccepts, Join, ListenTarget, Resolved, Target, class,
};
pub use view::FromTarget;

/// Removes `listener` (a fn item or a closure that captures nothing) from `event` on `target`.
///
/// # Errors
///
/// [`Error::NoIdentity`] for a closure that captures (remove it by its handle), and
/// [`Error::NotRegistered`] when it is not registered there.
pub fn remove<E, A, L>(target: A, event: E, listener: L) -> Result<(), Error>
where
    E: Event,
    A: ListenTarget<E::Family>,
    L: 'static,
{
    let _ = (event, listener);
    let name = std::any::type_name::<L>();
    let key = listener_key::<L>().ok_or(Error::NoIdentity { listener: name })?;
    target.with_resolved(|resolved| registry::remove::<E>(&resolved, key, name))
}

/// Whether `listener` (a fn item or a closure that captures nothing) listens for `event` on
/// `target`.
pub fn contains<E, A, L>(target: A, event: E, listener: L) -> bool
where
    E: Event,
    A: ListenTarget<E::Family>,
    L: 'static,
{
    let _ = (event, listener);
    listener_key::<L>()
        .is_some_and(|key| target.with_resolved(|resolved| registry::contains::<E>(&resolved, key)))
}

/// The identity of a listener: its type, when it has no state (fn items, non-capturing
/// closures). A closure that captures is a new listener every time.
pub(crate) fn listener_key<L: 'static>() -> Option<std::any::TypeId> {
    (size_of::<L>() == 0).then(std::any::TypeId::of::<L>)
}
