//! [`SessionFactory`] (SQLAlchemy's `sessionmaker`) and [`SessionOptions`].

use std::fmt;
use std::sync::Arc;

use hooks_sql::Engine;

use super::Session;
use crate::events::{QueryEvents, SessionEvents};
use crate::mapper::Mapper;
use crate::registry::Registry;

/// How a session behaves: SQLAlchemy's `Session` arguments that apply here.
#[derive(Debug, Clone)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "SQLAlchemy's Session flags, each independent"
)]
pub struct SessionOptions {
    pub(crate) autobegin: bool,
    pub(crate) close_resets_only: bool,
    pub(crate) autoflush: bool,
    pub(crate) expire_on_commit: bool,
    pub(crate) mappers: Vec<Arc<Mapper>>,
}

impl SessionOptions {
    /// SQLAlchemy's defaults: autobegin on, `close()` resets the session for reuse.
    pub fn new() -> Self {
        SessionOptions {
            autobegin: true,
            close_resets_only: true,
            autoflush: true,
            expire_on_commit: true,
            mappers: Vec::new(),
        }
    }

    /// The mappers the session persists objects with: `registry`'s mappers as they are now
    /// (map the classes first). An object of a class not among them is
    /// [`SessionError::UnmappedClass`](crate::SessionError::UnmappedClass).
    #[must_use]
    pub fn registry(mut self, registry: &Registry) -> Self {
        self.mappers = registry.mappers();
        self
    }

    /// With `false`, [`Session::get`] does not flush first (SQLAlchemy's `autoflush`).
    #[must_use]
    pub fn autoflush(mut self, autoflush: bool) -> Self {
        self.autoflush = autoflush;
        self
    }

    /// With `false`, a commit does not expire the session's objects (SQLAlchemy's
    /// `expire_on_commit`).
    #[must_use]
    pub fn expire_on_commit(mut self, expire_on_commit: bool) -> Self {
        self.expire_on_commit = expire_on_commit;
        self
    }

    /// With `false`, a session has no transaction until [`Session::begin`]: SQL and
    /// `commit` without one are [`SessionError::AutobeginDisabled`](crate::SessionError).
    #[must_use]
    pub fn autobegin(mut self, autobegin: bool) -> Self {
        self.autobegin = autobegin;
        self
    }

    /// With `false`, [`Session::close`] closes the session for good: it takes no more
    /// transactions ([`SessionError::PermanentlyClosed`](crate::SessionError)).
    /// [`Session::reset`] still only resets.
    #[must_use]
    pub fn close_resets_only(mut self, close_resets_only: bool) -> Self {
        self.close_resets_only = close_resets_only;
        self
    }
}

impl Default for SessionOptions {
    fn default() -> Self {
        SessionOptions::new()
    }
}

struct FactoryInner {
    events: hooks::Events<dyn SessionEvents>,
    query_events: hooks::Events<dyn QueryEvents>,
    engine: Engine,
    options: SessionOptions,
}

/// Makes [`Session`]s on one engine with the same options: SQLAlchemy's `sessionmaker`.
///
/// It is a target of [`SessionEvents`] and [`QueryEvents`]: every session it makes joins its listeners, read at
/// every fire, so a listener added to the factory reaches the sessions it made before too.
/// Cloning gives another handle to the same factory; `==` compares identity.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use hooks_orm::{SessionFactory, session_events};
///
/// let engine = hooks_sql::create_engine("sqlite://")?;
/// let factory = SessionFactory::new(&engine);
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let s = Arc::clone(&seen);
/// session_events::after_commit.listen(&factory, move |_| s.lock().unwrap().push("after_commit"))?;
/// let session = factory.session();
/// session.commit()?;
/// assert_eq!(*seen.lock().unwrap(), ["after_commit"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[hooks::target(
    SessionEvents(events = inner.events),
    QueryEvents(events = inner.query_events)
)]
#[derive(Clone)]
pub struct SessionFactory {
    inner: Arc<FactoryInner>,
}

impl SessionFactory {
    /// A factory of sessions on `engine` with the default options.
    pub fn new(engine: &Engine) -> Self {
        SessionFactory::with_options(engine, SessionOptions::new())
    }

    /// A factory of sessions on `engine` with `options`.
    pub fn with_options(engine: &Engine, options: SessionOptions) -> Self {
        SessionFactory {
            inner: Arc::new(FactoryInner {
                events: hooks::Events::new(),
                query_events: hooks::Events::new(),
                engine: engine.clone(),
                options,
            }),
        }
    }

    /// A new session: it joins this factory's listeners.
    pub fn session(&self) -> Session {
        Session::build(
            &self.inner.engine,
            self.inner.options.clone(),
            Some(self.clone()),
        )
    }

    /// The engine its sessions use.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The options its sessions get.
    pub fn options(&self) -> &SessionOptions {
        &self.inner.options
    }
}

impl PartialEq for SessionFactory {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for SessionFactory {}

impl fmt::Debug for SessionFactory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionFactory")
            .field("engine", &self.inner.engine)
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}
