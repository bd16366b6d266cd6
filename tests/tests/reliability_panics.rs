//! Panics: a panicking listener unwinds to the code that fired; the registry, the snapshots,
//! `once` and exec-once stay consistent and the next fire works.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use hooks::{Class, HasEvents, Modifiers};
use tests::Recorder;

/// The events of this file's targets.
#[hooks::events]
pub trait PanicEvents {
    /// Plain.
    fn hit(n: u32);
    /// Fallible.
    #[event(fallible)]
    fn check(n: u32) -> Result<(), String>;
    /// Exec-once: a panicking run counts as done.
    #[event(exec_once)]
    fn init(n: u32);
    /// Exec-once unless error: a panicking run is retried.
    #[event(exec_once(unless_error))]
    fn init_retry(n: u32);
}

tests::targets!(PanicEvents: Plain, ClassLevel, OnceT, ExecT, ExecRetryT, DropPanics, Fallible);

fn fire_hit<T: HasEvents<dyn PanicEvents>>(t: &T, n: u32) -> bool {
    catch_unwind(AssertUnwindSafe(|| {
        HasEvents::<dyn PanicEvents>::dispatch(t).hit(n);
    }))
    .is_ok()
}

/// `before`, a listener that panics while `armed`, and `after`, on one level.
fn install<A: hooks::ListenTarget<dyn PanicEvents> + Copy>(
    target: A,
    calls: &'static Recorder,
    armed: &Arc<AtomicBool>,
) -> [hooks::ListenerHandle; 3] {
    let a = Arc::clone(armed);
    [
        panic_events::hit
            .listen(target, move |n| calls.push(format!("before {n}")))
            .unwrap(),
        panic_events::hit
            .listen(target, move |n| {
                assert!(!a.load(Ordering::SeqCst), "boom {n}");
                calls.push(format!("panicky {n}"));
            })
            .unwrap(),
        panic_events::hit
            .listen(target, move |n| calls.push(format!("after {n}")))
            .unwrap(),
    ]
}

fn panicking_listener_unwinds_then_next_fire_works<T>(
    target: &T,
    on: impl hooks::ListenTarget<dyn PanicEvents> + Copy,
    calls: &'static Recorder,
) where
    T: HasEvents<dyn PanicEvents>,
{
    tests::silence_expected_panics();
    let armed = Arc::new(AtomicBool::new(true));
    let handles = install(on, calls, &armed);
    assert!(!fire_hit(target, 1), "the panic reaches the caller");
    assert_eq!(calls.take(), ["before 1"], "the chain stops at the panic");
    assert!(!fire_hit(target, 2), "still armed: panics again");
    assert_eq!(calls.take(), ["before 2"]);
    armed.store(false, Ordering::SeqCst);
    assert!(fire_hit(target, 3));
    assert_eq!(calls.take(), ["before 3", "panicky 3", "after 3"]);
    // The registry still works: the handles are live and remove cleanly.
    assert!(handles.iter().all(hooks::ListenerHandle::is_active));
    for h in handles {
        h.remove().unwrap();
    }
    assert!(fire_hit(target, 4));
    assert!(calls.take().is_empty());
    let h = panic_events::hit
        .listen(on, |n| calls.push(format!("new {n}")))
        .unwrap();
    assert!(fire_hit(target, 5));
    assert_eq!(calls.take(), ["new 5"]);
    h.remove().unwrap();
}

#[test]
fn panicking_instance_listener_unwinds_to_the_caller() {
    static CALLS: Recorder = Recorder::new();
    let t = Plain::default();
    panicking_listener_unwinds_then_next_fire_works(&t, &t, &CALLS);
}

#[test]
fn panicking_class_listener_unwinds_to_the_caller() {
    static CALLS: Recorder = Recorder::new();
    let t = ClassLevel::default();
    panicking_listener_unwinds_then_next_fire_works(&t, Class::<ClassLevel>::new(), &CALLS);
}

