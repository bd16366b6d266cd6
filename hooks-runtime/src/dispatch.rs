//! Firing: a typed walk over the listeners of one event, level by level, with no lock and no
//! allocation.
//!
//! The gate of a fire is `#[inline(always)]`: left to `#[inline]`, LLVM kept whole fires out of
//! line in the benchmark binary, and a fire nobody listens to cost a call (BENCHMARKS.md).
#![allow(
    clippy::inline_always,
    reason = "the fire's gate must inline into every fire; measured in BENCHMARKS.md"
)]

use std::marker::PhantomData;
use std::ops::ControlFlow;

use crate::instance::InstanceSlots;
use crate::slot::{CLASS, Entry, INSTANCE, STATIC, Slot, UNINIT};
use crate::target::Join;
use crate::{Event, Events, Family, Modifiers};

/// The listeners of one target for one family, in firing order: the target type's class-level
/// listeners, the instance's own, then those of the parent it joins (read live), recursively.
///
/// Hosts fire through the typed dispatcher `#[hooks::events]` generates, which wraps this.
pub struct Dispatch<'a, F: ?Sized + Family> {
    class: &'static F::Slots,
    events: &'a Events<F>,
    parent: Option<&'a dyn Join<F>>,
}

/// A fire of `E` that passed its gate ([`Dispatch::gate`]): some listener may run.
#[derive(Clone, Copy, Debug)]
pub struct Gate<E> {
    state: u8,
    event: PhantomData<fn() -> E>,
}

impl<F: ?Sized + Family> Clone for Dispatch<'_, F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F: ?Sized + Family> Copy for Dispatch<'_, F> {}

impl<F: ?Sized + Family> std::fmt::Debug for Dispatch<'_, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dispatch")
            .field("family", &F::INFO.name)
            .field("instance_listeners", &self.events.is_allocated())
            .field("joined", &self.parent.is_some())
            .finish()
    }
}

impl<'a, F: ?Sized + Family> Dispatch<'a, F> {
    /// The dispatch of one target: its class slots, its own storage and its parent.
    #[must_use]
    #[inline]
    pub fn new(
        class: &'static F::Slots,
        events: &'a Events<F>,
        parent: Option<&'a dyn Join<F>>,
    ) -> Self {
        Self {
            class,
            events,
            parent,
        }
    }

    /// The gate of a fire of `E`: `None` when no listener can run, which the fire learns from
    /// one relaxed load and a branch when nothing anywhere listens to `E`, and from one more load
    /// and branch when this level has no listener and no parent (one more when only other
    /// instances of the class listen).
    ///
    /// Always inlined: the generated fire methods pass it first, before they build the closure
    /// that calls the listeners, so a fire nobody listens to never touches the target beyond
    /// its class slot.
    #[inline(always)]
    pub fn gate<E: Event<Family = F>>(&self) -> Option<Gate<E>> {
        if !interested::<E>() {
            return None;
        }
        let state = E::slot(self.class).state();
        // Other instances of the class listening (`INSTANCE` alone) is nothing to this one
        // until it has storage of its own.
        let quiet = state == 0 || (state == INSTANCE && !self.events.is_allocated());
        if quiet && self.parent.is_none() {
            return None;
        }
        Some(Gate {
            state,
            event: PhantomData,
        })
    }

    /// Calls `f` with each listener of `E`, in firing order, until it breaks.
    #[inline(always)]
    pub fn each<E, G>(&self, f: &mut G) -> ControlFlow<()>
    where
        E: Event<Family = F>,
        G: FnMut(&E::Callable, &Modifiers) -> ControlFlow<()>,
    {
        match self.gate::<E>() {
            None => ControlFlow::Continue(()),
            Some(gate) => self.each_past::<E, G>(gate, f),
        }
    }

    /// [`each`](Self::each) past its [`gate`](Self::gate).
    #[inline(always)]
    pub fn each_past<E, G>(&self, gate: Gate<E>, f: &mut G) -> ControlFlow<()>
    where
        E: Event<Family = F>,
        G: FnMut(&E::Callable, &Modifiers) -> ControlFlow<()>,
    {
        if gate.state == STATIC && self.parent.is_none() {
            // Only `#[listens_for]` listeners, at one level: straight to the slice.
            return run_statics(E::slot(self.class), f);
        }
        // The parts go by value, so that a fire nobody listens to never stores the dispatch.
        Self::each_listening::<E, G>(self.class, self.events, self.parent, gate.state, f)
    }

