//! Values, statement parameters, result rows and results.

use std::sync::Arc;

use rusqlite::types::{ToSqlOutput, ValueRef};

use crate::error::Error;

/// One SQLite value: SQLite's five storage classes.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// SQL `NULL`.
    #[default]
    Null,
    /// A 64-bit signed integer.
    Integer(i64),
    /// A 64-bit float.
    Real(f64),
    /// UTF-8 text.
    Text(String),
    /// Raw bytes.
    Blob(Vec<u8>),
}

impl Value {
    /// Whether this is [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The integer, if this is [`Value::Integer`].
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Integer(i) => Some(*i),
            _ => None,
        }
    }

    /// The float, if this is [`Value::Real`].
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Real(r) => Some(*r),
            _ => None,
        }
    }

    /// The text, if this is [`Value::Text`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The bytes, if this is [`Value::Blob`].
    pub fn as_blob(&self) -> Option<&[u8]> {
        match self {
            Value::Blob(b) => Some(b),
            _ => None,
        }
    }

    /// The storage class name: `null`, `integer`, `real`, `text` or `blob`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Integer(_) => "integer",
            Value::Real(_) => "real",
            Value::Text(_) => "text",
            Value::Blob(_) => "blob",
        }
    }

    pub(crate) fn from_sqlite(value: ValueRef<'_>) -> Result<Self, rusqlite::Error> {
        Ok(match value {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(r) => Value::Real(r),
            ValueRef::Text(_) => Value::Text(value.as_str()?.to_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        })
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(r) => ValueRef::Real(*r),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

macro_rules! value_from {
    ($($ty:ty => |$v:ident| $e:expr),* $(,)?) => {
        $(impl From<$ty> for Value {
            fn from($v: $ty) -> Self {
                $e
            }
        })*
    };
}

value_from! {
    i64 => |v| Value::Integer(v),
    i32 => |v| Value::Integer(i64::from(v)),
    u32 => |v| Value::Integer(i64::from(v)),
    bool => |v| Value::Integer(i64::from(v)),
    f64 => |v| Value::Real(v),
    String => |v| Value::Text(v),
    &str => |v| Value::Text(v.to_owned()),
    Vec<u8> => |v| Value::Blob(v),
    &[u8] => |v| Value::Blob(v.to_vec()),
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Conversion from a [`Value`] to a Rust type, used by [`Row::get`].
pub trait FromValue: Sized {
    /// Converts `value`, or reports the mismatching types.
    ///
    /// # Errors
    ///
    /// [`Error::Type`] when the value's storage class does not fit.
    fn from_value(value: &Value) -> Result<Self, Error>;
}

fn type_error<T>(expected: &'static str, value: &Value) -> Result<T, Error> {
    Err(Error::Type {
        expected,
        found: value.type_name(),
    })
}

impl FromValue for Value {
    fn from_value(value: &Value) -> Result<Self, Error> {
        Ok(value.clone())
    }
}

impl FromValue for i64 {
    fn from_value(value: &Value) -> Result<Self, Error> {
        value
            .as_i64()
            .map_or_else(|| type_error("integer", value), Ok)
    }
}

impl FromValue for bool {
    fn from_value(value: &Value) -> Result<Self, Error> {
        value
            .as_i64()
            .map_or_else(|| type_error("integer", value), |i| Ok(i != 0))
    }
}

impl FromValue for f64 {
    /// Accepts integers too, as SQLite may store a whole REAL as an integer.
    #[expect(
        clippy::cast_precision_loss,
        reason = "SQLite itself converts this way"
    )]
    fn from_value(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Real(r) => Ok(*r),
            Value::Integer(i) => Ok(*i as f64),
            _ => type_error("real", value),
        }
    }
}