#[test]
fn panicking_once_listener_counts_as_fired() {
    tests::silence_expected_panics();
    let t = OnceT::default();
    let calls = Arc::new(AtomicU32::new(0));
    let c = Arc::clone(&calls);
    let h = panic_events::hit
        .listen_with(&t, Modifiers::ONCE, move |n| {
            c.fetch_add(1, Ordering::SeqCst);
            panic!("boom {n}");
        })
        .unwrap();
    assert!(!fire_hit(&t, 1));
    assert!(
        fire_hit(&t, 2),
        "a `once` listener is claimed before it runs: not run again"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(!h.is_active());
    assert!(h.remove().is_err());
}

#[test]
fn panicking_exec_once_run_counts_as_done() {
    tests::silence_expected_panics();
    let t = ExecT::default();
    let runs = Arc::new(AtomicU32::new(0));
    let r = Arc::clone(&runs);
    let _h = panic_events::init
        .listen(&t, move |n| {
            r.fetch_add(1, Ordering::SeqCst);
            panic!("boom {n}");
        })
        .unwrap();
    assert!(catch_unwind(AssertUnwindSafe(|| t.dispatch().init(1))).is_err());
    assert!(catch_unwind(AssertUnwindSafe(|| t.dispatch().init(2))).is_ok());
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[test]
fn panicking_exec_once_unless_error_run_is_retried() {
    tests::silence_expected_panics();
    let t = ExecRetryT::default();
    let runs = Arc::new(AtomicU32::new(0));
    let r = Arc::clone(&runs);
    let _h = panic_events::init_retry
        .listen(&t, move |n| {
            let run = r.fetch_add(1, Ordering::SeqCst);
            assert!(run >= 2, "boom {n}");
        })
        .unwrap();
    assert!(catch_unwind(AssertUnwindSafe(|| t.dispatch().init_retry(1))).is_err());
    assert!(catch_unwind(AssertUnwindSafe(|| t.dispatch().init_retry(2))).is_err());
    // The state's lock was poisoned twice by now; the retry still runs, then it is done.
    assert!(catch_unwind(AssertUnwindSafe(|| t.dispatch().init_retry(3))).is_ok());
    assert!(catch_unwind(AssertUnwindSafe(|| t.dispatch().init_retry(4))).is_ok());
    assert_eq!(runs.load(Ordering::SeqCst), 3);
}

#[test]
fn panicking_listener_of_a_fallible_event_unwinds_rather_than_returning_err() {
    tests::silence_expected_panics();
    let t = Fallible::default();
    let armed = Arc::new(AtomicBool::new(true));
    let a = Arc::clone(&armed);
    let _h = panic_events::check
        .listen(&t, move |n| {
            assert!(!a.load(Ordering::SeqCst), "boom {n}");
            if n == 0 {
                Err("zero".to_owned())
            } else {
                Ok(())
            }
        })
        .unwrap();
    assert!(catch_unwind(AssertUnwindSafe(|| t.dispatch().check(1))).is_err());
    armed.store(false, Ordering::SeqCst);
    assert_eq!(t.dispatch().check(0), Err("zero".to_owned()));
    assert_eq!(t.dispatch().check(1), Ok(()));
}

/// A listener whose captured state panics when dropped: removing it unwinds out of `remove`
/// (after the registry lock was released: the drop happens then), and the registry stays
/// usable and consistent.
#[test]
fn panic_while_dropping_a_removed_listeners_state_leaves_the_registry_consistent() {
    struct PanicOnDrop;
    impl Drop for PanicOnDrop {
        fn drop(&mut self) {
            assert!(std::thread::panicking(), "boom on drop");
        }
    }
    static CALLS: Recorder = Recorder::new();
    tests::silence_expected_panics();
    let t = DropPanics::default();
    let state = PanicOnDrop;
    let h = panic_events::hit
        .listen(&t, move |n| {
            let _keep = &state;
            CALLS.push(format!("dropper {n}"));
        })
        .unwrap();
    let keep = panic_events::hit
        .listen(&t, |n| CALLS.push(format!("keep {n}")))
        .unwrap();
    assert!(fire_hit(&t, 1));
    assert_eq!(CALLS.take(), ["dropper 1", "keep 1"]);
    assert!(catch_unwind(AssertUnwindSafe(|| h.remove())).is_err());
    assert!(
        !h.is_active(),
        "the removal itself completed before the drop panicked"
    );
    assert!(fire_hit(&t, 2));
    assert_eq!(CALLS.take(), ["keep 2"]);
    keep.remove().unwrap();
    let again = panic_events::hit
        .listen(&t, |n| CALLS.push(format!("again {n}")))
        .unwrap();
    assert!(fire_hit(&t, 3));
    assert_eq!(CALLS.take(), ["again 3"]);
    again.remove().unwrap();
}
