//! [`Engine`] and [`create_engine`].

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hooks::HasEvents;

use crate::connection::{Connection, ExecutionOptions};
use crate::dialect::Dialect;
use crate::error::Error;
use crate::error_handling::{ErrorSite, process_error};
use crate::events::{ConnectionEvents, DialectEvents, PoolEvents};
use crate::pool::{Creator, Pool, PoolClass, PoolConfig, PoolProxiedConnection};
use crate::sync::lock;
use crate::url::Url;

/// Options for [`create_engine_with`].
///
/// ```
/// use std::time::Duration;
/// use hooks_sql::{EngineOptions, create_engine_with};
///
/// let dir = std::env::temp_dir().join("hooks-sql-doc-options");
/// std::fs::create_dir_all(&dir).unwrap();
/// let url = format!("sqlite:///{}", dir.join("app.db").display());
/// let engine = create_engine_with(
///     &url,
///     &EngineOptions::new().pool_size(2).max_overflow(0).pool_timeout(Duration::from_millis(50)),
/// )?;
/// assert_eq!(engine.pool().config().size, 2);
/// # Ok::<(), hooks_sql::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    pool_class: Option<PoolClass>,
    pool_size: Option<usize>,
    max_overflow: Option<usize>,
    pool_timeout: Option<Duration>,
    pool_recycle: Option<Duration>,
    execution_options: ExecutionOptions,
}

impl EngineOptions {
    /// The defaults: a static pool for in-memory URLs, otherwise a queue
    /// pool of 5 + 10 overflow with a 30 s timeout.
    pub fn new() -> Self {
        EngineOptions::default()
    }

    /// Forces a pooling strategy.
    #[must_use]
    pub fn pool_class(mut self, class: PoolClass) -> Self {
        self.pool_class = Some(class);
        self
    }

    /// How many idle connections the queue pool keeps.
    #[must_use]
    pub fn pool_size(mut self, size: usize) -> Self {
        self.pool_size = Some(size);
        self
    }

    /// How many connections may exist beyond the pool size.
    #[must_use]
    pub fn max_overflow(mut self, overflow: usize) -> Self {
        self.max_overflow = Some(overflow);
        self
    }

    /// How long a checkout waits for a free connection.
    #[must_use]
    pub fn pool_timeout(mut self, timeout: Duration) -> Self {
        self.pool_timeout = Some(timeout);
        self
    }

    /// Reopen connections older than this at checkout.
    #[must_use]
    pub fn pool_recycle(mut self, recycle: Duration) -> Self {
        self.pool_recycle = Some(recycle);
        self
    }

    /// Engine-level execution options.
    #[must_use]
    pub fn execution_options(mut self, options: ExecutionOptions) -> Self {
        self.execution_options = options;
        self
    }

    fn pool_config(&self, url: &Url) -> PoolConfig {
        let default_class = if url.is_memory() {
            PoolClass::Static
        } else {
            PoolClass::Queue
        };
        let mut config = PoolConfig::new(self.pool_class.unwrap_or(default_class));
        config.size = self.pool_size.unwrap_or(config.size);
        config.max_overflow = self.max_overflow.unwrap_or(config.max_overflow);
        config.timeout = self.pool_timeout.unwrap_or(config.timeout);
        config.recycle = self.pool_recycle;
        config
    }
}

/// Creates an [`Engine`] for `url` with default options.
///
/// `sqlite://` is an in-memory database served by a static pool (every
/// checkout shares one connection, hence one database);
/// `sqlite:///path.db` is a file served by a queue pool. No connection is
/// opened until the first [`Engine::connect`].
///
/// ```
/// use hooks_sql::create_engine;
///
/// let engine = create_engine("sqlite://")?;
/// let conn = engine.connect()?;
/// let one = conn.exec_driver_sql("SELECT 1", ())?;
/// assert_eq!(one.scalar().and_then(|v| v.as_i64()), Some(1));
/// # Ok::<(), hooks_sql::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::InvalidUrl`] or [`Error::Argument`] for a bad URL.
pub fn create_engine(url: &str) -> Result<Engine, Error> {
    create_engine_with(url, &EngineOptions::default())
}

/// Creates an [`Engine`] for `url` with `options`.
///
/// # Errors
///
/// [`Error::InvalidUrl`] or [`Error::Argument`] for a bad URL.
pub fn create_engine_with(url: &str, options: &EngineOptions) -> Result<Engine, Error> {
    let url = Url::parse(url)?;
    let dialect = Arc::new(Dialect::sqlite());
    let (cargs, cparams) = dialect.create_connect_args(&url)?;
    let pool = Pool::new(
        options.pool_config(&url),
        Creator::new(Arc::clone(&dialect), cargs, cparams),
    );
    let shared = Arc::new(Shared {
        url,
        dialect,
        pool: Mutex::new(pool),
    });
    Ok(Engine::from_parts(
        shared,
        options.execution_options.clone(),
        None,
    ))
}

