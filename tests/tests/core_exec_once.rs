//! Exec-once events: listeners run once per target instance (SQLAlchemy `test_exec_once`);
//! a failed run is not retried (`test_exec_once_exception`), unless the event is
//! `exec_once(unless_error)`, which retries until a run succeeds and then never runs again
//! (`test_exec_once_unless_exception`: `[(5,6),(7,8),(9,10)]`); concurrent first callers wait
//! for the first run to finish (SQLAlchemy's exec-once mutex, `test_initialize_connect_race`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use hooks::{Class, HasEvents};
use tests::Recorder;

/// Exec-once events of both modes.
#[hooks::events]
pub trait InitEvents {
    /// Runs once per target, success or not.
    #[event(exec_once)]
    fn first(x: u32, y: u32);
    /// Runs once per target; a failed run counts.
    #[event(exec_once, fallible)]
    fn first_fallible(x: u32, y: u32) -> Result<(), String>;
    /// Runs once per target; a failed run is retried by the next fire.
    #[event(exec_once(unless_error), fallible)]
    fn first_retry(x: u32, y: u32) -> Result<(), String>;
    /// Runs once per target; a panicking run is retried by the next fire.
    #[event(exec_once(unless_error))]
    fn first_panic_retry(x: u32);
    /// An ordinary event, for comparison.
    fn every(x: u32);
}

tests::targets!(
    InitEvents: PerInstance,
    Failing,
    Retrying,
    PanicRetry,
    PanicOnce,
    Racing,
    Empty,
    Reentrant,
    OnceListener
);

#[test]
fn exec_once_runs_once_per_target_instance() {
    static CALLS: Recorder = Recorder::new();
    let _h = init_events::first
        .listen(Class::<PerInstance>::new(), |x, y| {
            CALLS.push(format!("({x},{y})"));
        })
        .unwrap();
    let _e = init_events::every
        .listen(Class::<PerInstance>::new(), |x| {
            CALLS.push(format!("every {x}"));
        })
        .unwrap();
    let t1 = PerInstance::default();
    let t2 = PerInstance::default();
    t1.dispatch().first(5, 6);
    t1.dispatch().first(7, 8);
    t2.dispatch().first(9, 10);
    t2.dispatch().first(11, 12);
    t1.dispatch().every(1);
    t1.dispatch().every(2);
    assert_eq!(CALLS.take(), ["(5,6)", "(9,10)", "every 1", "every 2"]);
}

#[test]
fn exec_once_with_no_listener_does_not_count_as_run() {
    static CALLS: Recorder = Recorder::new();
    let t = Empty::default();
    t.dispatch().first(1, 2);
    let _h = init_events::first
        .listen(&t, |x, y| CALLS.push(format!("({x},{y})")))
        .unwrap();
    t.dispatch().first(3, 4);
    t.dispatch().first(5, 6);
    assert_eq!(CALLS.take(), ["(3,4)"]);
}

#[test]
fn exec_once_whose_run_fails_is_not_retried() {
    static CALLS: Recorder = Recorder::new();
    let _h = init_events::first_fallible
        .listen(Class::<Failing>::new(), |x, y| {
            CALLS.push(format!("({x},{y})"));
            Err(format!("refused {x}"))
        })
        .unwrap();
    let t = Failing::default();
    assert_eq!(
        t.dispatch().first_fallible(5, 6),
        Err("refused 5".to_owned())
    );
    assert_eq!(t.dispatch().first_fallible(7, 8), Ok(()));
    assert_eq!(CALLS.take(), ["(5,6)"]);
}

#[test]
fn exec_once_whose_run_panics_is_not_retried() {
    static CALLS: Recorder = Recorder::new();
    let _h = init_events::first
        .listen(Class::<PanicOnce>::new(), |x, y| {
            CALLS.push(format!("({x},{y})"));
            panic!("listener panics");
        })
        .unwrap();
    let t = PanicOnce::default();
    assert!(catch_unwind(AssertUnwindSafe(|| t.dispatch().first(5, 6))).is_err());
    t.dispatch().first(7, 8);
    assert_eq!(CALLS.take(), ["(5,6)"]);
}

