//! `once` listeners: exactly once across threads, then gone (SQLAlchemy `RemovalTest.test_once`,
//! `test_once_doesnt_dereference_listener`, and the 16 × 1000 concurrency probe); unlike
//! SQLAlchemy's wrapper, a fired `once` listener does not linger (`contains` false, handle
//! inactive).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Barrier};

use hooks::{Class, Error, HasEvents, Modifiers};
use tests::Recorder;

/// The events of this file's targets.
#[hooks::events]
pub trait OnceEvents {
    /// One argument.
    fn event_one(x: u32);
}

tests::targets!(OnceEvents: Threads, Sequence, Closures, ClassOnce, Again, Dedup, Probe);

static THREAD_CALLS: AtomicU32 = AtomicU32::new(0);
fn once_fn(_: u32) {
    THREAD_CALLS.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn once_fires_exactly_once_across_16_threads_then_is_gone() {
    const THREADS: usize = 16;
    let t = Threads::default();
    let h = once_events::event_one
        .listen_with(&t, Modifiers::ONCE, once_fn)
        .unwrap();
    let counted = Arc::new(AtomicU32::new(0));
    let c = Arc::clone(&counted);
    let _every = once_events::event_one
        .listen(&t, move |_| {
            c.fetch_add(1, Ordering::Relaxed);
        })
        .unwrap();
    assert!(once_events::event_one.contains(&t, once_fn));
    let barrier = Barrier::new(THREADS);
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                barrier.wait();
                for i in 0..1000 {
                    t.dispatch().event_one(i);
                }
            });
        }
    });
    assert_eq!(THREAD_CALLS.load(Ordering::SeqCst), 1);
    assert_eq!(counted.load(Ordering::Relaxed), 16_000);
    assert!(!h.is_active());
    assert!(!once_events::event_one.contains(&t, once_fn));
    assert_eq!(h.remove(), Err(Error::NotActive { event: h.event() }));
    assert!(matches!(
        once_events::event_one.remove(&t, once_fn),
        Err(Error::NotRegistered { .. })
    ));
}

#[test]
fn once_listeners_fire_on_their_first_dispatch_only() {
    static CALLS: Recorder = Recorder::new();
    let t = Sequence::default();
    let _m1 = once_events::event_one
        .listen_with(&t, Modifiers::ONCE, |x| CALLS.push(format!("m1 {x}")))
        .unwrap();
    let _m2 = once_events::event_one
        .listen_with(&t, Modifiers::ONCE, |x| CALLS.push(format!("m2 {x}")))
        .unwrap();
    let _m3 = once_events::event_one
        .listen(&t, |x| CALLS.push(format!("m3 {x}")))
        .unwrap();
    t.dispatch().event_one(1);
    t.dispatch().event_one(2);
    let _m4 = once_events::event_one
        .listen_with(&t, Modifiers::ONCE, |x| CALLS.push(format!("m4 {x}")))
        .unwrap();
    t.dispatch().event_one(3);
    t.dispatch().event_one(4);
    assert_eq!(
        CALLS.take(),
        ["m1 1", "m2 1", "m3 1", "m3 2", "m3 3", "m4 3", "m3 4"]
    );
}

#[test]
fn hundred_capturing_closures_each_fire_exactly_once() {
    static CALLS: Recorder = Recorder::new();
    let t = Closures::default();
    let mut expected = Vec::new();
    let mut pending = Vec::new();
    let mut handles = Vec::new();
    for given_id in 0..100 {
        pending.push(given_id);
        let owned = format!("{given_id}");
        handles.push(
            once_events::event_one
                .listen_with(&t, Modifiers::ONCE, move |run_id| {
                    CALLS.push(format!("go({owned}, {run_id})"));
                })
                .unwrap(),
        );
        if given_id % 10 == 0 {
            t.dispatch().event_one(given_id);
            expected.extend(pending.drain(..).map(|g| format!("go({g}, {given_id})")));
        }
    }
    assert_eq!(CALLS.take(), expected);
    // The ones registered after the last fire are still waiting; the others are gone.
    let active: Vec<bool> = handles
        .iter()
        .map(hooks::ListenerHandle::is_active)
        .collect();
    let expected_active: Vec<bool> = (0..100).map(|g| g > 90).collect();
    assert_eq!(active, expected_active);
}

#[test]
fn class_level_once_fires_once_for_all_instances() {
    static CALLS: Recorder = Recorder::new();
    let h = once_events::event_one
        .listen_with(Class::<ClassOnce>::new(), Modifiers::ONCE, |x| {
            CALLS.push(format!("once {x}"));
        })
        .unwrap();
    ClassOnce::default().dispatch().event_one(1);
    ClassOnce::default().dispatch().event_one(2);
    assert_eq!(CALLS.take(), ["once 1"]);
    assert!(!h.is_active());
}

static AGAIN: Recorder = Recorder::new();
fn again(x: u32) {
    AGAIN.push(format!("again {x}"));
}

#[test]
fn a_fired_once_fn_can_be_registered_again() {
    let t = Again::default();
    let h1 = once_events::event_one
        .listen_with(&t, Modifiers::ONCE, again)
        .unwrap();
    t.dispatch().event_one(1);
    let h2 = once_events::event_one
        .listen_with(&t, Modifiers::ONCE, again)
        .unwrap();
    assert_ne!(h1, h2);
    assert!(h2.is_active());
    t.dispatch().event_one(2);
    t.dispatch().event_one(3);
    assert_eq!(AGAIN.take(), ["again 1", "again 2"]);
}

static DEDUP: Recorder = Recorder::new();
fn dedup(x: u32) {
    DEDUP.push(format!("dedup {x}"));
}

#[test]
fn the_same_once_fn_twice_is_one_registration_and_removable_before_it_fires() {
    let t = Dedup::default();
    let h1 = once_events::event_one
        .listen_with(&t, Modifiers::ONCE, dedup)
        .unwrap();
    let h2 = once_events::event_one
        .listen_with(&t, Modifiers::ONCE, dedup)
        .unwrap();
    assert_eq!(h1, h2);
    once_events::event_one.remove(&t, dedup).unwrap();
    t.dispatch().event_one(1);
    assert_eq!(DEDUP.take(), Vec::<String>::new());
}

#[test]
fn asking_whether_there_are_listeners_does_not_spend_a_once_listener() {
    static CALLS: Recorder = Recorder::new();
    let t = Probe::default();
    let h = once_events::event_one
        .listen_with(&t, Modifiers::ONCE, |x| CALLS.push(format!("once {x}")))
        .unwrap();
    assert!(t.dispatch().raw().has_listeners::<once_events::event_one>());
    assert!(t.dispatch().raw().has_listeners::<once_events::event_one>());
    assert!(h.is_active());
    t.dispatch().event_one(1);
    assert_eq!(CALLS.take(), ["once 1"]);
    assert!(!t.dispatch().raw().has_listeners::<once_events::event_one>());
}
