//! Schema objects: [`MetaData`], [`Table`], [`Column`] and constraints, with
//! DDL emission ([`MetaData::create_all`]) and reflection
//! ([`MetaData::reflect`]).
//!
//! Every schema object is a cheap-to-clone handle: clones refer to the same
//! object, and names a listener must be able to change (constraint names) use
//! interior mutability.

pub(crate) mod ddl;
mod reflect;

use std::fmt;
use std::sync::{Arc, Mutex, Weak};

pub use reflect::{Inspector, ReflectedColumn, ReflectedUniqueConstraint};

use crate::connection::Connection;
use crate::engine::Engine;
use crate::error::Error;
use crate::events::DDLEvents;
use crate::statement::Statement;
use crate::sync::lock;

/// A column type, rendered in DDL and recovered by reflection.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ColumnType {
    /// `INTEGER`.
    Integer,
    /// `FLOAT`.
    Float,
    /// `NUMERIC`.
    Numeric,
    /// `TEXT`.
    Text,
    /// `VARCHAR` / `VARCHAR(n)`.
    Varchar(Option<u32>),
    /// `BOOLEAN` (stored as 0/1).
    Boolean,
    /// `BLOB`.
    Blob,
    /// No declared type.
    Untyped,
    /// Any other declared type, kept verbatim.
    Custom(String),
}

impl ColumnType {
    /// The type as written in DDL.
    pub fn sql(&self) -> String {
        match self {
            ColumnType::Integer => "INTEGER".into(),
            ColumnType::Float => "FLOAT".into(),
            ColumnType::Numeric => "NUMERIC".into(),
            ColumnType::Text => "TEXT".into(),
            ColumnType::Varchar(None) => "VARCHAR".into(),
            ColumnType::Varchar(Some(n)) => format!("VARCHAR({n})"),
            ColumnType::Boolean => "BOOLEAN".into(),
            ColumnType::Blob => "BLOB".into(),
            ColumnType::Untyped => String::new(),
            ColumnType::Custom(s) => s.clone(),
        }
    }

    /// The type for a declared type string, as reported by
    /// `PRAGMA table_info`.
    pub fn from_declared(declared: &str) -> Self {
        let upper = declared.trim().to_ascii_uppercase();
        match upper.as_str() {
            "" => ColumnType::Untyped,
            "INTEGER" | "INT" => ColumnType::Integer,
            "FLOAT" | "REAL" | "DOUBLE" => ColumnType::Float,
            "NUMERIC" | "DECIMAL" => ColumnType::Numeric,
            "TEXT" => ColumnType::Text,
            "VARCHAR" => ColumnType::Varchar(None),
            "BOOLEAN" => ColumnType::Boolean,
            "BLOB" => ColumnType::Blob,
            _ => varchar_length(&upper).map_or_else(
                || ColumnType::Custom(declared.trim().to_owned()),
                |n| ColumnType::Varchar(Some(n)),
            ),
        }
    }
}

fn varchar_length(upper: &str) -> Option<u32> {
    let inner = upper.strip_prefix("VARCHAR(")?.strip_suffix(')')?;
    inner.trim().parse().ok()
}

#[derive(Debug, Clone, PartialEq)]
struct ColumnSpec {
    name: String,
    column_type: ColumnType,
    nullable: Option<bool>,
    primary_key: bool,
    default: Option<String>,
    /// `table.column` of a `REFERENCES` clause.
    references: Option<String>,
}

struct ColumnInner {
    events: hooks::Events<dyn DDLEvents>,
    spec: Mutex<ColumnSpec>,
    table: Mutex<Weak<TableInner>>,
}

/// A table column.
///
/// ```
/// use hooks_sql::{Column, ColumnType};
///
/// let id = Column::new("id", ColumnType::Integer).primary_key(true);
/// assert!(!id.is_nullable());
/// let name = Column::new("name", ColumnType::Varchar(Some(50))).with_default("'anonymous'");
/// assert_eq!(name.default().as_deref(), Some("'anonymous'"));
/// ```
#[hooks::target(DDLEvents(events = inner.events))]
#[derive(Clone)]
pub struct Column {
    inner: Arc<ColumnInner>,
}

