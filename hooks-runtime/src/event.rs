//! What a host declares: event families, their events, and each event's contract.

use std::sync::Arc;

use crate::Modifiers;
use crate::dispatch::Dispatch;
use crate::exec_once::ExecOnce;
use crate::slot::Slot;

/// The initial value of [`Event::registrations`]: not yet reconciled with the static index.
pub const UNKNOWN_REGISTRATIONS: usize = usize::MAX;

/// How an event combines its listeners' results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contract {
    /// Return values are not used; every listener runs.
    None,
    /// Listeners may replace a value; without `retval` a listener passes it through unchanged.
    Retval,
    /// The first listener whose result halts (`true`, `Some`) stops the chain; that result is
    /// returned.
    Halting,
    /// A listener may return the family's error; the chain stops and the operation aborts.
    Fallible,
    /// Both halting and fallible: `Ok(true)` / `Ok(Some(_))` stops the chain and is returned,
    /// `Err` stops it and aborts the operation.
    FallibleHalting,
    /// Both retval and fallible: a `retval` listener returns `Ok(new value)`, which the next
    /// listener receives, or `Err`, which stops the chain and vetoes the operation (the host
    /// stores nothing); a listener without `retval` returns `Ok(())` to pass the value on.
    FallibleRetval,
}

impl Contract {
    /// Every contract, for code that reads one back by name.
    pub const ALL: [Self; 6] = [
        Self::None,
        Self::Retval,
        Self::Halting,
        Self::Fallible,
        Self::FallibleHalting,
        Self::FallibleRetval,
    ];

    /// The contract's name as written in a declaration.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Retval => "retval",
            Self::Halting => "halting",
            Self::Fallible => "fallible",
            Self::FallibleHalting => "halting, fallible",
            Self::FallibleRetval => "retval, fallible",
        }
    }

    /// Whether listeners may replace a value (`retval`, alone or with `fallible`).
    #[must_use]
    pub const fn is_retval(self) -> bool {
        matches!(self, Self::Retval | Self::FallibleRetval)
    }
}

/// When an event runs its listeners only once per target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecOnceMode {
    /// The first fire runs the listeners; later fires never do, even if that run failed.
    Always,
    /// A run that fails (an error or a panic) is retried by the next fire.
    UnlessError,
}

/// One documented positional argument of an event.
#[derive(Clone, Copy, Debug)]
pub struct ArgInfo {
    /// The argument's name, as the named form's struct field.
    pub name: &'static str,
    /// The argument's type as declared.
    pub ty: &'static str,
}

/// Everything known about one event, for errors, audits and by-name lookups.
#[derive(Debug)]
pub struct EventInfo {
    /// The event's name, e.g. `"checkout"`.
    pub name: &'static str,
    /// The name of the family that declares it, e.g. `"PoolEvents"`.
    pub family: &'static str,
    /// The positional arguments, in order.
    pub args: &'static [ArgInfo],
    /// The plain listener signature, e.g. `fn(&DbapiConnection, &ConnectionRecord)`.
    pub signature: &'static str,
    /// The signature a `retval` listener has, for retval events.
    pub retval_signature: Option<&'static str>,
    /// How results combine.
    pub contract: Contract,
    /// The modifiers a listener of this event may carry.
    pub modifiers: &'static [&'static str],
    /// Whether the event runs once per target.
    pub exec_once: Option<ExecOnceMode>,
    /// Whether the event is deprecated.
    pub deprecated: bool,
}

impl EventInfo {
    /// Whether `modifier` is accepted by this event.
    #[must_use]
    pub fn accepts(&self, modifier: &str) -> bool {
        self.modifiers.contains(&modifier)
    }

    /// Checks every modifier of `modifiers`.
    ///
    /// # Errors
    ///
    /// [`crate::Error::ModifierNotAccepted`] for the first modifier the event does not accept;
    /// [`crate::Error::TooManyModifiers`] when `|` combined more than four family modifiers.
    pub fn check_modifiers(&'static self, modifiers: &Modifiers) -> Result<(), crate::Error> {
        if modifiers.overflowed() {
            return Err(crate::Error::TooManyModifiers {
                limit: crate::modifiers::MAX_CUSTOM,
            });
        }
        match modifiers.names().find(|m| !self.accepts(m)) {
            Some(bad) => Err(crate::Error::ModifierNotAccepted {
                event: self,
                modifier: bad.to_owned(),
            }),
            None => Ok(()),
        }
    }
}