impl FromValue for String {
    fn from_value(value: &Value) -> Result<Self, Error> {
        value
            .as_str()
            .map_or_else(|| type_error("text", value), |s| Ok(s.to_owned()))
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: &Value) -> Result<Self, Error> {
        value
            .as_blob()
            .map_or_else(|| type_error("blob", value), |b| Ok(b.to_vec()))
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Result<Self, Error> {
        if value.is_null() {
            Ok(None)
        } else {
            T::from_value(value).map(Some)
        }
    }
}

/// The parameters of one statement execution.
///
/// Names may be given with or without SQLite's prefix (`:`, `@` or `$`); a
/// bare name is looked up as `:name`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Params {
    /// No parameters.
    #[default]
    None,
    /// Values for `?` / `?NNN` placeholders, in order.
    Positional(Vec<Value>),
    /// Values for named placeholders.
    Named(Vec<(String, Value)>),
}

impl Params {
    /// Positional parameters from anything convertible to [`Value`].
    pub fn positional<V: Into<Value>>(values: impl IntoIterator<Item = V>) -> Self {
        Params::Positional(values.into_iter().map(Into::into).collect())
    }

    /// Named parameters from `(name, value)` pairs.
    pub fn named<K: Into<String>, V: Into<Value>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        Params::Named(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// Whether there is no parameter at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many parameters there are.
    pub fn len(&self) -> usize {
        match self {
            Params::None => 0,
            Params::Positional(v) => v.len(),
            Params::Named(v) => v.len(),
        }
    }

    /// The value of a named parameter (with or without its prefix).
    pub fn get_named(&self, name: &str) -> Option<&Value> {
        let Params::Named(pairs) = self else {
            return None;
        };
        let bare = strip_prefix(name);
        pairs
            .iter()
            .find(|(k, _)| strip_prefix(k) == bare)
            .map(|(_, v)| v)
    }
}

pub(crate) fn strip_prefix(name: &str) -> &str {
    name.strip_prefix([':', '@', '$']).unwrap_or(name)
}

impl From<()> for Params {
    fn from((): ()) -> Self {
        Params::None
    }
}

impl From<Vec<Value>> for Params {
    fn from(values: Vec<Value>) -> Self {
        Params::Positional(values)
    }
}

impl From<Vec<(String, Value)>> for Params {
    fn from(pairs: Vec<(String, Value)>) -> Self {
        Params::Named(pairs)
    }
}

/// Builds positional [`Params`]: `params![1, "two", 3.0]`.
#[macro_export]
macro_rules! params {
    () => { $crate::Params::None };
    ($($value:expr),+ $(,)?) => {
        $crate::Params::Positional(vec![$($crate::Value::from($value)),+])
    };
}

/// Builds named [`Params`]: `named_params! { "id" => 1, "name" => "x" }`.
#[macro_export]
macro_rules! named_params {
    () => { $crate::Params::None };
    ($($name:expr => $value:expr),+ $(,)?) => {
        $crate::Params::Named(vec![$((::std::string::String::from($name), $crate::Value::from($value))),+])
    };
}

/// The parameters handed to the DBAPI cursor: one set, or many for
/// `executemany`.
#[derive(Debug, Clone, PartialEq)]
pub enum CursorParams {
    /// A single execution.
    Single(Params),
    /// One execution per parameter set (`executemany`).
    Many(Vec<Params>),
}

impl CursorParams {
    /// Whether this is [`CursorParams::Many`].
    pub fn is_many(&self) -> bool {
        matches!(self, CursorParams::Many(_))
    }
}

/// One result row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

impl Row {
    pub(crate) fn new(columns: Arc<[String]>, values: Vec<Value>) -> Self {
        Row { columns, values }
    }

    /// The column names, shared by every row of a result.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The values, in column order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The values, in column order, by value: a reader that keeps them (an ORM building its
    /// objects) takes the texts without copying them.
    pub fn into_values(self) -> Vec<Value> {
        self.values
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the row has no columns.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The raw value at `index`.
    pub fn value(&self, index: usize) -> Option<&Value> {
        self.values.get(index)
    }

    /// The value at `index`, converted to `T`.
    ///
    /// # Errors
    ///
    /// [`Error::IndexOutOfRange`] or [`Error::Type`].
    pub fn get<T: FromValue>(&self, index: usize) -> Result<T, Error> {
        let value = self.values.get(index).ok_or(Error::IndexOutOfRange {
            index,
            len: self.values.len(),
        })?;
        T::from_value(value)
    }

    /// The value of the column called `name`, converted to `T`.
    ///
    /// # Errors
    ///
    /// [`Error::NoSuchColumn`] or [`Error::Type`].
    pub fn get_named<T: FromValue>(&self, name: &str) -> Result<T, Error> {
        let index = self
            .columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| Error::NoSuchColumn(name.to_owned()))?;
        self.get(index)
    }
}

/// The result of executing a statement: its rows (fetched eagerly) and
/// counters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CursorResult {
    columns: Arc<[String]>,
    rows: Vec<Row>,
    rowcount: Option<u64>,
    last_insert_rowid: i64,
    rowids_per_set: Vec<i64>,
}

