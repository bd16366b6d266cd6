//! Re-entrancy: listeners that fire the same event (bounded recursion) and other events, add
//! and remove listeners on the same and other events and targets, and drop targets (their own
//! captured last reference included) while a fire runs. No deadlock (watchdog), no error, and
//! changes apply from the next fire.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use hooks::{Class, HasEvents, ListenerHandle};
use tests::{Recorder, Watchdog};

/// The events of this file's targets.
#[hooks::events]
pub trait ReEvents {
    /// Fired recursively.
    fn go(depth: u32);
    /// Another event.
    fn other(depth: u32);
    /// Exec-once.
    #[event(exec_once)]
    fn init(depth: u32);
}

tests::targets!(
    ReEvents: Recur,
    CrossA,
    CrossB,
    Mutating,
    MutOther,
    Dropper,
    Victim,
    Cyclic,
    CyclicOnce,
    ExecRe,
    ExecOther,
    SelfRemove,
    Chain,
    ExecWait
);

fn watchdog(name: &'static str) -> Watchdog {
    Watchdog::new(name, Duration::from_secs(30))
}

#[test]
fn listener_fires_the_same_event_recursively() {
    let _w = watchdog("recursion");
    let target = Arc::new(Recur::default());
    let weak = Arc::downgrade(&target);
    let calls = Arc::new(AtomicU32::new(0));
    let c = Arc::clone(&calls);
    let _h = re_events::go
        .listen(&*target, move |depth| {
            c.fetch_add(1, Ordering::SeqCst);
            if depth < 64
                && let Some(t) = weak.upgrade()
            {
                t.dispatch().go(depth + 1);
            }
        })
        .unwrap();
    let class_calls = Arc::new(AtomicU32::new(0));
    let cc = Arc::clone(&class_calls);
    let _c = re_events::go
        .listen(Class::<Recur>::new(), move |_| {
            cc.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
    target.dispatch().go(0);
    assert_eq!(calls.load(Ordering::SeqCst), 65);
    assert_eq!(class_calls.load(Ordering::SeqCst), 65);
}

#[test]
fn listeners_fire_other_events_on_other_targets() {
    static CALLS: Recorder = Recorder::new();
    let _w = watchdog("cross events");
    let a = Arc::new(CrossA::default());
    let b = Arc::new(CrossB::default());
    let (wa, wb) = (Arc::downgrade(&a), Arc::downgrade(&b));
    let _h1 = re_events::go
        .listen(&*a, move |d| {
            CALLS.push(format!("a.go {d}"));
            let b = wb.upgrade().unwrap();
            b.dispatch().other(d + 1);
            b.dispatch().go(d + 1);
        })
        .unwrap();
    let _h2 = re_events::go
        .listen(&*b, move |d| {
            CALLS.push(format!("b.go {d}"));
            if d < 3 {
                wa.upgrade().unwrap().dispatch().go(d + 1);
            }
        })
        .unwrap();
    let _h3 = re_events::other
        .listen(Class::<CrossB>::new(), |d| {
            CALLS.push(format!("B.other {d}"));
        })
        .unwrap();
    a.dispatch().go(0);
    assert_eq!(
        CALLS.take(),
        [
            "a.go 0",
            "B.other 1",
            "b.go 1",
            "a.go 2",
            "B.other 3",
            "b.go 3"
        ]
    );
}

/// A listener that, while running, adds listeners (same event, same target; class level; other
/// event; other target) and removes a later listener of the same snapshot and itself.
#[test]
fn changes_made_by_a_running_listener_apply_from_the_next_fire() {
    static CALLS: Recorder = Recorder::new();
    let _w = watchdog("mutation during fire");
    let target = Arc::new(Mutating::default());
    let other_target = Arc::new(MutOther::default());
    let later: Arc<Mutex<Option<ListenerHandle>>> = Arc::default();
    let me: Arc<Mutex<Option<ListenerHandle>>> = Arc::default();
    let added: Arc<Mutex<Vec<ListenerHandle>>> = Arc::default();
    let (weak_target, o, later_slot, me_slot, a) = (
        Arc::downgrade(&target),
        Arc::clone(&other_target),
        Arc::clone(&later),
        Arc::clone(&me),
        Arc::clone(&added),
    );
    let first = re_events::go
        .listen(&*target, move |depth| {
            CALLS.push(format!("first {depth}"));
            if depth > 0 {
                return;
            }
            let t = weak_target.upgrade().unwrap();
            let mut added = a.lock().unwrap();
            added.push(
                re_events::go
                    .listen(&*t, |d| CALLS.push(format!("added-inst {d}")))
                    .unwrap(),
            );
            added.push(
                re_events::go
                    .listen(Class::<Mutating>::new(), |d| {
                        CALLS.push(format!("added-class {d}"));
                    })
                    .unwrap(),
            );
            added.push(
                re_events::other
                    .listen(&*t, |d| CALLS.push(format!("added-other {d}")))
                    .unwrap(),
            );
            added.push(
                re_events::go
                    .listen(&*o, |d| CALLS.push(format!("other-target {d}")))
                    .unwrap(),
            );
            drop(added);
            later_slot.lock().unwrap().take().unwrap().remove().unwrap();
            me_slot.lock().unwrap().take().unwrap().remove().unwrap();
            // A fire that begins now is a new fire: it sees every change.
            t.dispatch().go(1);
            t.dispatch().other(1);
            o.dispatch().go(1);
            CALLS.push("first done");
        })
        .unwrap();
    *me.lock().unwrap() = Some(first);
    *later.lock().unwrap() = Some(
        re_events::go
            .listen(&*target, |d| CALLS.push(format!("later {d}")))
            .unwrap(),
    );
    target.dispatch().go(0);
    assert_eq!(
        CALLS.take(),
        [
            "first 0",
            // the nested fires, begun after the changes
            "added-class 1",
            "added-inst 1",
            "added-other 1",
            "other-target 1",
            "first done",
            // the outer fire keeps its snapshot: `later` was removed but still runs, and the
            // listeners added during the fire do not
            "later 0",
        ]
    );
    assert!(!first.is_active());
    target.dispatch().go(2);
    assert_eq!(CALLS.take(), ["added-class 2", "added-inst 2"]);
    for h in added.lock().unwrap().drain(..) {
        h.remove().unwrap();
    }
}

#[test]
fn listener_removes_itself_while_it_runs() {
    let _w = watchdog("self removal");
    let target = SelfRemove::default();
    let calls = Arc::new(AtomicU32::new(0));
    let me: Arc<Mutex<Option<ListenerHandle>>> = Arc::default();
    let (c, m) = (Arc::clone(&calls), Arc::clone(&me));
    let h = re_events::go
        .listen(&target, move |_| {
            c.fetch_add(1, Ordering::SeqCst);
            if let Some(h) = m.lock().unwrap().take() {
                h.remove().unwrap();
            }
        })
        .unwrap();
    *me.lock().unwrap() = Some(h);
    target.dispatch().go(0);
    target.dispatch().go(1);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(!target.dispatch().raw().has_listeners::<re_events::go>());
}

/// A listener on one target holds the last `Arc` of another target that has listeners of its
/// own, and drops it during the fire: the victim's storage is freed (taking the registry lock)
/// while a fire runs.
#[test]
fn listener_drops_the_last_reference_to_another_target_during_a_fire() {
    let _w = watchdog("drop during fire");
    let victim = Arc::new(Victim::default());
    let victim_calls = Arc::new(AtomicU32::new(0));
    let vc = Arc::clone(&victim_calls);
    let _vh = re_events::go
        .listen(&*victim, move |_| {
            vc.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
    assert!(victim.events_allocated());
    let weak: Weak<Victim> = Arc::downgrade(&victim);
    let slot = Arc::new(Mutex::new(Some(victim)));
    let s = Arc::clone(&slot);
    let dropper = Dropper::default();
    let _h = re_events::go
        .listen(&dropper, move |_| {
            let v = s.lock().unwrap().take();
            if let Some(v) = v {
                v.dispatch().go(0);
                drop(v);
            }
        })
        .unwrap();
    dropper.dispatch().go(0);
    assert!(weak.upgrade().is_none());
    assert_eq!(victim_calls.load(Ordering::SeqCst), 1);
    dropper.dispatch().go(1);
}

/// A target whose only strong reference is held by its own listener's closure (a cycle) is
/// freed when the listener is removed by handle: the closure drops inside `remove`, and the
/// target's storage takes the registry lock — which `remove` must have released by then.
#[test]
fn removing_a_listener_that_owns_its_target_frees_the_target_without_deadlock() {
    let _w = watchdog("cycle broken by remove");
    let target = Arc::new(Cyclic::default());
    let weak = Arc::downgrade(&target);
    let owned = Arc::clone(&target);
    let calls = Arc::new(AtomicU32::new(0));
    let c = Arc::clone(&calls);
    let handle = re_events::go
        .listen(&*target, move |_| {
            let _keep = &owned;
            c.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
    target.dispatch().go(0);
    drop(target);
    assert!(
        weak.upgrade().is_some(),
        "the listener keeps its target alive"
    );
    handle.remove().unwrap();
    assert!(
        weak.upgrade().is_none(),
        "removing the listener freed the target"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// The same cycle through a `once` listener: once it has fired, the next registry operation
/// purges it and frees the target.
#[test]
fn spent_once_listener_that_owns_its_target_is_freed_by_the_next_registry_call() {
    let _w = watchdog("cycle broken by once purge");
    let target = Arc::new(CyclicOnce::default());
    let weak = Arc::downgrade(&target);
    let owned = Arc::clone(&target);
    let handle = re_events::go
        .listen_with(&*target, hooks::Modifiers::ONCE, move |_| {
            let _keep = &owned;
        })
        .unwrap();
    target.dispatch().go(0);
    drop(target);
    assert!(!handle.is_active());
    assert!(handle.remove().is_err());
    assert!(weak.upgrade().is_none(), "the purge freed the target");
}

/// Dropping a target whose listener owns the last reference of a second target, which owns a
/// third: the chain unwinds through nested `forget_instance` calls.
#[test]
fn dropping_a_chain_of_targets_owned_by_listeners() {
    let _w = watchdog("chain of drops");
    let mut weaks = Vec::new();
    let mut next: Option<Arc<Chain>> = None;
    for _ in 0..100 {
        let t = Arc::new(Chain::default());
        weaks.push(Arc::downgrade(&t));
        let held = next.take();
        let _h = re_events::go
            .listen(&*t, move |_| {
                let _keep = &held;
            })
            .unwrap();
        next = Some(t);
    }
    drop(next);
    assert!(weaks.iter().all(|w| w.upgrade().is_none()));
}

#[test]
fn exec_once_listener_firing_its_own_event_does_not_run_again_or_deadlock() {
    let _w = watchdog("exec-once re-entrancy");
    let target = Arc::new(ExecRe::default());
    let other = Arc::new(ExecOther::default());
    let runs = Arc::new(AtomicU32::new(0));
    let other_runs = Arc::new(AtomicU32::new(0));
    let (r, t, o) = (
        Arc::clone(&runs),
        Arc::downgrade(&target),
        Arc::clone(&other),
    );
    let _h = re_events::init
        .listen(&*target, move |d| {
            r.fetch_add(1, Ordering::SeqCst);
            let t = t.upgrade().unwrap();
            t.dispatch().init(d + 1);
            o.dispatch().init(d + 1);
        })
        .unwrap();
    let or = Arc::clone(&other_runs);
    let _o = re_events::init
        .listen(Class::<ExecOther>::new(), move |_| {
            or.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
    target.dispatch().init(0);
    target.dispatch().init(0);
    other.dispatch().init(0);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    assert_eq!(other_runs.load(Ordering::SeqCst), 1);
}

/// Known limitation (by design, as in SQLAlchemy): a concurrent first caller waits for the
/// exec-once run to finish, so a run that waits for another thread's fire of the same event on
/// the same target never ends. The thread here gives up after a timeout instead of hanging.
#[test]
#[ignore = "does not hold by design: an exec-once run waiting on another thread's fire of the same event deadlocks"]
fn exec_once_run_waiting_for_another_threads_fire_of_the_same_event() {
    let target = Arc::new(ExecWait::default());
    let t = Arc::downgrade(&target);
    let _h = re_events::init
        .listen(&*target, move |_| {
            let t = t.upgrade().unwrap();
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                t.dispatch().init(1);
                let _ = tx.send(());
            });
            assert!(
                rx.recv_timeout(Duration::from_millis(500)).is_ok(),
                "the other thread's fire waits for this run: deadlock"
            );
        })
        .unwrap();
    target.dispatch().init(0);
}

/// `Events` storage query used above.
trait Allocated {
    fn events_allocated(&self) -> bool;
}

impl<T: HasEvents<dyn ReEvents>> Allocated for T {
    fn events_allocated(&self) -> bool {
        self.events().is_allocated()
    }
}
