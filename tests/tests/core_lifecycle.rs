//! Instance lifetime: dropping an instance frees its listeners and their captures (SQLAlchemy
//! `test_listener_collection_removed_cleanup`; hooks never keeps a dead target alive, unlike
//! SQLAlchemy #13564); an instance with no listener of its own allocates nothing
//! (`test_no_instance_level_collections`), whatever class-level listeners fire for it.

use std::sync::{Arc, Weak};

use hooks::{Carry, Class, Error, HasEvents, Modifiers};
use tests::Recorder;

/// The events of this file's targets.
#[hooks::events(propagate)]
pub trait LifeEvents {
    /// One argument.
    fn event_one(x: u32);
    /// Runs once per target.
    #[event(exec_once)]
    fn first(x: u32);
}

tests::targets!(LifeEvents: Dropped, NoAlloc, Lookups, Copied, Survivor, Raced, Churn, SelfOwned);

static NO_ALLOC: Recorder = Recorder::new();
fn no_alloc(x: u32) {
    NO_ALLOC.push(format!("fn {x}"));
}

#[test]
fn dropping_an_instance_frees_its_listeners_and_their_captures() {
    static CALLS: Recorder = Recorder::new();
    let captured = Arc::new(String::from("captured"));
    let weak: Weak<String> = Arc::downgrade(&captured);
    let t = Dropped::default();
    let h = life_events::event_one
        .listen(&t, move |x| CALLS.push(format!("{captured} {x}")))
        .unwrap();
    let once = life_events::event_one
        .listen_with(&t, Modifiers::ONCE, |_| {})
        .unwrap();
    t.dispatch().event_one(1);
    assert_eq!(CALLS.take(), ["captured 1"]);
    assert!(weak.upgrade().is_some());
    assert!(t.events.is_allocated());
    drop(t);
    assert!(
        weak.upgrade().is_none(),
        "the listener's capture outlived its target"
    );
    assert!(!h.is_active());
    assert!(!once.is_active());
    assert_eq!(h.remove(), Err(Error::NotActive { event: h.event() }));
    // A new instance (whatever its storage address) starts empty.
    let fresh = Dropped::default();
    fresh.dispatch().event_one(2);
    assert_eq!(CALLS.take(), Vec::<String>::new());
    assert!(
        !fresh
            .dispatch()
            .raw()
            .has_listeners::<life_events::event_one>()
    );
}

#[test]
fn an_instance_with_only_class_level_listeners_allocates_nothing() {
    let class = Class::<NoAlloc>::new();
    let _c = life_events::event_one
        .listen(class, |x| NO_ALLOC.push(format!("class {x}")))
        .unwrap();
    let _f = life_events::event_one.listen(class, no_alloc).unwrap();
    let _e = life_events::first
        .listen(class, |x| NO_ALLOC.push(format!("first {x}")))
        .unwrap();
    let t = NoAlloc::default();
    t.dispatch().event_one(1);
    t.dispatch().first(2);
    t.dispatch().first(3);
    assert!(t.dispatch().raw().has_listeners::<life_events::event_one>());
    assert!(life_events::event_one.contains(class, no_alloc));
    assert_eq!(NO_ALLOC.take(), ["class 1", "fn 1", "first 2"]);
    assert!(!t.events.is_allocated());

    // The first instance-level listener allocates.
    let _i = life_events::event_one.listen(&t, |_| {}).unwrap();
    assert!(t.events.is_allocated());
    assert!(!NoAlloc::default().events.is_allocated());
}

#[test]
fn lookups_and_refused_removals_on_an_instance_allocate_nothing() {
    fn never(_: u32) {}
    let t = Lookups::default();
    assert!(!life_events::event_one.contains(&t, never));
    assert!(matches!(
        life_events::event_one.remove(&t, never),
        Err(Error::NotRegistered { .. })
    ));
    assert_eq!(hooks::contains_by_name(&t, "event_one", &never), Ok(false));
    let other = Lookups::default();
    hooks::copy_listeners::<dyn LifeEvents, _>(&t, &other, Carry::All);
    assert!(!t.events.is_allocated());
    assert!(!other.events.is_allocated());
}

