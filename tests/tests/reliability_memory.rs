//! Memory: short-lived instances with instance-level listeners give all their memory back when
//! dropped, class-level listeners do not pin instances, and a fire allocates nothing. Measured
//! with a counting global allocator (live bytes and peak).
//!
//! 100,000 instances by default; `HOOKS_MEMORY_MILLION=1` runs 1,000,000 (about ten times as
//! long; run it with `--release` for speed).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use hooks::{Class, HasEvents};
use peak_alloc::PeakAlloc;

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

/// The tests of this binary measure the whole process: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// What the test harness's own threads may allocate or free meanwhile (output capture, thread
/// start and exit), in bytes: far below one byte per instance measured. With
/// `--test-threads 1` the figures are exact.
const SLACK: usize = 4096;

fn assert_near(after: usize, before: usize, what: &str) {
    assert!(
        after.abs_diff(before) <= SLACK,
        "{what}: {before} bytes before, {after} after"
    );
}

/// The events of this file's targets.
#[hooks::events]
pub trait MemEvents {
    /// Plain.
    fn touch(n: u64);
}

tests::targets!(MemEvents: Short, Batch, Burst, Pinned, Quiet);

fn instances() -> u64 {
    if std::env::var_os("HOOKS_MEMORY_MILLION").is_some_and(|v| v != "0") {
        1_000_000
    } else {
        100_000
    }
}

/// Live bytes now, after resetting the peak to it.
fn baseline() -> usize {
    ALLOC.reset_peak_usage();
    ALLOC.current_usage()
}

fn one_short_lived<
    T: HasEvents<dyn MemEvents> + hooks::InstanceAccepts<dyn MemEvents> + Default,
>(
    counter: &Arc<AtomicU64>,
    n: u64,
) {
    let t = T::default();
    let c = Arc::clone(counter);
    let _handle = mem_events::touch
        .listen(&t, move |n| {
            c.fetch_add(n, Ordering::Relaxed);
        })
        .unwrap();
    HasEvents::<dyn MemEvents>::dispatch(&t).touch(n);
}

fn short_lived_instances_with_instance_listeners_return_memory_to_baseline() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let counter = Arc::new(AtomicU64::new(0));
    // A long-lived class-level listener alongside.
    let _class = mem_events::touch
        .listen(Class::<Short>::new(), |_| {})
        .unwrap();
    // Warm up: the registry, its maps and the thread's locals exist from here on.
    for n in 0..16 {
        one_short_lived::<Short>(&counter, n);
    }
    let count = instances();
    let start = std::time::Instant::now();
    let before = baseline();
    for _ in 0..count {
        one_short_lived::<Short>(&counter, 1);
    }
    let (after, peak) = (ALLOC.current_usage(), ALLOC.peak_usage());
    let elapsed = start.elapsed();
    println!(
        "memory: {count} short-lived instances in {:.2}s: live bytes before {before}, after {after}, peak {peak} (+{})",
        elapsed.as_secs_f64(),
        peak - before
    );
    assert_eq!(
        counter.load(Ordering::Relaxed),
        count + (0..16).sum::<u64>()
    );
    assert_near(after, before, "memory did not return to the baseline");
}

/// `count` instances alive at once, each with a capturing instance listener, fired, then all
/// dropped; returns the live bytes with them alive.
fn batch(counter: &Arc<AtomicU64>, count: usize) -> usize {
    let batch: Vec<Batch> = (0..count).map(|_| Batch::default()).collect();
    let mut handles = Vec::with_capacity(batch.len());
    for t in &batch {
        let c = Arc::clone(counter);
        handles.push(
            mem_events::touch
                .listen(t, move |n| {
                    c.fetch_add(n, Ordering::Relaxed);
                })
                .unwrap(),
        );
    }
    for t in &batch {
        t.dispatch().touch(1);
    }
    let live = ALLOC.current_usage();
    drop(handles);
    drop(batch);
    live
}

/// Many instances alive at once, then all dropped: all their memory comes back except the
/// capacity the registry's index maps grew to (a high-water mark, reused by the next batch:
/// bounded, not a leak).
fn batch_of_live_instances_returns_memory_except_index_capacity() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let counter = Arc::new(AtomicU64::new(0));
    one_short_lived::<Batch>(&counter, 0);
    let before = baseline();
    let live = batch(&counter, 10_000);
    let (after, peak) = (ALLOC.current_usage(), ALLOC.peak_usage());
    println!(
        "memory: 10000 live instances: before {before}, with them {live}, after {after} (+{} retained), peak {peak}",
        after - before
    );
    assert_eq!(counter.load(Ordering::Relaxed), 10_000);
    assert!(
        after - before < (live - before) / 2,
        "more than index capacity was kept"
    );
    for _ in 0..3 {
        batch(&counter, 10_000);
        assert_near(
            ALLOC.current_usage(),
            after,
            "a later batch of the same size kept more",
        );
    }
}

