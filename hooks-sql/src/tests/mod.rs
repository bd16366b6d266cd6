//! Unit tests of the flows around the event points, using the test-only
//! probe of `events`: exact event sequences, and the retry / halt / chain
//! paths driven by overriding the value-returning events.

mod ddl_flow;
mod execute_flow;
mod pool_flow;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::events::probe;
use crate::{Engine, EngineOptions, create_engine, create_engine_with};

/// A fresh directory under the system temp dir.
pub(crate) fn temp_dir(tag: &str) -> PathBuf {
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "hooks-sql-unit-{tag}-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// A file-backed engine (queue pool) in a fresh temp dir.
pub(crate) fn file_engine(tag: &str, options: &EngineOptions) -> (Engine, PathBuf) {
    let dir = temp_dir(tag);
    let path = dir.join("db.sqlite");
    let engine =
        create_engine_with(&format!("sqlite:///{}", path.display()), options).expect("engine");
    (engine, path)
}

pub(crate) fn memory_engine() -> Engine {
    create_engine("sqlite://").expect("engine")
}

/// Clears the probe (hooks and log) now and again when dropped.
pub(crate) struct Probe;

#[expect(
    clippy::unused_self,
    reason = "the guard owns the thread's log; methods read it through the guard"
)]
impl Probe {
    pub(crate) fn new() -> Self {
        probe::reset();
        Probe
    }

    /// The events fired since the last call.
    pub(crate) fn take(&self) -> Vec<String> {
        probe::take()
    }

    /// The events fired since the last call, without cursor-level noise
    /// (`*_cursor_execute` and `do_execute*` lines).
    pub(crate) fn take_coarse(&self) -> Vec<String> {
        probe::take()
            .into_iter()
            .filter(|e| !e.contains("cursor_execute") && !e.starts_with("do_execute"))
            .collect()
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        probe::reset();
    }
}
