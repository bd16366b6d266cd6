//! [`SessionEvents`]: a [`Session`]'s transactions, executions, flushes and the
//! lifecycle of its objects.

use hooks_sql::{Connection, CursorResult};

use crate::error::ListenerError;
use crate::session::{
    AnyInstance, BulkDeleteContext, BulkUpdateContext, FlushContext, OrmExecuteState, Session,
    SessionTransaction,
};

/// The events of a [`Session`]: SQLAlchemy's `SessionEvents`, all 25 of them.
///
/// Listen on the `Session` type (every session), on a
/// [`SessionFactory`](crate::SessionFactory) (every session it makes, present and future: a
/// session reads its factory's listeners at every fire, as SQLAlchemy's per-`sessionmaker`
/// class does) or on one session. A session fires the `Session`-type listeners, then its own,
/// then the `SessionFactory` type's and its factory's.
///
/// **What fires today.** All 25: the transaction events from
/// [`Session::commit`], [`Session::rollback`], [`Session::begin_nested`], [`Session::close`]
/// and the autobegin of [`Session::connection`] / [`Session::execute`], in SQLAlchemy's order;
/// `do_orm_execute` from [`Session::execute`] and [`Session::execute_orm`]; the flush events from [`Session::flush`]; the
/// attach and state-transition events from [`Session::add`], [`Session::delete`],
/// [`Session::expunge`], [`Session::expunge_all`], [`Session::make_transient`],
/// [`Session::get`], [`Session::merge`], the flush, commit and rollback; `after_bulk_update`
/// and `after_bulk_delete` from the legacy [`Query`](crate::Query). The lifecycle events pass the
/// object as [`AnyInstance`]: `instance.downcast_ref::<Obj<User>>()`
/// ([`Obj`](crate::Obj)).
///
/// The flush, with the Core statements in brackets: `before_flush`; per mapper (in class
/// order) every `before_insert`/`before_update` of its batch, \[its UPDATEs, then its
/// INSERTs\], every `after_insert`/`after_update`; per mapper in reverse order every
/// `before_delete`, \[its DELETEs\], every `after_delete`; `after_flush`;
/// `persistent_to_deleted` and `pending_to_persistent` per object; `after_flush_postexec`.
/// SQLAlchemy's flush also opens a subtransaction (an `after_transaction_create` /
/// `after_transaction_end` pair around it); this flush runs in the current transaction and
/// fires neither.
///
/// The order of one root transaction:
///
/// | call | events, with the Core events of `hooks-sql` in brackets |
/// |---|---|
/// | first use (autobegin) | `after_transaction_create(root)` |
/// | first SQL or [`Session::connection`] | \[`engine_connect`, `begin`\], `after_begin(root, conn)` |
/// | [`Session::begin_nested`] | `after_transaction_create(nested)`; at its first SQL: \[`savepoint`\], `after_begin(nested, conn)` |
/// | [`Session::commit`] | per open transaction, innermost first: `before_commit`, \[`release_savepoint`/`commit`\], `after_commit`, `after_transaction_end` |
/// | [`Session::rollback`] | per open transaction, innermost first: \[`rollback_savepoint`/`rollback`\], `after_rollback`, `after_transaction_end`, `after_soft_rollback` |
/// | [`Session::close`] | per open transaction, innermost first: \[`rollback_savepoint`/`rollback`\], `after_transaction_end` (no rollback events) |
///
/// Listeners may use the session where SQLAlchemy allows it: run SQL in
/// `after_transaction_create`, `before_commit` and `after_soft_rollback` (when
/// [`Session::is_active`]); in `after_begin`, through the connection it passes. Where
/// SQLAlchemy refuses (SQL through the session in `after_begin`, `after_commit` or
/// `after_rollback`), the call returns a typed [`SessionError`](crate::SessionError), never a
/// deadlock: no lock is held while a listener runs.
#[hooks::events]
pub trait SessionEvents {
    /// A statement is about to run through [`Session::execute`] (SQL text) or
    /// [`Session::execute_orm`] (an ORM [`select`](crate::select), [`update`](crate::update)
    /// or [`delete`](crate::delete), also reached by [`Session::select`] and the legacy
    /// [`Query`](crate::Query)), before the autoflush and before the session's connection is
    /// acquired.
    ///
    /// Listeners may change the statement and parameters in `orm_execute_state`, or add
    /// criteria to an ORM statement ([`OrmExecuteState::add_criteria`],
    /// [`OrmExecuteState::with_loader_criteria`]); the next listener and the execution see
    /// the change. Returning `Some(result)` stops the chain and the execution returns that
    /// result without running anything (a cache, a shard): a SELECT's rows are then loaded as
    /// objects, an UPDATE's or DELETE's result is returned and no object is synchronized.
    /// SQL the session runs internally (the flush, [`Session::get`], the reload of expired
    /// attributes, a [`Synchronize::Fetch`](crate::Synchronize::Fetch) SELECT) does not fire
    /// it; Core execution on a [`Connection`] does not either. SQLAlchemy's
    /// `invoke_statement()` is not provided yet.
    #[event(halting)]
    fn do_orm_execute(orm_execute_state: &mut OrmExecuteState<'_>) -> Option<CursorResult>;

    /// A [`SessionTransaction`] was created: the root one (by autobegin or
    /// [`Session::begin`]) or a nested one ([`Session::begin_nested`]). It is already the
    /// session's current transaction, so a listener's [`Session::execute`] runs in it.
    /// Always matched by one `after_transaction_end`. `transaction.parent()` is `None` for
    /// the root; `transaction.nested()` says SAVEPOINT.
    fn after_transaction_create(session: &Session, transaction: &SessionTransaction);

    /// The span of a [`SessionTransaction`] ended (commit, rollback or close): the last
    /// event of that transaction. The session's current transaction is already its parent
    /// (`None` after the root).
    fn after_transaction_end(session: &Session, transaction: &SessionTransaction);

    /// The transaction began on a connection: the root's first SQL (after Core's `begin`)
    /// or a nested transaction's first SQL (after Core's `savepoint`). Run SQL through
    /// `connection`, not the session: during this event the transaction is provisioning its
    /// connection and [`Session::execute`] returns
    /// [`SessionError::Provisioning`](crate::SessionError::Provisioning), as SQLAlchemy
    /// refuses it. An `Err` fails the operation that needed the connection
    /// ([`SessionError::Listener`](crate::SessionError::Listener)); the transaction keeps
    /// the connection.
    #[event(fallible)]
    fn after_begin(
        session: &Session,
        transaction: &SessionTransaction,
        connection: &Connection,
    ) -> Result<(), ListenerError>;

    /// A root or nested transaction is about to commit, before the final flushes and before Core's `commit`/`release_savepoint`. Not per flush. The transaction is
    /// still active: SQL run here commits with it. An `Err` stops the commit; the
    /// transaction stays active and the caller rolls it back.
    #[event(fallible)]
    fn before_commit(session: &Session) -> Result<(), ListenerError>;

    /// A root or nested transaction committed: after Core's `commit` (or
    /// `release_savepoint`), before the transaction ends. The session is in the committed
    /// state: it cannot run SQL ([`SessionError::InvalidState`](crate::SessionError::InvalidState));
    /// use `before_commit` for SQL that belongs to the transaction.
    fn after_commit(session: &Session);

    /// A real database rollback happened (Core's `rollback` or `rollback_savepoint`): once
    /// per rolled-back root or nested transaction, not for transactions that only end. The
    /// session is inactive during the event and cannot run SQL.
    fn after_rollback(session: &Session);

    /// Any rollback happened, inner or outer, with or without a database rollback: the last
    /// event of each rolled-back transaction, after its `after_transaction_end`.
    /// `previous_transaction` is the one that just ended; the session's current transaction
    /// is its parent. After the outermost rollback, [`Session::is_active`] is true and the
    /// session may run SQL (a new transaction autobegins).
    fn after_soft_rollback(session: &Session, previous_transaction: &SessionTransaction);

    /// A flush is about to start, before its plan: listeners may add and delete objects,
    /// which join this flush. SQLAlchemy's deprecated `instances` argument (the objects
    /// passed to `flush(objects)`) is not carried. Fires from [`Session::flush`] when there
    /// is something to flush; an `Err` aborts the flush before any SQL.
    #[event(fallible)]
    fn before_flush(
        session: &Session,
        flush_context: &FlushContext<'_>,
    ) -> Result<(), ListenerError>;

    /// The flush ran its statements; `new`, `dirty`, `deleted` and attribute history still
    /// show the pre-flush state. An `Err` fails the flush, which rolls back.
    #[event(fallible)]
    fn after_flush(
        session: &Session,
        flush_context: &FlushContext<'_>,
    ) -> Result<(), ListenerError>;

    /// The flush finished and the session's state reflects it (new objects persistent,
    /// deleted ones deleted). An `Err` fails the flush, which rolls back.
    #[event(fallible)]
    fn after_flush_postexec(
        session: &Session,
        flush_context: &FlushContext<'_>,
    ) -> Result<(), ListenerError>;

    /// An object not yet in this session is about to be attached by `add`, `delete` or
    /// `merge`; it is not part of the session's state yet. An `Err` refuses the attach.
    #[event(fallible)]
    fn before_attach(session: &Session, instance: &AnyInstance) -> Result<(), ListenerError>;

    /// An object was attached by `add`, `delete` or `merge`, and is part of the session;
    /// followed by `transient_to_pending` or `detached_to_persistent`.
    fn after_attach(session: &Session, instance: &AnyInstance);

    /// The legacy [`Query::update`](crate::Query::update) ran and synchronized the loaded
    /// objects: `update_context` holds the query that ran, the values and the result.
    /// 2.0-style updates ([`Session::execute_orm`] of [`update`](crate::update)) fire only
    /// `do_orm_execute`, as in SQLAlchemy.
    fn after_bulk_update(update_context: &BulkUpdateContext<'_>);

    /// The legacy [`Query::delete`](crate::Query::delete) ran and synchronized the loaded
    /// objects (the matched ones are deleted already).
    fn after_bulk_delete(delete_context: &BulkDeleteContext<'_>);

    /// A transient object became pending (`add`).
    fn transient_to_pending(session: &Session, instance: &AnyInstance);

    /// A pending object became transient again: a rollback, or `expunge` of a pending
    /// object.
    fn pending_to_transient(session: &Session, instance: &AnyInstance);

    /// A persistent object became transient: `make_transient`, or a rollback of the
    /// transaction that inserted it.
    fn persistent_to_transient(session: &Session, instance: &AnyInstance);

    /// A pending object became persistent, inside the flush; it is persistent already when
    /// the event fires.
    fn pending_to_persistent(session: &Session, instance: &AnyInstance);

    /// A detached object became persistent (`add`, or `delete` of an object not in the
    /// session; it is not marked deleted yet).
    fn detached_to_persistent(session: &Session, instance: &AnyInstance);

    /// An object was loaded into the identity map, right after the instance `load` event,
    /// before eager loaders finished: [`Session::get`] of a row not in the identity map.
    fn loaded_as_persistent(session: &Session, instance: &AnyInstance);

    /// The flush deleted a persistent object's row; it stays in the session until the
    /// transaction ends.
    fn persistent_to_deleted(session: &Session, instance: &AnyInstance);

    /// A rollback restored an object whose row was deleted in a flush, and only then.
    fn deleted_to_persistent(session: &Session, instance: &AnyInstance);

    /// A deleted object left the session: the commit of its transaction, or `expunge` /
    /// `expunge_all` / `close`.
    fn deleted_to_detached(session: &Session, instance: &AnyInstance);

    /// A persistent object left the session: `expunge`, `expunge_all`, `close`.
    fn persistent_to_detached(session: &Session, instance: &AnyInstance);
}
