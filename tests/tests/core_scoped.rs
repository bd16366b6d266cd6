//! Scoped registration: a `ScopedListener` guard removes its listener when dropped, wherever it
//! is dropped (a test's end, a listener's capture freed with its target, a listener itself).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hooks::{Class, Error, HasEvents, Modifiers, ScopedListener};
use tests::{Recorder, Watchdog};

/// The events of this file's targets.
#[hooks::events]
pub trait ScopeEvents {
    /// One argument.
    fn event_one(x: u32);
}

tests::targets!(ScopeEvents: OnClass, OnInstance, Kept, Spent, Owner, Watched, SelfRemoving);

#[test]
fn dropping_the_guard_removes_a_class_level_listener() {
    static CALLS: Recorder = Recorder::new();
    let t = OnClass::default();
    {
        let guard = scope_events::event_one
            .listen(Class::<OnClass>::new(), |x| {
                CALLS.push(format!("class {x}"));
            })
            .unwrap()
            .scoped();
        t.dispatch().event_one(1);
        assert!(guard.handle().is_active());
        assert_eq!(guard.event().name, "event_one");
    }
    t.dispatch().event_one(2);
    assert_eq!(CALLS.take(), ["class 1"]);
    assert!(
        !t.dispatch()
            .raw()
            .has_listeners::<scope_events::event_one>()
    );
}

#[test]
fn dropping_the_guard_removes_an_instance_listener_and_frees_its_capture() {
    static CALLS: Recorder = Recorder::new();
    let captured = Arc::new(7_u32);
    let weak = Arc::downgrade(&captured);
    let t = OnInstance::default();
    let guard = scope_events::event_one
        .listen(&t, move |x| CALLS.push(format!("{captured} {x}")))
        .unwrap()
        .scoped();
    let handle = guard.handle();
    t.dispatch().event_one(1);
    drop(guard);
    t.dispatch().event_one(2);
    assert_eq!(CALLS.take(), ["7 1"]);
    assert!(!handle.is_active());
    assert!(
        weak.upgrade().is_none(),
        "the guard's drop freed the capture"
    );
}

#[test]
fn keep_and_remove_end_the_guard_without_a_second_removal() {
    static CALLS: Recorder = Recorder::new();
    let t = Kept::default();
    let kept = scope_events::event_one
        .listen(&t, |x| CALLS.push(format!("kept {x}")))
        .unwrap()
        .scoped()
        .keep();
    let removed = scope_events::event_one
        .listen(&t, |x| CALLS.push(format!("removed {x}")))
        .unwrap()
        .scoped();
    let removed_handle = removed.handle();
    assert_eq!(removed.remove(), Ok(()));
    t.dispatch().event_one(1);
    assert_eq!(CALLS.take(), ["kept 1"]);
    assert!(kept.is_active() && !removed_handle.is_active());
    // A guard whose listener was removed by its handle reports it, and its drop does nothing.
    let twice = scope_events::event_one.listen(&t, |_| {}).unwrap().scoped();
    twice.handle().remove().unwrap();
    assert_eq!(
        twice.remove(),
        Err(Error::NotActive {
            event: removed_handle.event()
        })
    );
}

#[test]
fn the_guard_of_a_spent_once_listener_drops_quietly() {
    static CALLS: Recorder = Recorder::new();
    let t = Spent::default();
    let guard = scope_events::event_one
        .listen_with(&t, Modifiers::ONCE, |x| CALLS.push(format!("once {x}")))
        .unwrap()
        .scoped();
    t.dispatch().event_one(1);
    t.dispatch().event_one(2);
    assert!(!guard.handle().is_active());
    drop(guard);
    assert_eq!(CALLS.take(), ["once 1"]);
}

#[test]
fn a_guard_freed_with_its_targets_listeners_removes_its_own_without_deadlock() {
    static CALLS: Recorder = Recorder::new();
    let _watchdog = Watchdog::new("guard freed with a target", Duration::from_secs(20));
    let watched = Watched::default();
    let guard = scope_events::event_one
        .listen(&watched, |x| CALLS.push(format!("watched {x}")))
        .unwrap()
        .scoped();
    let handle = guard.handle();
    // The owner's listener holds the guard; dropping the owner frees the capture, whose drop
    // takes the registry lock again to remove the watched listener.
    let owner = Owner::default();
    scope_events::event_one
        .listen(&owner, move |_| {
            let _ = &guard;
        })
        .unwrap();
    watched.dispatch().event_one(1);
    drop(owner);
    watched.dispatch().event_one(2);
    assert_eq!(CALLS.take(), ["watched 1"]);
    assert!(!handle.is_active());
}

#[test]
fn a_listener_may_drop_its_own_guard_and_is_gone_from_the_next_fire() {
    static CALLS: Recorder = Recorder::new();
    let _watchdog = Watchdog::new("self-removing guard", Duration::from_secs(20));
    let t = SelfRemoving::default();
    let slot: Arc<Mutex<Option<ScopedListener>>> = Arc::default();
    let inner = Arc::clone(&slot);
    let guard = scope_events::event_one
        .listen(&t, move |x| {
            CALLS.push(format!("listener {x}"));
            drop(inner.lock().unwrap().take());
        })
        .unwrap()
        .scoped();
    *slot.lock().unwrap() = Some(guard);
    t.dispatch().event_one(1);
    t.dispatch().event_one(2);
    assert_eq!(CALLS.take(), ["listener 1"]);
}
