#![doc = include_str!("manual.md")]

extern crate self as hooks;

pub use hooks_macros::{declare_target, events, listens_for, target};
pub use hooks_runtime::{
    Accepts, ArgInfo, Carry, Class, Contract, Dispatch, DynListener, DynTarget, Error, Event,
    EventInfo, Events, ExecOnce, ExecOnceMode, Family, FamilyInfo, FromTarget, Gate, Halt,
    HasEvents, InstanceAccepts, Join, ListenTarget, ListenerHandle, Modifiers, ScopedListener,
    StaticListener, Target, class, contains, contains_by_name, copy_listeners, listen_by_name,
    remove, remove_by_name, static_listeners,
};

pub mod example;

#[doc(hidden)]
pub mod __private {
    pub use hooks_macros::{
        __listens_for_impl as listens_for_impl, __target_collect as target_collect,
    };
    pub use hooks_runtime::private::*;
    // Internals of the runtime that public signatures mention; not API.
    pub use hooks_runtime::{
        EventVisitor, FamilyAccess, Resolved, STATIC_LISTENERS, Slot, TargetArg,
        UNKNOWN_REGISTRATIONS,
    };
}
