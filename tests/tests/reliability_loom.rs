//! Model checking, with `loom`, of the lock-free protocols of `hooks-runtime`: the runtime's own
//! code, which is generic over its atomics (`hooks_runtime::protocols`), run here on loom's
//! (the runtime's test-only `loom` feature). The exec-once protocol, the `once` claim and a
//! slot's state bits are the real code; the slot's listener snapshot is an `arc-swap`, which
//! loom cannot instrument, and is modelled as one `SeqCst` cell. What these models do not cover
//! is listed in RELIABILITY.md.
//!
//! loom explores every interleaving of the threads (and the weak-memory outcomes it models for
//! each `Ordering`), so an assertion here holds in all of them, not just in the ones a stress
//! run happens to hit.

use hooks::ExecOnceMode as Mode;
use hooks_runtime::protocols::{self, StateBits};
use loom::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, AtomicUsize, Ordering};
use loom::sync::{Arc, Mutex};
use loom::thread;

/// Explores with at most 3 preemptions per execution (loom's recommended bound).
fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(3);
    builder.check(f);
}

/// How many concurrent first callers the exec-once models start: 2 by default (seconds in a
/// debug build), 3 with `HOOKS_LOOM_FULL=1` (minutes).
fn callers() -> u64 {
    if std::env::var_os("HOOKS_LOOM_FULL").is_some_and(|v| v != "0") {
        3
    } else {
        2
    }
}

/// `slot.rs` `Entry::claim`, on a loom flag.
fn claim(fired: &AtomicBool) -> bool {
    protocols::claim_once(fired)
}

