//! [`DDLEvents`]: schema objects created, dropped, attached and reflected.

use crate::connection::Connection;
use crate::schema::{DdlOptions, Inspector, ReflectedColumn, SchemaEventTarget, Table};

/// The events of schema objects: [`MetaData`](crate::MetaData),
/// [`Table`], [`Column`](crate::Column),
/// [`UniqueConstraint`](crate::UniqueConstraint) and
/// [`PrimaryKey`](crate::PrimaryKey).
///
/// Each event fires on the object it is about (its `target`): a listener on
/// a table sees that table's `before_create`, not the metadata's, and the
/// reverse. The object arrives as a [`SchemaEventTarget`]; its `as_*`
/// methods give the concrete type.
///
/// The family accepts `propagate`: a listener registered with
/// [`Modifiers::PROPAGATE`](hooks::Modifiers::PROPAGATE) on a table, column
/// or constraint is copied to the copies [`Table::to_metadata`] (and
/// [`Column::copy`](crate::Column::copy)) make, before they are attached.
#[hooks::events(
    propagate,
    targets(Table, Column, MetaData, PrimaryKey, UniqueConstraint)
)]
pub trait DDLEvents {
    /// A `CREATE` is about to run.
    ///
    /// For a table: before its `CREATE TABLE`, on `connection`, inside the
    /// transaction of the operation; `kw` says whether existence was
    /// checked first and whether it is part of a
    /// [`MetaData::create_all`](crate::MetaData::create_all). For a
    /// metadata: before `create_all` creates anything; `kw.tables()` are the
    /// tables it will create. Statements a listener runs on `connection` are
    /// part of the same transaction.
    fn before_create(target: SchemaEventTarget<'_>, connection: &Connection, kw: &DdlOptions);

    /// A `CREATE` ran: the table exists in `sqlite_master` (or, for a
    /// metadata, every table of `kw.tables()` does). A typical listener runs
    /// follow-up DDL on `connection` (an index, an `ALTER TABLE`, seed
    /// rows).
    fn after_create(target: SchemaEventTarget<'_>, connection: &Connection, kw: &DdlOptions);

    /// A `DROP` is about to run: before a table's `DROP TABLE`, or before a
    /// metadata's `drop_all` drops anything (in reverse order).
    fn before_drop(target: SchemaEventTarget<'_>, connection: &Connection, kw: &DdlOptions);

    /// A `DROP` ran: the table (or every table of the metadata operation) is
    /// gone.
    fn after_drop(target: SchemaEventTarget<'_>, connection: &Connection, kw: &DdlOptions);

    /// `target` is about to be associated with `parent`: a column, primary
    /// key or unique constraint with its table, a table with its metadata.
    /// Fires on the `target`.
    fn before_parent_attach(target: SchemaEventTarget<'_>, parent: SchemaEventTarget<'_>);

    /// `target` was associated with `parent`; it is reachable from the
    /// parent now. A naming-convention listener sets constraint names here
    /// (see [`UniqueConstraint::set_name`](crate::UniqueConstraint::set_name)).
    /// A table's own `after_parent_attach` (to its metadata) fires after all
    /// its columns and constraints were attached.
    fn after_parent_attach(target: SchemaEventTarget<'_>, parent: SchemaEventTarget<'_>);

    /// Reflection read one column of `table` from SQLite (`PRAGMA
    /// table_info`) and is about to build its [`Column`](crate::Column).
    ///
    /// Listeners may change `column_info` (rename the column, change its
    /// type, nullability or default); constraints follow a renamed column.
    /// Fires on the table being reflected, then on its metadata: listen on
    /// the `Table` type, or on a [`MetaData`](crate::MetaData) to cover every
    /// table reflected into it.
    fn column_reflect(inspector: &Inspector<'_>, table: &Table, column_info: &mut ReflectedColumn);
}
