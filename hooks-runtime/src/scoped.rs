//! A registration that lasts as long as a value: for tests and temporary instrumentation.

use crate::{Error, EventInfo, ListenerHandle};

/// A listener that is removed when this guard is dropped (from [`ListenerHandle::scoped`]).
///
/// Listeners otherwise stay until removed, as in SQLAlchemy. A guard bounds one to a scope: a
/// test's class-level listener that must not outlive the test, a trace switched on for one
/// request. Dropping the guard of a `once` listener that already fired does nothing.
///
/// ```
/// # use hooks::example::{Door, door_events};
/// use hooks::Class;
/// {
///     let _trace = door_events::open
///         .listen(Class::<Door>::new(), |_, by| println!("opened by {by}"))?
///         .scoped();
///     // every door is traced here
/// }
/// // and not here: the listener is gone
/// # Ok::<(), hooks::Error>(())
/// ```
#[must_use = "dropping the guard removes the listener at once; bind it to a name (`let _guard = …`)"]
#[derive(Debug)]
pub struct ScopedListener {
    handle: Option<ListenerHandle>,
}

impl ListenerHandle {
    /// A guard that removes the listener when it is dropped.
    pub fn scoped(self) -> ScopedListener {
        ScopedListener { handle: Some(self) }
    }
}

impl ScopedListener {
    /// The listener's handle.
    #[must_use]
    pub fn handle(&self) -> ListenerHandle {
        self.handle
            .unwrap_or_else(|| unreachable!("the handle is taken only when the guard is consumed"))
    }

    /// The event the listener listens to.
    #[must_use]
    pub fn event(&self) -> &'static EventInfo {
        self.handle().event()
    }

    /// Removes the listener now, reporting whether it was still registered.
    ///
    /// # Errors
    ///
    /// [`Error::NotActive`] when it was already removed, or was `once` and has fired.
    pub fn remove(mut self) -> Result<(), Error> {
        self.take().remove()
    }

    /// Keeps the listener registered past the guard: it stays until removed by its handle.
    pub fn keep(mut self) -> ListenerHandle {
        self.take()
    }

    fn take(&mut self) -> ListenerHandle {
        self.handle
            .take()
            .unwrap_or_else(|| unreachable!("a guard is consumed at most once"))
    }
}

impl Drop for ScopedListener {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            // `NotActive` means it is gone already (removed by its handle, or a spent `once`).
            let _ = handle.remove();
        }
    }
}