impl Column {
    /// A nullable, non-key column without default.
    pub fn new(name: impl Into<String>, column_type: ColumnType) -> Self {
        Column::from_spec(ColumnSpec {
            name: name.into(),
            column_type,
            nullable: None,
            primary_key: false,
            default: None,
            references: None,
        })
    }

    fn from_spec(spec: ColumnSpec) -> Self {
        Column {
            inner: Arc::new(ColumnInner {
                events: hooks::Events::new(),
                spec: Mutex::new(spec),
                table: Mutex::new(Weak::new()),
            }),
        }
    }

    fn spec(&self) -> std::sync::MutexGuard<'_, ColumnSpec> {
        lock(&self.inner.spec)
    }

    /// Makes the column part of the primary key (and, unless set
    /// explicitly, `NOT NULL`).
    #[must_use]
    pub fn primary_key(self, primary_key: bool) -> Self {
        self.spec().primary_key = primary_key;
        self
    }

    /// Sets whether the column accepts `NULL`.
    #[must_use]
    pub fn nullable(self, nullable: bool) -> Self {
        self.spec().nullable = Some(nullable);
        self
    }

    /// Sets the SQL text of the column's `DEFAULT` clause (for example `0`,
    /// `'x'` or `CURRENT_TIMESTAMP`).
    #[must_use]
    pub fn with_default(self, sql: impl Into<String>) -> Self {
        self.spec().default = Some(sql.into());
        self
    }

    /// Makes the column a foreign key: `target` is `table.column`, rendered as the
    /// column's `REFERENCES table (column)` clause.
    #[must_use]
    pub fn references(self, target: impl Into<String>) -> Self {
        self.spec().references = Some(target.into());
        self
    }

    /// The `table.column` the column references, if it is a foreign key.
    pub fn foreign_key(&self) -> Option<String> {
        self.spec().references.clone()
    }

    /// The column name.
    pub fn name(&self) -> String {
        self.spec().name.clone()
    }

    /// The column type.
    pub fn column_type(&self) -> ColumnType {
        self.spec().column_type.clone()
    }

    /// Whether the column accepts `NULL` (primary key columns default to
    /// not).
    pub fn is_nullable(&self) -> bool {
        let spec = self.spec();
        spec.nullable.unwrap_or(!spec.primary_key)
    }

    /// Whether the column is part of its table's primary key.
    pub fn is_primary_key(&self) -> bool {
        self.spec().primary_key
    }

    /// The SQL text of the `DEFAULT` clause.
    pub fn default(&self) -> Option<String> {
        self.spec().default.clone()
    }

    /// The table the column is attached to.
    pub fn table(&self) -> Option<Table> {
        lock(&self.inner.table)
            .upgrade()
            .map(|inner| Table { inner })
    }

    /// An unattached copy with the same name, type and flags, carrying
    /// this column's `propagate` DDL listeners.
    #[must_use]
    pub fn copy(&self) -> Column {
        let copy = Column::from_spec(self.spec().clone());
        hooks::copy_listeners::<dyn DDLEvents, Column>(self, &copy, hooks::Carry::Propagated);
        copy
    }

    /// Whether `other` is a handle to this very column.
    pub fn same_column(&self, other: &Column) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    fn set_primary_key(&self, primary_key: bool) {
        self.spec().primary_key = primary_key;
    }
}

impl fmt::Debug for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Column")
            .field("spec", &*self.spec())
            .finish()
    }
}

struct ConstraintInner {
    events: hooks::Events<dyn DDLEvents>,
    name: Mutex<Option<String>>,
    columns: Mutex<Vec<String>>,
    table: Mutex<Weak<TableInner>>,
}

impl ConstraintInner {
    fn new(columns: Vec<String>) -> Arc<Self> {
        Arc::new(ConstraintInner {
            events: hooks::Events::new(),
            name: Mutex::new(None),
            columns: Mutex::new(columns),
            table: Mutex::new(Weak::new()),
        })
    }
}

