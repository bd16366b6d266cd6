//! Mutation during dispatch. SQLAlchemy raises "deque mutated during iteration"
//! (`test_no_remove_in_event`, `test_no_add_in_event`, #9357); hooks deliberately does better: a
//! running fire keeps the listeners it started with, and the change applies from the next fire,
//! with no error — from inside a listener or from another thread.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use hooks::{Class, HasEvents, ListenerHandle, Modifiers};
use tests::Recorder;

/// The events of this file's targets.
#[hooks::events]
pub trait MutEvents {
    /// One argument.
    fn event_one(x: u32);
    /// Another event.
    fn event_two(x: u32);
}

tests::targets!(
    MutEvents: RemoveSelfFn,
    RemoveSelfHandle,
    RemoveLater,
    AddSame,
    AddClass,
    Reentrant,
    Threads
);

static REMOVE_SELF: Recorder = Recorder::new();
fn before(x: u32) {
    REMOVE_SELF.push(format!("before {x}"));
}
fn remover(x: u32) {
    REMOVE_SELF.push(format!("remover {x}"));
    mut_events::event_one
        .remove(Class::<RemoveSelfFn>::new(), remover)
        .unwrap();
}
fn after(x: u32) {
    REMOVE_SELF.push(format!("after {x}"));
}

#[test]
fn a_listener_removing_itself_lets_the_fire_finish_and_is_gone_next_fire() {
    let class = Class::<RemoveSelfFn>::new();
    // One by one: an array would coerce them to fn pointers, which have no identity.
    mut_events::event_one
        .listen(class, before)
        .map(drop)
        .unwrap();
    mut_events::event_one
        .listen(class, remover)
        .map(drop)
        .unwrap();
    mut_events::event_one
        .listen(class, after)
        .map(drop)
        .unwrap();
    let t = RemoveSelfFn::default();
    t.dispatch().event_one(1);
    assert_eq!(REMOVE_SELF.take(), ["before 1", "remover 1", "after 1"]);
    t.dispatch().event_one(2);
    assert_eq!(REMOVE_SELF.take(), ["before 2", "after 2"]);
    assert!(!mut_events::event_one.contains(class, remover));
}

#[test]
fn a_closure_removing_itself_by_handle() {
    static CALLS: Recorder = Recorder::new();
    let t = RemoveSelfHandle::default();
    let own: Arc<OnceLock<ListenerHandle>> = Arc::new(OnceLock::new());
    let mine = Arc::clone(&own);
    let h = mut_events::event_one
        .listen(&t, move |x| {
            CALLS.push(format!("self {x}"));
            mine.get().copied().unwrap().remove().unwrap();
        })
        .unwrap();
    own.set(h).unwrap();
    let _next = mut_events::event_one
        .listen(&t, |x| CALLS.push(format!("next {x}")))
        .unwrap();
    t.dispatch().event_one(1);
    t.dispatch().event_one(2);
    assert_eq!(CALLS.take(), ["self 1", "next 1", "next 2"]);
    assert!(!h.is_active());
}

static REMOVE_LATER: Recorder = Recorder::new();
fn later(x: u32) {
    REMOVE_LATER.push(format!("later {x}"));
}

#[test]
fn a_listener_removing_a_later_one_does_not_change_the_running_fire() {
    let t = RemoveLater::default();
    let target: &'static RemoveLater = Box::leak(Box::new(RemoveLater::default()));
    let _first = mut_events::event_one
        .listen(target, move |x| {
            REMOVE_LATER.push(format!("first {x}"));
            if mut_events::event_one.contains(target, later) {
                mut_events::event_one.remove(target, later).unwrap();
            }
        })
        .unwrap();
    let _later = mut_events::event_one.listen(target, later).unwrap();
    target.dispatch().event_one(1);
    target.dispatch().event_one(2);
    assert_eq!(REMOVE_LATER.take(), ["first 1", "later 1", "first 2"]);
    // Another instance was never involved.
    t.dispatch().event_one(3);
    assert_eq!(REMOVE_LATER.take(), Vec::<String>::new());
}

