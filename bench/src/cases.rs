//! The in-process cases: `hooks` fires and registry operations, the physical floor, and the
//! peer designs, all measured in the same round-robin run.

use std::hint::black_box;
use std::sync::{Arc, Barrier, RwLock};
use std::time::{Duration, Instant};

use hooks::{Class, HasEvents};

use crate::harness::{Case, time};
use crate::model::{
    BenchEvents, Chain10, Child, Inst, Named1, Parent, R0, R1, R10, R100, Reg, RegClass0,
    RegClass1000, S0, S1, S10, S100, ThreadClass, bench_events,
};

/// The listener counts of the fire cases.
pub const COUNTS: [usize; 4] = [0, 1, 10, 100];

/// Ten distinct trivial fns, the floor's listeners (distinct, like the static listeners).
macro_rules! floor_fns {
    ($($f:ident)*) => {
        $(fn $f(x: u64) { black_box(x); })*
        /// The floor's distinct listener fns.
        const FLOOR: [fn(u64); 10] = [$($f),*];
    };
}

floor_fns!(a0 a1 a2 a3 a4 a5 a6 a7 a8 a9);

fn fire_on<T>(target: &T)
where
    T: HasEvents<dyn BenchEvents>,
{
    HasEvents::<dyn BenchEvents>::dispatch(target).fire(black_box(7));
}

fn fire_case<T>(id: String, target: T) -> Case
where
    T: HasEvents<dyn BenchEvents>,
{
    Case::new(id, move |iters| time(iters, || fire_on(black_box(&target))))
}

/// A listener closure that captures `k`, so that each registration is a distinct listener.
fn closure(k: u64) -> impl Fn(u64) + Send + Sync + 'static {
    move |x| {
        black_box(x ^ k);
    }
}

fn add_class<T: hooks::Accepts<dyn BenchEvents>>(n: usize) {
    for k in 0..n as u64 {
        let _handle = bench_events::fire
            .listen(Class::<T>::new(), closure(k))
            .expect("listen");
    }
}

/// The `fire` cases: static, class-level runtime, instance-level and joined, for 0/1/10/100
/// listeners, plus the `retval` chain of 10 and one `named` listener.
///
/// # Panics
///
/// If `hooks` refuses a `listen`.
pub fn fire_cases() -> Vec<Case> {
    let mut cases = vec![
        fire_case("fire/static/0".into(), S0::default()),
        fire_case("fire/static/1".into(), S1::default()),
        fire_case("fire/static/10".into(), S10::default()),
        fire_case("fire/static/100".into(), S100::default()),
    ];
    add_class::<R1>(1);
    add_class::<R10>(10);
    add_class::<R100>(100);
    cases.push(fire_case("fire/class/0".into(), R0::default()));
    cases.push(fire_case("fire/class/1".into(), R1::default()));
    cases.push(fire_case("fire/class/10".into(), R10::default()));
    cases.push(fire_case("fire/class/100".into(), R100::default()));
    for n in COUNTS {
        let inst = Inst::default();
        for k in 0..n as u64 {
            let _handle = bench_events::fire
                .listen(&inst, closure(k))
                .expect("listen");
        }
        cases.push(fire_case(format!("fire/instance/{n}"), inst));
    }
    for n in COUNTS {
        let parent = Arc::new(Parent::default());
        for k in 0..n as u64 {
            let _handle = bench_events::fire
                .listen(&*parent, closure(k))
                .expect("listen");
        }
        cases.push(fire_case(format!("fire/joined/{n}"), Child::new(parent)));
    }
    let idle = S0::default();
    cases.push(Case::new("fire/idle/static", move |iters| {
        time(iters, || {
            HasEvents::<dyn BenchEvents>::dispatch(black_box(&idle)).idle(black_box(7));
        })
    }));
    let idle_joined = Child::new(Arc::new(Parent::default()));
    cases.push(Case::new("fire/idle/joined", move |iters| {
        time(iters, || {
            HasEvents::<dyn BenchEvents>::dispatch(black_box(&idle_joined)).idle(black_box(7));
        })
    }));
    let chain = Chain10::default();
    cases.push(Case::new("fire/retval-chain/10", move |iters| {
        time(iters, || {
            black_box(
                HasEvents::<dyn BenchEvents>::dispatch(black_box(&chain)).chain(black_box(7)),
            );
        })
    }));
    cases.push(fire_case("fire/named/1".into(), Named1::default()));
    cases
}

