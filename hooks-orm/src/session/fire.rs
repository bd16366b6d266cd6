//! The call points of the session events: one function per event that fires today, called
//! at exactly the moment the event documents. Keeping them here keeps every event point
//! greppable.

use hooks::HasEvents;
use hooks_sql::{Connection, CursorResult};

use super::context::OrmExecuteState;
use super::error::SessionError;
use super::{Session, SessionTransaction};
use crate::events::{SessionEvents, session_events};

fn dispatch(session: &Session) -> session_events::Dispatcher<'_> {
    HasEvents::<dyn SessionEvents>::dispatch(session)
}

/// `do_orm_execute`: `Some` is the result [`Session::execute`] returns without running.
pub(crate) fn do_orm_execute(
    session: &Session,
    state: &mut OrmExecuteState<'_>,
) -> Option<CursorResult> {
    dispatch(session).do_orm_execute(state)
}

/// `after_transaction_create`, once the transaction is the session's current one.
pub(crate) fn after_transaction_create(session: &Session, transaction: &SessionTransaction) {
    dispatch(session).after_transaction_create(session, transaction);
}

/// `after_transaction_end`, last of a transaction.
pub(crate) fn after_transaction_end(session: &Session, transaction: &SessionTransaction) {
    dispatch(session).after_transaction_end(session, transaction);
}

/// `after_begin`: an `Err` fails the operation that needed the connection.
pub(crate) fn after_begin(
    session: &Session,
    transaction: &SessionTransaction,
    connection: &Connection,
) -> Result<(), SessionError> {
    dispatch(session)
        .after_begin(session, transaction, connection)
        .map_err(|source| SessionError::Listener {
            event: "after_begin",
            source,
        })
}

/// `before_commit`: an `Err` stops the commit.
pub(crate) fn before_commit(session: &Session) -> Result<(), SessionError> {
    dispatch(session)
        .before_commit(session)
        .map_err(|source| SessionError::Listener {
            event: "before_commit",
            source,
        })
}

/// `after_commit`, after the database commit.
pub(crate) fn after_commit(session: &Session) {
    dispatch(session).after_commit(session);
}

/// `after_rollback`, after a database rollback.
pub(crate) fn after_rollback(session: &Session) {
    dispatch(session).after_rollback(session);
}

/// `after_soft_rollback`, last of every rolled-back transaction.
pub(crate) fn after_soft_rollback(session: &Session, previous: &SessionTransaction) {
    dispatch(session).after_soft_rollback(session, previous);
}
