//! Concurrency stress: 2 to 16 threads mixing `listen`, `remove`, `contains` and fires on shared
//! class-level and instance-level targets, checked against the snapshot rules afterwards; plus
//! `once` and exec-once under contention. Every test runs under a watchdog.
//!
//! Bounded in count and in time (a few seconds in a debug build). `HOOKS_STRESS_HEAVY=1` runs
//! ten times the operations with a longer time budget.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use hooks::{Class, HasEvents, InstanceAccepts, ListenerHandle, Modifiers};
use tests::Watchdog;

/// One fire in progress: its start epoch and the listeners it called, in order.
pub struct Fire {
    calls: RefCell<Vec<u32>>,
}

/// The events of the stress targets.
#[hooks::events]
pub trait StressEvents {
    /// The event the mixed stress fires.
    fn tick(fire: &Fire);
    /// Exec-once, always: the first run counts, however it ends.
    #[event(exec_once)]
    fn boot(round: u32);
    /// Exec-once unless the run fails: failed runs are retried.
    #[event(exec_once(unless_error), fallible)]
    fn boot_retry(round: u32) -> Result<(), String>;
    /// For the `once` contention test.
    fn ping(round: u32);
}

tests::targets!(StressEvents: S2, S4, S8, S16, Booted, BootedRetry, Pinged);

fn heavy() -> bool {
    std::env::var_os("HOOKS_STRESS_HEAVY").is_some_and(|v| v != "0")
}

/// The global clock of one run: every stamp is a `SeqCst` increment, so stamps order events
/// across threads.
struct Clock(AtomicU64);

impl Clock {
    fn stamp(&self) -> u64 {
        self.0.fetch_add(1, Ordering::SeqCst) + 1
    }
}

/// Where a listener listens.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Scope {
    Class,
    Instance(usize),
}

/// What the checker needs to know about one closure listener.
struct Listener {
    id: u32,
    scope: Scope,
    once: bool,
    /// Stamped after `listen` returned.
    registered: AtomicU64,
    /// Stamped before `remove` was called (0: never removed).
    removal_started: AtomicU64,
    /// Stamped after `remove` returned (0: never removed).
    removed: AtomicU64,
    calls: AtomicU32,
}

/// One completed fire.
struct FireRecord {
    instance: usize,
    start: u64,
    end: u64,
    calls: Vec<u32>,
}

const IDENT_BASE: u32 = 1 << 30;
const INSTANCES: usize = 4;
const MAX_LIVE: usize = 6;

/// A listener with an identity (a fn item), owned by one thread, for `contains` and
/// remove-by-fn.
fn ident<const K: u32>(fire: &Fire) {
    fire.calls.borrow_mut().push(IDENT_BASE + K);
}

/// Listens, checks and removes `ident::<K>` by fn on the class or on one instance; the owning
/// thread's model says whether it is registered.
fn toggle<T, const K: u32>(class: bool, inst: &T, registered: bool)
where
    T: InstanceAccepts<dyn StressEvents>,
{
    if class {
        toggle_on::<_, K>(Class::<T>::new(), registered);
    } else {
        toggle_on::<_, K>(inst, registered);
    }
}

fn toggle_on<A, const K: u32>(target: A, registered: bool)
where
    A: hooks::ListenTarget<dyn StressEvents> + Copy,
{
    assert_eq!(
        hooks::contains(target, stress_events::tick, ident::<K>),
        registered
    );
    if registered {
        hooks::remove(target, stress_events::tick, ident::<K>).unwrap();
        assert!(!hooks::contains(target, stress_events::tick, ident::<K>));
    } else {
        let _handle = stress_events::tick.listen(target, ident::<K>).unwrap();
        assert!(hooks::contains(target, stress_events::tick, ident::<K>));
    }
}

/// The table of `toggle::<T, K>`: thread `t` owns `2t` and `2t + 1` on the class, and
/// `32 + 2t` and `33 + 2t` on instance 0 (distinct fns, so that no fn is registered on both
/// levels, which would rightly make it run twice in one fire).
fn toggles<T: InstanceAccepts<dyn StressEvents>>() -> [fn(bool, &T, bool); 64] {
    macro_rules! table {
        ($($k:literal)*) => { [$(toggle::<T, $k>),*] };
    }
    table!(
        0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
        32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63
    )
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }
}

