//! The ORM statements: [`select`], [`update`] and [`delete`] of a mapped class, run by
//! [`Session::execute_orm`] through `do_orm_execute` (SQLAlchemy 2.0's
//! `session.execute(select(User))`, `session.execute(update(User)…)`).

use std::marker::PhantomData;
use std::sync::Arc;

use hooks_sql::{CursorResult, Value};

use super::bulk::Synchronize;
use super::context::OrmExecuteState;
use super::criteria::{Criterion, where_clause};
use super::loading::all_columns;
use super::{Session, SessionError, fire};
use crate::mapper::{Mapped, Mapper, MapperDef};
use crate::obj::Obj;

/// What an ORM statement does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrmKind {
    Select,
    Count,
    Update,
    Delete,
}

impl OrmKind {
    pub(crate) fn is_select(self) -> bool {
        matches!(self, OrmKind::Select | OrmKind::Count)
    }
}

/// An ORM statement with its class erased: what `do_orm_execute` reads and changes.
#[derive(Debug, Clone)]
pub(crate) struct OrmParts {
    pub(crate) kind: OrmKind,
    pub(crate) mapper: Arc<Mapper>,
    pub(crate) criteria: Vec<Criterion>,
    pub(crate) order_by: Vec<String>,
    pub(crate) values: Vec<(String, Value)>,
}

impl OrmParts {
    pub(crate) fn class(&self) -> &'static MapperDef {
        self.mapper.class()
    }

    /// A criterion naming an unknown column is refused before anything runs.
    pub(crate) fn check(&self, criterion: &Criterion) -> Result<(), SessionError> {
        match criterion.unknown_column(self.class()) {
            Some(name) => Err(SessionError::NoSuchAttribute {
                class: self.class().class_name,
                name,
            }),
            None => Ok(()),
        }
    }

    fn check_all(&self) -> Result<(), SessionError> {
        self.criteria.iter().try_for_each(|c| self.check(c))?;
        for (name, _) in &self.values {
            if self.class().column(name).is_none() {
                return Err(SessionError::NoSuchAttribute {
                    class: self.class().class_name,
                    name: name.clone(),
                });
            }
        }
        Ok(())
    }

    /// The SQL and its positional parameters.
    pub(crate) fn compile(&self) -> (String, Vec<Value>) {
        let class = self.class();
        let mut params = Vec::new();
        let mut sql = match self.kind {
            OrmKind::Select | OrmKind::Count => {
                format!(
                    "SELECT {} FROM {}",
                    all_columns(class).join(", "),
                    class.table
                )
            }
            OrmKind::Update => {
                let sets: Vec<String> = self
                    .values
                    .iter()
                    .map(|(c, _)| format!("{c} = ?"))
                    .collect();
                params.extend(self.values.iter().map(|(_, v)| v.clone()));
                format!("UPDATE {} SET {}", class.table, sets.join(", "))
            }
            OrmKind::Delete => format!("DELETE FROM {}", class.table),
        };
        where_clause(&self.criteria, &mut sql, &mut params);
        if self.kind == OrmKind::Select && !self.order_by.is_empty() {
            sql = format!("{sql} ORDER BY {}", self.order_by.join(", "));
        }
        if self.kind == OrmKind::Count {
            sql = format!("SELECT count(*) FROM ({sql})");
        }
        (sql, params)
    }
}

/// A SELECT of the objects of class `T`: SQLAlchemy's `select(User)`. Build it with
/// [`select`], run it with [`Session::execute_orm`] (or bound to a session from the start,
/// [`Session::select`]).
#[must_use = "a statement does nothing until `Session::execute_orm` runs it"]
pub struct OrmSelect<T> {
    criteria: Vec<Criterion>,
    order_by: Vec<String>,
    class: PhantomData<fn() -> T>,
}

/// A bulk UPDATE of class `T`'s table: SQLAlchemy's ORM-enabled `update(User)`.
#[must_use = "a statement does nothing until `Session::execute_orm` runs it"]
pub struct OrmUpdate<T> {
    criteria: Vec<Criterion>,
    values: Vec<(String, Value)>,
    synchronize: Synchronize,
    class: PhantomData<fn() -> T>,
}

/// A bulk DELETE of class `T`'s table: SQLAlchemy's ORM-enabled `delete(User)`.
#[must_use = "a statement does nothing until `Session::execute_orm` runs it"]
pub struct OrmDelete<T> {
    criteria: Vec<Criterion>,
    synchronize: Synchronize,
    class: PhantomData<fn() -> T>,
}

