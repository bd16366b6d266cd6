//! [`SessionError`]: the misuses and failures of a session and its transactions.

use std::fmt;

use crate::error::ListenerError;

use super::TransactionState;

/// What a [`Session`](crate::Session) or [`SessionTransaction`](crate::SessionTransaction)
/// operation returns instead of panicking. The messages are SQLAlchemy's, but for the ORM
/// statements' (`NotEvaluable`, `NotAnOrmStatement`, `WrongClass`), which have no equivalent there.
#[derive(Debug)]
#[non_exhaustive]
pub enum SessionError {
    /// The transaction already ended (SQLAlchemy's `ResourceClosedError`).
    TransactionClosed,
    /// The transaction is in a state that allows no SQL and no commit: committed (inside
    /// `after_commit`), prepared, or inactive (inside `after_rollback`, or after a failed
    /// flush: roll back first).
    InvalidState {
        /// The transaction's state.
        state: TransactionState,
    },
    /// The transaction is acquiring its connection (inside `after_begin`): run SQL through
    /// the connection the event passes.
    Provisioning,
    /// A state change was asked for while another one is running on the same transaction
    /// (for example `commit()` from a `before_commit` listener).
    IllegalStateChange {
        /// The method called.
        method: &'static str,
        /// The method already in progress.
        in_progress: &'static str,
    },
    /// [`Session::begin`](crate::Session::begin) with a transaction in progress.
    AlreadyBegun,
    /// The session was built with `autobegin(false)` and has no transaction.
    AutobeginDisabled,
    /// The session was closed with `close_resets_only(false)`: it takes no more
    /// transactions.
    PermanentlyClosed,
    /// The session a transaction belongs to was dropped.
    SessionDropped,
    /// A fallible session listener returned `Err`.
    Listener {
        /// The event.
        event: &'static str,
        /// The listener's error.
        source: ListenerError,
    },
    /// An error of `hooks-sql`: connecting, SQL, a Core listener.
    Sql(hooks_sql::Error),
    /// [`Session::flush`](crate::Session::flush) from inside a flush (a flush listener).
    AlreadyFlushing,
    /// The object's class has no mapper in the session's registry
    /// ([`SessionOptions::registry`](crate::SessionOptions::registry)).
    UnmappedClass {
        /// The class.
        class: &'static str,
    },
    /// The object belongs to another session.
    InOtherSession {
        /// The object's identity key, if it has one.
        key: Option<crate::IdentityKey>,
    },
    /// The object is not in this session (`expunge`).
    NotInSession,
    /// `delete` of an object that was never flushed.
    NotPersisted,
    /// `add` of an object whose row a flush deleted.
    ObjectDeleted,
    /// The object has no attribute of that name.
    NoSuchAttribute {
        /// The class.
        class: &'static str,
        /// The name asked for.
        name: String,
    },
    /// Expired attributes of an object in no session cannot be loaded.
    DetachedInstance {
        /// The class.
        class: &'static str,
    },
    /// A primary key column is NULL after the INSERT, or a loaded row's key is.
    NullIdentityKey {
        /// The class.
        class: &'static str,
    },
    /// An UPDATE or DELETE matched another number of rows than it expected (SQLAlchemy's
    /// `StaleDataError`).
    StaleData {
        /// `UPDATE` or `DELETE`.
        statement: &'static str,
        /// The table.
        table: &'static str,
        /// The rows matched.
        matched: u64,
    },
    /// Another object with the same identity key is already in the session.
    IdentityConflict {
        /// The key.
        key: crate::IdentityKey,
    },
    /// A column value that does not fit its field.
    Value(crate::ValueError),
    /// The row of an object with expired attributes is gone (SQLAlchemy's
    /// `ObjectDeletedError`).
    RowNotPresent {
        /// The class.
        class: &'static str,
    },
    /// A relationship misused.
    Relationship(crate::RelationshipError),
    /// [`Synchronize::Evaluate`](crate::Synchronize::Evaluate) met criteria it cannot
    /// evaluate on the loaded objects; nothing ran.
    NotEvaluable {
        /// What could not be evaluated.
        reason: String,
    },
    /// Criteria were added to SQL text in `do_orm_execute`: only ORM statements take them.
    NotAnOrmStatement,
    /// A legacy-loading listener or a query listener handed back something of another class
    /// than the statement's.
    WrongClass {
        /// The class the statement loads.
        expected: &'static str,
        /// Where the object or query came from.
        from: &'static str,
    },
}

