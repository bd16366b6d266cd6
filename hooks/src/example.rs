//! A small family and target, used by this documentation's examples; their generated pages show
//! what `#[hooks::events]` and `#[hooks::target]` produce.

use std::sync::atomic::{AtomicU32, Ordering};

/// Why a door refused to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locked(pub String);

/// The events of a [`Door`].
#[crate::events(targets(Door))]
pub trait DoorEvents {
    /// The door opened; `by` is who opened it.
    fn open(door: &Door, by: u32);

    /// The door closed; `by` is who closed it.
    fn close(door: &Door, by: u32);

    /// Someone knocks; a listener may answer (`true`), which stops the other listeners.
    #[event(halting)]
    fn knock(door: &Door) -> bool;

    /// The door is about to unlock; a listener returning `Err` keeps it locked.
    #[event(fallible)]
    fn unlock(door: &Door) -> Result<(), Locked>;

    /// A greeting is about to be said; `retval` listeners may rewrite it.
    #[event(retval)]
    fn greet(door: &Door, #[retval] greeting: &str) -> String;

    /// The door is installed; listeners run once per door.
    #[event(exec_once)]
    fn install(door: &Door);
}

/// A door: an event target of [`DoorEvents`].
#[crate::target(DoorEvents(events = events))]
#[derive(Default)]
pub struct Door {
    events: crate::Events<dyn DoorEvents>,
    opened: AtomicU32,
}

impl Door {
    /// Opens the door, firing `open`.
    pub fn open(&self, by: u32) {
        self.opened.fetch_add(1, Ordering::Relaxed);
        crate::HasEvents::dispatch(self).open(self, by);
    }

    /// Closes the door, firing `close`.
    pub fn close(&self, by: u32) {
        crate::HasEvents::dispatch(self).close(self, by);
    }

    /// Knocks; whether anyone answered.
    pub fn knock(&self) -> bool {
        crate::HasEvents::dispatch(self).knock(self)
    }

    /// Unlocks, unless a listener refuses.
    ///
    /// # Errors
    ///
    /// The first listener's refusal.
    pub fn unlock(&self) -> Result<(), Locked> {
        crate::HasEvents::dispatch(self).unlock(self)
    }

    /// The greeting, as the listeners rewrote it.
    pub fn greet(&self, greeting: &str) -> String {
        crate::HasEvents::dispatch(self).greet(self, greeting.to_owned())
    }

    /// Installs the door (listeners of `install` run for the first call only).
    pub fn install(&self) {
        crate::HasEvents::dispatch(self).install(self);
    }

    /// How often the door opened.
    pub fn times_opened(&self) -> u32 {
        self.opened.load(Ordering::Relaxed)
    }
}