#[test]
fn a_listener_adding_to_the_same_event_runs_it_from_the_next_fire() {
    static CALLS: Recorder = Recorder::new();
    let t: &'static AddSame = Box::leak(Box::new(AddSame::default()));
    let added = Arc::new(AtomicBool::new(false));
    let _adder = mut_events::event_one
        .listen(t, move |x| {
            CALLS.push(format!("adder {x}"));
            if !added.swap(true, Ordering::SeqCst) {
                // Both at the end and, with `insert`, at the front: neither runs now.
                mut_events::event_one
                    .listen(t, |x| CALLS.push(format!("appended {x}")))
                    .map(drop)
                    .unwrap();
                mut_events::event_one
                    .listen_with(t, Modifiers::INSERT, |x| {
                        CALLS.push(format!("inserted {x}"));
                    })
                    .map(drop)
                    .unwrap();
            }
        })
        .unwrap();
    t.dispatch().event_one(1);
    assert_eq!(CALLS.take(), ["adder 1"]);
    t.dispatch().event_one(2);
    assert_eq!(CALLS.take(), ["inserted 2", "adder 2", "appended 2"]);
}

#[test]
fn a_listener_adding_a_class_level_listener_during_an_instance_fire() {
    static CALLS: Recorder = Recorder::new();
    let t = AddClass::default();
    let added = Arc::new(AtomicBool::new(false));
    let _adder = mut_events::event_one
        .listen(&t, move |x| {
            CALLS.push(format!("inst {x}"));
            if !added.swap(true, Ordering::SeqCst) {
                mut_events::event_one
                    .listen(Class::<AddClass>::new(), |x| {
                        CALLS.push(format!("class {x}"));
                    })
                    .map(drop)
                    .unwrap();
            }
        })
        .unwrap();
    t.dispatch().event_one(1);
    t.dispatch().event_one(2);
    assert_eq!(CALLS.take(), ["inst 1", "class 2", "inst 2"]);
}

#[test]
fn a_listener_may_fire_events_reentrantly() {
    static CALLS: Recorder = Recorder::new();
    let t: &'static Reentrant = Box::leak(Box::new(Reentrant::default()));
    let _a = mut_events::event_one
        .listen(t, |x| {
            CALLS.push(format!("one {x}"));
            if x > 0 {
                t.dispatch().event_one(x - 1);
            }
            t.dispatch().event_two(x);
        })
        .unwrap();
    let _b = mut_events::event_two
        .listen(t, |x| CALLS.push(format!("two {x}")))
        .unwrap();
    t.dispatch().event_one(1);
    assert_eq!(CALLS.take(), ["one 1", "one 0", "two 0", "two 1"]);
}

#[test]
fn listening_and_removing_from_another_thread_while_firing() {
    const FIRES: u32 = 2_000;
    let t = Threads::default();
    let stable = Arc::new(AtomicU32::new(0));
    let s = Arc::clone(&stable);
    let _stable = mut_events::event_one
        .listen(&t, move |_| {
            s.fetch_add(1, Ordering::Relaxed);
        })
        .unwrap();
    let churn = Arc::new(AtomicU32::new(0));
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (t, churn, done) = (&t, &churn, &done);
        scope.spawn(move || {
            while !done.load(Ordering::Relaxed) {
                let c = Arc::clone(churn);
                let h = mut_events::event_one
                    .listen_with(t, Modifiers::INSERT, move |_| {
                        c.fetch_add(1, Ordering::Relaxed);
                    })
                    .unwrap();
                h.remove().unwrap();
            }
        });
        let firers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(move || {
                    for i in 0..FIRES {
                        t.dispatch().event_one(i);
                    }
                })
            })
            .collect();
        for f in firers {
            f.join().unwrap();
        }
        done.store(true, Ordering::Relaxed);
    });
    assert_eq!(stable.load(Ordering::Relaxed), 4 * FIRES);
    // Every churned listener is gone: further fires reach only the stable one.
    let before = churn.load(Ordering::Relaxed);
    t.dispatch().event_one(0);
    assert_eq!(churn.load(Ordering::Relaxed), before);
    assert_eq!(stable.load(Ordering::Relaxed), 4 * FIRES + 1);
}
