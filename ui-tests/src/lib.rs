//! Fixtures of the compile-error snapshots: a small family with an event of every contract, a
//! second family a target does not accept, and their targets. The cases in `tests/ui` use them
//! through `ui_tests::…`.

use std::sync::atomic::{AtomicU32, Ordering};

/// Why a payment was declined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declined(pub String);

/// The events of a [`Shop`]: one of each contract, and a deprecated one.
#[hooks::events]
pub trait ShopEvents {
    /// The shop opened at `hour`.
    fn open(shop: &Shop, hour: u32);

    /// Someone knocks; a listener answering (`true`) stops the others.
    #[event(halting)]
    fn knock(shop: &Shop) -> bool;

    /// A payment is about to be taken; `Err` declines it.
    #[event(fallible)]
    fn pay(shop: &Shop, amount: u64) -> Result<(), Declined>;

    /// A greeting is about to be said; `retval` listeners may rewrite it.
    #[event(retval)]
    fn greet(shop: &Shop, #[retval] greeting: &str) -> String;

    /// The shop is installed; listeners run once per shop.
    #[event(exec_once)]
    fn install(shop: &Shop);

    /// The shop closed.
    #[deprecated(note = "listen for `open` and check the hour")]
    fn close(shop: &Shop);
}

/// The events of a [`Warehouse`]; [`Shop`] does not accept them.
#[hooks::events(propagate)]
pub trait StockEvents {
    /// `count` of `item` arrived.
    fn restock(item: &str, count: u32);
}

/// A shop: a target of [`ShopEvents`].
#[hooks::target(ShopEvents(events = events))]
#[derive(Default)]
pub struct Shop {
    events: hooks::Events<dyn ShopEvents>,
}

/// A warehouse: a target of [`StockEvents`].
#[hooks::target(StockEvents(events = events))]
#[derive(Default)]
pub struct Warehouse {
    events: hooks::Events<dyn StockEvents>,
}

/// The events of a [`Profile`]: a `retval, fallible` one.
#[hooks::events]
pub trait ProfileEvents {
    /// A name is about to be stored; a `retval` listener cleans it (`Ok`) or refuses it (`Err`).
    #[event(retval, fallible)]
    fn rename(profile: &Profile, #[retval] name: &str) -> Result<String, Declined>;
}

/// A profile: a target of [`ProfileEvents`].
#[hooks::target(ProfileEvents(events = events))]
#[derive(Default)]
pub struct Profile {
    events: hooks::Events<dyn ProfileEvents>,
}

/// A ledger: a target of [`StockEvents`] at class level only, declared without annotating it.
#[derive(Default)]
pub struct Ledger;

hooks::declare_target!(pub Ledger: StockEvents(class_only));

/// `hooks` re-exported, as a host does so that its users need no `hooks` dependency.
#[doc(hidden)]
pub use hooks as __hooks;
pub use hooks::listens_for;

/// The events of a [`Door`], declared as a host re-exporting `hooks` declares them.
#[hooks::events(crate = crate::__hooks)]
pub trait DoorEvents {
    /// Someone rang.
    fn ring(door: &Door);
}

/// A door: a target whose table names the facade through this crate's re-export.
#[hooks::target(DoorEvents(events = events), crate = crate::__hooks)]
#[derive(Default)]
pub struct Door {
    events: hooks::Events<dyn DoorEvents>,
}

impl Door {
    /// Fires `ring`.
    pub fn ring(&self) {
        hooks::HasEvents::dispatch(self).ring(self);
    }
}

/// Counts calls of listeners, so that pass cases can check that theirs fired.
pub struct Counter(AtomicU32);

impl Counter {
    /// Zero, usable in a `static`.
    pub const fn new() -> Self {
        Self(AtomicU32::new(0))
    }

    /// Counts one call.
    pub fn hit(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    /// The calls counted so far.
    pub fn get(&self) -> u32 {
        self.0.load(Ordering::SeqCst)
    }
}

impl Default for Counter {
    fn default() -> Self {
        Self::new()
    }
}
