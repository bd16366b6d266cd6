//! The argument types of the session events that are not the session or a transaction.

use std::any::Any;

use hooks_sql::{CursorResult, Params, Statement, Value};

use super::Session;

/// A mapped object as the session's lifecycle events pass it: SQLAlchemy's `instance`,
/// erased: the session passes the object's [`Obj`](crate::Obj) handle; a listener downcasts
/// it (`instance.downcast_ref::<Obj<User>>()`).
pub type AnyInstance = dyn Any + Send + Sync;

/// The flush in progress, as `before_flush`, `after_flush` and `after_flush_postexec` see it
/// (SQLAlchemy's `UOWTransaction`): for now, the session being flushed.
#[derive(Debug)]
#[non_exhaustive]
pub struct FlushContext<'a> {
    /// The session being flushed.
    pub session: &'a Session,
}

/// What the legacy `Query::update` passes to `after_bulk_update` (the query itself comes with
/// the query of part 3).
#[derive(Debug)]
#[non_exhaustive]
pub struct BulkUpdateContext<'a> {
    /// The session the update ran in.
    pub session: &'a Session,
    /// The column values the update set.
    pub values: &'a [(String, Value)],
    /// The UPDATE's result (`rowcount`).
    pub result: &'a CursorResult,
}

/// What the legacy `Query::delete` passes to `after_bulk_delete`.
#[derive(Debug)]
#[non_exhaustive]
pub struct BulkDeleteContext<'a> {
    /// The session the delete ran in.
    pub session: &'a Session,
    /// The DELETE's result (`rowcount`).
    pub result: &'a CursorResult,
}

/// One execution through [`Session::execute`], as `do_orm_execute` sees it (SQLAlchemy's
/// `ORMExecuteState`): listeners read it and may replace the statement and its parameters.
#[derive(Debug)]
pub struct OrmExecuteState<'a> {
    session: &'a Session,
    statement: Statement,
    parameters: Params,
}

impl<'a> OrmExecuteState<'a> {
    pub(crate) fn new(session: &'a Session, statement: Statement, parameters: Params) -> Self {
        OrmExecuteState {
            session,
            statement,
            parameters,
        }
    }

    /// The session executing.
    pub fn session(&self) -> &'a Session {
        self.session
    }

    /// The statement to run.
    pub fn statement(&self) -> &Statement {
        &self.statement
    }

    /// Replaces the statement to run.
    pub fn set_statement(&mut self, statement: impl Into<Statement>) {
        self.statement = statement.into();
    }

    /// The parameters to run it with.
    pub fn parameters(&self) -> &Params {
        &self.parameters
    }

    /// Replaces the parameters.
    pub fn set_parameters(&mut self, parameters: impl Into<Params>) {
        self.parameters = parameters.into();
    }

    pub(crate) fn into_parts(self) -> (Statement, Params) {
        (self.statement, self.parameters)
    }
}