macro_rules! constraint_common {
    ($ty:ident) => {
        impl $ty {
            /// A constraint over the named columns.
            pub fn new<S: Into<String>>(columns: impl IntoIterator<Item = S>) -> Self {
                $ty {
                    inner: ConstraintInner::new(columns.into_iter().map(Into::into).collect()),
                }
            }

            /// Returns the constraint with a name.
            #[must_use]
            pub fn named(self, name: impl Into<String>) -> Self {
                self.set_name(Some(name.into()));
                self
            }

            /// The constraint name, if any.
            pub fn name(&self) -> Option<String> {
                lock(&self.inner.name).clone()
            }

            /// Sets or clears the name, also after creation (a naming
            /// convention listener does this in `after_parent_attach`).
            pub fn set_name(&self, name: Option<String>) {
                *lock(&self.inner.name) = name;
            }

            /// The names of the constrained columns.
            pub fn columns(&self) -> Vec<String> {
                lock(&self.inner.columns).clone()
            }

            /// The table the constraint is attached to.
            pub fn table(&self) -> Option<Table> {
                lock(&self.inner.table)
                    .upgrade()
                    .map(|inner| Table { inner })
            }

            fn attach_to(&self, table: &Table) {
                *lock(&self.inner.table) = Arc::downgrade(&table.inner);
            }

            fn is_attached(&self) -> bool {
                lock(&self.inner.table).strong_count() > 0
            }

            fn copy(&self) -> Self {
                let copy = $ty::new(self.columns());
                copy.set_name(self.name());
                hooks::copy_listeners::<dyn DDLEvents, $ty>(self, &copy, hooks::Carry::Propagated);
                copy
            }

            /// Whether `other` is a handle to this very constraint.
            pub fn same_constraint(&self, other: &$ty) -> bool {
                Arc::ptr_eq(&self.inner, &other.inner)
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty))
                    .field("name", &self.name())
                    .field("columns", &self.columns())
                    .finish()
            }
        }
    };
}

/// A `UNIQUE` constraint over one or more columns.
///
/// ```
/// use hooks_sql::UniqueConstraint;
///
/// let uq = UniqueConstraint::new(["email"]);
/// assert_eq!(uq.name(), None);
/// uq.set_name(Some("uq_user_email".into()));
/// assert_eq!(uq.name().as_deref(), Some("uq_user_email"));
/// ```
#[hooks::target(DDLEvents(events = inner.events))]
#[derive(Clone)]
pub struct UniqueConstraint {
    inner: Arc<ConstraintInner>,
}

constraint_common!(UniqueConstraint);

/// A table's `PRIMARY KEY` constraint. Every table has one (possibly over no
/// column); columns built with [`Column::primary_key`] join it.
#[hooks::target(DDLEvents(events = inner.events))]
#[derive(Clone)]
pub struct PrimaryKey {
    inner: Arc<ConstraintInner>,
}

constraint_common!(PrimaryKey);

impl PrimaryKey {
    fn push_column(&self, name: String) {
        let mut columns = lock(&self.inner.columns);
        if !columns.contains(&name) {
            columns.push(name);
        }
    }
}

/// A table-level constraint, for [`TableBuilder::constraint`] and
/// [`Table::append_constraint`].
#[derive(Debug, Clone)]
pub enum Constraint {
    /// A unique constraint.
    Unique(UniqueConstraint),
    /// An explicit primary key (replaces the one built from column flags).
    PrimaryKey(PrimaryKey),
}

impl From<UniqueConstraint> for Constraint {
    fn from(c: UniqueConstraint) -> Self {
        Constraint::Unique(c)
    }
}

impl From<PrimaryKey> for Constraint {
    fn from(c: PrimaryKey) -> Self {
        Constraint::PrimaryKey(c)
    }
}