/// A SELECT of `T`'s objects, for [`Session::execute_orm`]: every row of `T`'s table until
/// filtered.
pub fn select<T: Mapped>() -> OrmSelect<T> {
    OrmSelect {
        criteria: Vec::new(),
        order_by: Vec::new(),
        class: PhantomData,
    }
}

/// An UPDATE of `T`'s table, for [`Session::execute_orm`]; synchronizes loaded objects with
/// [`Synchronize::Auto`] unless told otherwise.
pub fn update<T: Mapped>() -> OrmUpdate<T> {
    OrmUpdate {
        criteria: Vec::new(),
        values: Vec::new(),
        synchronize: Synchronize::Auto,
        class: PhantomData,
    }
}

/// A DELETE of `T`'s table, for [`Session::execute_orm`]; synchronizes loaded objects with
/// [`Synchronize::Auto`] unless told otherwise.
pub fn delete<T: Mapped>() -> OrmDelete<T> {
    OrmDelete {
        criteria: Vec::new(),
        synchronize: Synchronize::Auto,
        class: PhantomData,
    }
}

impl<T: Mapped> OrmSelect<T> {
    /// Adds a WHERE condition (joined with `AND`).
    pub fn filter(mut self, criterion: Criterion) -> Self {
        self.criteria.push(criterion);
        self
    }

    /// Adds an `ORDER BY` term (SQL text).
    pub fn order_by(mut self, term: &str) -> Self {
        self.order_by.push(term.to_owned());
        self
    }

    /// The statement's SQL, before any listener.
    pub fn sql(&self) -> String {
        let (mut sql, mut params) = (
            format!(
                "SELECT {} FROM {}",
                all_columns(T::MAPPER).join(", "),
                T::MAPPER.table
            ),
            Vec::new(),
        );
        where_clause(&self.criteria, &mut sql, &mut params);
        if !self.order_by.is_empty() {
            sql = format!("{sql} ORDER BY {}", self.order_by.join(", "));
        }
        sql
    }

    pub(crate) fn into_parts(self, mapper: Arc<Mapper>, kind: OrmKind) -> OrmParts {
        OrmParts {
            kind,
            mapper,
            criteria: self.criteria,
            order_by: self.order_by,
            values: Vec::new(),
        }
    }
}

impl<T: Mapped> OrmUpdate<T> {
    /// Sets columns: `(name, value)` pairs, added to those already given.
    pub fn values<V: Into<Value>>(
        mut self,
        values: impl IntoIterator<Item = (&'static str, V)>,
    ) -> Self {
        self.values
            .extend(values.into_iter().map(|(c, v)| (c.to_owned(), v.into())));
        self
    }

    /// Adds a WHERE condition (joined with `AND`).
    pub fn filter(mut self, criterion: Criterion) -> Self {
        self.criteria.push(criterion);
        self
    }

    /// How loaded objects learn of the update (SQLAlchemy's `synchronize_session`).
    pub fn synchronize(mut self, synchronize: Synchronize) -> Self {
        self.synchronize = synchronize;
        self
    }
}

impl<T: Mapped> OrmDelete<T> {
    /// Adds a WHERE condition (joined with `AND`).
    pub fn filter(mut self, criterion: Criterion) -> Self {
        self.criteria.push(criterion);
        self
    }