    /// Past the gate: this level's listeners (state `state`), then the parent's.
    #[inline]
    fn each_listening<E, G>(
        class: &'static F::Slots,
        events: &'a Events<F>,
        parent: Option<&'a dyn Join<F>>,
        state: u8,
        f: &mut G,
    ) -> ControlFlow<()>
    where
        E: Event<Family = F>,
        G: FnMut(&E::Callable, &Modifiers) -> ControlFlow<()>,
    {
        let this = Self::new(class, events, parent);
        this.each_at::<E, G>(state, f)
    }

    /// This level's listeners (state `state`), then the parent's.
    #[inline]
    fn each_at<E, G>(&self, state: u8, f: &mut G) -> ControlFlow<()>
    where
        E: Event<Family = F>,
        G: FnMut(&E::Callable, &Modifiers) -> ControlFlow<()>,
    {
        let slot = E::slot(self.class);
        match self.parent {
            None => {
                if state != 0 {
                    self.each_here::<E, G>(slot, state, true, f)?;
                }
                ControlFlow::Continue(())
            }
            Some(parent) => self.each_then_joined::<E, G>(slot, state, parent, f),
        }
    }

    /// This level, then the parent's, out of line: `each` stays inlinable (it is not recursive
    /// itself). The class level runs here only if no level further up the chain has the same
    /// class slots: a class-level listener runs once per fire, with the outermost target of its
    /// type (an option engine joined to its engine runs `Engine`'s class listeners once, after
    /// its own instance listeners, as SQLAlchemy does).
    #[inline(never)]
    fn each_then_joined<E, G>(
        &self,
        slot: &Slot<E>,
        state: u8,
        parent: &dyn Join<F>,
        f: &mut G,
    ) -> ControlFlow<()>
    where
        E: Event<Family = F>,
        G: FnMut(&E::Callable, &Modifiers) -> ControlFlow<()>,
    {
        if state != 0 {
            let class_here = (state & !INSTANCE) == 0 || !class_runs_above(self.class, parent);
            self.each_here::<E, G>(slot, state, class_here, f)?;
        }
        parent.joined().each::<E, G>(f)
    }

    #[inline]
    fn each_here<E, G>(
        &self,
        slot: &Slot<E>,
        mut state: u8,
        class_here: bool,
        f: &mut G,
    ) -> ControlFlow<()>
    where
        E: Event<Family = F>,
        G: FnMut(&E::Callable, &Modifiers) -> ControlFlow<()>,
    {
        if state & UNINIT != 0 {
            state = crate::registry::reconcile(slot);
        }
        if !class_here {
            // A level further up the chain runs the class slots.
        } else if state & CLASS != 0 {
            run_class(slot, f)?;
        } else if state & STATIC != 0 {
            // Only `#[listens_for]` listeners: one acquire load, no read-modify-write.
            run_entries(slot.static_slice(), f)?;
        }
        if state & INSTANCE != 0
            && let Some(own) = self.events.slots()
        {
            run_instance::<E, G>(own, f)?;
        }
        ControlFlow::Continue(())
    }

    /// Whether any level holds a listener of `E` that may still run.
    #[must_use]
    pub fn has_listeners<E: Event<Family = F>>(&self) -> bool {
        // Not through `each`: that claims `once` listeners, and asking must not spend them.
        if !interested::<E>() {
            return false;
        }
        let slot = E::slot(self.class);
        let mut state = slot.state();
        if state & UNINIT != 0 {
            state = crate::registry::reconcile(slot);
        }
        if state & (CLASS | STATIC) != 0 && has_live(slot) {
            return true;
        }
        if state & INSTANCE != 0
            && let Some(own) = self.events.slots()
            && has_live(E::slot(&own.slots))
        {
            return true;
        }
        self.parent
            .is_some_and(|parent| parent.joined().has_listeners::<E>())
    }

    /// Runs `run` under `E`'s exec-once state on this target, if `E` is an exec-once event and
    /// has listeners; `None` when it did not run (already done, or nothing to run).
    pub fn exec_once<E, R>(
        &self,
        run: impl FnOnce() -> R,
        failed: impl FnOnce(&R) -> bool,
    ) -> Option<R>
    where
        E: Event<Family = F>,
    {
        let state = E::exec_once(self.events.exec_once_states())?;
        let mode = E::INFO.exec_once?;
        if state.is_done() || !self.has_listeners::<E>() {
            return None;
        }
        state.run(mode, run, failed)
    }
}

/// Whether anything, on any target, listens to `E`: one relaxed load (after the first fire).
#[inline(always)]
fn interested<E: Event>() -> bool {
    match E::registrations().load(std::sync::atomic::Ordering::Relaxed) {
        0 => false,
        crate::UNKNOWN_REGISTRATIONS => crate::registry::reconcile_count::<E>() != 0,
        _ => true,
    }
}

