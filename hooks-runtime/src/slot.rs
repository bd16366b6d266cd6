//! One event's listeners at one level (a type, or one instance), read without a lock by every
//! fire.
//!
//! A class slot has two parts. The listeners `#[listens_for]` registered are a slice built once,
//! when the static index is built, and read with one acquire load (no read-modify-write, which is
//! what makes a fire of static listeners cheap). Listeners added at runtime live in an immutable
//! snapshot that `listen`/`remove` replace atomically (`arc-swap`): its `front` holds the
//! runtime `insert` listeners, which run before the static slice, and its `back` the appended
//! ones, which run after. Removing a static listener folds the slice into `back` for good.
//!
//! Both lists are chunks of at most [`CHUNK`] entries behind `Arc`s, so that a new snapshot
//! shares every chunk but the one it changes: a `listen` or `remove` costs one reference count
//! per chunk and a copy of one chunk, not one per listener present.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use arc_swap::ArcSwapOption;

use crate::atomics::{StateBits, claim_once, is_claimed};
use crate::{Event, Modifiers};

/// The class slot has not been reconciled with the static listener index yet.
pub(crate) const UNINIT: u8 = 1;
/// The slot's runtime snapshot holds listeners.
pub(crate) const CLASS: u8 = 2;
/// Some instance of the class holds listeners for this event.
pub(crate) const INSTANCE: u8 = 4;
/// The slot's static slice is live.
pub(crate) const STATIC: u8 = 8;

/// The listeners of one event at one level.
///
/// A family's generated slots struct holds one per event; a target type has one such struct in a
/// `static` (its class level) and each instance allocates one lazily, on its first listener.
pub struct Slot<E: Event> {
    state: StateBits<AtomicU8>,
    instance_registrations: AtomicUsize,
    statics: OnceLock<Box<[Entry<E>]>>,
    snapshot: ArcSwapOption<Snapshot<E>>,
}

/// A snapshot taken out of service, to be dropped outside the registry lock.
#[derive(Default)]
pub(crate) struct Retired {
    _snapshot: Option<Arc<dyn Send + Sync>>,
}

/// The most entries a chunk holds.
pub(crate) const CHUNK: usize = 32;

/// A run of entries, shared between snapshots.
pub(crate) type Chunk<E> = Arc<[Entry<E>]>;

/// The runtime listeners of a slot: `front` runs before the static slice, `back` after it. The
/// static slice runs unless it was folded into `back` (then `statics_live` is false, for good).
/// Keeping that flag in the snapshot makes a fold atomic for a concurrent fire. A slot with no
/// snapshot has its static slice live. No chunk is empty.
pub(crate) struct Snapshot<E: Event> {
    pub(crate) front: Box<[Chunk<E>]>,
    pub(crate) back: Box<[Chunk<E>]>,
    pub(crate) statics_live: bool,
}

/// The runtime listeners being edited (under the registry lock).
pub(crate) struct Draft<E: Event> {
    front: Vec<Chunk<E>>,
    back: Vec<Chunk<E>>,
    statics_live: bool,
}

impl<E: Event> Draft<E> {
    fn is_empty(&self) -> bool {
        self.front.is_empty() && self.back.is_empty()
    }

    /// Adds `entry` after every other runtime listener.
    pub(crate) fn push_back(&mut self, entry: Entry<E>) {
        match self.back.last_mut() {
            Some(last) if last.len() < CHUNK => {
                let mut grown = Vec::with_capacity(last.len() + 1);
                grown.extend_from_slice(last);
                grown.push(entry);
                *last = grown.into();
            }
            _ => self.back.push(Arc::from([entry])),
        }
    }

    /// Adds `entry` before every other listener of the slot.
    pub(crate) fn push_front(&mut self, entry: Entry<E>) {
        match self.front.first_mut() {
            Some(first) if first.len() < CHUNK => {
                let mut grown = Vec::with_capacity(first.len() + 1);
                grown.push(entry);
                grown.extend_from_slice(first);
                *first = grown.into();
            }
            _ => self.front.insert(0, Arc::from([entry])),
        }
    }

    /// Takes out the entry `id`, copying only the chunk that held it.
    pub(crate) fn remove(&mut self, id: u64) {
        for list in [&mut self.front, &mut self.back] {
            let Some(at) = chunk_holding(list, id) else {
                continue;
            };
            let rest: Vec<Entry<E>> = list[at].iter().filter(|e| e.id != id).cloned().collect();
            if rest.is_empty() {
                list.remove(at);
            } else {
                list[at] = rest.into();
            }
            return;
        }
    }
}

