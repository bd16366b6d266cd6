//! Fixtures shared by the integration tests: event families and a call recorder.

use std::sync::Mutex;

/// Records calls, in order, as strings.
#[derive(Default)]
pub struct Recorder(Mutex<Vec<String>>);

impl Recorder {
    /// An empty recorder, usable in a `static`.
    pub const fn new() -> Self {
        Self(Mutex::new(Vec::new()))
    }

    /// Appends one call.
    pub fn push(&self, call: impl Into<String>) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(call.into());
    }

    /// Takes every call recorded so far.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}
