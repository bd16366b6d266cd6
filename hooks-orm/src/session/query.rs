//! The legacy [`Query`] (`Session::query::<User>()`, SQLAlchemy's `session.query(User)`):
//! filters, ordering, `all`/`first`/`count` and the bulk `update`/`delete`, firing
//! [`QueryEvents`](crate::`QueryEvents`) as it compiles and `SessionEvents` `after_bulk_update` /
//! `after_bulk_delete` after its bulk statements.

use std::marker::PhantomData;

use hooks::HasEvents;
use hooks_sql::{CursorResult, Value};

use super::bulk::Synchronize;
use super::context::{BulkDeleteContext, BulkUpdateContext};
use super::criteria::Criterion;
use super::statement::{OrmKind, OrmParts};
use super::{Session, SessionError, fire};
use crate::events::{QueryEvents, query_events};
use crate::mapper::{Mapped, MapperDef};
use crate::obj::Obj;

/// A query with its class erased: what [`QueryEvents`](crate::`QueryEvents`) listeners receive
/// and return. A listener changes a clone: `query.clone().filter(Criterion::eq("deleted", 0))`.
#[derive(Debug, Clone, PartialEq)]
pub struct AnyQuery {
    class: &'static MapperDef,
    criteria: Vec<Criterion>,
    order_by: Vec<String>,
}

impl AnyQuery {
    /// The class it queries.
    pub fn class(&self) -> &'static MapperDef {
        self.class
    }

    /// Its WHERE conditions, joined with `AND`.
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// Its `ORDER BY` terms.
    pub fn order_by_terms(&self) -> &[String] {
        &self.order_by
    }

    /// Adds a WHERE condition.
    #[must_use]
    pub fn filter(mut self, criterion: Criterion) -> Self {
        self.criteria.push(criterion);
        self
    }

    /// Adds an `ORDER BY` term (SQL text).
    #[must_use]
    pub fn order_by(mut self, term: &str) -> Self {
        self.order_by.push(term.to_owned());
        self
    }

    /// Whether it queries `class`.
    pub fn is_of(&self, class: &MapperDef) -> bool {
        self.class.same_class(class)
    }
}

/// The legacy query of class `T` ([`Session::query`]): SQLAlchemy's `Query`, kept for code
/// written against it (2.0 style is [`Session::execute_orm`] with [`select`](crate::select),
/// [`update`](crate::update) and [`delete`](crate::delete), which this query compiles to).
///
/// ```
/// # use hooks_orm::{Criterion, Mapped, Obj, Registry, Session, SessionOptions};
/// # #[derive(Mapped)]
/// # #[mapped(table = "users")]
/// # struct User { #[column(primary_key)] id: Option<i64>, name: String }
/// # let registry = Registry::new();
/// # registry.map::<User>()?;
/// # let engine = hooks_sql::create_engine("sqlite://")?;
/// # registry.create_all(&engine)?;
/// # let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));
/// session.add(&Obj::new(User { id: None, name: "ed".into() }))?;
/// session.add(&Obj::new(User { id: None, name: "wendy".into() }))?;
/// assert_eq!(session.query::<User>().count()?, 2);
/// let gone = session.query::<User>().filter(Criterion::eq("name", "ed")).delete()?;
/// assert_eq!(gone.rowcount(), Some(1));
/// let left = session.query::<User>().order_by("name").all()?;
/// assert_eq!(left[0].read()?.name, "wendy");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use = "a Query does nothing until `all`, `first`, `count`, `update` or `delete`"]
pub struct Query<'s, T> {
    session: &'s Session,
    erased: AnyQuery,
    synchronize: Synchronize,
    class: PhantomData<fn() -> T>,
}

impl Session {
    /// A legacy query of `T`'s objects (SQLAlchemy's `session.query(User)`).
    pub fn query<T: Mapped + Send + Sync>(&self) -> Query<'_, T> {
        Query {
            session: self,
            erased: AnyQuery {
                class: T::MAPPER,
                criteria: Vec::new(),
                order_by: Vec::new(),
            },
            synchronize: Synchronize::Auto,
            class: PhantomData,
        }
    }
}

fn dispatch(session: &Session) -> query_events::Dispatcher<'_> {
    HasEvents::<dyn QueryEvents>::dispatch(session)
}

