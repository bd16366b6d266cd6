//! Exec-once: an event whose listeners run once per target (SQLAlchemy's `first_connect`).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::ExecOnceMode;

/// The once-per-target state of one exec-once event on one target.
///
/// Concurrent first callers wait until the first run has finished; a fire from inside that run
/// (on the same thread) does not wait and does not run again.
#[derive(Debug)]
pub struct ExecOnce {
    done: AtomicBool,
    running_on: AtomicU64,
    lock: Mutex<()>,
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
            done: AtomicBool::new(false),
            running_on: AtomicU64::new(0),
            lock: Mutex::new(()),
        }
    }

    /// Whether a run has completed for good.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Runs `run` unless a previous run counts as done; `None` when it did not run.
    pub(crate) fn run<R>(
        &self,
        mode: ExecOnceMode,
        run: impl FnOnce() -> R,
        failed: impl FnOnce(&R) -> bool,
    ) -> Option<R> {
        if self.is_done() || self.running_on.load(Ordering::Relaxed) == thread_token() {
            return None;
        }
        let _serial = self
            .lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.is_done() {
            return None;
        }
        let guard = RunGuard {
            state: self,
            mode,
            finished: false,
        };
        self.running_on.store(thread_token(), Ordering::Relaxed);
        let out = run();
        let succeeded = !failed(&out);
        guard.finish(succeeded);
        Some(out)
    }
}

impl Default for ExecOnce {
    fn default() -> Self {
        Self::new()
    }
}

/// Marks the state done (or not) however the run ends, a panic included.
struct RunGuard<'a> {
    state: &'a ExecOnce,
    mode: ExecOnceMode,
    finished: bool,
}

impl RunGuard<'_> {
    fn finish(mut self, succeeded: bool) {
        self.finished = true;
        if succeeded || self.mode == ExecOnceMode::Always {
            self.state.done.store(true, Ordering::Release);
        }
    }
}

impl Drop for RunGuard<'_> {
    fn drop(&mut self) {
        if !self.finished && self.mode == ExecOnceMode::Always {
            self.state.done.store(true, Ordering::Release);
        }
        self.state.running_on.store(0, Ordering::Relaxed);
    }
}