struct Shared<T> {
    clock: Clock,
    next_id: AtomicU32,
    instances: Vec<Arc<T>>,
    deadline: Instant,
}

#[derive(Default)]
struct ThreadOut {
    listeners: Vec<Arc<Listener>>,
    fires: Vec<FireRecord>,
    ops: u64,
}

struct Worker<'a, T> {
    shared: &'a Shared<T>,
    rng: Rng,
    out: ThreadOut,
    live: Vec<(Arc<Listener>, ListenerHandle)>,
    owned: [(bool, bool); 2],
    thread: usize,
}

impl<T> Worker<'_, T>
where
    T: HasEvents<dyn StressEvents> + InstanceAccepts<dyn StressEvents> + Send + Sync,
{
    fn fire(&mut self) {
        let instance = self.rng.below(INSTANCES);
        let fire = Fire {
            calls: RefCell::new(Vec::new()),
        };
        let start = self.shared.clock.stamp();
        HasEvents::<dyn StressEvents>::dispatch(&*self.shared.instances[instance]).tick(&fire);
        let end = self.shared.clock.stamp();
        self.out.fires.push(FireRecord {
            instance,
            start,
            end,
            calls: fire.calls.into_inner(),
        });
    }

    fn listen(&mut self) {
        let scope = if self.rng.below(3) == 0 {
            Scope::Class
        } else {
            Scope::Instance(self.rng.below(INSTANCES))
        };
        let once = self.rng.below(8) == 0;
        let listener = Arc::new(Listener {
            id: self.shared.next_id.fetch_add(1, Ordering::Relaxed),
            scope,
            once,
            registered: AtomicU64::new(0),
            removal_started: AtomicU64::new(0),
            removed: AtomicU64::new(0),
            calls: AtomicU32::new(0),
        });
        let state = Arc::clone(&listener);
        let f = move |fire: &Fire| {
            state.calls.fetch_add(1, Ordering::Relaxed);
            fire.calls.borrow_mut().push(state.id);
        };
        let modifiers = if once {
            Modifiers::ONCE
        } else {
            Modifiers::NONE
        };
        let modifiers = if self.rng.below(4) == 0 {
            modifiers | Modifiers::INSERT
        } else {
            modifiers
        };
        let handle = match scope {
            Scope::Class => stress_events::tick.listen_with(Class::<T>::new(), modifiers, f),
            Scope::Instance(i) => {
                stress_events::tick.listen_with(&*self.shared.instances[i], modifiers, f)
            }
        }
        .unwrap();
        listener
            .registered
            .store(self.shared.clock.stamp(), Ordering::SeqCst);
        self.out.listeners.push(Arc::clone(&listener));
        self.live.push((listener, handle));
    }

    fn remove(&mut self, index: usize) {
        let (listener, handle) = self.live.swap_remove(index);
        listener
            .removal_started
            .store(self.shared.clock.stamp(), Ordering::SeqCst);
        let result = handle.remove();
        listener
            .removed
            .store(self.shared.clock.stamp(), Ordering::SeqCst);
        if listener.once {
            // A `once` listener that has fired is gone already.
            assert!(
                result.is_ok() || listener.calls.load(Ordering::SeqCst) == 1,
                "{result:?}"
            );
        } else {
            result.unwrap();
        }
    }

    fn toggle_ident(&mut self, table: &[fn(bool, &T, bool); 64]) {
        let which = self.rng.below(2);
        let class = self.rng.below(2) == 0;
        let k = self.thread * 2 + which + if class { 0 } else { 32 };
        let registered = if class {
            &mut self.owned[which].0
        } else {
            &mut self.owned[which].1
        };
        table[k](class, &self.shared.instances[0], *registered);
        *registered = !*registered;
    }

    fn run(mut self, ops: u64) -> ThreadOut {
        let table = toggles::<T>();
        for op in 0..ops {
            if op % 64 == 0 && Instant::now() > self.shared.deadline {
                break;
            }
            match self.rng.below(100) {
                0..50 => self.fire(),
                50..72 if self.live.len() < MAX_LIVE => self.listen(),
                50..90 if !self.live.is_empty() => {
                    let i = self.rng.below(self.live.len());
                    self.remove(i);
                }
                _ => self.toggle_ident(&table),
            }
            self.out.ops += 1;
        }
        // Leave the targets clean for the final fire (fn listeners stay: they are checked for
        // duplicates only).
        while !self.live.is_empty() {
            let i = self.live.len() - 1;
            if self.live[i].0.once {
                // Keep some `once` listeners for the final fire, which must run them.
                let _ = self.live.pop();
            } else {
                self.remove(i);
            }
        }
        self.out
    }
}