/// The object a DDL event is about (its `target` or `parent`).
#[derive(Debug, Clone, Copy)]
pub enum SchemaEventTarget<'a> {
    /// A metadata collection.
    MetaData(&'a MetaData),
    /// A table.
    Table(&'a Table),
    /// A column.
    Column(&'a Column),
    /// A unique constraint.
    UniqueConstraint(&'a UniqueConstraint),
    /// A primary key constraint.
    PrimaryKey(&'a PrimaryKey),
}

impl<'a> SchemaEventTarget<'a> {
    /// The metadata, if the event is about one.
    pub fn as_metadata(self) -> Option<&'a MetaData> {
        match self {
            SchemaEventTarget::MetaData(m) => Some(m),
            _ => None,
        }
    }

    /// The table, if the event is about one.
    pub fn as_table(self) -> Option<&'a Table> {
        match self {
            SchemaEventTarget::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The column, if the event is about one.
    pub fn as_column(self) -> Option<&'a Column> {
        match self {
            SchemaEventTarget::Column(c) => Some(c),
            _ => None,
        }
    }

    /// The unique constraint, if the event is about one.
    pub fn as_unique_constraint(self) -> Option<&'a UniqueConstraint> {
        match self {
            SchemaEventTarget::UniqueConstraint(u) => Some(u),
            _ => None,
        }
    }

    /// The primary key, if the event is about one.
    pub fn as_primary_key(self) -> Option<&'a PrimaryKey> {
        match self {
            SchemaEventTarget::PrimaryKey(p) => Some(p),
            _ => None,
        }
    }

    /// The typed dispatcher of the object this is about.
    pub(crate) fn dispatch(self) -> crate::events::ddl_events::Dispatcher<'a> {
        use hooks::HasEvents;
        match self {
            SchemaEventTarget::MetaData(m) => m.dispatch(),
            SchemaEventTarget::Table(t) => t.dispatch(),
            SchemaEventTarget::Column(c) => c.dispatch(),
            SchemaEventTarget::UniqueConstraint(u) => u.dispatch(),
            SchemaEventTarget::PrimaryKey(p) => p.dispatch(),
        }
    }
}

impl fmt::Display for SchemaEventTarget<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaEventTarget::MetaData(_) => f.write_str("metadata"),
            SchemaEventTarget::Table(t) => write!(f, "table {}", t.name()),
            SchemaEventTarget::Column(c) => write!(f, "column {}", c.name()),
            SchemaEventTarget::UniqueConstraint(u) => {
                write!(f, "unique ({})", u.columns().join(", "))
            }
            SchemaEventTarget::PrimaryKey(p) => {
                write!(f, "primary_key ({})", p.columns().join(", "))
            }
        }
    }
}

/// The keyword arguments of `before_create`/`after_create`/`before_drop`/
/// `after_drop`.
#[derive(Debug, Clone)]
pub struct DdlOptions {
    checkfirst: bool,
    is_metadata_operation: bool,
    tables: Vec<Table>,
}

impl DdlOptions {
    /// Whether existence was checked first.
    pub fn checkfirst(&self) -> bool {
        self.checkfirst
    }

    /// For table events: whether the table is created/dropped as part of a
    /// metadata-wide `create_all`/`drop_all`.
    pub fn is_metadata_operation(&self) -> bool {
        self.is_metadata_operation
    }

    /// For metadata events: the tables that will be created/dropped.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }
}

/// Where DDL and reflection run: an engine (a new connection, in a
/// committed transaction) or an existing connection (in its transaction,
/// which the caller commits).
#[derive(Debug, Clone, Copy)]
pub enum Bind<'a> {
    /// Use a new connection from this engine.
    Engine(&'a Engine),
    /// Use this connection.
    Connection(&'a Connection),
}

impl<'a> From<&'a Engine> for Bind<'a> {
    fn from(engine: &'a Engine) -> Self {
        Bind::Engine(engine)
    }
}

impl<'a> From<&'a Connection> for Bind<'a> {
    fn from(conn: &'a Connection) -> Self {
        Bind::Connection(conn)
    }
}

impl Bind<'_> {
    fn run<R>(self, f: impl FnOnce(&Connection) -> Result<R, Error>) -> Result<R, Error> {
        match self {
            Bind::Engine(engine) => engine.begin(f),
            Bind::Connection(conn) => f(conn),
        }
    }
}

#[derive(Default)]
struct MetaDataInner {
    events: hooks::Events<dyn DDLEvents>,
    tables: Mutex<Vec<Table>>,
}