/// Everything known about one family.
#[derive(Debug)]
pub struct FamilyInfo {
    /// The family's name, e.g. `"PoolEvents"`.
    pub name: &'static str,
    /// Its events, in declaration order.
    pub events: &'static [&'static EventInfo],
    /// Whether listeners may carry `propagate`.
    pub propagate: bool,
}

impl FamilyInfo {
    /// The index of the event called `name`.
    #[must_use]
    pub fn position(&self, name: &str) -> Option<usize> {
        self.events.iter().position(|e| e.name == name)
    }
}

/// An event family, implemented by `#[hooks::events]` for `dyn YourFamilyTrait`.
///
/// You never implement this by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an event family",
    label = "not declared with `#[hooks::events]`",
    note = "an event family is a trait declared with `#[hooks::events]`; name it as `dyn {Self}`"
)]
pub trait Family: 'static {
    /// The family's description.
    const INFO: &'static FamilyInfo;
    /// One [`Slot`] per event.
    type Slots: 'static + Send + Sync;
    /// The slots' empty value, usable in a `static`.
    const SLOTS: Self::Slots;
    /// One [`ExecOnce`] per exec-once event.
    type ExecOnceStates: 'static + Send + Sync;
    /// The exec-once states' initial value.
    const EXEC_ONCE: Self::ExecOnceStates;
    /// The typed dispatcher a host fires through.
    type Dispatcher<'a>: From<Dispatch<'a, Self>>;
    /// Calls `visitor.visit::<E>()` for every event `E` of the family, in declaration order.
    fn visit_events<V: EventVisitor<Self>>(visitor: &mut V);
    /// Calls `visitor.visit::<E>()` for the event at `index`.
    fn visit_event<V: EventVisitor<Self>>(index: usize, visitor: &mut V);
}

/// A generic operation over the events of a family (see [`Family::visit_events`]).
pub trait EventVisitor<F: ?Sized + Family> {
    /// Called once per event.
    fn visit<E: Event<Family = F>>(&mut self);
}

/// One event of a family: a unit type generated by `#[hooks::events]`, e.g. `pool_events::checkout`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an event",
    label = "expected an event marker such as `pool_events::checkout`",
    note = "events are the unit types `#[hooks::events]` generates in the family's module"
)]
pub trait Event: 'static + Copy + Send + Sync + Sized {
    /// The family that declares the event.
    type Family: ?Sized + Family;
    /// The normalised listener every registration is stored as.
    type Callable: ?Sized + Send + Sync + 'static;
    /// The event's description.
    const INFO: &'static EventInfo;
    /// The event's slot among the family's slots.
    fn slot(slots: &<Self::Family as Family>::Slots) -> &Slot<Self>;
    /// How many registrations of this event exist, on any target ([`UNKNOWN_REGISTRATIONS`]
    /// until the static index was consulted). A fire reads it first: when nothing listens to
    /// the event anywhere, that one relaxed load is the whole cost, however deep the joins.
    fn registrations() -> &'static std::sync::atomic::AtomicUsize;
    /// The event's exec-once state, for exec-once events.
    fn exec_once(states: &<Self::Family as Family>::ExecOnceStates) -> Option<&ExecOnce>;
    /// Normalises a listener handed to the by-name API, or gives it back if its type is not
    /// one this event takes with these modifiers (generated as a call of the runtime's one
    /// generic conversion over the listener forms).
    ///
    /// # Errors
    ///
    /// Returns the listener unchanged when its type does not match.
    fn from_dyn(
        listener: crate::DynListener,
        modifiers: Modifiers,
    ) -> Result<Arc<Self::Callable>, crate::DynListener>;
}

/// A result that can halt a chain of listeners (`bool`: `true` halts; `Option`: `Some` halts).
#[diagnostic::on_unimplemented(
    message = "a halting event must return `bool` or `Option<_>`, not `{Self}`",
    label = "the result that halts the chain"
)]
pub trait Halt {
    /// The value that lets the chain continue.
    fn proceed() -> Self;
    /// Whether this value stops the chain.
    fn halts(&self) -> bool;
}

impl Halt for bool {
    fn proceed() -> Self {
        false
    }
    fn halts(&self) -> bool {
        *self
    }
}

impl<T> Halt for Option<T> {
    fn proceed() -> Self {
        None
    }
    fn halts(&self) -> bool {
        self.is_some()
    }
}

impl PartialEq for EventInfo {
    fn eq(&self, other: &Self) -> bool {
        self.family == other.family && self.name == other.name
    }
}

impl Eq for EventInfo {}

impl std::hash::Hash for EventInfo {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.family.hash(state);
        self.name.hash(state);
    }
}