/// How much the checker verified.
#[derive(Default, Debug)]
struct Checked {
    fires: usize,
    /// Calls checked against their listener's removal.
    calls: usize,
    /// (listener, fire) pairs where the listener had to run.
    required: usize,
}

/// Checks every fire against the rules: no duplicate, none after removal, none skipped.
fn check(fires: &[FireRecord], listeners: &[Arc<Listener>]) -> Checked {
    let by_id: std::collections::HashMap<u32, &Listener> =
        listeners.iter().map(|l| (l.id, &**l)).collect();
    let mut checked = Checked::default();
    for instance in 0..INSTANCES {
        let mut candidates: Vec<&Listener> = listeners
            .iter()
            .map(|l| &**l)
            .filter(|l| {
                !l.once && (l.scope == Scope::Class || l.scope == Scope::Instance(instance))
            })
            .collect();
        candidates.sort_by_key(|l| l.registered.load(Ordering::SeqCst));
        let mut here: Vec<&FireRecord> = fires.iter().filter(|f| f.instance == instance).collect();
        here.sort_by_key(|f| f.start);
        let mut next = 0;
        let mut active: Vec<&Listener> = Vec::new();
        for fire in here {
            let called: HashSet<u32> = fire.calls.iter().copied().collect();
            assert_eq!(
                called.len(),
                fire.calls.len(),
                "a listener ran twice in one fire: {:?}",
                fire.calls
            );
            for id in &fire.calls {
                if *id >= IDENT_BASE {
                    continue;
                }
                let l = by_id[id];
                assert!(
                    l.scope == Scope::Class || l.scope == Scope::Instance(instance),
                    "listener {id} of {:?} ran on instance {instance}",
                    l.scope
                );
                let removed = l.removed.load(Ordering::SeqCst);
                assert!(
                    removed == 0 || removed > fire.start,
                    "listener {id} ran in a fire that began at {} after its remove returned at {removed}",
                    fire.start
                );
                checked.calls += 1;
            }
            while next < candidates.len()
                && candidates[next].registered.load(Ordering::SeqCst) < fire.start
            {
                active.push(candidates[next]);
                next += 1;
            }
            active.retain(|l| {
                let r = l.removal_started.load(Ordering::SeqCst);
                r == 0 || r > fire.start
            });
            for l in &active {
                let r = l.removal_started.load(Ordering::SeqCst);
                if r == 0 || r > fire.end {
                    assert!(
                        called.contains(&l.id),
                        "listener {} registered at {} and not removed until {r} was skipped by the fire [{}, {}]",
                        l.id,
                        l.registered.load(Ordering::SeqCst),
                        fire.start,
                        fire.end
                    );
                    checked.required += 1;
                }
            }
            checked.fires += 1;
        }
    }
    for l in listeners.iter().filter(|l| l.once) {
        let calls = l.calls.load(Ordering::SeqCst);
        assert!(calls <= 1, "once listener {} ran {calls} times", l.id);
        if l.removal_started.load(Ordering::SeqCst) == 0 {
            assert_eq!(
                calls, 1,
                "once listener {} never removed, yet did not run",
                l.id
            );
        }
    }
    checked
}