/// The floor: one indirect call through a `black_box`ed fn pointer, and loops over N of them.
pub fn floor_cases() -> Vec<Case> {
    let mut cases = vec![Case::new("floor/call", |iters| {
        time(iters, || black_box(FLOOR[0])(black_box(7)))
    })];
    for n in COUNTS {
        let fns: Vec<fn(u64)> = FLOOR.iter().copied().cycle().take(n).collect();
        cases.push(Case::new(format!("floor/loop/{n}"), move |iters| {
            time(iters, || {
                let x = black_box(7);
                for f in black_box(fns.as_slice()) {
                    f(x);
                }
            })
        }));
    }
    cases
}

type Naive = RwLock<Vec<Box<dyn Fn(u64) + Send + Sync>>>;

fn naive(n: usize) -> Naive {
    RwLock::new(
        (0..n as u64)
            .map(|k| Box::new(closure(k)) as Box<dyn Fn(u64) + Send + Sync>)
            .collect(),
    )
}

fn fire_naive(registry: &Naive) {
    let x = black_box(7);
    for listener in registry
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
    {
        listener(x);
    }
}

/// The peers: `tracing`'s disabled callsite, a naive `RwLock<Vec<Box<dyn Fn>>>` registry and
/// `signals2`.
pub fn peer_cases() -> Vec<Case> {
    let mut cases = vec![Case::new("peer/tracing-disabled", |iters| {
        time(iters, || {
            tracing::debug!(x = black_box(7u64), "fire");
        })
    })];
    for n in COUNTS {
        let registry = naive(n);
        cases.push(Case::new(format!("peer/rwlock/{n}"), move |iters| {
            time(iters, || fire_naive(black_box(&registry)))
        }));
    }
    for n in COUNTS {
        let signal: signals2::Signal<(u64,)> = signals2::Signal::new();
        for k in 0..n as u64 {
            let f = closure(k);
            // The connections are kept alive by the signal; dropping them does not disconnect.
            let _connection = signals2::connect::Connect1::connect(&signal, f);
        }
        cases.push(Case::new(format!("peer/signals2/{n}"), move |iters| {
            time(iters, || {
                black_box(signals2::emit::Emit1::emit(
                    black_box(&signal),
                    black_box(7),
                ));
            })
        }));
    }
    cases
}

/// Which part of a listen/contains/remove cycle a registry case times.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Listen,
    Contains,
    Remove,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Self::Listen => "listen",
            Self::Contains => "contains",
            Self::Remove => "remove",
        }
    }
}

/// One cycle over ten distinct fn listeners: listen all, check all, remove all; returns the
/// time of the part asked for.
macro_rules! cycle {
    ($target:expr, $part:expr; $($f:ident)*) => {{
        $(fn $f(x: u64) { black_box(x); })*
        let t0 = Instant::now();
        $(let _handle = bench_events::fire.listen($target, $f).expect("listen");)*
        let t1 = Instant::now();
        $(black_box(bench_events::fire.contains($target, $f));)*
        let t2 = Instant::now();
        $(bench_events::fire.remove($target, $f).expect("remove");)*
        let t3 = Instant::now();
        match $part {
            Part::Listen => t1 - t0,
            Part::Contains => t2 - t1,
            Part::Remove => t3 - t2,
        }
    }};
}

const BATCH: u64 = 10;

macro_rules! registry_case {
    ($id:expr, $part:expr, $target:expr) => {{
        let part = $part;
        Case::new($id, move |iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters / BATCH {
                total += cycle!($target, part; g0 g1 g2 g3 g4 g5 g6 g7 g8 g9);
            }
            total
        })
        .iters(BATCH, 100_000)
        .calibrate_on_wall()
    }};
}

