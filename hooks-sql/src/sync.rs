//! Lock helpers shared by every module.
//!
//! The crate never panics on a poisoned lock. A lock is poisoned only when a
//! thread panicked while holding it; every critical section in this crate
//! leaves its data consistent at each step (counters are updated together with
//! the queue they describe), so the data is still valid and the guard is
//! recovered with [`PoisonError::into_inner`].

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Locks `mutex`, recovering the guard if a previous holder panicked.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits on `condvar` for at most `timeout`, recovering a poisoned guard.
pub(crate) fn wait_timeout<'a, T>(
    condvar: &Condvar,
    guard: MutexGuard<'a, T>,
    timeout: Duration,
) -> MutexGuard<'a, T> {
    match condvar.wait_timeout(guard, timeout) {
        Ok((guard, _)) => guard,
        Err(poisoned) => poisoned.into_inner().0,
    }
}
