//! The event family and targets every `hooks` case fires, with their static listeners.
//!
//! Each case has its own target type so that the cases can coexist in one process and be run
//! round-robin: a class-level listener added for one case never shows up in another.

use std::hint::black_box;

/// The events the benchmarks fire.
#[hooks::events]
pub trait BenchEvents {
    /// The plain event: one `Copy` argument, no result.
    fn fire(x: u64);

    /// A `retval` event: each listener may replace the value.
    #[event(retval)]
    fn chain(#[retval] x: &u64) -> u64;

    /// An event nothing listens to, on any target: what a host pays for the events of its
    /// catalog no application uses.
    fn idle(x: u64);
}

macro_rules! targets {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[hooks::target(BenchEvents(events = events))]
        #[derive(Default)]
        pub struct $name {
            events: hooks::Events<dyn BenchEvents>,
        }
    )*};
}

targets! {
    /// Class-level static target with no listener.
    S0;
    /// Class-level static target with 1 `#[listens_for]` listener.
    S1;
    /// Class-level static target with 10 `#[listens_for]` listeners.
    S10;
    /// Class-level static target with 100 `#[listens_for]` listeners.
    S100;
    /// Class-level runtime target with no listener.
    R0;
    /// Class-level runtime target with 1 listener added by `listen`.
    R1;
    /// Class-level runtime target with 10 listeners added by `listen`.
    R10;
    /// Class-level runtime target with 100 listeners added by `listen`.
    R100;
    /// Instance-level target (each case has its own instance).
    Inst;
    /// Class-level runtime target of the two-thread case, with 1 listener added by `listen`.
    ThreadClass;
    /// The parent of a joined dispatch.
    Parent;
    /// Target of the `retval` chain of 10 static listeners.
    Chain10;
    /// Target of one static `named` listener.
    Named1;
    /// Instance-level target of the `listen`/`remove`/`contains` cases.
    Reg;
    /// Class-level target of the `listen`/`remove`/`contains` cases with no listener present.
    RegClass0;
    /// Class-level target of the `listen`/`remove`/`contains` cases with 1,000 listeners present.
    RegClass1000;
}

/// A child joined to a [`Parent`]: firing on it runs its own listeners, then the parent's.
#[hooks::target(BenchEvents(events = events, join = &*self.parent))]
pub struct Child {
    events: hooks::Events<dyn BenchEvents>,
    parent: std::sync::Arc<Parent>,
}

impl Child {
    /// A child of `parent`.
    pub fn new(parent: std::sync::Arc<Parent>) -> Self {
        Self {
            events: hooks::Events::new(),
            parent,
        }
    }
}

/// Ten static `fire` listeners named `f0`…`f9` on `$target`.
macro_rules! ten_static {
    ($target:path) => {
        ten_static!(@ $target; f0 f1 f2 f3 f4 f5 f6 f7 f8 f9);
    };
    (@ $target:path; $($f:ident)*) => {$(
        #[hooks::listens_for($target, "fire")]
        fn $f(x: u64) {
            black_box(x);
        }
    )*};
}

mod s1 {
    use super::black_box;

    #[hooks::listens_for(crate::model::S1, "fire")]
    fn f0(x: u64) {
        black_box(x);
    }
}

mod s10 {
    use super::black_box;
    ten_static!(crate::model::S10);
}

/// A hundred static `fire` listeners on [`S100`], in ten modules of ten.
macro_rules! hundred_static {
    ($target:path; $($m:ident)*) => {$(
        mod $m {
            use super::black_box;
            ten_static!($target);
        }
    )*};
}

mod s100 {
    use super::black_box;
    hundred_static!(crate::model::S100; m0 m1 m2 m3 m4 m5 m6 m7 m8 m9);
}

/// Ten static `retval` listeners of `chain` on [`Chain10`].
macro_rules! ten_retval {
    ($($f:ident)*) => {$(
        #[hooks::listens_for(crate::model::Chain10, "chain", retval)]
        fn $f(x: &u64) -> u64 {
            black_box(*x)
        }
    )*};
}

mod chain10 {
    use super::black_box;
    ten_retval!(c0 c1 c2 c3 c4 c5 c6 c7 c8 c9);
}

mod named1 {
    use super::black_box;

    #[hooks::listens_for(crate::model::Named1, "fire", named)]
    fn n0(args: super::bench_events::FireArgs<'_>) {
        black_box(args.x);
    }
}