struct Shared {
    url: Url,
    dialect: Arc<Dialect>,
    pool: Mutex<Arc<Pool>>,
}

struct EngineInner {
    events: hooks::Events<dyn ConnectionEvents>,
    shared: Arc<Shared>,
    options: Mutex<ExecutionOptions>,
    parent: Option<Engine>,
}

/// The starting point: a dialect plus a pool, handing out [`Connection`]s.
///
/// Cloning is cheap and every clone is the same engine (all state lives in
/// a shared inner object). [`Engine::execution_options`] makes an *option
/// engine*: a different engine object sharing this one's pool and dialect.
#[hooks::target(
    ConnectionEvents(events = inner.events, join = self.parent()),
    DialectEvents(via = Dialect, resolve = self.dialect()),
    PoolEvents(via = Pool, resolve = self.pool()),
)]
#[derive(Clone)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

impl Engine {
    /// The engine's `ConnectionEvents` dispatcher. An engine is a target of
    /// two families (it resolves `PoolEvents` to its pool), so the family is
    /// named here once rather than at every call point.
    pub(crate) fn connection_events(&self) -> crate::events::connection_events::Dispatcher<'_> {
        HasEvents::<dyn ConnectionEvents>::dispatch(self)
    }

    fn from_parts(shared: Arc<Shared>, options: ExecutionOptions, parent: Option<Engine>) -> Self {
        Engine {
            inner: Arc::new(EngineInner {
                events: hooks::Events::new(),
                shared,
                options: Mutex::new(options),
                parent,
            }),
        }
    }

    /// Checks a connection out of the pool and wraps it in a
    /// [`Connection`], firing `engine_connect`.
    ///
    /// # Errors
    ///
    /// Pool errors; a DBAPI connect error is first processed by
    /// `handle_error` (with no connection in the context).
    pub fn connect(&self) -> Result<Connection, Error> {
        let proxy = self.raw_connection()?;
        let conn = Connection::new(self.clone(), proxy, self.get_execution_options());
        conn.dispatch().engine_connect(&conn);
        Ok(conn)
    }

    /// Runs `f` in a transaction on a new connection: committed if `f`
    /// returns `Ok`, rolled back otherwise (SQLAlchemy's `engine.begin()`).
    ///
    /// # Errors
    ///
    /// The error of connecting, beginning, `f`, or committing.
    pub fn begin<R>(&self, f: impl FnOnce(&Connection) -> Result<R, Error>) -> Result<R, Error> {
        let conn = self.connect()?;
        let tx = conn.begin()?;
        let value = f(&conn)?;
        tx.commit()?;
        Ok(value)
    }

    /// A checked-out pooled connection without a [`Connection`] around it.
    ///
    /// # Errors
    ///
    /// As [`Engine::connect`].
    pub fn raw_connection(&self) -> Result<PoolProxiedConnection, Error> {
        self.pool().connect().map_err(|e| match e {
            Error::Dbapi(_) => process_error(self, e, ErrorSite::default()),
            other => other,
        })
    }

    /// The current pool (replaced by [`Engine::dispose`]).
    pub fn pool(&self) -> Arc<Pool> {
        Arc::clone(&lock(&self.inner.shared.pool))
    }

    /// The dialect.
    pub fn dialect(&self) -> &Dialect {
        &self.inner.shared.dialect
    }

    /// The URL the engine was created with.
    pub fn url(&self) -> &Url {
        &self.inner.shared.url
    }

    /// Closes the pool's idle connections and replaces the pool by a fresh
    /// one (fires `engine_disposed`). Connections checked out now keep
    /// working and return to the old pool.
    pub fn dispose(&self) {
        let old = self.pool();
        old.dispose();
        *lock(&self.inner.shared.pool) = old.recreate();
        self.connection_events().engine_disposed(self);
    }

    /// An option engine: shares this engine's pool and dialect, with these
    /// options merged over this engine's (after
    /// `set_engine_execution_options` listeners saw them).
    #[must_use]
    pub fn execution_options(&self, opts: ExecutionOptions) -> Engine {
        let engine = Engine::from_parts(
            Arc::clone(&self.inner.shared),
            self.get_execution_options(),
            Some(self.clone()),
        );
        let mut opts = opts;
        engine
            .connection_events()
            .set_engine_execution_options(&engine, &mut opts);
        lock(&engine.inner.options).merge(opts);
        engine
    }

    /// The engine's execution options.
    pub fn get_execution_options(&self) -> ExecutionOptions {
        lock(&self.inner.options).clone()
    }

    /// The engine this option engine was made from.
    pub fn parent(&self) -> Option<&Engine> {
        self.inner.parent.as_ref()
    }

    /// Whether `other` is a clone of this very engine (not merely one
    /// sharing its pool).
    pub fn same_engine(&self, other: &Engine) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("url", &self.inner.shared.url.to_string())
            .field("option_engine", &self.inner.parent.is_some())
            .finish_non_exhaustive()
    }
}
