//! [`SessionError`]: the misuses and failures of a session and its transactions.

use std::fmt;

use crate::error::ListenerError;

use super::TransactionState;

/// What a [`Session`](crate::Session) or [`SessionTransaction`](crate::SessionTransaction)
/// operation returns instead of panicking. The messages are SQLAlchemy's.
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
}

impl fmt::Display for SessionError {
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
        }
    }
}

impl std::error::Error for SessionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SessionError::Listener { source, .. } => Some(source),
            SessionError::Sql(error) => Some(error),
            _ => None,
        }
    }
}

impl From<hooks_sql::Error> for SessionError {
    fn from(error: hooks_sql::Error) -> Self {
        SessionError::Sql(error)
    }
}
