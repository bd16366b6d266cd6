//! [`DialectEvents`]: how the dialect connects and executes.

use std::collections::BTreeMap;

use crate::connection::ExecutionContext;
use crate::dbapi::{Cursor, DbapiConnection};
use crate::dialect::{ConnectArgs, ConnectParams, Dialect};
use crate::error::Error;
use crate::pool::ConnectionRecord;
use crate::schema::ColumnType;
use crate::value::{CursorParams, Params};

/// The events of a [`Dialect`]: the last step before SQLite, where a
/// listener may take over connecting or executing.
///
/// Listen on a dialect, on an [`Engine`](crate::Engine) (its dialect, shared
/// with its option engines), or on the `Dialect` or `Engine` type.
#[hooks::events(targets(Dialect, Engine))]
pub trait DialectEvents {
    /// The pool needs a new DBAPI connection and the dialect is about to
    /// open it.
    ///
    /// `cargs` (for SQLite, one element: the database path) and `cparams`
    /// (`timeout`, `uri`) are fresh copies for this attempt; listeners may
    /// change them and the dialect opens the connection with what they
    /// leave. A listener returning `Some(connection)` supplies the
    /// connection itself (built with [`DbapiConnection::new`]): the other
    /// listeners and the dialect's own connect are skipped.
    #[event(halting)]
    fn do_connect(
        dialect: &Dialect,
        conn_rec: &ConnectionRecord,
        cargs: &mut ConnectArgs,
        cparams: &mut ConnectParams,
    ) -> Option<DbapiConnection>;

    /// A statement with one parameter set is about to run on `cursor`.
    ///
    /// A listener returning `Ok(true)` has executed it itself (it may
    /// publish rows with [`Cursor::set_result`]): the other listeners and
    /// the dialect's [`Dialect::do_execute`] are skipped. One returning
    /// `Err` failed to execute it: the error takes the path of a database
    /// error (`dbapi_error`, `handle_error`, then the caller).
    #[event(halting, fallible)]
    fn do_execute(
        cursor: &Cursor,
        statement: &str,
        parameters: &Params,
        context: Option<&ExecutionContext<'_>>,
    ) -> Result<bool, Error>;

    /// A statement is about to run once per parameter set on `cursor`;
    /// `Ok(true)` skips the rest and `Err` fails it, as for `do_execute`.
    #[event(halting, fallible)]
    fn do_executemany(
        cursor: &Cursor,
        statement: &str,
        parameters: &[Params],
        context: Option<&ExecutionContext<'_>>,
    ) -> Result<bool, Error>;

    /// A statement without parameters (including the `SAVEPOINT`
    /// statements) is about to run on `cursor`; `Ok(true)` skips the rest
    /// and `Err` fails it, as for `do_execute`.
    #[event(halting, fallible)]
    fn do_execute_no_params(
        cursor: &Cursor,
        statement: &str,
        context: Option<&ExecutionContext<'_>>,
    ) -> Result<bool, Error>;

    /// Declared for completeness; **never fired by the SQLite dialect.**
    ///
    /// In SQLAlchemy, dialects whose driver binds parameters with declared
    /// types and sizes (`cursor.setinputsizes`) fire it so listeners can
    /// adjust `inputsizes` before execution. SQLite has no such step: every
    /// value is bound with its own storage class (`sqlite3_bind_int64`,
    /// `_double`, `_text`, `_blob`, `_null`) and the C API offers no way to
    /// declare a parameter's type or size beforehand, so there is no point
    /// at which a listener's `inputsizes` could apply. SQLAlchemy's own
    /// SQLite dialects do not use it either. Listening is allowed (code
    /// shared with other backends compiles) but the listener never runs.
    fn do_setinputsizes(
        inputsizes: &mut BTreeMap<String, ColumnType>,
        cursor: &Cursor,
        statement: &str,
        parameters: &CursorParams,
        context: Option<&ExecutionContext<'_>>,
    );
}
