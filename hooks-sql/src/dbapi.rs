//! The DBAPI layer: a thin, shareable wrapper around `rusqlite::Connection`
//! and a cursor that runs statements on it.

use std::cell::RefCell;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{DbapiError, Error};
use crate::sync::lock;
use crate::value::{CursorResult, Params, Row, Value, strip_prefix};

static NEXT_DBAPI_ID: AtomicU64 = AtomicU64::new(1);

/// A raw database connection, the equivalent of a Python DBAPI connection.
///
/// It is a cheap-to-clone handle: every clone refers to the same SQLite
/// connection. Closing it (from any clone) makes every later operation fail
/// with a closed-connection [`DbapiError`], which the dialect treats as a
/// disconnect.
#[derive(Clone)]
pub struct DbapiConnection {
    inner: Arc<DbapiInner>,
}

struct DbapiInner {
    id: u64,
    raw: Mutex<Option<rusqlite::Connection>>,
}

impl DbapiConnection {
    /// Wraps an open rusqlite connection. A `do_connect` listener uses this
    /// to supply its own connection.
    pub fn new(connection: rusqlite::Connection) -> Self {
        DbapiConnection {
            inner: Arc::new(DbapiInner {
                id: NEXT_DBAPI_ID.fetch_add(1, Ordering::Relaxed),
                raw: Mutex::new(Some(connection)),
            }),
        }
    }

    /// A process-unique number identifying this connection.
    pub fn id(&self) -> u64 {
        self.inner.id
    }

    /// Whether `other` is a handle to the same connection.
    pub fn same_connection(&self, other: &DbapiConnection) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Runs `f` with exclusive access to the underlying rusqlite connection,
    /// for example to install `trace_v2`, `commit_hook` or `rollback_hook`,
    /// or to run a `PRAGMA`. `f` returns a `rusqlite::Result`, so SQLite
    /// errors and a closed connection come back as one [`Error`]; a closure
    /// that cannot fail returns `Ok(value)`.
    ///
    /// `f` must not call back into this crate with the same connection (it
    /// would wait for itself). A panic inside `f` leaves the connection
    /// usable.
    ///
    /// # Errors
    ///
    /// A closed-connection [`DbapiError`] if the connection was closed, or
    /// the SQLite error `f` returned.
    pub fn with_raw<R>(
        &self,
        f: impl FnOnce(&mut rusqlite::Connection) -> rusqlite::Result<R>,
    ) -> Result<R, Error> {
        let mut guard = lock(&self.inner.raw);
        let raw = guard.as_mut().ok_or_else(DbapiError::closed_connection)?;
        f(raw).map_err(Error::from)
    }

    /// Whether [`DbapiConnection::close`] was called.
    pub fn is_closed(&self) -> bool {
        lock(&self.inner.raw).is_none()
    }

    /// Closes the connection. Closing twice is a no-op.
    ///
    /// # Errors
    ///
    /// The SQLite error if `sqlite3_close` failed; the connection is dropped
    /// (and so closed) anyway.
    pub fn close(&self) -> Result<(), Error> {
        let raw = lock(&self.inner.raw).take();
        match raw.map(rusqlite::Connection::close) {
            Some(Err((_, e))) => Err(e.into()),
            _ => Ok(()),
        }
    }

    /// Whether a transaction is open on the connection.
    ///
    /// # Errors
    ///
    /// A closed-connection error.
    pub fn in_transaction(&self) -> Result<bool, Error> {
        self.with_raw(|c| Ok(!c.is_autocommit()))
    }

    /// Runs `BEGIN`.
    ///
    /// # Errors
    ///
    /// The SQLite error, or a closed-connection error.
    pub fn begin(&self) -> Result<(), Error> {
        self.with_raw(|c| c.execute_batch("BEGIN"))
    }

    /// Runs `COMMIT` if a transaction is open; otherwise does nothing.
    ///
    /// # Errors
    ///
    /// The SQLite error, or a closed-connection error.
    pub fn commit(&self) -> Result<(), Error> {
        self.with_raw(|c| end_transaction(c, "COMMIT"))
    }

    /// Runs `ROLLBACK` if a transaction is open; otherwise does nothing.
    ///
    /// # Errors
    ///
    /// The SQLite error, or a closed-connection error.
    pub fn rollback(&self) -> Result<(), Error> {
        self.with_raw(|c| end_transaction(c, "ROLLBACK"))
    }

    /// A new cursor on this connection.
    pub fn cursor(&self) -> Cursor {
        self.clone().into_cursor()
    }