fn stress<T>(threads: usize, ops: u64, budget: Duration) -> (u64, u64, Duration)
where
    T: HasEvents<dyn StressEvents> + InstanceAccepts<dyn StressEvents> + Default + Send + Sync,
{
    let shared = Shared::<T> {
        clock: Clock(AtomicU64::new(0)),
        next_id: AtomicU32::new(0),
        instances: (0..INSTANCES).map(|_| Arc::new(T::default())).collect(),
        deadline: Instant::now() + budget,
    };
    let barrier = Barrier::new(threads);
    let started = Instant::now();
    let outs: Vec<ThreadOut> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|thread| {
                let (shared, barrier) = (&shared, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    Worker {
                        shared,
                        rng: Rng(0x9E37_79B9_7F4A_7C15
                            ^ (thread as u64 + 1).wrapping_mul(0x1234_5678_9ABC_DEF1)),
                        out: ThreadOut::default(),
                        live: Vec::new(),
                        owned: [(false, false); 2],
                        thread,
                    }
                    .run(ops)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let elapsed = started.elapsed();
    let mut listeners = Vec::new();
    let mut fires = Vec::new();
    let mut total_ops = 0;
    for out in outs {
        listeners.extend(out.listeners);
        fires.extend(out.fires);
        total_ops += out.ops;
    }
    // A final fire on every instance, after everything: runs the remaining `once` listeners.
    let clock_end = shared.clock.stamp();
    for (instance, target) in shared.instances.iter().enumerate() {
        let fire = Fire {
            calls: RefCell::new(Vec::new()),
        };
        let start = shared.clock.stamp();
        HasEvents::<dyn StressEvents>::dispatch(&**target).tick(&fire);
        fires.push(FireRecord {
            instance,
            start,
            end: shared.clock.stamp(),
            calls: fire.calls.into_inner(),
        });
    }
    let total_fires = fires.len() as u64;
    let checked = check(&fires, &listeners);
    assert_eq!(checked.fires, fires.len());
    assert!(checked.required > 0 && checked.calls > 0, "{checked:?}");
    println!(
        "stress: {threads:2} threads checked {checked:?} over {} listeners",
        listeners.len()
    );
    assert!(clock_end > 0);
    (total_ops, total_fires, elapsed)
}

/// One stress configuration: `(ops per thread, time budget) -> (ops, fires, elapsed)`.
type Run = fn(u64, Duration) -> (u64, u64, Duration);

#[test]
fn mixed_listen_remove_contains_fire_keep_snapshots_consistent() {
    let _watchdog = Watchdog::new(
        "mixed stress",
        Duration::from_secs(if heavy() { 600 } else { 90 }),
    );
    let (ops, budget) = if heavy() {
        (100_000, Duration::from_secs(20))
    } else {
        (10_000, Duration::from_millis(2_500))
    };
    let runs: [(usize, Run); 4] = [
        (2, |o, b| stress::<S2>(2, o, b)),
        (4, |o, b| stress::<S4>(4, o, b)),
        (8, |o, b| stress::<S8>(8, o, b)),
        (16, |o, b| stress::<S16>(16, o, b)),
    ];
    for (threads, run) in runs {
        let (total, fires, elapsed) = run(ops, budget);
        let secs = elapsed.as_secs_f64();
        #[allow(clippy::cast_precision_loss)]
        let (ops_s, fires_s) = (total as f64 / secs, fires as f64 / secs);
        println!(
            "stress: {threads:2} threads, {total:7} ops ({fires:6} fires) in {secs:.2}s: {ops_s:9.0} ops/s, {fires_s:9.0} fires/s"
        );
    }
}

#[test]
fn once_listener_runs_exactly_once_under_contention() {
    let _watchdog = Watchdog::new("once contention", Duration::from_secs(60));
    let threads = 8;
    let rounds = if heavy() { 2_000 } else { 200 };
    let target = Pinged::default();
    let barrier = Barrier::new(threads + 1);
    let calls = Arc::new(AtomicU32::new(0));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for round in 0..rounds {
                    barrier.wait();
                    for _ in 0..4 {
                        target.dispatch().ping(round);
                    }
                    barrier.wait();
                }
            });
        }
        for _ in 0..rounds {
            calls.store(0, Ordering::SeqCst);
            let c = Arc::clone(&calls);
            let handle = stress_events::ping
                .listen_with(&target, Modifiers::ONCE, move |_| {
                    c.fetch_add(1, Ordering::SeqCst);
                })
                .unwrap();
            barrier.wait();
            barrier.wait();
            assert_eq!(calls.load(Ordering::SeqCst), 1);
            assert!(!handle.is_active());
            assert!(handle.remove().is_err());
        }
    });
}

