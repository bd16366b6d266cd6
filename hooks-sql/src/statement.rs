//! Executable statements: SQL text and statements built from schema
//! objects, compiled to SQL by the dialect.

use crate::dialect::Dialect;
use crate::schema::Table;

/// A statement object, the argument of [`crate::Connection::execute`].
///
/// Create one with [`text`], from a `&str`, or from a table
/// ([`Table::insert`], [`Table::select`], [`Statement::create_table`],
/// [`Statement::drop_table`]).
#[derive(Debug, Clone)]
pub struct Statement {
    kind: StatementKind,
}

/// What a [`Statement`] is.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum StatementKind {
    /// Literal SQL.
    Text(String),
    /// `CREATE TABLE` for a table.
    CreateTable(Table),
    /// `DROP TABLE` for a table.
    DropTable(Table),
    /// `INSERT` of every column of a table, with named parameters.
    Insert(Table),
    /// `SELECT` of every column of a table.
    Select(Table),
}

/// A literal SQL statement (SQLAlchemy's `text()`).
pub fn text(sql: impl Into<String>) -> Statement {
    Statement {
        kind: StatementKind::Text(sql.into()),
    }
}

impl Statement {
    /// `CREATE TABLE` for `table`.
    pub fn create_table(table: &Table) -> Self {
        Statement {
            kind: StatementKind::CreateTable(table.clone()),
        }
    }

    /// `DROP TABLE` for `table`.
    pub fn drop_table(table: &Table) -> Self {
        Statement {
            kind: StatementKind::DropTable(table.clone()),
        }
    }

    pub(crate) fn insert(table: &Table) -> Self {
        Statement {
            kind: StatementKind::Insert(table.clone()),
        }
    }

    pub(crate) fn select(table: &Table) -> Self {
        Statement {
            kind: StatementKind::Select(table.clone()),
        }
    }

    /// What kind of statement this is.
    pub fn kind(&self) -> &StatementKind {
        &self.kind
    }

    /// Whether this is a DDL statement.
    pub fn is_ddl(&self) -> bool {
        matches!(
            self.kind,
            StatementKind::CreateTable(_) | StatementKind::DropTable(_)
        )
    }

    /// The SQL the dialect runs for this statement.
    pub fn compile(&self, dialect: &Dialect) -> String {
        match &self.kind {
            StatementKind::Text(sql) => sql.clone(),
            StatementKind::CreateTable(t) => crate::schema::ddl::create_table_sql(t, dialect),
            StatementKind::DropTable(t) => {
                format!("DROP TABLE {}", dialect.quote_identifier(t.name()))
            }
            StatementKind::Insert(t) => insert_sql(t, dialect),
            StatementKind::Select(t) => select_sql(t, dialect),
        }
    }
}

fn insert_sql(table: &Table, dialect: &Dialect) -> String {
    let names = table.column_names();
    let quoted: Vec<_> = names.iter().map(|n| dialect.quote_identifier(n)).collect();
    let binds: Vec<_> = names.iter().map(|n| format!(":{n}")).collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({})",
        dialect.quote_identifier(table.name()),
        quoted.join(", "),
        binds.join(", ")
    )
}

fn select_sql(table: &Table, dialect: &Dialect) -> String {
    let quoted: Vec<_> = table
        .column_names()
        .iter()
        .map(|n| dialect.quote_identifier(n))
        .collect();
    format!(
        "SELECT {} FROM {}",
        quoted.join(", "),
        dialect.quote_identifier(table.name())
    )
}

impl From<&str> for Statement {
    fn from(sql: &str) -> Self {
        text(sql)
    }
}

impl From<String> for Statement {
    fn from(sql: String) -> Self {
        text(sql)
    }
}

impl From<&Statement> for Statement {
    fn from(statement: &Statement) -> Self {
        statement.clone()
    }
}