#[test]
fn exec_once_unless_error_retries_until_a_run_succeeds_then_never_again() {
    static CALLS: Recorder = Recorder::new();
    let runs = AtomicU32::new(0);
    let runs: &'static AtomicU32 = Box::leak(Box::new(runs));
    let _h = init_events::first_retry
        .listen(Class::<Retrying>::new(), move |x, y| {
            CALLS.push(format!("({x},{y})"));
            if runs.fetch_add(1, Ordering::SeqCst) < 2 {
                Err(format!("failed {x}"))
            } else {
                Ok(())
            }
        })
        .unwrap();
    let t = Retrying::default();
    assert_eq!(t.dispatch().first_retry(5, 6), Err("failed 5".to_owned()));
    assert_eq!(t.dispatch().first_retry(7, 8), Err("failed 7".to_owned()));
    assert_eq!(t.dispatch().first_retry(9, 10), Ok(()));
    assert_eq!(t.dispatch().first_retry(11, 12), Ok(()));
    assert_eq!(CALLS.take(), ["(5,6)", "(7,8)", "(9,10)"]);
}

#[test]
fn exec_once_unless_error_retries_after_a_panic() {
    static CALLS: Recorder = Recorder::new();
    static RUNS: AtomicU32 = AtomicU32::new(0);
    let _h = init_events::first_panic_retry
        .listen(Class::<PanicRetry>::new(), |x| {
            CALLS.push(format!("({x})"));
            assert!(RUNS.fetch_add(1, Ordering::SeqCst) > 0, "first run panics");
        })
        .unwrap();
    let t = PanicRetry::default();
    assert!(catch_unwind(AssertUnwindSafe(|| t.dispatch().first_panic_retry(1))).is_err());
    t.dispatch().first_panic_retry(2);
    t.dispatch().first_panic_retry(3);
    assert_eq!(CALLS.take(), ["(1)", "(2)"]);
}

#[test]
fn concurrent_first_callers_wait_for_the_single_run() {
    const THREADS: usize = 8;
    let runs = Arc::new(AtomicU32::new(0));
    let finished = Arc::new(AtomicBool::new(false));
    let (r, f) = (Arc::clone(&runs), Arc::clone(&finished));
    let t = Racing::default();
    let _h = init_events::first
        .listen(&t, move |_, _| {
            r.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(200));
            f.store(true, Ordering::SeqCst);
        })
        .unwrap();
    let barrier = Barrier::new(THREADS);
    let saw_finished = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|i| {
                let (t, barrier, finished) = (&t, &barrier, &finished);
                s.spawn(move || {
                    barrier.wait();
                    t.dispatch().first(u32::try_from(i).unwrap(), 0);
                    // Whoever ran it, this caller returns only once the run is over.
                    finished.load(Ordering::SeqCst)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect::<Vec<bool>>()
    });
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    assert_eq!(saw_finished, [true; THREADS]);
    t.dispatch().first(99, 0);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[test]
fn exec_once_fired_again_from_inside_its_run_does_not_run_again_or_deadlock() {
    static CALLS: Recorder = Recorder::new();
    let t: &'static Reentrant = Box::leak(Box::new(Reentrant::default()));
    let _h = init_events::first
        .listen(t, |x, _| {
            CALLS.push(format!("run {x}"));
            t.dispatch().first(x + 1, 0);
            CALLS.push(format!("end {x}"));
        })
        .unwrap();
    t.dispatch().first(1, 0);
    t.dispatch().first(10, 0);
    assert_eq!(CALLS.take(), ["run 1", "end 1"]);
}

#[test]
fn a_once_listener_of_an_exec_once_event_runs_in_the_first_run() {
    static CALLS: Recorder = Recorder::new();
    let t = OnceListener::default();
    let _h = init_events::first
        .listen_with(&t, hooks::Modifiers::ONCE, |x, y| {
            CALLS.push(format!("({x},{y})"));
        })
        .unwrap();
    t.dispatch().first(5, 6);
    t.dispatch().first(7, 8);
    assert_eq!(CALLS.take(), ["(5,6)"]);
}