impl<T: Mapped + Send + Sync> Query<'_, T> {
    /// Adds a WHERE condition (joined with `AND`).
    pub fn filter(mut self, criterion: Criterion) -> Self {
        self.erased = self.erased.filter(criterion);
        self
    }

    /// Adds an `ORDER BY` term (SQL text).
    pub fn order_by(mut self, term: &str) -> Self {
        self.erased = self.erased.order_by(term);
        self
    }

    /// How [`update`](Query::update) and [`delete`](Query::delete) synchronize the loaded
    /// objects (SQLAlchemy's `synchronize_session` argument); [`Synchronize::Auto`] unless
    /// told.
    pub fn synchronize(mut self, synchronize: Synchronize) -> Self {
        self.synchronize = synchronize;
        self
    }

    /// `before_compile`, then the SELECT's statement.
    fn compile(&self, kind: OrmKind) -> Result<OrmParts, SessionError> {
        let query = checked::<T>(
            dispatch(self.session).before_compile(self.erased.clone()),
            "before_compile",
        )?;
        Ok(OrmParts {
            kind,
            mapper: self.session.mapper_of(T::MAPPER)?,
            criteria: query.criteria,
            order_by: query.order_by,
            values: Vec::new(),
        })
    }

    /// The SELECT's SQL, as `before_compile` listeners leave the query (they fire).
    ///
    /// # Errors
    ///
    /// [`SessionError::UnmappedClass`], [`SessionError::WrongClass`].
    pub fn sql(&self) -> Result<String, SessionError> {
        Ok(self.compile(OrmKind::Select)?.compile().0)
    }

    /// Every matching object: `before_compile`, then as [`Session::execute_orm`] of the
    /// SELECT.
    ///
    /// # Errors
    ///
    /// As [`Session::execute_orm`]; [`SessionError::WrongClass`] when a `before_compile`
    /// listener returned a query of another class.
    pub fn all(self) -> Result<Vec<Obj<T>>, SessionError> {
        let parts = self.compile(OrmKind::Select)?;
        let (result, parts) = self.session.run_orm(parts)?;
        super::legacy_load::objects(self.session, &parts.mapper, result.into_rows())
    }

    /// The first matching object, if any.
    ///
    /// # Errors
    ///
    /// As [`all`](Query::all).
    pub fn first(self) -> Result<Option<Obj<T>>, SessionError> {
        Ok(self.all()?.into_iter().next())
    }

    /// How many rows match: `SELECT count(*) FROM (<the SELECT>)`, through `before_compile`
    /// and `do_orm_execute` like [`all`](Query::all).
    ///
    /// # Errors
    ///
    /// As [`all`](Query::all).
    pub fn count(self) -> Result<u64, SessionError> {
        let parts = self.compile(OrmKind::Count)?;
        let (result, _) = self.session.run_orm(parts)?;
        let count = result.scalar().and_then(Value::as_i64).unwrap_or(0);
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Updates the matching rows: `before_compile_update` (its listeners may return another
    /// query and change the values), the ORM UPDATE through `do_orm_execute`, the
    /// synchronization of loaded objects, then `SessionEvents` `after_bulk_update`.
    ///
    /// # Errors
    ///
    /// As [`Session::execute_orm`]; [`SessionError::WrongClass`]. `after_bulk_update` does
    /// not fire then.
    pub fn update<V: Into<Value>>(
        self,
        values: impl IntoIterator<Item = (&'static str, V)>,
    ) -> Result<CursorResult, SessionError> {
        let session = self.session;
        let mut context = BulkUpdateContext {
            session,
            query: self.erased.clone(),
            values: values
                .into_iter()
                .map(|(c, v)| (c.to_owned(), v.into()))
                .collect(),
            result: None,
        };
        let query = checked::<T>(
            dispatch(session).before_compile_update(self.erased, &mut context),
            "before_compile_update",
        )?;
        let parts = OrmParts {
            kind: OrmKind::Update,
            mapper: session.mapper_of(T::MAPPER)?,
            criteria: query.criteria.clone(),
            order_by: Vec::new(),
            values: context.values.clone(),
        };
        let (result, _) = session.run_bulk_parts(parts, self.synchronize)?;
        context.query = query;
        context.result = Some(result.clone());
        fire::after_bulk_update(session, &context);
        Ok(result)
    }

    /// Deletes the matching rows: `before_compile_delete`, the ORM DELETE through
    /// `do_orm_execute`, the synchronization of loaded objects, then `SessionEvents`
    /// `after_bulk_delete`.
    ///
    /// # Errors
    ///
    /// As [`update`](Query::update).
    pub fn delete(self) -> Result<CursorResult, SessionError> {
        let session = self.session;
        let mut context = BulkDeleteContext {
            session,
            query: self.erased.clone(),
            result: None,
        };
        let query = checked::<T>(
            dispatch(session).before_compile_delete(self.erased, &mut context),
            "before_compile_delete",
        )?;
        let parts = OrmParts {
            kind: OrmKind::Delete,
            mapper: session.mapper_of(T::MAPPER)?,
            criteria: query.criteria.clone(),
            order_by: Vec::new(),
            values: Vec::new(),
        };
        let (result, _) = session.run_bulk_parts(parts, self.synchronize)?;
        context.query = query;
        context.result = Some(result.clone());
        fire::after_bulk_delete(session, &context);
        Ok(result)
    }
}

/// A listener's query must stay of the query's class.
fn checked<T: Mapped>(query: AnyQuery, event: &'static str) -> Result<AnyQuery, SessionError> {
    if query.is_of(T::MAPPER) {
        Ok(query)
    } else {
        Err(SessionError::WrongClass {
            expected: T::MAPPER.class_name,
            from: event,
        })
    }
}