/// After a burst of live instance registrations, the registry's maps give their capacity back.
fn batch_of_live_instances_returns_memory_to_baseline() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let counter = Arc::new(AtomicU64::new(0));
    one_short_lived::<Burst>(&counter, 0);
    let before = baseline();
    let bursts: Vec<Burst> = (0..50_000).map(|_| Burst::default()).collect();
    for t in &bursts {
        let c = Arc::clone(&counter);
        let _ = mem_events::touch
            .listen(t, move |n| {
                c.fetch_add(n, Ordering::Relaxed);
            })
            .unwrap();
    }
    let live = ALLOC.current_usage();
    drop(bursts);
    // Before the registry shrank its maps, ~2 MB (about 40 bytes per registration) stayed here.
    assert!(
        live - before > 1_000_000,
        "the burst did not register: {live}"
    );
    assert_near(
        ALLOC.current_usage(),
        before,
        "a burst of 50,000 live registrations, dropped",
    );
}

fn class_level_listeners_do_not_pin_dropped_instances() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let seen = Arc::new(AtomicU64::new(0));
    let s = Arc::clone(&seen);
    let _class = mem_events::touch
        .listen(Class::<Pinned>::new(), move |n| {
            s.fetch_add(n, Ordering::Relaxed);
        })
        .unwrap();
    // Warm up this thread (arc-swap registers a per-thread node on its first load, for good).
    Pinned::default().dispatch().touch(0);
    let before = baseline();
    let mut weaks: Vec<Weak<Pinned>> = Vec::new();
    for i in 0..10_000 {
        let t = Arc::new(Pinned::default());
        if i % 2 == 0 {
            let _ = mem_events::touch.listen(&*t, |_| {}).unwrap();
        }
        t.dispatch().touch(1);
        weaks.push(Arc::downgrade(&t));
    }
    assert!(weaks.iter().all(|w| w.upgrade().is_none()));
    drop(weaks);
    assert_eq!(seen.load(Ordering::Relaxed), 10_000);
    let after = ALLOC.current_usage();
    println!(
        "memory: 10000 instances beside a class-level listener: before {before}, after {after}"
    );
    assert_near(after, before, "instances pinned");
}

/// An instance with no listener of its own allocates nothing, and firing allocates nothing:
/// the peak does not move.
fn firing_allocates_nothing() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let _class = mem_events::touch
        .listen(Class::<Quiet>::new(), |_| {})
        .unwrap();
    let with_own = Quiet::default();
    let _own = mem_events::touch.listen(&with_own, |_| {}).unwrap();
    with_own.dispatch().touch(0);
    let t = Quiet::default();
    // Other threads of the harness may allocate meanwhile, which can only raise the peak: an
    // allocating fire raises it in every attempt, so one clean attempt proves none did.
    let clean = (0..5).any(|_| {
        let before = baseline();
        for n in 0..1_000 {
            t.dispatch().touch(n);
            with_own.dispatch().touch(n);
        }
        ALLOC.peak_usage() == before
    });
    assert!(!t.events().is_allocated());
    assert!(clean, "a fire allocated");
}

/// Runs every check in order (this binary has no test harness: see `tests/Cargo.toml`), and
/// closes with the summary line test runners print.
fn main() {
    let checks: [(&str, fn()); 5] = [
        (
            "short_lived_instances_with_instance_listeners_return_memory_to_baseline",
            short_lived_instances_with_instance_listeners_return_memory_to_baseline,
        ),
        (
            "batch_of_live_instances_returns_memory_except_index_capacity",
            batch_of_live_instances_returns_memory_except_index_capacity,
        ),
        (
            "batch_of_live_instances_returns_memory_to_baseline",
            batch_of_live_instances_returns_memory_to_baseline,
        ),
        (
            "class_level_listeners_do_not_pin_dropped_instances",
            class_level_listeners_do_not_pin_dropped_instances,
        ),
        ("firing_allocates_nothing", firing_allocates_nothing),
    ];
    for (name, check) in checks {
        check();
        println!("test {name} ... ok");
    }
    println!("\ntest result: ok. {} passed; 0 failed", checks.len());
}