/// A collection of tables.
///
/// ```
/// use hooks_sql::{Column, ColumnType, MetaData, Table, create_engine};
///
/// let engine = create_engine("sqlite://")?;
/// let metadata = MetaData::new();
/// Table::builder("users")
///     .column(Column::new("id", ColumnType::Integer).primary_key(true))
///     .column(Column::new("name", ColumnType::Text))
///     .build(&metadata)?;
/// metadata.create_all(&engine, true)?;
///
/// let reflected = MetaData::new();
/// reflected.reflect(&engine)?;
/// let users = reflected.table("users").expect("reflected");
/// assert_eq!(users.column_names(), ["id", "name"]);
/// assert_eq!(users.primary_key().columns(), ["id"]);
/// # Ok::<(), hooks_sql::Error>(())
/// ```
#[hooks::target(DDLEvents(events = inner.events))]
#[derive(Clone, Default)]
pub struct MetaData {
    inner: Arc<MetaDataInner>,
}

impl MetaData {
    /// An empty collection.
    pub fn new() -> Self {
        MetaData::default()
    }

    /// The tables, in definition order.
    pub fn tables(&self) -> Vec<Table> {
        lock(&self.inner.tables).clone()
    }

    /// The tables in creation order (definition order: there are no foreign
    /// keys to sort by).
    pub fn sorted_tables(&self) -> Vec<Table> {
        self.tables()
    }

    /// The table called `name`.
    pub fn table(&self, name: &str) -> Option<Table> {
        lock(&self.inner.tables)
            .iter()
            .find(|t| t.name() == name)
            .cloned()
    }

    /// Removes `table` from the collection.
    pub fn remove(&self, table: &Table) {
        lock(&self.inner.tables).retain(|t| !t.same_table(table));
    }

    /// Whether `other` is a handle to this very collection.
    pub fn same_metadata(&self, other: &MetaData) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Creates every table (those that do not exist yet when `checkfirst`),
    /// firing metadata-level `before_create`/`after_create` around the
    /// table-level ones.
    ///
    /// # Errors
    ///
    /// The first DDL error.
    pub fn create_all<'a>(&self, bind: impl Into<Bind<'a>>, checkfirst: bool) -> Result<(), Error> {
        bind.into()
            .run(|conn| ddl::create_all(self, conn, checkfirst))
    }

    /// Drops every table in reverse order (those that exist when
    /// `checkfirst`).
    ///
    /// # Errors
    ///
    /// The first DDL error.
    pub fn drop_all<'a>(&self, bind: impl Into<Bind<'a>>, checkfirst: bool) -> Result<(), Error> {
        bind.into()
            .run(|conn| ddl::drop_all(self, conn, checkfirst))
    }

    /// Loads every database table not yet in this collection; returns the
    /// tables added.
    ///
    /// # Errors
    ///
    /// SQL errors, or [`Error::Argument`] when a `column_reflect` listener
    /// produced an invalid definition.
    pub fn reflect<'a>(&self, bind: impl Into<Bind<'a>>) -> Result<Vec<Table>, Error> {
        bind.into()
            .run(|conn| reflect::reflect_metadata(self, conn))
    }

    fn push(&self, table: Table) {
        lock(&self.inner.tables).push(table);
    }
}

impl fmt::Debug for MetaData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<_> = self.tables().iter().map(|t| t.name().to_owned()).collect();
        f.debug_struct("MetaData").field("tables", &names).finish()
    }
}

pub(crate) struct TableInner {
    events: hooks::Events<dyn DDLEvents>,
    name: String,
    metadata: Weak<MetaDataInner>,
    columns: Mutex<Vec<Column>>,
    uniques: Mutex<Vec<UniqueConstraint>>,
    primary_key: Mutex<PrimaryKey>,
}

/// A table, always belonging to one [`MetaData`].
#[hooks::target(DDLEvents(events = inner.events))]
#[derive(Clone)]
pub struct Table {
    inner: Arc<TableInner>,
}

/// Builds a [`Table`]; see [`Table::builder`].
#[derive(Debug)]
#[must_use = "call `build` to create the table"]
pub struct TableBuilder {
    origin: Option<Table>,
    name: String,
    columns: Vec<Column>,
    constraints: Vec<Constraint>,
}

impl TableBuilder {
    /// Adds a column.
    pub fn column(mut self, column: Column) -> Self {
        self.columns.push(column);
        self
    }

    /// Adds a constraint.
    pub fn constraint(mut self, constraint: impl Into<Constraint>) -> Self {
        self.constraints.push(constraint.into());
        self
    }