/// Whether a level of the chain starting at `parent` fires the same class slots as `class`
/// (a target joined to another of its own type).
fn class_runs_above<F: ?Sized + Family>(class: &'static F::Slots, parent: &dyn Join<F>) -> bool {
    let mut level = parent.joined();
    loop {
        // Slots structs hold atomics, so two different types' statics never share an address.
        if std::ptr::eq(level.class, class) {
            return true;
        }
        match level.parent {
            None => return false,
            Some(next) => level = next.joined(),
        }
    }
}

/// Whether `slot` holds a listener that may still run (without claiming a `once` one, and
/// without allocating: exec-once fires ask this).
fn has_live<E: Event>(slot: &Slot<E>) -> bool {
    let live = |entries: &[Entry<E>]| entries.iter().any(|e| !e.is_spent());
    let guard = slot.load();
    match guard.as_ref() {
        None => live(slot.static_slice()),
        Some(snapshot) => {
            let chunks = snapshot.front.iter().chain(snapshot.back.iter());
            chunks.into_iter().any(|c| live(c))
                || (snapshot.statics_live && live(slot.static_slice()))
        }
    }
}

/// A slot with runtime listeners: the snapshot's front, the static slice if live, the back.
#[inline]
fn run_class<E, G>(slot: &Slot<E>, f: &mut G) -> ControlFlow<()>
where
    E: Event,
    G: FnMut(&E::Callable, &Modifiers) -> ControlFlow<()>,
{
    let guard = slot.load();
    let Some(snapshot) = guard.as_ref() else {
        return run_entries(slot.static_slice(), f);
    };
    for chunk in &snapshot.front {
        run_entries(chunk, f)?;
    }
    if snapshot.statics_live {
        run_entries(slot.static_slice(), f)?;
    }
    for chunk in &snapshot.back {
        run_entries(chunk, f)?;
    }
    ControlFlow::Continue(())
}

/// An instance's own listeners (runtime ones only: static listeners are class-level).
///
/// A `once` listener spent here is purged right away, by this thread, which holds the
/// instance for the whole fire. That is the only purge of an instance's entries besides a
/// registry call on the instance and its drop (see `Registry::purge_spent`), so the snapshot it
/// retires is never dropped by a thread that might race the instance's own drop, and a `once`
/// closure that owns its target does not keep it alive.
#[inline]
fn run_instance<E, G>(own: &InstanceSlots<E::Family>, f: &mut G) -> ControlFlow<()>
where
    E: Event,
    G: FnMut(&E::Callable, &Modifiers) -> ControlFlow<()>,
{
    let mut spent_once = false;
    let flow = {
        let guard = E::slot(&own.slots).load();
        match guard.as_ref() {
            None => ControlFlow::Continue(()),
            Some(snapshot) => snapshot
                .front
                .iter()
                .chain(snapshot.back.iter())
                .try_for_each(|chunk| run_tracking_once(chunk, &mut spent_once, f)),
        }
    };
    if spent_once {
        crate::registry::purge_spent_of(own.id);
    }
    flow
}

#[inline]
fn run_tracking_once<E, G>(entries: &[Entry<E>], spent: &mut bool, f: &mut G) -> ControlFlow<()>
where
    E: Event,
    G: FnMut(&E::Callable, &Modifiers) -> ControlFlow<()>,
{
    for entry in entries {
        if entry.claim() {
            *spent |= entry.once.is_some();
            f(&entry.callable, &entry.modifiers)?;
        }
    }
    ControlFlow::Continue(())
}

/// The static slice of a slot that holds nothing else: out of line, so that the fire it is
/// called from stays small enough to inline where it is written (inlined, this loop made the
/// benchmark's fire helpers calls, and every 0-listener fire paid the call).
#[inline(never)]
fn run_statics<E, G>(slot: &Slot<E>, f: &mut G) -> ControlFlow<()>
where
    E: Event,
    G: FnMut(&E::Callable, &Modifiers) -> ControlFlow<()>,
{
    run_entries(slot.static_slice(), f)
}

#[inline]
fn run_entries<E, G>(entries: &[Entry<E>], f: &mut G) -> ControlFlow<()>
where
    E: Event,
    G: FnMut(&E::Callable, &Modifiers) -> ControlFlow<()>,
{
    for entry in entries {
        if entry.claim() {
            f(&entry.callable, &entry.modifiers)?;
        }
    }
    ControlFlow::Continue(())
}