impl CursorResult {
    pub(crate) fn new(
        columns: Arc<[String]>,
        rows: Vec<Row>,
        rowcount: Option<u64>,
        last_insert_rowid: i64,
    ) -> Self {
        CursorResult {
            columns,
            rows,
            rowcount,
            last_insert_rowid,
            rowids_per_set: Vec::new(),
        }
    }

    /// The result of an `executemany` that read `last_insert_rowid()` after each set.
    pub(crate) fn of_many(rowcount: u64, last_insert_rowid: i64, rowids_per_set: Vec<i64>) -> Self {
        CursorResult {
            // `Arc::default` of a slice does not allocate, `Arc::from([])` does.
            columns: Arc::default(),
            rows: Vec::new(),
            rowcount: Some(rowcount),
            last_insert_rowid,
            rowids_per_set,
        }
    }

    /// The names of the result columns (empty for statements without rows).
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// All rows.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Iterates over the rows.
    pub fn iter(&self) -> std::slice::Iter<'_, Row> {
        self.rows.iter()
    }

    /// All rows, by value.
    pub fn into_rows(self) -> Vec<Row> {
        self.rows
    }

    /// The first row, if any.
    pub fn first(&self) -> Option<&Row> {
        self.rows.first()
    }

    /// The first column of the first row, if any.
    pub fn scalar(&self) -> Option<&Value> {
        self.rows.first().and_then(|r| r.value(0))
    }

    /// Rows changed by a writing statement (summed over `executemany`);
    /// `None` for read-only statements such as `SELECT`.
    pub fn rowcount(&self) -> Option<u64> {
        self.rowcount
    }

    /// SQLite's `last_insert_rowid()` after the statement ran.
    pub fn last_insert_rowid(&self) -> i64 {
        self.last_insert_rowid
    }

    /// SQLite's `last_insert_rowid()` after each parameter set of an `executemany`, in the
    /// order of the sets: for an `INSERT`, the key of each row it wrote (a DBAPI's
    /// `executemany` cannot tell them, which is why SQLAlchemy's ORM inserts one row at a
    /// time when it needs the keys). Empty after a single execution (read
    /// [`last_insert_rowid`](CursorResult::last_insert_rowid)) and when a `do_executemany`
    /// listener ran the statement itself.
    ///
    /// ```
    /// # fn main() -> Result<(), hooks_sql::Error> {
    /// use hooks_sql::{Params, Value};
    ///
    /// let engine = hooks_sql::create_engine("sqlite://")?;
    /// let conn = engine.connect()?;
    /// conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)", ())?;
    /// let sets = ["a", "b", "c"].map(|name| Params::Positional(vec![Value::from(name)]));
    /// let result = conn.execute_many("INSERT INTO t (name) VALUES (?)", sets.to_vec())?;
    /// assert_eq!(result.rowids_per_set(), [1, 2, 3]);
    /// assert_eq!(result.rowcount(), Some(3));
    /// # Ok(())
    /// # }
    /// ```
    pub fn rowids_per_set(&self) -> &[i64] {
        &self.rowids_per_set
    }
}

impl IntoIterator for CursorResult {
    type Item = Row;
    type IntoIter = std::vec::IntoIter<Row>;

    fn into_iter(self) -> Self::IntoIter {
        self.rows.into_iter()
    }
}

impl<'a> IntoIterator for &'a CursorResult {
    type Item = &'a Row;
    type IntoIter = std::slice::Iter<'a, Row>;

    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}