    /// Creates the table in `metadata`, firing the attach events: table →
    /// metadata (`before_parent_attach` first, `after_parent_attach` last),
    /// and in between each column, the primary key and each unique
    /// constraint → table.
    ///
    /// # Errors
    ///
    /// [`Error::Argument`] for a duplicate table or column name, an object
    /// already attached elsewhere, a constraint naming an unknown column, or
    /// two primary keys. Nothing is attached then.
    pub fn build(self, metadata: &MetaData) -> Result<Table, Error> {
        self.validate(metadata)?;
        let mut explicit_pk = None;
        let mut uniques = Vec::new();
        for constraint in self.constraints {
            match constraint {
                Constraint::PrimaryKey(pk) => explicit_pk = Some(pk),
                Constraint::Unique(u) => uniques.push(u),
            }
        }
        let table = Table::begin(&self.name, metadata, self.origin.as_ref())?;
        let result = table.finish_build(&self.columns, explicit_pk, uniques, metadata);
        if result.is_err() {
            metadata.remove(&table);
        }
        result.map(|()| table)
    }

    fn validate(&self, metadata: &MetaData) -> Result<(), Error> {
        if metadata.table(&self.name).is_some() {
            return Err(Error::Argument(format!(
                "table `{}` is already defined in this metadata",
                self.name
            )));
        }
        let names: Vec<String> = self.columns.iter().map(Column::name).collect();
        for (i, column) in self.columns.iter().enumerate() {
            check_column_free(column, &names[..i], &self.name)?;
        }
        let explicit = self
            .constraints
            .iter()
            .filter(|c| matches!(c, Constraint::PrimaryKey(_)))
            .count();
        if explicit > 1 {
            return Err(Error::Argument(format!(
                "table `{}` has two primary keys",
                self.name
            )));
        }
        self.constraints
            .iter()
            .try_for_each(|c| check_constraint(c, &names, &self.name))
    }
}

fn check_column_free(column: &Column, existing: &[String], table: &str) -> Result<(), Error> {
    let name = column.name();
    if existing.contains(&name) {
        return Err(Error::Argument(format!(
            "column `{name}` appears twice in table `{table}`"
        )));
    }
    if let Some(owner) = column.table() {
        return Err(Error::Argument(format!(
            "column `{name}` already belongs to table `{}`",
            owner.name()
        )));
    }
    Ok(())
}

fn check_constraint(constraint: &Constraint, names: &[String], table: &str) -> Result<(), Error> {
    let (attached, columns) = match constraint {
        Constraint::Unique(u) => (u.is_attached(), u.columns()),
        Constraint::PrimaryKey(p) => (p.is_attached(), p.columns()),
    };
    if attached {
        return Err(Error::Argument(
            "constraint already belongs to a table".into(),
        ));
    }
    match columns.iter().find(|c| !names.contains(c)) {
        Some(missing) => Err(Error::Argument(format!(
            "constraint refers to unknown column `{missing}` of table `{table}`"
        ))),
        None => Ok(()),
    }
}

fn attach(target: SchemaEventTarget<'_>, parent: SchemaEventTarget<'_>, link: impl FnOnce()) {
    target.dispatch().before_parent_attach(target, parent);
    link();
    target.dispatch().after_parent_attach(target, parent);
}

impl Table {
    /// Starts building a table called `name`.
    ///
    /// ```
    /// use hooks_sql::{Column, ColumnType, MetaData, Table, UniqueConstraint};
    ///
    /// let metadata = MetaData::new();
    /// let users = Table::builder("users")
    ///     .column(Column::new("id", ColumnType::Integer).primary_key(true))
    ///     .column(Column::new("email", ColumnType::Text).nullable(false))
    ///     .constraint(UniqueConstraint::new(["email"]).named("uq_users_email"))
    ///     .build(&metadata)?;
    /// assert_eq!(users.primary_key().columns(), ["id"]);
    /// assert!(metadata.table("users").is_some());
    /// # Ok::<(), hooks_sql::Error>(())
    /// ```
    pub fn builder(name: impl Into<String>) -> TableBuilder {
        TableBuilder {
            origin: None,
            name: name.into(),
            columns: Vec::new(),
            constraints: Vec::new(),
        }
    }

