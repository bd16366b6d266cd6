//! The call points of the session and persistence events: one function per event, called
//! at exactly the moment the event documents. Keeping them here keeps every event point
//! greppable.

use hooks::HasEvents;
use hooks_sql::{Connection, CursorResult};

use super::context::{BulkDeleteContext, BulkUpdateContext, FlushContext, OrmExecuteState};
use super::error::SessionError;
use super::{Session, SessionTransaction};
use crate::error::ListenerError;
use crate::events::{SessionEvents, session_events};
use crate::mapper::Mapper;
use crate::obj::Handle;

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

/// `after_bulk_update`, after a legacy `Query::update` ran and synchronized.
pub(crate) fn after_bulk_update(session: &Session, context: &BulkUpdateContext<'_>) {
    dispatch(session).after_bulk_update(context);
}

/// `after_bulk_delete`, after a legacy `Query::delete` ran and synchronized.
pub(crate) fn after_bulk_delete(session: &Session, context: &BulkDeleteContext<'_>) {
    dispatch(session).after_bulk_delete(context);
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

/// A flush event's `Err` aborts the flush.
fn flush_listener(event: &'static str) -> impl FnOnce(ListenerError) -> SessionError {
    move |source| SessionError::Listener { event, source }
}

/// `before_flush`, before the plan: listeners may add and delete objects.
pub(crate) fn before_flush(session: &Session, ctx: &FlushContext<'_>) -> Result<(), SessionError> {
    dispatch(session)
        .before_flush(session, ctx)
        .map_err(flush_listener("before_flush"))
}

/// `after_flush`, after the statements, history still pre-flush.
pub(crate) fn after_flush(session: &Session, ctx: &FlushContext<'_>) -> Result<(), SessionError> {
    dispatch(session)
        .after_flush(session, ctx)
        .map_err(flush_listener("after_flush"))
}

/// `after_flush_postexec`, the session's state reflecting the flush.
pub(crate) fn after_flush_postexec(
    session: &Session,
    ctx: &FlushContext<'_>,
) -> Result<(), SessionError> {
    dispatch(session)
        .after_flush_postexec(session, ctx)
        .map_err(flush_listener("after_flush_postexec"))
}

/// `before_attach`: an `Err` refuses the attach.
pub(crate) fn before_attach(session: &Session, obj: &Handle) -> Result<(), SessionError> {
    dispatch(session)
        .before_attach(session, obj.instance())
        .map_err(flush_listener("before_attach"))
}

/// One of the object-lifecycle events, each `(session, instance)` with no return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transition {
    AfterAttach,
    TransientToPending,
    PendingToTransient,
    PersistentToTransient,
    PendingToPersistent,
    DetachedToPersistent,
    LoadedAsPersistent,
    PersistentToDeleted,
    DeletedToPersistent,
    DeletedToDetached,
    PersistentToDetached,
}

/// Fires `transition` for `obj`.
pub(crate) fn transition(session: &Session, transition: Transition, obj: &Handle) {
    let d = dispatch(session);
    let instance = obj.instance();
    match transition {
        Transition::AfterAttach => d.after_attach(session, instance),
        Transition::TransientToPending => d.transient_to_pending(session, instance),
        Transition::PendingToTransient => d.pending_to_transient(session, instance),
        Transition::PersistentToTransient => d.persistent_to_transient(session, instance),
        Transition::PendingToPersistent => d.pending_to_persistent(session, instance),
        Transition::DetachedToPersistent => d.detached_to_persistent(session, instance),
        Transition::LoadedAsPersistent => d.loaded_as_persistent(session, instance),
        Transition::PersistentToDeleted => d.persistent_to_deleted(session, instance),
        Transition::DeletedToPersistent => d.deleted_to_persistent(session, instance),
        Transition::DeletedToDetached => d.deleted_to_detached(session, instance),
        Transition::PersistentToDetached => d.persistent_to_detached(session, instance),
    }
}

/// The persistence events of a flush batch, each `(mapper, connection, target)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Persistence {
    BeforeInsert,
    BeforeUpdate,
    BeforeDelete,
    AfterInsert,
    AfterUpdate,
    AfterDelete,
}

/// Fires `event` for `obj` on the mapper's chain, its class's listeners first (as the
/// registry's events); the `before_*` events' `Err` aborts the flush.
pub(crate) fn persistence(
    event: Persistence,
    mapper: &Mapper,
    conn: &Connection,
    obj: &Handle,
) -> Result<(), SessionError> {
    let target = obj.instance();
    let mut dispatchers = crate::fire::mapper_dispatchers(mapper);
    let (name, outcome) = match event {
        Persistence::BeforeInsert => (
            "before_insert",
            dispatchers.try_for_each(|d| d.before_insert(mapper, conn, target)),
        ),
        Persistence::BeforeUpdate => (
            "before_update",
            dispatchers.try_for_each(|d| d.before_update(mapper, conn, target)),
        ),
        Persistence::BeforeDelete => (
            "before_delete",
            dispatchers.try_for_each(|d| d.before_delete(mapper, conn, target)),
        ),
        Persistence::AfterInsert => {
            dispatchers.for_each(|d| d.after_insert(mapper, conn, target));
            ("after_insert", Ok(()))
        }
        Persistence::AfterUpdate => {
            dispatchers.for_each(|d| d.after_update(mapper, conn, target));
            ("after_update", Ok(()))
        }
        Persistence::AfterDelete => {
            dispatchers.for_each(|d| d.after_delete(mapper, conn, target));
            ("after_delete", Ok(()))
        }
    };
    outcome.map_err(flush_listener(name))
}
