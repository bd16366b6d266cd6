//! DDL: rendering `CREATE TABLE` and running create/drop with their events.

use super::{Column, DdlOptions, Inspector, MetaData, SchemaEventTarget, Table};
use crate::connection::Connection;
use crate::dialect::Dialect;
use crate::error::Error;
use crate::statement::Statement;

/// The `CREATE TABLE` statement for `table`.
pub(crate) fn create_table_sql(table: &Table, dialect: &Dialect) -> String {
    let mut lines: Vec<String> = table
        .columns()
        .iter()
        .map(|c| column_sql(c, dialect))
        .collect();
    let pk = table.primary_key();
    if !pk.columns().is_empty() {
        lines.push(constraint_sql(
            pk.name(),
            "PRIMARY KEY",
            &pk.columns(),
            dialect,
        ));
    }
    for unique in table.unique_constraints() {
        lines.push(constraint_sql(
            unique.name(),
            "UNIQUE",
            &unique.columns(),
            dialect,
        ));
    }
    format!(
        "CREATE TABLE {} (\n\t{}\n)",
        dialect.quote_identifier(table.name()),
        lines.join(",\n\t")
    )
}

fn column_sql(column: &Column, dialect: &Dialect) -> String {
    let mut sql = dialect.quote_identifier(&column.name());
    let type_sql = column.column_type().sql();
    if !type_sql.is_empty() {
        sql.push(' ');
        sql.push_str(&type_sql);
    }
    if !column.is_nullable() {
        sql.push_str(" NOT NULL");
    }
    if let Some(default) = column.default() {
        sql.push_str(" DEFAULT ");
        sql.push_str(&default);
    }
    if let Some(target) = column.foreign_key() {
        let (table, referenced) = target.split_once('.').unwrap_or((target.as_str(), "id"));
        sql.push_str(" REFERENCES ");
        sql.push_str(&dialect.quote_identifier(table));
        sql.push_str(" (");
        sql.push_str(&dialect.quote_identifier(referenced));
        sql.push(')');
    }
    sql
}

fn constraint_sql(
    name: Option<String>,
    kind: &str,
    columns: &[String],
    dialect: &Dialect,
) -> String {
    let quoted: Vec<_> = columns
        .iter()
        .map(|c| dialect.quote_identifier(c))
        .collect();
    let prefix = name.map_or_else(String::new, |n| {
        format!("CONSTRAINT {} ", dialect.quote_identifier(&n))
    });
    format!("{prefix}{kind} ({})", quoted.join(", "))
}

fn existing(
    tables: Vec<Table>,
    conn: &Connection,
    want_existing: bool,
) -> Result<Vec<Table>, Error> {
    let inspector = Inspector::new(conn);
    let mut kept = Vec::new();
    for table in tables {
        if inspector.has_table(table.name())? == want_existing {
            kept.push(table);
        }
    }
    Ok(kept)
}

pub(crate) fn create_all(
    metadata: &MetaData,
    conn: &Connection,
    checkfirst: bool,
) -> Result<(), Error> {
    let mut tables = metadata.sorted_tables();
    if checkfirst {
        tables = existing(tables, conn, false)?;
    }
    let kw = DdlOptions {
        checkfirst,
        is_metadata_operation: false,
        tables: tables.clone(),
    };
    let metadata_target = SchemaEventTarget::MetaData(metadata);
    metadata_target
        .dispatch()
        .before_create(metadata_target, conn, &kw);
    for table in &tables {
        emit_create(table, conn, checkfirst, true)?;
    }
    metadata_target
        .dispatch()
        .after_create(metadata_target, conn, &kw);
    Ok(())
}

pub(crate) fn drop_all(
    metadata: &MetaData,
    conn: &Connection,
    checkfirst: bool,
) -> Result<(), Error> {
    let mut tables = metadata.sorted_tables();
    tables.reverse();
    if checkfirst {
        tables = existing(tables, conn, true)?;
    }
    let kw = DdlOptions {
        checkfirst,
        is_metadata_operation: false,
        tables: tables.clone(),
    };
    let metadata_target = SchemaEventTarget::MetaData(metadata);
    metadata_target
        .dispatch()
        .before_drop(metadata_target, conn, &kw);
    for table in &tables {
        emit_drop(table, conn, checkfirst, true)?;
    }
    metadata_target
        .dispatch()
        .after_drop(metadata_target, conn, &kw);
    Ok(())
}

pub(crate) fn create_table(
    table: &Table,
    conn: &Connection,
    checkfirst: bool,
) -> Result<(), Error> {
    if checkfirst && Inspector::new(conn).has_table(table.name())? {
        return Ok(());
    }
    emit_create(table, conn, checkfirst, false)
}

pub(crate) fn drop_table(table: &Table, conn: &Connection, checkfirst: bool) -> Result<(), Error> {
    if checkfirst && !Inspector::new(conn).has_table(table.name())? {
        return Ok(());
    }
    emit_drop(table, conn, checkfirst, false)
}

fn table_kw(checkfirst: bool, is_metadata_operation: bool) -> DdlOptions {
    DdlOptions {
        checkfirst,
        is_metadata_operation,
        tables: Vec::new(),
    }
}

fn emit_create(
    table: &Table,
    conn: &Connection,
    checkfirst: bool,
    in_metadata: bool,
) -> Result<(), Error> {
    let kw = table_kw(checkfirst, in_metadata);
    let table_target = SchemaEventTarget::Table(table);
    table_target
        .dispatch()
        .before_create(table_target, conn, &kw);
    conn.execute(Statement::create_table(table), ())?;
    table_target
        .dispatch()
        .after_create(table_target, conn, &kw);
    Ok(())
}

fn emit_drop(
    table: &Table,
    conn: &Connection,
    checkfirst: bool,
    in_metadata: bool,
) -> Result<(), Error> {
    let kw = table_kw(checkfirst, in_metadata);
    let table_target = SchemaEventTarget::Table(table);
    table_target.dispatch().before_drop(table_target, conn, &kw);
    conn.execute(Statement::drop_table(table), ())?;
    table_target.dispatch().after_drop(table_target, conn, &kw);
    Ok(())
}
