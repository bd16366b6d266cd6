//! The expansions are clean under `clippy::pedantic` (trybuild does not run clippy; CI runs
//! `cargo clippy --workspace --all-targets -- -D warnings` over this file): a family, a target
//! and listeners of every contract and form, in a module denying the pedantic group.

#![deny(warnings, clippy::pedantic)]

use std::sync::atomic::{AtomicU32, Ordering};

use hooks::HasEvents;

static CALLS: AtomicU32 = AtomicU32::new(0);

fn hit() {
    CALLS.fetch_add(1, Ordering::SeqCst);
}

/// Why a bell refused to ring.
#[derive(Debug, PartialEq, Eq)]
pub struct Cracked;

/// The events of a [`Bell`], one of each contract.
#[hooks::events(propagate, modifiers(loud))]
pub trait BellEvents {
    /// The bell rang `times` times.
    fn ring(bell: &Bell, times: u32);

    /// Someone pulls the rope; `true` stops the other listeners.
    #[event(halting)]
    fn pull(bell: &Bell) -> bool;

    /// The bell is about to ring; `Err` stops it.
    #[event(fallible)]
    fn check(bell: &Bell) -> Result<(), Cracked>;

    /// The tune about to be played; `retval` listeners may change it.
    #[event(retval)]
    fn tune(bell: &Bell, #[retval] notes: &str, #[retval] tempo: &u32) -> (String, u32);

    /// The bell is hung; listeners run once per bell.
    #[event(exec_once(unless_error), fallible)]
    fn hang(bell: &Bell) -> Result<(), Cracked>;
}

/// A bell: a target of [`BellEvents`].
#[hooks::target(BellEvents(events = events))]
#[derive(Default)]
pub struct Bell {
    events: hooks::Events<dyn BellEvents>,
}

#[hooks::listens_for(Bell, "ring", insert, propagate)]
fn on_ring(_bell: &Bell, times: u32) {
    assert_eq!(times, 3);
    hit();
}

#[hooks::listens_for(Bell, "ring", named, loud)]
fn on_ring_named(args: bell_events::RingArgs<'_>) {
    assert_eq!(args.times, 3);
    hit();
}

#[hooks::listens_for(Bell, "pull")]
fn on_pull(_bell: &Bell) -> bool {
    hit();
    true
}

#[hooks::listens_for(Bell, "check", once)]
fn on_check(_bell: &Bell) -> Result<(), Cracked> {
    hit();
    Err(Cracked)
}

#[hooks::listens_for(Bell, "tune", retval)]
fn on_tune(_bell: &Bell, notes: &str, tempo: &u32) -> (String, u32) {
    hit();
    (notes.repeat(2), tempo * 2)
}

#[hooks::listens_for(Bell, "tune", named, retval)]
fn on_tune_named(args: bell_events::TuneArgs<'_>) -> (String, u32) {
    hit();
    (args.notes.to_owned(), *args.tempo + 1)
}

#[hooks::listens_for(Bell, "hang")]
fn on_hang(_bell: &Bell) -> Result<(), Cracked> {
    hit();
    Ok(())
}

#[test]
fn every_contract_fires() {
    let bell = Bell::default();
    let events = bell.dispatch();
    events.ring(&bell, 3);
    assert!(events.pull(&bell));
    assert_eq!(events.check(&bell), Err(Cracked));
    assert_eq!(events.check(&bell), Ok(()));
    // Sorted by name: `on_tune` then `on_tune_named`.
    assert_eq!(
        events.tune(&bell, "do".to_owned(), 60),
        ("dodo".to_owned(), 121)
    );
    assert_eq!(events.hang(&bell), Ok(()));
    assert_eq!(events.hang(&bell), Ok(()));
    assert_eq!(CALLS.load(Ordering::SeqCst), 7);
}
