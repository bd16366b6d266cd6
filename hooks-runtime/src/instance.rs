//! Per-instance listener storage: nothing is allocated until an instance gets a listener.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use crate::Family;

/// The listeners of one target instance for one family.
///
/// A host puts one in each target struct, per family the target handles itself, and names it
/// in `#[hooks::target]`. It costs one pointer and the family's exec-once states until an
/// instance-level listener is added, and frees its listeners when dropped.
pub struct Events<F: ?Sized + Family> {
    inner: OnceLock<Arc<InstanceSlots<F>>>,
    exec_once: F::ExecOnceStates,
}

pub(crate) struct InstanceSlots<F: ?Sized + Family> {
    pub(crate) id: u64,
    pub(crate) slots: F::Slots,
}

impl<F: ?Sized + Family> Events<F> {
    /// Storage with no listener.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            inner: OnceLock::new(),
            exec_once: F::EXEC_ONCE,
        }
    }

    /// Whether a listener was ever added to this instance (and its storage allocated).
    #[must_use]
    #[inline]
    pub fn is_allocated(&self) -> bool {
        self.inner.get().is_some()
    }

    #[inline]
    pub(crate) fn slots(&self) -> Option<&Arc<InstanceSlots<F>>> {
        self.inner.get()
    }

    pub(crate) fn slots_or_init(&self) -> &Arc<InstanceSlots<F>> {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        self.inner.get_or_init(|| {
            Arc::new(InstanceSlots {
                id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
                slots: F::SLOTS,
            })
        })
    }

    pub(crate) fn exec_once_states(&self) -> &F::ExecOnceStates {
        &self.exec_once
    }
}

impl<F: ?Sized + Family> Default for Events<F> {
    fn default() -> Self {
        Self::new()
    }
}

impl<F: ?Sized + Family> Drop for Events<F> {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.get() {
            crate::registry::forget_instance(inner.id);
        }
    }
}

impl<F: ?Sized + Family> std::fmt::Debug for Events<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Events")
            .field("family", &F::INFO.name)
            .field("allocated", &self.is_allocated())
            .finish_non_exhaustive()
    }
}