    /// How loaded objects learn of the delete (SQLAlchemy's `synchronize_session`).
    pub fn synchronize(mut self, synchronize: Synchronize) -> Self {
        self.synchronize = synchronize;
        self
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A statement [`Session::execute_orm`] runs: [`OrmSelect`], [`OrmUpdate`], [`OrmDelete`].
pub trait OrmStatement: sealed::Sealed {
    /// What running it gives: the objects of a SELECT, the result (`rowcount`) of an UPDATE
    /// or DELETE.
    type Output;

    #[doc(hidden)]
    fn run(self, session: &Session) -> Result<Self::Output, SessionError>;
}

impl<T> sealed::Sealed for OrmSelect<T> {}
impl<T> sealed::Sealed for OrmUpdate<T> {}
impl<T> sealed::Sealed for OrmDelete<T> {}

impl<T: Mapped + Send + Sync> OrmStatement for OrmSelect<T> {
    type Output = Vec<Obj<T>>;

    fn run(self, session: &Session) -> Result<Vec<Obj<T>>, SessionError> {
        let mapper = session.mapper_of(T::MAPPER)?;
        let parts = self.into_parts(mapper, OrmKind::Select);
        let (result, parts) = session.run_orm(parts)?;
        super::legacy_load::objects(session, &parts.mapper, result.into_rows())
    }
}

impl<T: Mapped + Send + Sync> OrmStatement for OrmUpdate<T> {
    type Output = CursorResult;

    fn run(self, session: &Session) -> Result<CursorResult, SessionError> {
        let parts = OrmParts {
            kind: OrmKind::Update,
            mapper: session.mapper_of(T::MAPPER)?,
            criteria: self.criteria,
            order_by: Vec::new(),
            values: self.values,
        };
        session.run_bulk(parts, self.synchronize)
    }
}

impl<T: Mapped + Send + Sync> OrmStatement for OrmDelete<T> {
    type Output = CursorResult;

    fn run(self, session: &Session) -> Result<CursorResult, SessionError> {
        let parts = OrmParts {
            kind: OrmKind::Delete,
            mapper: session.mapper_of(T::MAPPER)?,
            criteria: self.criteria,
            order_by: Vec::new(),
            values: Vec::new(),
        };
        session.run_bulk(parts, self.synchronize)
    }
}

/// How one ORM statement ended: run by the session, or answered by a listener.
pub(crate) enum Ran {
    /// The session ran it: the statement as the listeners left it.
    Executed(OrmParts),
    /// A `do_orm_execute` listener answered; nothing ran.
    Answered(OrmParts),
}

impl Session {
    /// Runs an ORM statement: [`select`] gives the objects, [`update`] and [`delete`] the
    /// result (`rowcount`). `do_orm_execute` fires first (its listeners may add criteria, or
    /// answer: a SELECT's answer's rows are loaded as objects, an UPDATE's or DELETE's is
    /// returned as it is and nothing is synchronized); then the session autoflushes (with
    /// [`SessionOptions::autoflush`](crate::SessionOptions::autoflush)), runs the statement
    /// on its connection, and for an UPDATE or DELETE synchronizes the loaded objects
    /// ([`Synchronize`]). SQL text keeps going through [`Session::execute`].
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
    /// let ed = Obj::new(User { id: None, name: "ed".into() });
    /// session.add(&ed)?;
    /// let renamed = session.execute_orm(
    ///     hooks_orm::update::<User>()
    ///         .values([("name", "edward")])
    ///         .filter(Criterion::eq("name", "ed")),
    /// )?; // autoflushed first
    /// assert_eq!(renamed.rowcount(), Some(1));
    /// assert_eq!(ed.read()?.name, "edward"); // synchronized in memory
    /// let users = session.execute_orm(hooks_orm::select::<User>())?;
    /// assert!(users[0].ptr_eq(&ed));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`SessionError::UnmappedClass`], [`SessionError::NoSuchAttribute`] for a column the
    /// class does not have, [`SessionError::NotEvaluable`] (see [`Synchronize::Evaluate`]),
    /// the autoflush's, the statement's and the rows' errors.
    pub fn execute_orm<S: OrmStatement>(&self, statement: S) -> Result<S::Output, SessionError> {
        statement.run(self)
    }

    /// `do_orm_execute`, then autoflush and run: the result, and the statement as the
    /// listeners left it.
    pub(crate) fn run_orm(
        &self,
        parts: OrmParts,
    ) -> Result<(CursorResult, OrmParts), SessionError> {
        let (result, ran) = self.run_orm_with(parts, |_, _| Ok(()))?;
        match ran {
            Ran::Executed(parts) | Ran::Answered(parts) => Ok((result, parts)),
        }
    }

    /// As [`run_orm`](Session::run_orm), `before_run` called between the autoflush and the
    /// statement (the synchronization's look at the loaded objects).
    pub(crate) fn run_orm_with(
        &self,
        parts: OrmParts,
        mut before_run: impl FnMut(&Session, &OrmParts) -> Result<(), SessionError>,
    ) -> Result<(CursorResult, Ran), SessionError> {
        parts.check_all()?;
        let mut state = OrmExecuteState::orm(self, parts);
        let answer = fire::do_orm_execute(self, &mut state);
        let (statement, params, parts) = state.into_orm_parts();
        let parts = parts.ok_or(SessionError::NotAnOrmStatement)?;
        if let Some(result) = answer {
            return Ok((result, Ran::Answered(parts)));
        }
        if self.inner.options.autoflush {
            self.autoflush()?;
        }
        before_run(self, &parts)?;
        let result = self.connection()?.execute(statement, params)?;
        Ok((result, Ran::Executed(parts)))
    }
}