/// `listen`, `contains` and `remove` (by fn) with 0 and 1,000 listeners already on the target,
/// instance-level and class-level. Each case runs whole cycles of ten distinct fns and times
/// its own part, so the target always holds 0–10 (or 1,000–1,010) listeners.
///
/// # Panics
///
/// If `hooks` refuses a `listen` or `remove` (the cases panic too, when run).
pub fn registry_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for part in [Part::Listen, Part::Remove, Part::Contains] {
        let name = part.name();
        let empty = Reg::default();
        cases.push(registry_case!(
            format!("registry/{name}/instance/0"),
            part,
            black_box(&empty)
        ));
        let full = Reg::default();
        for k in 0..1000 {
            let _handle = bench_events::fire
                .listen(&full, closure(k))
                .expect("listen");
        }
        cases.push(registry_case!(
            format!("registry/{name}/instance/1000"),
            part,
            black_box(&full)
        ));
        cases.push(registry_case!(
            format!("registry/{name}/class/0"),
            part,
            Class::<RegClass0>::new()
        ));
    }
    add_class::<RegClass1000>(1000);
    for part in [Part::Listen, Part::Remove, Part::Contains] {
        let name = part.name();
        cases.push(registry_case!(
            format!("registry/{name}/class/1000"),
            part,
            Class::<RegClass1000>::new()
        ));
    }
    cases
}

/// Runs `fire` on `threads` threads at once (after a barrier), `iters` times each; returns the
/// wall time from the first start to the last finish.
fn threaded(threads: usize, iters: u64, fire: &(dyn Fn() + Sync)) -> Duration {
    let barrier = Barrier::new(threads);
    let spans: Vec<(Instant, Instant)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    let start = Instant::now();
                    for _ in 0..iters {
                        fire();
                    }
                    (start, Instant::now())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("bench thread"))
            .collect()
    });
    let start = spans.iter().map(|s| s.0).min().expect("one thread");
    let end = spans.iter().map(|s| s.1).max().expect("one thread");
    end - start
}

/// The same event fired by one thread and by two threads at once (ns per fire per thread:
/// equal figures mean perfect scaling).
///
/// # Panics
///
/// If `hooks` refuses a `listen`.
pub fn thread_cases() -> Vec<Case> {
    let s1: &'static S1 = Box::leak(Box::new(S1::default()));
    let inst: &'static Inst = Box::leak(Box::new(Inst::default()));
    let _handle = bench_events::fire.listen(inst, closure(1)).expect("listen");
    add_class::<ThreadClass>(1);
    let class: &'static ThreadClass = Box::leak(Box::new(ThreadClass::default()));
    let registry: &'static Naive = Box::leak(Box::new(naive(1)));
    let mut cases = Vec::new();
    for threads in [1, 2] {
        cases.push(
            Case::new(format!("threads/{threads}/class/1"), move |iters| {
                threaded(threads, iters, &|| fire_on(black_box(class)))
            })
            .iters(1000, u64::MAX),
        );
        cases.push(
            Case::new(format!("threads/{threads}/static/1"), move |iters| {
                threaded(threads, iters, &|| fire_on(black_box(s1)))
            })
            .iters(1000, u64::MAX),
        );
        cases.push(
            Case::new(format!("threads/{threads}/instance/1"), move |iters| {
                threaded(threads, iters, &|| fire_on(black_box(inst)))
            })
            .iters(1000, u64::MAX),
        );
        cases.push(
            Case::new(format!("threads/{threads}/floor/1"), move |iters| {
                threaded(threads, iters, &|| black_box(FLOOR[0])(black_box(7)))
            })
            .iters(1000, u64::MAX),
        );
        cases.push(
            Case::new(format!("threads/{threads}/rwlock/1"), move |iters| {
                threaded(threads, iters, &|| fire_naive(black_box(registry)))
            })
            .iters(1000, u64::MAX),
        );
    }
    cases
}
