//! The argument types of the session events that are not the session or a transaction.

use std::any::Any;

use hooks_sql::{CursorResult, Params, Statement, Value};

use super::criteria::Criterion;
use super::query::AnyQuery;
use super::statement::{OrmKind, OrmParts};
use super::{Session, SessionError};
use crate::mapper::{Mapper, MapperDef};

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

/// The legacy [`Query::update`](crate::Query::update) in progress, as `QueryEvents`
/// `before_compile_update` and `SessionEvents` `after_bulk_update` see it.
#[derive(Debug)]
#[non_exhaustive]
pub struct BulkUpdateContext<'a> {
    /// The session the update runs in.
    pub session: &'a Session,
    /// The query the update was made from: in `before_compile_update`, as the query was
    /// called (the listeners' chain passes the live one as the event's `query`); in
    /// `after_bulk_update`, the query that ran.
    pub query: AnyQuery,
    /// The column values the update sets; `before_compile_update` listeners may change them.
    pub values: Vec<(String, Value)>,
    /// The UPDATE's result (`rowcount`): `None` until it ran.
    pub result: Option<CursorResult>,
}

/// The legacy [`Query::delete`](crate::Query::delete) in progress, as `QueryEvents`
/// `before_compile_delete` and `SessionEvents` `after_bulk_delete` see it.
#[derive(Debug)]
#[non_exhaustive]
pub struct BulkDeleteContext<'a> {
    /// The session the delete runs in.
    pub session: &'a Session,
    /// The query the delete was made from (see [`BulkUpdateContext::query`]).
    pub query: AnyQuery,
    /// The DELETE's result (`rowcount`): `None` until it ran.
    pub result: Option<CursorResult>,
}

/// One execution through [`Session::execute`] or [`Session::execute_orm`], as
/// `do_orm_execute` sees it (SQLAlchemy's `ORMExecuteState`): listeners read it and may
/// replace the statement and its parameters, or, for an ORM statement, add criteria to it.
///
/// For an ORM statement ([`select`](crate::select), [`update`](crate::update),
/// [`delete`](crate::delete)) [`statement`](OrmExecuteState::statement) is its SQL, compiled
/// again after every [`add_criteria`](OrmExecuteState::add_criteria); the mapper and the
/// criteria stay readable. A text statement has no mapper: the ORM accessors answer `false`,
/// `None` and empty, and adding criteria to it is an error.
#[derive(Debug)]
pub struct OrmExecuteState<'a> {
    session: &'a Session,
    statement: Statement,
    parameters: Params,
    orm: Option<OrmParts>,
}

impl<'a> OrmExecuteState<'a> {
    pub(crate) fn new(session: &'a Session, statement: Statement, parameters: Params) -> Self {
        OrmExecuteState {
            session,
            statement,
            parameters,
            orm: None,
        }
    }

    /// The state of an ORM statement, its SQL compiled from `parts`.
    pub(crate) fn orm(session: &'a Session, parts: OrmParts) -> Self {
        let (sql, params) = parts.compile();
        OrmExecuteState {
            session,
            statement: sql.into(),
            parameters: Params::Positional(params),
            orm: Some(parts),
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

    /// Replaces the statement to run. For an ORM statement, the replacement must read or
    /// write the same table (a SELECT's rows are still loaded as the statement's class), and
    /// a later [`add_criteria`](OrmExecuteState::add_criteria) compiles the ORM statement
    /// again, discarding it.
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

    /// Whether it is an ORM statement (made by [`select`](crate::select),
    /// [`update`](crate::update), [`delete`](crate::delete) or a [`Query`](crate::Query)),
    /// not SQL text.
    pub fn is_orm_statement(&self) -> bool {
        self.orm.is_some()
    }

    /// Whether it is an ORM SELECT (a [`Query::count`](crate::Query::count) included).
    pub fn is_select(&self) -> bool {
        self.kind().is_some_and(OrmKind::is_select)
    }

    /// Whether it is an ORM UPDATE.
    pub fn is_update(&self) -> bool {
        self.kind() == Some(OrmKind::Update)
    }

    /// Whether it is an ORM DELETE.
    pub fn is_delete(&self) -> bool {
        self.kind() == Some(OrmKind::Delete)
    }

    /// The mapper of the statement's class (SQLAlchemy's `bind_mapper`); `None` for text.
    pub fn bind_mapper(&self) -> Option<&Mapper> {
        self.orm.as_ref().map(|p| &*p.mapper)
    }

    /// Every mapper the statement involves (SQLAlchemy's `all_mappers`): its class's, as a
    /// statement here has one entity; empty for text.
    pub fn all_mappers(&self) -> Vec<&Mapper> {
        self.bind_mapper().into_iter().collect()
    }

    /// The statement's criteria, as its WHERE clause joins them with `AND`; empty for text.
    pub fn criteria(&self) -> &[Criterion] {
        self.orm.as_ref().map_or(&[], |p| &p.criteria)
    }

    /// Adds `criterion` to the ORM statement's WHERE clause (joined with `AND`) and compiles
    /// it again: the next listener and the execution see it. For an UPDATE or DELETE the
    /// synchronization of loaded objects uses it too.
    ///
    /// # Errors
    ///
    /// [`SessionError::NotAnOrmStatement`] for a text statement (nothing is changed), and
    /// [`SessionError::NoSuchAttribute`] when the criterion names a column the class does not
    /// have.
    pub fn add_criteria(&mut self, criterion: Criterion) -> Result<(), SessionError> {
        let Some(parts) = self.orm.as_mut() else {
            return Err(SessionError::NotAnOrmStatement);
        };
        parts.check(&criterion)?;
        parts.criteria.push(criterion);
        let (sql, params) = parts.compile();
        self.statement = sql.into();
        self.parameters = Params::Positional(params);
        Ok(())
    }

    /// Adds `criterion` when the statement is a SELECT of `class`, and says whether it did:
    /// SQLAlchemy's `with_loader_criteria` as one listener uses it to filter every load of a
    /// class (the soft-delete recipe: `with_loader_criteria(User::MAPPER, Criterion::eq("deleted", 0))`).
    /// UPDATE, DELETE, text, and SELECTs of other classes are left as they are.
    ///
    /// # Errors
    ///
    /// As [`add_criteria`](OrmExecuteState::add_criteria).
    pub fn with_loader_criteria(
        &mut self,
        class: &MapperDef,
        criterion: Criterion,
    ) -> Result<bool, SessionError> {
        let applies = self.is_select()
            && self
                .bind_mapper()
                .is_some_and(|m| m.class().same_class(class));
        if applies {
            self.add_criteria(criterion)?;
        }
        Ok(applies)
    }

    fn kind(&self) -> Option<OrmKind> {
        self.orm.as_ref().map(|p| p.kind)
    }

    pub(crate) fn into_parts(self) -> (Statement, Params) {
        (self.statement, self.parameters)
    }

    /// The statement to run and the ORM statement as the listeners left it.
    pub(crate) fn into_orm_parts(self) -> (Statement, Params, Option<OrmParts>) {
        (self.statement, self.parameters, self.orm)
    }
}
