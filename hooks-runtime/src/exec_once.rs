//! Exec-once: an event whose listeners run once per target (SQLAlchemy's `first_connect`).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::ExecOnceMode;
use crate::atomics::{Flag, Serial, Word};

/// The once-per-target state of one exec-once event on one target.
///
/// Concurrent first callers wait until the first run has finished; a fire from inside that run
/// (on the same thread) does not wait and does not run again.
#[derive(Debug)]
pub struct ExecOnce {
    protocol: Protocol<AtomicBool, AtomicU64, Mutex<()>>,
}

/// The exec-once protocol, generic over its atomics so that the loom models check this code
/// (see `atomics.rs`); the runtime uses it on std's through [`ExecOnce`].
#[doc(hidden)]
#[derive(Debug)]
pub struct Protocol<B, W, L> {
    done: B,
    /// The token of the thread running the listeners, 0 when none is.
    running_on: W,
    lock: L,
}

fn thread_token() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local!(static TOKEN: u64 = NEXT.fetch_add(1, Ordering::Relaxed));
    TOKEN.with(|t| *t)
}

impl ExecOnce {
    /// A state that has not run yet.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            protocol: Protocol {
                done: AtomicBool::new(false),
                running_on: AtomicU64::new(0),
                lock: Mutex::new(()),
            },
        }
    }

    /// Whether a run has completed for good.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.protocol.is_done()
    }

    /// Runs `run` unless a previous run counts as done; `None` when it did not run.
    pub(crate) fn run<R>(
        &self,
        mode: ExecOnceMode,
        run: impl FnOnce() -> R,
        failed: impl FnOnce(&R) -> bool,
    ) -> Option<R> {
        self.protocol.run(thread_token(), mode, run, failed)
    }
}

impl Default for ExecOnce {
    fn default() -> Self {
        Self::new()
    }
}

impl<B: Flag, W: Word, L: Serial> Protocol<B, W, L> {
    /// A state that has not run yet, from fresh cells (`false`, `0`, an unlocked lock).
    pub fn from_cells(done: B, running_on: W, lock: L) -> Self {
        Self {
            done,
            running_on,
            lock,
        }
    }

    /// Whether a run has completed for good.
    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Runs `run` for the thread identified by `token` (non-zero, unique per thread), unless a
    /// previous run counts as done or this thread is the one running; `None` when it did not
    /// run.
    pub fn run<R>(
        &self,
        token: u64,
        mode: ExecOnceMode,
        run: impl FnOnce() -> R,
        failed: impl FnOnce(&R) -> bool,
    ) -> Option<R> {
        if self.is_done() || self.running_on.load(Ordering::Relaxed) == token {
            return None;
        }
        let _serial = self.lock.serial();
        if self.is_done() {
            return None;
        }
        let guard = RunGuard {
            state: self,
            mode,
            finished: false,
        };
        self.running_on.store(token, Ordering::Relaxed);
        let out = run();
        let succeeded = !failed(&out);
        guard.finish(succeeded);
        Some(out)
    }
}

/// Marks the state done (or not) however the run ends, a panic included.
struct RunGuard<'a, B: Flag, W: Word, L> {
    state: &'a Protocol<B, W, L>,
    mode: ExecOnceMode,
    finished: bool,
}

impl<B: Flag, W: Word, L> RunGuard<'_, B, W, L> {
    fn finish(mut self, succeeded: bool) {
        self.finished = true;
        if succeeded || self.mode == ExecOnceMode::Always {
            self.state.done.store(true, Ordering::Release);
        }
    }
}

impl<B: Flag, W: Word, L> Drop for RunGuard<'_, B, W, L> {
    fn drop(&mut self) {
        if !self.finished && self.mode == ExecOnceMode::Always {
            self.state.done.store(true, Ordering::Release);
        }
        self.state.running_on.store(0, Ordering::Relaxed);
    }
}