    /// Creates the (empty) table object and fires the first half of its
    /// attachment to `metadata`.
    ///
    /// A table copied from `origin` receives its `propagate` listeners
    /// before any of its events fires.
    fn begin(name: &str, metadata: &MetaData, origin: Option<&Table>) -> Result<Table, Error> {
        if metadata.table(name).is_some() {
            return Err(Error::Argument(format!(
                "table `{name}` is already defined in this metadata"
            )));
        }
        let table = Table {
            inner: Arc::new(TableInner {
                events: hooks::Events::new(),
                name: name.to_owned(),
                metadata: Arc::downgrade(&metadata.inner),
                columns: Mutex::new(Vec::new()),
                uniques: Mutex::new(Vec::new()),
                primary_key: Mutex::new(PrimaryKey::new(Vec::<String>::new())),
            }),
        };
        if let Some(origin) = origin {
            hooks::copy_listeners::<dyn DDLEvents, Table>(origin, &table, hooks::Carry::Propagated);
        }
        let target = SchemaEventTarget::Table(&table);
        target
            .dispatch()
            .before_parent_attach(target, SchemaEventTarget::MetaData(metadata));
        metadata.push(table.clone());
        Ok(table)
    }

    fn finish_build(
        &self,
        columns: &[Column],
        explicit_pk: Option<PrimaryKey>,
        uniques: Vec<UniqueConstraint>,
        metadata: &MetaData,
    ) -> Result<(), Error> {
        for column in columns {
            self.append_column(column)?;
        }
        let pk = explicit_pk.unwrap_or_else(|| self.primary_key());
        self.attach_primary_key(&pk)?;
        for unique in uniques {
            self.append_constraint(unique)?;
        }
        let target = SchemaEventTarget::Table(self);
        target
            .dispatch()
            .after_parent_attach(target, SchemaEventTarget::MetaData(metadata));
        Ok(())
    }

    /// The table name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The metadata the table belongs to (while it is alive).
    pub fn metadata(&self) -> Option<MetaData> {
        self.inner
            .metadata
            .upgrade()
            .map(|inner| MetaData { inner })
    }

    /// The columns, in order.
    pub fn columns(&self) -> Vec<Column> {
        lock(&self.inner.columns).clone()
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<Column> {
        lock(&self.inner.columns)
            .iter()
            .find(|c| c.name() == name)
            .cloned()
    }

    /// The column names, in order.
    pub fn column_names(&self) -> Vec<String> {
        lock(&self.inner.columns).iter().map(Column::name).collect()
    }

    /// The primary key constraint.
    pub fn primary_key(&self) -> PrimaryKey {
        lock(&self.inner.primary_key).clone()
    }

    /// The unique constraints.
    pub fn unique_constraints(&self) -> Vec<UniqueConstraint> {
        lock(&self.inner.uniques).clone()
    }

    /// Whether `other` is a handle to this very table.
    pub fn same_table(&self, other: &Table) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Appends a column, firing `before_parent_attach`/`after_parent_attach`.
    ///
    /// # Errors
    ///
    /// [`Error::Argument`] for a duplicate name or a column attached
    /// elsewhere.
    pub fn append_column(&self, column: &Column) -> Result<(), Error> {
        check_column_free(column, &self.column_names(), self.name())?;
        attach(
            SchemaEventTarget::Column(column),
            SchemaEventTarget::Table(self),
            || {
                *lock(&column.inner.table) = Arc::downgrade(&self.inner);
                lock(&self.inner.columns).push(column.clone());
            },
        );
        if column.is_primary_key() {
            self.primary_key().push_column(column.name());
        }
        Ok(())
    }

    /// Appends a unique constraint, or replaces the primary key, firing the
    /// attach events.
    ///
    /// # Errors
    ///
    /// [`Error::Argument`] for a constraint attached elsewhere or naming an
    /// unknown column.
    pub fn append_constraint(&self, constraint: impl Into<Constraint>) -> Result<(), Error> {
        let constraint = constraint.into();
        check_constraint(&constraint, &self.column_names(), self.name())?;
        match constraint {
            Constraint::PrimaryKey(pk) => self.attach_primary_key(&pk),
            Constraint::Unique(unique) => {
                attach(
                    SchemaEventTarget::UniqueConstraint(&unique),
                    SchemaEventTarget::Table(self),
                    || {
                        unique.attach_to(self);
                        lock(&self.inner.uniques).push(unique.clone());
                    },
                );
                Ok(())
            }
        }
    }

    fn attach_primary_key(&self, pk: &PrimaryKey) -> Result<(), Error> {
        check_constraint(
            &Constraint::PrimaryKey(pk.clone()),
            &self.column_names(),
            self.name(),
        )?;
        attach(
            SchemaEventTarget::PrimaryKey(pk),
            SchemaEventTarget::Table(self),
            || {
                pk.attach_to(self);
                *lock(&self.inner.primary_key) = pk.clone();
                let key_columns = pk.columns();
                for column in self.columns() {
                    column.set_primary_key(key_columns.contains(&column.name()));
                }
            },
        );
        Ok(())
    }

    /// Creates the table (unless it exists and `checkfirst`), firing
    /// table-level `before_create`/`after_create`.
    ///
    /// # Errors
    ///
    /// The DDL error.
    pub fn create<'a>(&self, bind: impl Into<Bind<'a>>, checkfirst: bool) -> Result<(), Error> {
        bind.into()
            .run(|conn| ddl::create_table(self, conn, checkfirst))
    }

