//! Column values to field values: what `#[derive(Mapped)]`'s `from_values` and `set_value`
//! call to turn a `hooks_sql::Value` into a field of the struct.

use std::fmt;

use hooks_sql::{FromValue, Value};

use crate::mapper::MapperDef;

/// A column value that does not fit its field: the wrong storage class, an integer out of
/// the field's range, a row of the wrong width or a column index the class does not have.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueError {
    message: String,
}

impl ValueError {
    fn new(message: String) -> Self {
        ValueError { message }
    }

    /// `column` is not a column index of `class`.
    pub fn no_column(class: &MapperDef, column: usize) -> Self {
        ValueError::new(format!(
            "`{}` has {} columns; there is no column {column}",
            class.class_name,
            class.columns.len()
        ))
    }

    /// A saved state ([`Obj::from_state`](crate::Obj::from_state)) that does not describe
    /// an object of `class`.
    pub fn saved_state(class: &MapperDef, what: &str) -> Self {
        ValueError::new(format!(
            "the saved state is not one of a `{}`: {what}",
            class.class_name
        ))
    }

    /// `class` has no column called `name`.
    pub fn no_attribute(class: &MapperDef, name: &str) -> Self {
        ValueError::new(format!("`{}` has no column `{name}`", class.class_name))
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ValueError {}

/// `Ok` when a row of `found` values fits a class of `expected` columns.
///
/// # Errors
///
/// A [`ValueError`] naming the class and both widths.
pub fn check_width(class: &MapperDef, found: usize, expected: usize) -> Result<(), ValueError> {
    if found == expected {
        Ok(())
    } else {
        Err(ValueError::new(format!(
            "`{}` has {expected} columns; the row has {found} values",
            class.class_name
        )))
    }
}

/// A field type a mapped column may have, read from its column value.
pub trait FromColumn: Sized {
    /// The field value of `value`, which it may take apart (a text becomes the `String`
    /// field without a copy).
    ///
    /// # Errors
    ///
    /// A [`ValueError`] when the value does not fit the type.
    fn from_column(value: Value) -> Result<Self, ValueError>;
}

fn sql<T: FromValue>(value: &Value) -> Result<T, ValueError> {
    T::from_value(value).map_err(|e| ValueError::new(e.to_string()))
}

macro_rules! through_sql {
    ($($ty:ty),*) => {
        $(impl FromColumn for $ty {
            fn from_column(value: Value) -> Result<Self, ValueError> {
                sql(&value)
            }
        })*
    };
}

through_sql!(i64, bool, f64);

impl FromColumn for String {
    fn from_column(value: Value) -> Result<Self, ValueError> {
        match value {
            Value::Text(text) => Ok(text),
            other => sql(&other),
        }
    }
}

macro_rules! narrowed {
    ($($ty:ty),*) => {
        $(impl FromColumn for $ty {
            fn from_column(value: Value) -> Result<Self, ValueError> {
                let wide: i64 = sql(&value)?;
                <$ty>::try_from(wide).map_err(|_| {
                    ValueError::new(format!(
                        "the integer {wide} does not fit a `{}` field",
                        stringify!($ty)
                    ))
                })
            }
        })*
    };
}

narrowed!(i32, u32);

impl<T: FromColumn> FromColumn for Option<T> {
    fn from_column(value: Value) -> Result<Self, ValueError> {
        if value.is_null() {
            Ok(None)
        } else {
            T::from_column(value).map(Some)
        }
    }
}
