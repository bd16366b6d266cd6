//! Support for the code `hooks-macros` generates, re-exported in one place. Not a public API: no
//! stability promise.

pub use crate::form::{
    Adapt, ConstFn, Form, Listens, Named, NamedRetval, Plain, Retval, check_form, from_dyn,
    install, listen,
};
pub use crate::generated::{
    EventArg, EventAt, IntoJoin, TargetFamily, assert_event_arg, key_of_val,
};
pub use crate::registry::Installer;
pub use crate::statics::{STATIC_LISTENERS, StaticListener};
pub use arc_swap;
pub use linkme;

pub use crate::dynamic::FamilyAccess;
pub use crate::{
    Accepts, ArgInfo, Contract, Dispatch, DynListener, Error, Event, EventInfo, EventVisitor,
    Events, ExecOnce, ExecOnceMode, Family, FamilyInfo, FromTarget, Halt, HasEvents,
    InstanceAccepts, Join, ListenTarget, ListenerHandle, Modifiers, Slot, Target,
    UNKNOWN_REGISTRATIONS, contains, remove,
};