impl fmt::Display for SessionError {
    #[allow(clippy::too_many_lines, reason = "one message per variant")]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::TransactionClosed => f.write_str("This transaction is closed"),
            SessionError::InvalidState {
                state: TransactionState::Deactive,
            } => f.write_str(
                "This session is in 'inactive' state, due to the SQL transaction being rolled \
                 back; no further SQL can be emitted within this transaction.",
            ),
            SessionError::InvalidState { state } => write!(
                f,
                "This session is in '{}' state; no further SQL can be emitted within this \
                 transaction.",
                state.name()
            ),
            SessionError::Provisioning => f.write_str(
                "This session is provisioning a new connection; concurrent operations are not \
                 permitted",
            ),
            SessionError::IllegalStateChange {
                method,
                in_progress,
            } => write!(
                f,
                "Method '{method}()' can't be called here; method '{in_progress}()' is already \
                 in progress"
            ),
            SessionError::AlreadyBegun => {
                f.write_str("A transaction is already begun on this Session.")
            }
            SessionError::AutobeginDisabled => f.write_str(
                "Autobegin is disabled on this Session; please call session.begin() to start a \
                 new transaction",
            ),
            SessionError::PermanentlyClosed => f.write_str(
                "This Session has been permanently closed and is unable to handle any more \
                 transaction requests.",
            ),
            SessionError::SessionDropped => {
                f.write_str("the Session this transaction belongs to was dropped")
            }
            SessionError::Listener { event, source } => {
                write!(f, "a `{event}` listener failed: {source}")
            }
            SessionError::Sql(error) => error.fmt(f),
            SessionError::AlreadyFlushing => f.write_str("Session is already flushing"),
            SessionError::UnmappedClass { class } => write!(
                f,
                "Class '{class}' is not mapped in this session's registry; give the session \
                 the registry with `SessionOptions::registry` after mapping the class"
            ),
            SessionError::InOtherSession { key } => match key {
                Some(key) => write!(f, "Object {key} is already attached to another session"),
                None => f.write_str("Object is already attached to another session"),
            },
            SessionError::NotInSession => f.write_str("Instance is not present in this Session"),
            SessionError::NotPersisted => f.write_str("Instance is not persisted"),
            SessionError::ObjectDeleted => f.write_str(
                "Instance has been deleted. Use the make_transient() function to send this \
                 object back to the transient state.",
            ),
            SessionError::NoSuchAttribute { class, name } => {
                write!(f, "'{class}' has no mapped attribute '{name}'")
            }
            SessionError::DetachedInstance { class } => write!(
                f,
                "Instance of '{class}' is not bound to a Session; attribute refresh operation \
                 cannot proceed"
            ),
            SessionError::NullIdentityKey { class } => write!(
                f,
                "Instance of '{class}' has a NULL identity key. If this is an auto-generated \
                 value, check that the database table allows generation of new primary key \
                 values, and that the mapped Column object is configured to expect these \
                 generated values."
            ),
            SessionError::StaleData {
                statement,
                table,
                matched,
            } => write!(
                f,
                "{statement} statement on table '{table}' expected to {} 1 row(s); {matched} \
                 were matched.",
                if *statement == "DELETE" {
                    "delete"
                } else {
                    "update"
                }
            ),
            SessionError::IdentityConflict { key } => write!(
                f,
                "Can't attach instance; another instance with key {key} is already present in \
                 this session."
            ),
            SessionError::Value(error) => error.fmt(f),
            SessionError::RowNotPresent { class } => write!(
                f,
                "Instance of '{class}' has been deleted, or its row is otherwise not present."
            ),
            SessionError::Relationship(error) => error.fmt(f),
            SessionError::NotEvaluable { reason } => write!(
                f,
                "could not evaluate the criteria in memory: {reason}; use `Synchronize::Fetch` \
                 (or `Synchronize::None`)"
            ),
            SessionError::NotAnOrmStatement => f.write_str(
                "criteria can only be added to an ORM statement (`select`, `update`, `delete`, \
                 a `Query`), not to SQL text",
            ),
            SessionError::WrongClass { expected, from } => write!(
                f,
                "a `{from}` listener returned an object or query of another class than `{expected}`"
            ),
        }
    }
}

impl std::error::Error for SessionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SessionError::Listener { source, .. } => Some(source),
            SessionError::Sql(error) => Some(error),
            SessionError::Value(error) => Some(error),
            SessionError::Relationship(error) => Some(error),
            _ => None,
        }
    }
}

impl From<hooks_sql::Error> for SessionError {
    fn from(error: hooks_sql::Error) -> Self {
        SessionError::Sql(error)
    }
}

impl From<crate::ValueError> for SessionError {
    fn from(error: crate::ValueError) -> Self {
        SessionError::Value(error)
    }
}

impl From<crate::RelationshipError> for SessionError {
    fn from(error: crate::RelationshipError) -> Self {
        SessionError::Relationship(error)
    }
}

/// A listener that uses the session or an object (reads it, writes an attribute, queries)
/// returns their errors with `?`: the operation that fired it then fails with
/// [`SessionError::Listener`], this error as its source.
impl From<SessionError> for ListenerError {
    fn from(error: SessionError) -> Self {
        ListenerError::from_error(error)
    }
}
