//! One event's listeners at one level (a type, or one instance): an immutable snapshot,
//! replaced atomically by `listen`/`remove` and read without a lock by every fire.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};

use arc_swap::ArcSwapOption;

use crate::{Event, Modifiers};

/// The class slot has not been reconciled with the static listener index yet.
pub(crate) const UNINIT: u8 = 1;
/// The class slot holds listeners.
pub(crate) const CLASS: u8 = 2;
/// Some instance of the class holds listeners for this event.
pub(crate) const INSTANCE: u8 = 4;

/// The listeners of one event at one level.
///
/// A family's generated slots struct holds one per event; a target type has one such struct in a
/// `static` (its class level) and each instance allocates one lazily, on its first listener.
pub struct Slot<E: Event> {
    state: AtomicU8,
    instance_registrations: AtomicUsize,
    snapshot: ArcSwapOption<Snapshot<E>>,
}

/// A snapshot taken out of service, to be dropped outside the registry lock.
#[derive(Default)]
pub(crate) struct Retired {
    _snapshot: Option<Arc<dyn Send + Sync>>,
}

pub(crate) struct Snapshot<E: Event> {
    pub(crate) entries: Box<[Entry<E>]>,
}

pub(crate) struct Entry<E: Event> {
    pub(crate) id: u64,
    pub(crate) callable: Arc<E::Callable>,
    pub(crate) once: Option<Arc<AtomicBool>>,
    pub(crate) modifiers: Modifiers,
}

impl<E: Event> Clone for Entry<E> {
    fn clone(&self) -> Self {
        Self {
            id: self.id,
            callable: Arc::clone(&self.callable),
            once: self.once.clone(),
            modifiers: self.modifiers,
        }
    }
}

impl<E: Event> Entry<E> {
    /// Claims the right to run: always for ordinary listeners; exactly once for `once` ones.
    #[inline]
    pub(crate) fn claim(&self) -> bool {
        match &self.once {
            None => true,
            Some(fired) => !fired.swap(true, Ordering::AcqRel),
        }
    }

    pub(crate) fn is_spent(&self) -> bool {
        self.once
            .as_ref()
            .is_some_and(|f| f.load(Ordering::Acquire))
    }
}

impl<E: Event> Slot<E> {
    /// An empty slot, for statics and new instances.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            state: AtomicU8::new(UNINIT),
            instance_registrations: AtomicUsize::new(0),
            snapshot: ArcSwapOption::const_empty(),
        }
    }

    /// The class-level state bits; one relaxed load, the whole cost of a fire with no listener.
    #[inline]
    pub(crate) fn state(&self) -> u8 {
        self.state.load(Ordering::Relaxed)
    }

    pub(crate) fn load(&self) -> arc_swap::Guard<Option<Arc<Snapshot<E>>>> {
        self.snapshot.load()
    }

    pub(crate) fn entries(&self) -> Vec<Entry<E>> {
        self.snapshot
            .load()
            .as_ref()
            .map(|s| s.entries.to_vec())
            .unwrap_or_default()
    }

    /// Publishes a new list (called with the registry lock held) and returns the one it
    /// replaces, which the caller must drop only after releasing the lock: dropping it may
    /// drop a listener's captured state, and with it a target whose storage takes the lock.
    #[must_use = "drop the retired snapshot after releasing the registry lock"]
    pub(crate) fn publish(&self, entries: Vec<Entry<E>>) -> Retired {
        let snapshot = (!entries.is_empty()).then(|| {
            Arc::new(Snapshot {
                entries: entries.into_boxed_slice(),
            })
        });
        Retired {
            _snapshot: self
                .snapshot
                .swap(snapshot)
                .map(|old| old as Arc<dyn Send + Sync>),
        }
    }

    /// Recomputes the class-level state (called with the registry lock held).
    pub(crate) fn settle(&self) {
        let mut state = 0;
        if self.snapshot.load().is_some() {
            state |= CLASS;
        }
        if self.instance_registrations.load(Ordering::Relaxed) > 0 {
            state |= INSTANCE;
        }
        self.state.store(state, Ordering::Release);
    }

    pub(crate) fn add_instance_registration(&self) {
        self.instance_registrations.fetch_add(1, Ordering::Relaxed);
        self.settle();
    }

    pub(crate) fn drop_instance_registration(&self) {
        self.instance_registrations.fetch_sub(1, Ordering::Relaxed);
        self.settle();
    }
}

impl<E: Event> Default for Slot<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Event> std::fmt::Debug for Slot<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Slot")
            .field("event", &E::INFO.name)
            .field(
                "listeners",
                &self.load().as_ref().map_or(0, |s| s.entries.len()),
            )
            .finish()
    }
}