#[test]
fn once_claim_is_won_by_exactly_one_of_three_concurrent_fires() {
    model(|| {
        let fired = Arc::new(AtomicBool::new(false));
        let wins = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..3)
            .map(|_| {
                let (fired, wins) = (Arc::clone(&fired), Arc::clone(&wins));
                thread::spawn(move || {
                    if claim(&fired) {
                        wins.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(wins.load(Ordering::Relaxed), 1);
    });
}

/// `exec_once.rs`'s protocol on loom's atomics. The runtime passes the running thread's token
/// (read from a thread-local); the models pass their own. A failed run stands for both an `Err`
/// and a panic (the protocol's `RunGuard` treats both the same way).
type ExecOnce = protocols::ExecOnce<AtomicBool, AtomicU64, Mutex<()>>;

fn fresh() -> ExecOnce {
    ExecOnce::from_cells(AtomicBool::new(false), AtomicU64::new(0), Mutex::new(()))
}

/// Concurrent first callers: one runs, and every caller that returns without running sees the
/// run's effects (written `Relaxed`: only the protocol's own synchronisation publishes them).
#[test]
fn exec_once_runs_once_and_callers_that_skip_see_the_finished_run() {
    model(|| {
        let state = Arc::new(fresh());
        let runs = Arc::new(AtomicUsize::new(0));
        let effect = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (1..=callers())
            .map(|token| {
                let (state, runs, effect) =
                    (Arc::clone(&state), Arc::clone(&runs), Arc::clone(&effect));
                thread::spawn(move || {
                    let ran = state.run(
                        token,
                        Mode::Always,
                        || {
                            runs.fetch_add(1, Ordering::Relaxed);
                            effect.store(42, Ordering::Relaxed);
                        },
                        |()| false,
                    );
                    if ran.is_none() {
                        assert_eq!(
                            effect.load(Ordering::Relaxed),
                            42,
                            "returned before the run finished"
                        );
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(runs.load(Ordering::Relaxed), 1);
    });
}

/// A failed first run is retried by the next caller; runs never overlap; exactly one succeeds.
#[test]
fn exec_once_unless_error_retries_a_failed_run_serially() {
    model(|| {
        let state = Arc::new(fresh());
        let attempts = Arc::new(AtomicUsize::new(0));
        let busy = Arc::new(AtomicBool::new(false));
        let threads: Vec<_> = (1..=callers())
            .map(|token| {
                let (state, attempts, busy) =
                    (Arc::clone(&state), Arc::clone(&attempts), Arc::clone(&busy));
                thread::spawn(move || {
                    state.run(
                        token,
                        Mode::UnlessError,
                        || {
                            assert!(!busy.swap(true, Ordering::Relaxed), "two runs at once");
                            let n = attempts.fetch_add(1, Ordering::Relaxed);
                            busy.store(false, Ordering::Relaxed);
                            n == 0
                        },
                        |failed| *failed,
                    )
                })
            })
            .collect();
        let outcomes: Vec<Option<bool>> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(
            attempts.load(Ordering::Relaxed),
            2,
            "one failure, one success"
        );
        assert_eq!(outcomes.iter().filter(|o| **o == Some(false)).count(), 1);
        assert!(state.is_done());
    });
}

/// A fire from inside the run, on the running thread, neither waits (which would deadlock on
/// the state's lock) nor runs again; another thread's concurrent fire waits for the run.
#[test]
fn exec_once_reentrant_fire_on_the_running_thread_returns_at_once() {
    model(|| {
        let state = Arc::new(fresh());
        let runs = Arc::new(AtomicUsize::new(0));
        let spawn = |token: u64| {
            let (state, runs) = (Arc::clone(&state), Arc::clone(&runs));
            thread::spawn(move || {
                state.run(
                    token,
                    Mode::Always,
                    || {
                        runs.fetch_add(1, Ordering::Relaxed);
                        let inner = state.run(token, Mode::Always, || (), |()| false);
                        assert!(inner.is_none());
                    },
                    |()| false,
                );
            })
        };
        let (a, b) = (spawn(1), spawn(2));
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(runs.load(Ordering::Relaxed), 1);
    });
}

const CLASS: u8 = 2;

/// `slot.rs` `Slot`'s class state: the runtime's `StateBits` (published under the registry lock
/// by `settle`, read by every fire with one relaxed load), and the snapshot, an `ArcSwapOption`
/// modelled as a `SeqCst` cell holding a listener count.
struct Slot {
    registry: Mutex<()>,
    snapshot: AtomicUsize,
    state: StateBits<AtomicU8>,
}

impl Slot {
    fn publish(&self, listeners: usize) {
        let _registry = self.registry.lock().unwrap();
        self.snapshot.store(listeners, Ordering::SeqCst);
        // settle
        let state = if self.snapshot.load(Ordering::SeqCst) > 0 {
            CLASS
        } else {
            0
        };
        self.state.publish(state);
    }

    /// `dispatch.rs` `Dispatch::each`: how many listeners the fire runs.
    fn fire(&self) -> usize {
        if self.state.get() & CLASS == 0 {
            return 0;
        }
        self.snapshot.load(Ordering::SeqCst)
    }
}

/// "A fire that begins after `listen` returned runs the listener; one that begins after
/// `remove` returned does not", where "after" is any happens-before edge between the two
/// threads (here a `SeqCst` flag, as the stress test's clock).
#[test]
fn state_bits_never_hide_a_listener_registered_before_the_fire_nor_show_a_removed_one() {
    model(|| {
        let slot = Arc::new(Slot {
            registry: Mutex::new(()),
            snapshot: AtomicUsize::new(0),
            state: StateBits::new(AtomicU8::new(0)),
        });
        let phase = Arc::new(AtomicUsize::new(0));
        let writer = {
            let (slot, phase) = (Arc::clone(&slot), Arc::clone(&phase));
            thread::spawn(move || {
                slot.publish(1); // listen
                phase.store(1, Ordering::SeqCst); // listen returned
                phase.store(2, Ordering::SeqCst); // remove begins
                slot.publish(0); // remove
                phase.store(3, Ordering::SeqCst); // remove returned
            })
        };
        let reader = {
            let (slot, phase) = (Arc::clone(&slot), Arc::clone(&phase));
            thread::spawn(move || {
                for _ in 0..2 {
                    let seen = phase.load(Ordering::SeqCst);
                    let ran = slot.fire();
                    let after = phase.load(Ordering::SeqCst);
                    match (seen, after) {
                        (1, 1) => assert_eq!(ran, 1, "registered before the fire, not run"),
                        (3, _) => assert_eq!(ran, 0, "removed before the fire, still run"),
                        _ => assert!(ran <= 1),
                    }
                }
            })
        };
        writer.join().unwrap();
        reader.join().unwrap();
    });
}