/// The index of the chunk of `list` that holds entry `id`. Ids rise with every registration,
/// so a list that only grew at its back (the common case) is sorted by id: a binary search on
/// the chunks' first ids finds the one chunk to look in (scanning every entry was most of a
/// `remove` with 1,000 listeners present). A list that is not sorted (entries put in front,
/// or copied from another target) may send the search to the wrong chunk; the whole scan then
/// finds it.
fn chunk_holding<E: Event>(list: &[Chunk<E>], id: u64) -> Option<usize> {
    let holds = |chunk: &Chunk<E>| chunk.iter().any(|e| e.id == id);
    let after = list.partition_point(|c| c.first().is_some_and(|e| e.id <= id));
    if let Some(at) = after.checked_sub(1)
        && holds(&list[at])
    {
        return Some(at);
    }
    list.iter().position(holds)
}

/// `entries` cut into chunks.
fn chunked<E: Event>(entries: Vec<Entry<E>>) -> Vec<Chunk<E>> {
    let mut chunks = Vec::with_capacity(entries.len().div_ceil(CHUNK));
    let mut entries = entries.into_iter().peekable();
    while entries.peek().is_some() {
        chunks.push(entries.by_ref().take(CHUNK).collect());
    }
    chunks
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
            Some(fired) => claim_once(&**fired),
        }
    }

    pub(crate) fn is_spent(&self) -> bool {
        self.once.as_deref().is_some_and(is_claimed)
    }
}

impl<E: Event> Slot<E> {
    /// An empty slot, for statics and new instances.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            state: StateBits::new(AtomicU8::new(UNINIT)),
            instance_registrations: AtomicUsize::new(0),
            statics: OnceLock::new(),
            snapshot: ArcSwapOption::const_empty(),
        }
    }

    /// The class-level state bits; one relaxed load, the whole cost of a fire with no listener.
    #[inline]
    pub(crate) fn state(&self) -> u8 {
        self.state.get()
    }

    pub(crate) fn load(&self) -> arc_swap::Guard<Option<Arc<Snapshot<E>>>> {
        self.snapshot.load()
    }

    /// The static slice as installed, live or not.
    #[inline]
    pub(crate) fn static_slice(&self) -> &[Entry<E>] {
        self.statics.get().map_or(&[], |statics| statics)
    }

    /// The static slice, when it is live (under the registry lock, or for lookups).
    pub(crate) fn statics(&self) -> &[Entry<E>] {
        match &*self.snapshot.load() {
            Some(snapshot) if !snapshot.statics_live => &[],
            _ => self.static_slice(),
        }
    }

    /// Installs the static slice (once, while the static index is built).
    pub(crate) fn set_statics(&self, entries: Vec<Entry<E>>) {
        // The index is built once; a second call cannot happen, and would change nothing.
        let _ = self.statics.set(entries.into_boxed_slice());
    }

    /// The runtime listeners, to edit and publish (the chunks are shared, not copied).
    pub(crate) fn draft(&self) -> Draft<E> {
        self.snapshot.load().as_ref().map_or_else(
            || Draft {
                front: Vec::new(),
                back: Vec::new(),
                statics_live: true,
            },
            |s| Draft {
                front: s.front.to_vec(),
                back: s.back.to_vec(),
                statics_live: s.statics_live,
            },
        )
    }

    /// Every listener at this level, in firing order (for copies and lookups, not for fires).
    pub(crate) fn entries(&self) -> Vec<Entry<E>> {
        let draft = self.draft();
        let statics = if draft.statics_live {
            self.static_slice()
        } else {
            &[]
        };
        let front = draft.front.iter().flat_map(|c| c.iter());
        let back = draft.back.iter().flat_map(|c| c.iter());
        front.chain(statics).chain(back).cloned().collect()
    }

    /// Whether `id` is one of the live static listeners.
    pub(crate) fn has_static(&self, id: u64) -> bool {
        self.statics().iter().any(|e| e.id == id)
    }

    /// Folds the static slice into the runtime listeners, for good (a static listener is being
    /// removed): returns the draft holding every listener in order.
    pub(crate) fn fold_statics(&self) -> Draft<E> {
        Draft {
            front: Vec::new(),
            back: chunked(self.entries()),
            statics_live: false,
        }
    }

    /// Publishes a new list (called with the registry lock held) and returns the one it
    /// replaces, which the caller must drop only after releasing the lock: dropping it may
    /// drop a listener's captured state, and with it a target whose storage takes the lock.
    #[must_use = "drop the retired snapshot after releasing the registry lock"]
    pub(crate) fn publish(&self, draft: Draft<E>) -> Retired {
        // A folded slot keeps a snapshot, even an empty one: no snapshot means "statics live".
        let keep = !draft.is_empty() || !draft.statics_live;
        let snapshot = keep.then(|| {
            Arc::new(Snapshot {
                front: draft.front.into_boxed_slice(),
                back: draft.back.into_boxed_slice(),
                statics_live: draft.statics_live,
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
        if !self.statics().is_empty() {
            state |= STATIC;
        }
        if self.instance_registrations.load(Ordering::Relaxed) > 0 {
            state |= INSTANCE;
        }
        self.state.publish(state);
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
            .field("listeners", &self.entries().len())
            .finish()
    }
}
