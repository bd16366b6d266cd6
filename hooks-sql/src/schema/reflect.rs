//! Reflection: reading table definitions back from `sqlite_master` and
//! `PRAGMA table_info` / `index_list` / `index_info`.

use std::collections::HashMap;

use hooks::HasEvents;

use super::{Column, ColumnType, MetaData, PrimaryKey, Table, UniqueConstraint};
use crate::connection::Connection;
use crate::error::Error;
use crate::value::{Params, Row};

/// One reflected column, before its [`Column`] is built. `column_reflect`
/// listeners may change any field.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReflectedColumn {
    /// The column name.
    pub name: String,
    /// The type, from the declared type.
    pub column_type: ColumnType,
    /// Whether `NULL` is accepted.
    pub nullable: bool,
    /// The SQL text of the `DEFAULT` clause.
    pub default: Option<String>,
}

/// A reflected unique constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReflectedUniqueConstraint {
    /// The name given in `CONSTRAINT name UNIQUE (...)`, if any.
    pub name: Option<String>,
    /// The constrained column names.
    pub columns: Vec<String>,
}

/// Reads schema information through a [`Connection`] (the cursor events see
/// every query it runs).
#[derive(Debug, Clone)]
pub struct Inspector<'a> {
    conn: &'a Connection,
}

impl<'a> Inspector<'a> {
    /// An inspector using `conn`.
    pub fn new(conn: &'a Connection) -> Self {
        Inspector { conn }
    }

    /// The connection used.
    pub fn connection(&self) -> &'a Connection {
        self.conn
    }

    /// The names of all user tables, sorted.
    ///
    /// # Errors
    ///
    /// The SQL error.
    pub fn table_names(&self) -> Result<Vec<String>, Error> {
        let result = self.conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
            (),
        )?;
        result.rows().iter().map(|r| r.get::<String>(0)).collect()
    }

    /// Whether the table exists.
    ///
    /// # Errors
    ///
    /// The SQL error.
    pub fn has_table(&self, name: &str) -> Result<bool, Error> {
        let result = self.conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            Params::positional([name]),
        )?;
        Ok(result.first().is_some())
    }

    /// The table's columns (empty if the table does not exist).
    ///
    /// # Errors
    ///
    /// The SQL error.
    pub fn columns(&self, table: &str) -> Result<Vec<ReflectedColumn>, Error> {
        Ok(self
            .table_info(table)?
            .into_iter()
            .map(|(c, _)| c)
            .collect())
    }

    /// The primary key column names, in key order.
    ///
    /// # Errors
    ///
    /// The SQL error.
    pub fn primary_key(&self, table: &str) -> Result<Vec<String>, Error> {
        let mut keyed: Vec<_> = self
            .table_info(table)?
            .into_iter()
            .filter(|(_, pk)| *pk > 0)
            .map(|(c, pk)| (pk, c.name))
            .collect();
        keyed.sort_by_key(|(pk, _)| *pk);
        Ok(keyed.into_iter().map(|(_, name)| name).collect())
    }

    /// The unique constraints (not plain unique indexes).
    ///
    /// # Errors
    ///
    /// The SQL error.
    pub fn unique_constraints(&self, table: &str) -> Result<Vec<ReflectedUniqueConstraint>, Error> {
        let quoted = self.conn.dialect().quote_identifier(table);
        let indexes = self
            .conn
            .exec_driver_sql(&format!("PRAGMA index_list({quoted})"), ())?;
        let names = parse_unique_names(&self.table_sql(table)?);
        let mut found = Vec::new();
        for index in indexes.rows() {
            if index.get_named::<String>("origin")? != "u" {
                continue;
            }
            let columns = self.index_columns(&index.get_named::<String>("name")?)?;
            let name = names
                .iter()
                .find(|(_, cols)| *cols == columns)
                .map(|(n, _)| n.clone());
            found.push(ReflectedUniqueConstraint { name, columns });
        }
        Ok(found)
    }

    fn index_columns(&self, index: &str) -> Result<Vec<String>, Error> {
        let quoted = self.conn.dialect().quote_identifier(index);
        let info = self
            .conn
            .exec_driver_sql(&format!("PRAGMA index_info({quoted})"), ())?;
        info.rows()
            .iter()
            .map(|r| r.get_named::<String>("name"))
            .collect()
    }

    fn table_sql(&self, table: &str) -> Result<String, Error> {
        let result = self.conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
            Params::positional([table]),
        )?;
        Ok(result
            .first()
            .map(|r| r.get::<Option<String>>(0))
            .transpose()?
            .flatten()
            .unwrap_or_default())
    }

    fn table_info(&self, table: &str) -> Result<Vec<(ReflectedColumn, i64)>, Error> {
        let quoted = self.conn.dialect().quote_identifier(table);
        let info = self
            .conn
            .exec_driver_sql(&format!("PRAGMA table_info({quoted})"), ())?;
        info.rows().iter().map(column_from_row).collect()
    }
}

fn column_from_row(row: &Row) -> Result<(ReflectedColumn, i64), Error> {
    let column = ReflectedColumn {
        name: row.get_named("name")?,
        column_type: ColumnType::from_declared(&row.get_named::<String>("type")?),
        nullable: !row.get_named::<bool>("notnull")?,
        default: row.get_named("dflt_value")?,
    };
    Ok((column, row.get_named("pk")?))
}