#[test]
fn dropping_the_source_of_copies_keeps_the_copies() {
    static CALLS: Recorder = Recorder::new();
    let captured = Arc::new(0_u8);
    let weak = Arc::downgrade(&captured);
    let old = Copied::default();
    let new = Copied::default();
    let h = life_events::event_one
        .listen_with(&old, Modifiers::PROPAGATE, move |x| {
            let _ = &captured;
            CALLS.push(format!("copy {x}"));
        })
        .unwrap();
    hooks::copy_listeners::<dyn LifeEvents, _>(&old, &new, Carry::All);
    drop(old);
    new.dispatch().event_one(1);
    assert_eq!(CALLS.take(), ["copy 1"]);
    assert!(h.is_active());
    // The handle still removes the remaining copy; then the capture is freed.
    h.remove().unwrap();
    new.dispatch().event_one(2);
    assert_eq!(CALLS.take(), Vec::<String>::new());
    assert!(weak.upgrade().is_none());
}

#[test]
fn dropping_one_instance_leaves_the_others_and_the_class_level() {
    static CALLS: Recorder = Recorder::new();
    let _c = life_events::event_one
        .listen(Class::<Survivor>::new(), |x| {
            CALLS.push(format!("class {x}"));
        })
        .unwrap();
    let (a, b) = (Survivor::default(), Survivor::default());
    let _a = life_events::event_one
        .listen(&a, |x| CALLS.push(format!("a {x}")))
        .unwrap();
    let hb = life_events::event_one
        .listen(&b, |x| CALLS.push(format!("b {x}")))
        .unwrap();
    drop(a);
    b.dispatch().event_one(1);
    Survivor::default().dispatch().event_one(2);
    assert_eq!(CALLS.take(), ["class 1", "b 1", "class 2"]);
    assert!(hb.is_active());
}

#[test]
fn a_drop_frees_the_captures_even_while_another_thread_edits_the_registry() {
    // Another thread's `listen`/`remove` purges spent `once` registrations; were this
    // instance's among them, the snapshot it retires would hold this instance's other
    // listeners until that thread dropped it, after releasing the lock. The window is
    // nanoseconds wide; widened to 50 µs, the race (1 run in 400 of the suite) is hit in every
    // run of this test when the runtime has it.
    hooks_runtime::race_windows::widen_after_unlock(std::time::Duration::from_micros(50));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let class = Class::<Churn>::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let h = life_events::event_one.listen(class, |_| {}).unwrap();
                h.remove().unwrap();
            }
        })
    };
    for round in 0..2_000 {
        let captured = Arc::new(round);
        let weak = Arc::downgrade(&captured);
        let t = Raced::default();
        let _h = life_events::event_one
            .listen(&t, move |_| {
                let _ = &captured;
            })
            .unwrap();
        let _once = life_events::event_one
            .listen_with(&t, Modifiers::ONCE, |_| {})
            .unwrap();
        t.dispatch().event_one(1);
        drop(t);
        assert!(
            weak.upgrade().is_none(),
            "round {round}: the listener's capture outlived its target"
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().unwrap();
    hooks_runtime::race_windows::widen_after_unlock(std::time::Duration::ZERO);
}

#[test]
fn a_spent_once_listener_that_owns_its_target_lets_it_go() {
    static CALLS: Recorder = Recorder::new();
    let t = Arc::new(SelfOwned::default());
    let weak = Arc::downgrade(&t);
    let owned = Arc::clone(&t);
    let once = life_events::event_one
        .listen_with(&*t, Modifiers::ONCE, move |x| {
            let _ = &owned;
            CALLS.push(format!("once {x}"));
        })
        .unwrap();
    t.dispatch().event_one(1);
    t.dispatch().event_one(2);
    assert_eq!(CALLS.take(), ["once 1"]);
    assert!(!once.is_active());
    // The fire that spent it purged it: the closure, and its reference to the target, are gone.
    assert_eq!(Arc::strong_count(&t), 1);
    drop(t);
    assert!(
        weak.upgrade().is_none(),
        "the target outlived its last handle"
    );
}
