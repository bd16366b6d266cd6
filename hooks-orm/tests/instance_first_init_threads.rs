//! `first_init` under contention: eight threads build the class's first objects at once;
//! `first_init` fires exactly once and every construction fires its `init`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use hooks::Class;
use hooks_orm::{Mapped, Obj, instance_events as ie};

#[derive(Mapped, Debug)]
#[mapped(table = "counters")]
struct Counter {
    #[column(primary_key)]
    id: Option<i64>,
    value: i64,
}

const THREADS: usize = 8;
const EACH: usize = 200;

#[test]
fn first_init_fires_once_however_many_threads_build_the_first_objects() {
    static FIRST: AtomicUsize = AtomicUsize::new(0);
    static INIT: AtomicUsize = AtomicUsize::new(0);
    ie::first_init
        .listen(Class::<Counter>::new(), |_| {
            FIRST.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
    ie::init
        .listen(Class::<Counter>::new(), |_, _| {
            INIT.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
    let start = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                start.wait();
                for value in 0..EACH {
                    let value = i64::try_from(value).unwrap();
                    drop(Obj::new(Counter { id: None, value }));
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(FIRST.load(Ordering::SeqCst), 1);
    assert_eq!(INIT.load(Ordering::SeqCst), THREADS * EACH);
}