pub(super) fn reflect_metadata(
    metadata: &MetaData,
    conn: &Connection,
) -> Result<Vec<Table>, Error> {
    let mut added = Vec::new();
    for name in Inspector::new(conn).table_names()? {
        if metadata.table(&name).is_none() {
            added.push(reflect_table(metadata, &name, conn)?);
        }
    }
    Ok(added)
}

pub(super) fn reflect_table(
    metadata: &MetaData,
    name: &str,
    conn: &Connection,
) -> Result<Table, Error> {
    if let Some(existing) = metadata.table(name) {
        return Ok(existing);
    }
    let inspector = Inspector::new(conn);
    let info = inspector.table_info(name)?;
    if info.is_empty() {
        return Err(Error::NoSuchTable(name.to_owned()));
    }
    let uniques = inspector.unique_constraints(name)?;
    let table = Table::begin(name, metadata, None)?;
    let result = populate(&table, &inspector, info, uniques, metadata);
    if result.is_err() {
        metadata.remove(&table);
    }
    result.map(|()| table)
}

/// `column_reflect` fires on the table, then on its metadata, as SQLAlchemy
/// fires it on the `Table` and its `MetaData`; listeners may change `info`.
fn fire_column_reflect(inspector: &Inspector<'_>, table: &Table, info: &mut ReflectedColumn) {
    table.dispatch().column_reflect(inspector, table, info);
    if let Some(metadata) = table.metadata() {
        metadata.dispatch().column_reflect(inspector, table, info);
    }
}

fn populate(
    table: &Table,
    inspector: &Inspector<'_>,
    info: Vec<(ReflectedColumn, i64)>,
    uniques: Vec<ReflectedUniqueConstraint>,
    metadata: &MetaData,
) -> Result<(), Error> {
    let mut renamed = HashMap::new();
    let mut keyed = Vec::new();
    let mut columns = Vec::new();
    for (mut reflected, pk) in info {
        let original = reflected.name.clone();
        fire_column_reflect(inspector, table, &mut reflected);
        if pk > 0 {
            keyed.push((pk, reflected.name.clone()));
        }
        renamed.insert(original, reflected.name.clone());
        columns.push(build_column(reflected));
    }
    keyed.sort_by_key(|(pk, _)| *pk);
    let pk = PrimaryKey::new(keyed.into_iter().map(|(_, n)| n));
    let rename = |cols: Vec<String>| -> Vec<String> {
        cols.into_iter()
            .map(|c| renamed.get(&c).cloned().unwrap_or(c))
            .collect()
    };
    let uniques = uniques
        .into_iter()
        .map(|u| {
            let constraint = UniqueConstraint::new(rename(u.columns));
            constraint.set_name(u.name);
            constraint
        })
        .collect();
    table.finish_build(&columns, Some(pk), uniques, metadata)
}

fn build_column(reflected: ReflectedColumn) -> Column {
    let column = Column::new(reflected.name, reflected.column_type).nullable(reflected.nullable);
    match reflected.default {
        Some(default) => column.with_default(default),
        None => column,
    }
}

/// Finds `CONSTRAINT name UNIQUE (col, ...)` clauses in a `CREATE TABLE`
/// statement.
fn parse_unique_names(sql: &str) -> Vec<(String, Vec<String>)> {
    let tokens = tokenize(sql);
    let mut found = Vec::new();
    let mut i = 0;
    while i + 3 < tokens.len() {
        let is_clause = tokens[i].eq_ignore_ascii_case("CONSTRAINT")
            && tokens[i + 2].eq_ignore_ascii_case("UNIQUE")
            && tokens[i + 3] == "(";
        if is_clause {
            let columns: Vec<String> = tokens[i + 4..]
                .iter()
                .take_while(|t| *t != ")")
                .filter(|t| *t != ",")
                .cloned()
                .collect();
            found.push((tokens[i + 1].clone(), columns));
        }
        i += 1;
    }
    found
}

/// Splits SQL into identifiers/keywords (quotes removed) and the
/// punctuation `(`, `)` and `,`. Other characters separate tokens.
fn tokenize(sql: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' | ')' | ',' => tokens.push(c.to_string()),
            '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                let mut ident = String::new();
                while let Some(d) = chars.next() {
                    if d == close && chars.peek() == Some(&close) && close != ']' {
                        chars.next();
                        ident.push(d);
                    } else if d == close {
                        break;
                    } else {
                        ident.push(d);
                    }
                }
                tokens.push(ident);
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut word = c.to_string();
                while let Some(&d) = chars.peek() {
                    if !(d.is_alphanumeric() || d == '_') {
                        break;
                    }
                    word.push(d);
                    chars.next();
                }
                tokens.push(word);
            }
            _ => {}
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::parse_unique_names;

    #[test]
    fn parses_quoted_and_bare_constraint_names() {
        let sql = "CREATE TABLE t (a INT, b INT, CONSTRAINT \"uq \"\"x\"\"\" UNIQUE (\"a\", b), \
                   constraint uq2 unique ([b]))";
        assert_eq!(
            parse_unique_names(sql),
            vec![
                ("uq \"x\"".to_owned(), vec!["a".to_owned(), "b".to_owned()]),
                ("uq2".to_owned(), vec!["b".to_owned()]),
            ]
        );
    }
}
