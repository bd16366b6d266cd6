//! [`QueryEvents`]: the legacy [`Query`](crate::Query) being compiled into its SELECT,
//! UPDATE or DELETE.

use crate::session::{AnyQuery, BulkDeleteContext, BulkUpdateContext};

/// The events of the legacy [`Query`](crate::Query) (`Session::query::<User>()`):
/// SQLAlchemy's `QueryEvents`, all three.
///
/// Listen on the [`Session`](crate::Session) type (every query of every session: SQLAlchemy's
/// `listen(Query, …)`), on a [`SessionFactory`](crate::SessionFactory) (its sessions' queries)
/// or on one session (the queries it runs), in the order of [`SessionEvents`](crate::`SessionEvents`):
/// the `Session` type's listeners, the session's own, then its factory's. A query is not a
/// target of its own: it is a short-lived builder, and its session is what it runs in.
///
/// The three are `retval` events, chained as SQLAlchemy's `retval=True` listeners are: a
/// listener registered with `retval` returns the query to compile (a changed clone of the one
/// it received, or another query of the same class), the next listener receives it; one
/// without `retval` only looks. A query of another class is refused with
/// [`SessionError::WrongClass`](crate::SessionError::WrongClass).
///
/// The order of [`Query::all`](crate::Query::all): `before_compile`, then `SessionEvents`
/// `do_orm_execute` on the compiled SELECT. Of [`Query::update`](crate::Query::update):
/// `before_compile_update`, `do_orm_execute` (an ORM UPDATE), the UPDATE, the
/// synchronization of loaded objects, `SessionEvents` `after_bulk_update`.
/// [`Query::delete`](crate::Query::delete) likewise, with `before_compile_delete` and
/// `after_bulk_delete`. `before_compile` does not fire for an update or a delete.
#[hooks::events(crate = crate::__private::hooks)]
pub trait QueryEvents {
    /// The query is about to be compiled into its SELECT: [`Query::all`](crate::Query::all),
    /// [`first`](crate::Query::first), [`count`](crate::Query::count) and
    /// [`sql`](crate::Query::sql). A `retval` listener returns the query to compile
    /// (`query.clone().filter(…)`).
    #[event(retval)]
    fn before_compile(#[retval] query: &AnyQuery) -> AnyQuery;

    /// [`Query::update`](crate::Query::update) is about to build its UPDATE. A `retval`
    /// listener returns the query to update with; `update_context.values` may be changed in
    /// place (`result` is `None` yet).
    #[event(retval)]
    fn before_compile_update(
        #[retval] query: &AnyQuery,
        update_context: &mut BulkUpdateContext<'_>,
    ) -> AnyQuery;

    /// [`Query::delete`](crate::Query::delete) is about to build its DELETE. A `retval`
    /// listener returns the query to delete with.
    #[event(retval)]
    fn before_compile_delete(
        #[retval] query: &AnyQuery,
        delete_context: &mut BulkDeleteContext<'_>,
    ) -> AnyQuery;
}