    /// A new cursor on this connection, taking this handle.
    pub(crate) fn into_cursor(self) -> Cursor {
        Cursor {
            connection: self,
            result: Mutex::new(CursorResult::default()),
        }
    }
}

fn end_transaction(c: &rusqlite::Connection, sql: &str) -> rusqlite::Result<()> {
    if c.is_autocommit() {
        Ok(())
    } else {
        c.execute_batch(sql)
    }
}

impl fmt::Debug for DbapiConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbapiConnection")
            .field("id", &self.inner.id)
            .field("closed", &self.is_closed())
            .finish()
    }
}

/// A DBAPI cursor: executes statements on a [`DbapiConnection`] and keeps
/// the result of the last execution.
///
/// Statements come from the connection's statement cache (rusqlite's
/// `prepare_cached`: a least-recently-used cache of 16 statements by
/// default, keyed by the exact text, so `before_cursor_execute` listeners
/// still see and may rewrite every statement, and a rewritten one is cached
/// under its new text). DDL (`CREATE`, `DROP`, `ALTER`) is prepared afresh
/// and empties the cache; closing the connection finalizes it. Change the
/// capacity with `set_prepared_statement_cache_capacity` through
/// [`DbapiConnection::with_raw`], in a `connect` listener for example.
pub struct Cursor {
    connection: DbapiConnection,
    result: Mutex<CursorResult>,
}

impl Cursor {
    /// The connection this cursor runs on.
    pub fn connection(&self) -> &DbapiConnection {
        &self.connection
    }

    /// Executes one statement with one parameter set, keeping its rows.
    ///
    /// # Errors
    ///
    /// The SQLite error (prepare, bind or step), or a closed-connection
    /// error.
    pub fn execute(&self, statement: &str, parameters: &Params) -> Result<(), Error> {
        let result = self.run(statement, parameters)?;
        *lock(&self.result) = result;
        Ok(())
    }

    /// What [`Cursor::execute`] does, returning the result instead of keeping it.
    pub(crate) fn run(&self, statement: &str, parameters: &Params) -> Result<CursorResult, Error> {
        self.connection
            .with_raw(|c| run_statement(c, statement, parameters))
    }

    /// Executes one statement once per parameter set; the row count is the
    /// sum over all executions and no rows are kept.
    ///
    /// # Errors
    ///
    /// The first SQLite error; executions before it are not undone.
    pub fn executemany(&self, statement: &str, parameters: &[Params]) -> Result<(), Error> {
        let result = self
            .connection
            .with_raw(|c| run_many(c, statement, parameters))?;
        *lock(&self.result) = result;
        Ok(())
    }

    /// Replaces the cursor's result. A `do_execute` listener that executes a
    /// statement itself can publish its rows this way.
    pub fn set_result(&self, result: CursorResult) {
        *lock(&self.result) = result;
    }

    /// A copy of the result of the last execution.
    pub fn result(&self) -> CursorResult {
        lock(&self.result).clone()
    }

    pub(crate) fn take_result(&self) -> CursorResult {
        std::mem::take(&mut *lock(&self.result))
    }
}

impl fmt::Debug for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cursor")
            .field("connection", &self.connection)
            .finish_non_exhaustive()
    }
}

fn bind(stmt: &mut rusqlite::Statement<'_>, parameters: &Params) -> rusqlite::Result<()> {
    let expected = stmt.parameter_count();
    if parameters.len() != expected {
        return Err(rusqlite::Error::InvalidParameterCount(
            parameters.len(),
            expected,
        ));
    }
    match parameters {
        Params::None => Ok(()),
        Params::Positional(values) => values
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| stmt.raw_bind_parameter(i + 1, v)),
        Params::Named(pairs) => pairs
            .iter()
            .try_for_each(|(name, v)| bind_named(stmt, name, v)),
    }
}

fn bind_named(
    stmt: &mut rusqlite::Statement<'_>,
    name: &str,
    value: &Value,
) -> rusqlite::Result<()> {
    let key = if strip_prefix(name).len() == name.len() {
        format!(":{name}")
    } else {
        name.to_owned()
    };
    let index = stmt
        .parameter_index(&key)?
        .ok_or(rusqlite::Error::InvalidParameterName(key))?;
    stmt.raw_bind_parameter(index, value)
}

