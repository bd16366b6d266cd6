//! Test-only (feature `race-windows`): widens the windows that races hide in, so that a test
//! which aims at one hits it in every run instead of 1 run in 400.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

static AFTER_UNLOCK_MICROS: AtomicU64 = AtomicU64::new(0);

/// Makes every registry call that retired snapshots wait `pause` between releasing the registry
/// lock and dropping them (the window in which another thread's drop of a target could race
/// with them). `Duration::ZERO` closes it again.
pub fn widen_after_unlock(pause: Duration) {
    let micros = u64::try_from(pause.as_micros()).unwrap_or(u64::MAX);
    AFTER_UNLOCK_MICROS.store(micros, Ordering::Relaxed);
}

pub(crate) fn after_unlock() {
    match AFTER_UNLOCK_MICROS.load(Ordering::Relaxed) {
        0 => {}
        micros => std::thread::sleep(Duration::from_micros(micros)),
    }
}
