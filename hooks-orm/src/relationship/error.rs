//! [`RelationshipError`]: the misuses of a relationship, found at run time.

use std::fmt;

/// A relationship used in a way its declaration does not allow; returned inside
/// [`SessionError::Relationship`](crate::SessionError::Relationship).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RelationshipError {
    /// The class has no relationship of that name and kind.
    NoSuchRelationship {
        /// The class asked.
        class: &'static str,
        /// The name asked for.
        name: String,
        /// `"collection"` or `"reference"`.
        kind: &'static str,
    },
    /// The relationship's objects are of another class than the one asked for.
    WrongClass {
        /// The class holding the relationship.
        class: &'static str,
        /// The relationship.
        name: &'static str,
        /// The class its objects are.
        expected: &'static str,
    },
    /// No column of `class` is a foreign key to `table`.
    NoForeignKey {
        /// The class that should hold the foreign key.
        class: &'static str,
        /// The table it should reference.
        table: &'static str,
    },
    /// [`CollectionRef::remove`](crate::CollectionRef::remove) of an object that is not a
    /// member (Python's `list.remove` raises `ValueError`).
    NotInCollection {
        /// The class holding the collection.
        class: &'static str,
        /// The collection.
        name: &'static str,
    },
}

impl fmt::Display for RelationshipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RelationshipError::NoSuchRelationship { class, name, kind } => {
                write!(f, "`{class}` has no {kind} relationship `{name}`")
            }
            RelationshipError::WrongClass {
                class,
                name,
                expected,
            } => write!(f, "`{class}.{name}` holds `{expected}` objects"),
            RelationshipError::NoForeignKey { class, table } => write!(
                f,
                "no column of `{class}` is a foreign key to `{table}`: add \
                 `#[column(foreign_key = \"{table}.id\")]` to one"
            ),
            RelationshipError::NotInCollection { class, name } => {
                write!(f, "the object is not in `{class}.{name}`")
            }
        }
    }
}

impl std::error::Error for RelationshipError {}