/// Runs `run` on `sql` prepared: taken from the connection's statement
/// cache (rusqlite's bounded LRU, keyed by the text, so a statement a
/// listener rewrote is cached under its new text), or, for a statement that
/// changes the schema, prepared afresh, after which the cache is emptied:
/// DDL is rare, and the statements cached before it may name what it
/// dropped or altered.
fn with_statement<R>(
    c: &rusqlite::Connection,
    sql: &str,
    run: impl FnOnce(&mut rusqlite::Statement<'_>) -> rusqlite::Result<R>,
) -> rusqlite::Result<R> {
    if !changes_schema(sql) {
        let mut cached = c.prepare_cached(sql)?;
        return run(&mut cached);
    }
    let outcome = c.prepare(sql).and_then(|mut stmt| run(&mut stmt));
    c.flush_prepared_statement_cache();
    outcome
}

/// Whether `sql` is DDL: its first keyword, after whitespace and comments,
/// is `CREATE`, `DROP` or `ALTER`.
fn changes_schema(sql: &str) -> bool {
    // Every statement pays this, so most leave at their first byte: a letter other than the
    // initials of the three keywords (and of their lower case) cannot begin DDL.
    if let Some(first) = sql.bytes().next()
        && first.is_ascii_alphabetic()
        && !matches!(first.to_ascii_uppercase(), b'C' | b'D' | b'A')
    {
        return false;
    }
    let keyword = first_keyword(sql);
    ["CREATE", "DROP", "ALTER"]
        .iter()
        .any(|k| keyword.eq_ignore_ascii_case(k))
}

fn first_keyword(sql: &str) -> &str {
    let mut rest = sql.trim_start();
    loop {
        if let Some(line) = rest.strip_prefix("--") {
            rest = line.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(block) = rest.strip_prefix("/*") {
            rest = block.split_once("*/").map_or("", |(_, after)| after);
        } else {
            break;
        }
        rest = rest.trim_start();
    }
    let end = rest
        .find(|ch: char| !ch.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    &rest[..end]
}

fn run_statement(
    c: &rusqlite::Connection,
    sql: &str,
    parameters: &Params,
) -> rusqlite::Result<CursorResult> {
    with_statement(c, sql, |stmt| run_prepared(c, stmt, parameters))
}

fn run_prepared(
    c: &rusqlite::Connection,
    stmt: &mut rusqlite::Statement<'_>,
    parameters: &Params,
) -> rusqlite::Result<CursorResult> {
    bind(stmt, parameters)?;
    let columns = column_names(stmt);
    let readonly = stmt.readonly();
    let rows = if columns.is_empty() {
        stmt.raw_execute()?;
        Vec::new()
    } else {
        fetch_rows(stmt, &columns)?
    };
    let rowcount = (!readonly).then(|| c.changes());
    Ok(CursorResult::new(
        columns,
        rows,
        rowcount,
        c.last_insert_rowid(),
    ))
}

/// The column names of `stmt`, shared with this thread's previous result when they are the
/// same (a cached statement run again, the common case): then no allocation at all.
fn column_names(stmt: &rusqlite::Statement<'_>) -> Arc<[String]> {
    thread_local! {
        static LAST: RefCell<Option<Arc<[String]>>> = const { RefCell::new(None) };
    }
    let count = stmt.column_count();
    let name = |i| stmt.column_name(i).unwrap_or_default();
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some(columns) = last.as_ref()
            && columns.len() == count
            && columns.iter().enumerate().all(|(i, c)| name(i) == c)
        {
            return Arc::clone(columns);
        }
        let columns: Arc<[String]> = (0..count).map(|i| name(i).to_owned()).collect();
        *last = Some(Arc::clone(&columns));
        columns
    })
}

fn fetch_rows(
    stmt: &mut rusqlite::Statement<'_>,
    columns: &Arc<[String]>,
) -> rusqlite::Result<Vec<Row>> {
    let mut out = Vec::new();
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next()? {
        // Room for one row first, the common statement's (a key lookup, an `INSERT …
        // RETURNING`): growing from empty would allocate room for four.
        if out.capacity() == 0 {
            out.reserve_exact(1);
        }
        // A plain loop into an exact capacity: collecting into a `Result` costs more per value.
        let mut values = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            values.push(Value::from_sqlite(row.get_ref(i)?)?);
        }
        out.push(Row::new(Arc::clone(columns), values));
    }
    Ok(out)
}

fn run_many(
    c: &rusqlite::Connection,
    sql: &str,
    parameters: &[Params],
) -> rusqlite::Result<CursorResult> {
    with_statement(c, sql, |stmt| {
        let mut total = 0u64;
        let mut rowids = Vec::with_capacity(parameters.len());
        for set in parameters {
            bind(stmt, set)?;
            stmt.raw_execute()?;
            total += c.changes();
            rowids.push(c.last_insert_rowid());
        }
        Ok(CursorResult::of_many(total, c.last_insert_rowid(), rowids))
    })
}
