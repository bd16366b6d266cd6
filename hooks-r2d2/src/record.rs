//! [`ConnectionRecord`]: the adapter's bookkeeping for one connection.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

static NEXT_RECORD_ID: AtomicU64 = AtomicU64::new(1);

/// What the adapter knows about one pooled connection.
///
/// It lives as long as the connection: r2d2 replaces a discarded connection
/// with a new one, which gets a new record.
pub struct ConnectionRecord {
    id: u64,
    starttime: Instant,
    invalidated: AtomicBool,
    info: Mutex<HashMap<String, String>>,
}

impl ConnectionRecord {
    pub(crate) fn new() -> Self {
        ConnectionRecord {
            id: NEXT_RECORD_ID.fetch_add(1, Ordering::Relaxed),
            starttime: Instant::now(),
            invalidated: AtomicBool::new(false),
            info: Mutex::new(HashMap::new()),
        }
    }

    /// A process-unique number identifying this connection.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// When the connection was opened.
    pub fn starttime(&self) -> Instant {
        self.starttime
    }

    /// Whether the connection was invalidated: r2d2 discards it when it
    /// comes back.
    pub fn is_invalidated(&self) -> bool {
        self.invalidated.load(Ordering::Acquire)
    }

    /// Marks the connection invalidated; `true` if it was not already.
    pub(crate) fn mark_invalidated(&self) -> bool {
        !self.invalidated.swap(true, Ordering::AcqRel)
    }

    /// A free-form map that lives as long as the connection, for listeners
    /// to keep per-connection state in. Do not hold the guard across a
    /// checkout or checkin.
    pub fn info(&self) -> MutexGuard<'_, HashMap<String, String>> {
        // A listener that panicked while holding the guard leaves a map that
        // is still a valid map: recovering it is sound.
        self.info.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for ConnectionRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionRecord")
            .field("id", &self.id)
            .field("invalidated", &self.is_invalidated())
            .finish_non_exhaustive()
    }
}
