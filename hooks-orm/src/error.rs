//! The errors of the ORM, and the error a listener returns to veto.

use std::fmt;

/// What a fallible ORM listener returns to stop the operation: any error, boxed.
#[derive(Debug)]
pub struct ListenerError(Box<dyn std::error::Error + Send + Sync>);

impl ListenerError {
    /// A listener error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        ListenerError(message.into().into())
    }

    /// Wraps an error of the listener's own type.
    pub fn from_error(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        ListenerError(Box::new(error))
    }
}

impl fmt::Display for ListenerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ListenerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// The errors of the registry.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The class is already mapped by this registry.
    AlreadyMapped {
        /// The class name.
        class: &'static str,
    },
    /// Two classes of one registry map the same table.
    DuplicateTable {
        /// The table name.
        table: &'static str,
    },
    /// A class has no primary key column.
    NoPrimaryKey {
        /// The class name.
        class: &'static str,
    },
    /// A `mapper_configured` listener refused the mapper.
    MapperConfigured {
        /// The class whose mapper was refused.
        class: &'static str,
        /// The listener's error.
        source: ListenerError,
    },
    /// A registration or SQL error from the layers below.
    Sql(hooks_sql::Error),
    /// A listener registration error.
    Hooks(hooks::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::AlreadyMapped { class } => write!(f, "class `{class}` is already mapped"),
            Error::DuplicateTable { table } => {
                write!(f, "table `{table}` is already mapped by another class")
            }
            Error::NoPrimaryKey { class } => write!(
                f,
                "class `{class}` has no primary key: mark a field `#[column(primary_key)]`"
            ),
            Error::MapperConfigured { class, source } => {
                write!(f, "configuring the mapper of `{class}` failed: {source}")
            }
            Error::Sql(error) => error.fmt(f),
            Error::Hooks(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::MapperConfigured { source, .. } => Some(source),
            Error::Sql(error) => Some(error),
            Error::Hooks(error) => Some(error),
            _ => None,
        }
    }
}

impl From<hooks_sql::Error> for Error {
    fn from(error: hooks_sql::Error) -> Self {
        Error::Sql(error)
    }
}

impl From<hooks::Error> for Error {
    fn from(error: hooks::Error) -> Self {
        Error::Hooks(error)
    }
}