    /// Drops the table (unless it is missing and `checkfirst`), firing
    /// table-level `before_drop`/`after_drop`.
    ///
    /// # Errors
    ///
    /// The DDL error.
    pub fn drop<'a>(&self, bind: impl Into<Bind<'a>>, checkfirst: bool) -> Result<(), Error> {
        bind.into()
            .run(|conn| ddl::drop_table(self, conn, checkfirst))
    }

    /// Loads the database table `name` into `metadata` (or returns the table
    /// already there). Each column's [`ReflectedColumn`] passes through the
    /// `column_reflect` event before its [`Column`] is built.
    ///
    /// ```
    /// use hooks_sql::{MetaData, Table, create_engine};
    ///
    /// let engine = create_engine("sqlite://")?;
    /// engine.begin(|conn| {
    ///     conn.exec_driver_sql("CREATE TABLE items (id INTEGER PRIMARY KEY, label VARCHAR(20) NOT NULL)", ())
    /// })?;
    /// let items = Table::reflect("items", &MetaData::new(), &engine)?;
    /// let label = items.column("label").expect("reflected");
    /// assert!(!label.is_nullable());
    /// assert_eq!(label.column_type(), hooks_sql::ColumnType::Varchar(Some(20)));
    /// # Ok::<(), hooks_sql::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchTable`], SQL errors, or [`Error::Argument`] when a
    /// listener produced an invalid definition.
    pub fn reflect<'a>(
        name: &str,
        metadata: &MetaData,
        bind: impl Into<Bind<'a>>,
    ) -> Result<Table, Error> {
        bind.into()
            .run(|conn| reflect::reflect_table(metadata, name, conn))
    }

    /// Copies this table (fresh columns and constraints, same names) into
    /// `metadata`; returns the table already there if the name is taken.
    ///
    /// DDL listeners registered with `propagate` on this table, its columns
    /// or its constraints are copied to their copies before the copies are
    /// attached, so they see the copies' attach events too.
    ///
    /// # Errors
    ///
    /// As [`TableBuilder::build`].
    pub fn to_metadata(&self, metadata: &MetaData) -> Result<Table, Error> {
        if let Some(existing) = metadata.table(self.name()) {
            return Ok(existing);
        }
        let mut builder = Table::builder(self.name());
        builder.origin = Some(self.clone());
        for column in self.columns() {
            builder = builder.column(column.copy());
        }
        builder = builder.constraint(self.primary_key().copy());
        for unique in self.unique_constraints() {
            builder = builder.constraint(unique.copy());
        }
        builder.build(metadata)
    }

    /// `INSERT` of every column, with named parameters `:column`.
    pub fn insert(&self) -> Statement {
        Statement::insert(self)
    }

    /// `SELECT` of every column.
    pub fn select(&self) -> Statement {
        Statement::select(self)
    }
}

impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.inner.name)
            .field("columns", &self.column_names())
            .finish_non_exhaustive()
    }
}
