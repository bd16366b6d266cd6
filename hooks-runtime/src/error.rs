//! The typed errors of the runtime API.

use std::fmt;

use crate::EventInfo;

/// Everything `listen`, `remove` and the by-name API can refuse, with a message that says why
/// and what to do instead. A refused call changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The target has no event of that name.
    UnknownEvent {
        /// The target's name.
        target: &'static str,
        /// The name asked for.
        event: String,
        /// The closest name the target has, if one is close.
        suggestion: Option<&'static str>,
        /// Every event the target accepts.
        available: Vec<&'static str>,
    },
    /// Two families of the target declare the name; qualify it as `"Family.event"`.
    AmbiguousEvent {
        /// The target's name.
        target: &'static str,
        /// The name asked for.
        event: String,
        /// The families that declare it.
        families: Vec<&'static str>,
    },
    /// The listener's type is not one the event takes with these modifiers.
    WrongListenerType {
        /// The event.
        event: &'static EventInfo,
        /// The types accepted.
        expected: String,
        /// The type given.
        found: &'static str,
    },
    /// The event does not accept a modifier.
    ModifierNotAccepted {
        /// The event.
        event: &'static EventInfo,
        /// The modifier refused.
        modifier: String,
    },
    /// A modifier that changes the listener's signature was given to a method that takes the
    /// plain signature.
    WrongForm {
        /// The event.
        event: &'static EventInfo,
        /// The modifier.
        modifier: &'static str,
        /// The method to call instead.
        method: &'static str,
    },
    /// `remove` found no such listener on that target for that event.
    NotRegistered {
        /// The target as given.
        target: String,
        /// The event.
        event: &'static EventInfo,
        /// The listener's type.
        listener: &'static str,
    },
    /// The handle's listener was already removed, or was `once` and has fired.
    NotActive {
        /// The event.
        event: &'static EventInfo,
    },
    /// The listener has no identity to find it by (a closure that captures): remove it by handle.
    NoIdentity {
        /// The listener's type.
        listener: &'static str,
    },
    /// A value of a target that takes listeners of the family at class level only.
    ClassOnly {
        /// The target's name.
        target: &'static str,
        /// The family.
        family: &'static str,
    },
    /// A listener carries at most this many family-declared modifiers.
    TooManyModifiers {
        /// The limit.
        limit: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownEvent {
                target,
                event,
                suggestion,
                available,
            } => {
                write!(f, "`{target}` has no event named \"{event}\"")?;
                if let Some(s) = suggestion {
                    write!(f, "; did you mean \"{s}\"?")?;
                }
                write!(f, " (events of `{target}`: {})", available.join(", "))
            }
            Self::AmbiguousEvent {
                target,
                event,
                families,
            } => write!(
                f,
                "event \"{event}\" of `{target}` is declared by several families ({}); \
                 qualify it, e.g. \"{}.{event}\"",
                families.join(", "),
                families.first().copied().unwrap_or("Family"),
            ),
            Self::WrongListenerType {
                event,
                expected,
                found,
            } => write!(
                f,
                "listener of type `{found}` does not fit event \"{}\" of `{}`: expected {expected}",
                event.name, event.family
            ),
            Self::ModifierNotAccepted { event, modifier } => write!(
                f,
                "event \"{}\" of `{}` does not accept modifier `{modifier}` (accepted: {})",
                event.name,
                event.family,
                event.modifiers.join(", ")
            ),
            Self::WrongForm {
                event,
                modifier,
                method,
            } => write!(
                f,
                "`{modifier}` changes the listener's signature for event \"{}\": use `{method}`",
                event.name
            ),
            Self::NotRegistered {
                target,
                event,
                listener,
            } => write!(
                f,
                "no listener `{listener}` is registered for event \"{}\" on {target}",
                event.name
            ),
            Self::NotActive { event } => write!(
                f,
                "the listener of event \"{}\" is no longer registered",
                event.name
            ),
            Self::NoIdentity { listener } => write!(
                f,
                "listener `{listener}` captures values and has no identity to find it by; \
                 remove it with the handle `listen` returned"
            ),
            Self::TooManyModifiers { limit } => write!(
                f,
                "a listener carries at most {limit} family-declared modifiers"
            ),
            Self::ClassOnly { target, family } => write!(
                f,
                "`{target}` takes listeners of `{family}` at class level only; listen on the \
                 type (`hooks::Class::<{target}>::new()`, or by name on it)"
            ),
        }
    }
}

impl std::error::Error for Error {}