/// Runs `rounds` rounds of `threads` threads firing an exec-once event together on a fresh
/// target; `check` sees each thread's view right after its fire returned.
fn exec_once_rounds<T: Default + Send + Sync>(
    threads: usize,
    rounds: u32,
    fire: impl Fn(&T, u32) + Sync,
    after_fire: impl Fn(u32) + Sync,
) {
    let barrier = Barrier::new(threads);
    let target: Mutex<Arc<T>> = Mutex::new(Arc::new(T::default()));
    std::thread::scope(|s| {
        for t in 0..threads {
            let (barrier, target, fire, after_fire) = (&barrier, &target, &fire, &after_fire);
            s.spawn(move || {
                for round in 0..rounds {
                    if barrier.wait().is_leader() {
                        *target.lock().unwrap() = Arc::new(T::default());
                    }
                    barrier.wait();
                    let current = Arc::clone(&target.lock().unwrap());
                    let _ = t;
                    fire(&current, round);
                    after_fire(round);
                    barrier.wait();
                }
            });
        }
    });
}

#[test]
fn exec_once_runs_once_and_concurrent_first_callers_wait() {
    let _watchdog = Watchdog::new("exec-once contention", Duration::from_secs(60));
    let rounds = if heavy() { 1_000 } else { 100 };
    let runs: Arc<Vec<AtomicU32>> = Arc::new((0..rounds).map(|_| AtomicU32::new(0)).collect());
    let finished: Arc<Vec<AtomicBool>> =
        Arc::new((0..rounds).map(|_| AtomicBool::new(false)).collect());
    let (r, f) = (Arc::clone(&runs), Arc::clone(&finished));
    let _h = stress_events::boot
        .listen(Class::<Booted>::new(), move |round| {
            let i = round as usize;
            r[i].fetch_add(1, Ordering::SeqCst);
            if round % 4 == 0 {
                std::thread::sleep(Duration::from_millis(1));
            }
            f[i].store(true, Ordering::SeqCst);
        })
        .unwrap();
    exec_once_rounds::<Booted>(
        8,
        rounds,
        |t, round| {
            t.dispatch().boot(round);
            t.dispatch().boot(round);
        },
        |round| {
            let i = round as usize;
            assert_eq!(runs[i].load(Ordering::SeqCst), 1, "round {round}");
            assert!(
                finished[i].load(Ordering::SeqCst),
                "a fire returned before the first run finished"
            );
        },
    );
}

#[test]
fn exec_once_unless_error_retries_failed_runs_serially() {
    let _watchdog = Watchdog::new("exec-once retry contention", Duration::from_secs(60));
    let rounds = if heavy() { 1_000 } else { 100 };
    let threads = 8;
    let attempts: Arc<Vec<AtomicU32>> = Arc::new((0..rounds).map(|_| AtomicU32::new(0)).collect());
    let in_run = Arc::new(AtomicBool::new(false));
    let (a, busy) = (Arc::clone(&attempts), Arc::clone(&in_run));
    let _h = stress_events::boot_retry
        .listen(Class::<BootedRetry>::new(), move |round| {
            assert!(
                !busy.swap(true, Ordering::SeqCst),
                "two exec-once runs at the same time"
            );
            let n = a[round as usize].fetch_add(1, Ordering::SeqCst);
            std::thread::yield_now();
            busy.store(false, Ordering::SeqCst);
            // The first two runs of every round fail.
            if n < 2 {
                Err(format!("attempt {n}"))
            } else {
                Ok(())
            }
        })
        .unwrap();
    let errors: Vec<AtomicU32> = (0..rounds).map(|_| AtomicU32::new(0)).collect();
    exec_once_rounds::<BootedRetry>(
        threads,
        rounds,
        |t, round| {
            if t.dispatch().boot_retry(round).is_err() {
                errors[round as usize].fetch_add(1, Ordering::SeqCst);
            }
        },
        |_| {},
    );
    for round in 0..rounds as usize {
        assert_eq!(
            attempts[round].load(Ordering::SeqCst),
            3,
            "round {round}: two failures, one success"
        );
        assert_eq!(errors[round].load(Ordering::SeqCst), 2, "round {round}");
    }
}
