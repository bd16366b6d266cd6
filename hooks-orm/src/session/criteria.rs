//! [`Criterion`]: the WHERE clause of an ORM statement, kept as a tree so that it can be
//! both rendered as SQL and, for the synchronization of a bulk UPDATE or DELETE, evaluated
//! against the objects already loaded (SQLAlchemy's `evaluator.py`, reduced).

use std::cmp::Ordering;
use std::fmt::{self, Write as _};

use hooks_sql::{ColumnType, Value};

use crate::mapper::MapperDef;

/// One condition of an ORM statement's WHERE clause: a comparison of a column with a value,
/// a NULL test, `AND`/`OR`/`NOT` of conditions, or SQL text with positional parameters.
///
/// Everything but SQL text can be evaluated in memory, which is what
/// [`Synchronize::Evaluate`](crate::Synchronize::Evaluate) needs.
///
/// ```
/// use hooks_orm::Criterion;
///
/// let adults = Criterion::ge("age", 18).and(Criterion::is_null("deleted_at"));
/// assert_eq!(adults.to_string(), "(age >= ? AND deleted_at IS NULL)");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion(Node);

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Compare {
        column: String,
        op: Op,
        value: Value,
    },
    IsNull {
        column: String,
        negated: bool,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Sql {
        text: String,
        params: Vec<Value>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn sql(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }

    fn holds(self, ordering: Ordering) -> bool {
        match self {
            Op::Eq => ordering == Ordering::Equal,
            Op::Ne => ordering != Ordering::Equal,
            Op::Lt => ordering == Ordering::Less,
            Op::Le => ordering != Ordering::Greater,
            Op::Gt => ordering == Ordering::Greater,
            Op::Ge => ordering != Ordering::Less,
        }
    }
}

fn compare(column: &str, op: Op, value: impl Into<Value>) -> Criterion {
    Criterion(Node::Compare {
        column: column.to_owned(),
        op,
        value: value.into(),
    })
}

impl Criterion {
    /// `column = value`.
    pub fn eq(column: &str, value: impl Into<Value>) -> Self {
        compare(column, Op::Eq, value)
    }

    /// `column != value`.
    pub fn ne(column: &str, value: impl Into<Value>) -> Self {
        compare(column, Op::Ne, value)
    }

    /// `column < value`.
    pub fn lt(column: &str, value: impl Into<Value>) -> Self {
        compare(column, Op::Lt, value)
    }

    /// `column <= value`.
    pub fn le(column: &str, value: impl Into<Value>) -> Self {
        compare(column, Op::Le, value)
    }

    /// `column > value`.
    pub fn gt(column: &str, value: impl Into<Value>) -> Self {
        compare(column, Op::Gt, value)
    }

    /// `column >= value`.
    pub fn ge(column: &str, value: impl Into<Value>) -> Self {
        compare(column, Op::Ge, value)
    }

    /// `column IS NULL`.
    pub fn is_null(column: &str) -> Self {
        Criterion(Node::IsNull {
            column: column.to_owned(),
            negated: false,
        })
    }

    /// `column IS NOT NULL`.
    pub fn is_not_null(column: &str) -> Self {
        Criterion(Node::IsNull {
            column: column.to_owned(),
            negated: true,
        })
    }

    /// SQL text, its `?` bound to `params` in order. It cannot be evaluated in memory.
    pub fn sql<V: Into<Value>>(text: &str, params: impl IntoIterator<Item = V>) -> Self {
        Criterion(Node::Sql {
            text: text.to_owned(),
            params: params.into_iter().map(Into::into).collect(),
        })
    }

    /// Both conditions.
    #[must_use]
    pub fn and(self, other: Criterion) -> Self {
        Criterion(Node::And(vec![self.0, other.0]))
    }

    /// Either condition.
    #[must_use]
    pub fn or(self, other: Criterion) -> Self {
        Criterion(Node::Or(vec![self.0, other.0]))
    }

    /// The negation.
    #[must_use]
    #[expect(
        clippy::should_implement_trait,
        reason = "a builder step like `and`/`or`, not a boolean operator"
    )]
    pub fn not(self) -> Self {
        Criterion(Node::Not(Box::new(self.0)))
    }

    /// Whether the condition can be evaluated in memory: no SQL text anywhere in it.
    pub fn is_evaluable(&self) -> bool {
        self.0.sql_text().is_none()
    }

    /// Appends the SQL to `sql` and the parameters to `params`.
    pub(crate) fn render(&self, sql: &mut String, params: &mut Vec<Value>) {
        self.0.render(sql, params);
    }

    /// The first column the condition names that `class` does not have.
    pub(crate) fn unknown_column(&self, class: &MapperDef) -> Option<String> {
        let mut names = Vec::new();
        self.0.columns(&mut names);
        names
            .into_iter()
            .find(|name| class.column(name).is_none())
            .map(str::to_owned)
    }

    /// The columns the condition reads.
    pub(crate) fn columns(&self) -> Vec<&str> {
        let mut names = Vec::new();
        self.0.columns(&mut names);
        names
    }

    /// Why the condition cannot be evaluated in memory for `class`, if it cannot: SQL text,
    /// or a value of a kind SQLite would convert to compare it with the column (its type
    /// affinity), which the evaluation does not imitate.
    pub(crate) fn unevaluable(&self, class: &MapperDef) -> Option<String> {
        self.0.unevaluable(class)
    }

    /// Evaluates the condition on one object's column values, as SQLite would (`NULL`
    /// compares as unknown, and unknown does not match). `Err` says why it cannot be done in
    /// memory.
    pub(crate) fn matches(&self, class: &MapperDef, row: &[Value]) -> Result<bool, String> {
        Ok(self.0.evaluate(class, row)? == Some(true))
    }
}

impl Node {
    fn render(&self, sql: &mut String, params: &mut Vec<Value>) {
        match self {
            Node::Compare { column, op, value } => {
                let _ = write!(sql, "{column} {} ?", op.sql());
                params.push(value.clone());
            }
            Node::IsNull { column, negated } => {
                let not = if *negated { " NOT" } else { "" };
                let _ = write!(sql, "{column} IS{not} NULL");
            }
            Node::And(nodes) | Node::Or(nodes) => {
                let joiner = if matches!(self, Node::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                sql.push('(');
                for (i, node) in nodes.iter().enumerate() {
                    if i > 0 {
                        sql.push_str(joiner);
                    }
                    node.render(sql, params);
                }
                sql.push(')');
            }
            Node::Not(node) => {
                sql.push_str("NOT (");
                node.render(sql, params);
                sql.push(')');
            }
            Node::Sql { text, params: own } => {
                let _ = write!(sql, "({text})");
                params.extend(own.iter().cloned());
            }
        }
    }

    fn columns<'a>(&'a self, names: &mut Vec<&'a str>) {
        match self {
            Node::Compare { column, .. } | Node::IsNull { column, .. } => names.push(column),
            Node::And(nodes) | Node::Or(nodes) => nodes.iter().for_each(|n| n.columns(names)),
            Node::Not(node) => node.columns(names),
            Node::Sql { .. } => {}
        }
    }

    fn sql_text(&self) -> Option<&str> {
        match self {
            Node::Sql { text, .. } => Some(text),
            Node::And(nodes) | Node::Or(nodes) => nodes.iter().find_map(Node::sql_text),
            Node::Not(node) => node.sql_text(),
            Node::Compare { .. } | Node::IsNull { .. } => None,
        }
    }

    fn unevaluable(&self, class: &MapperDef) -> Option<String> {
        match self {
            Node::Sql { text, .. } => Some(format!("`({text})` is SQL text")),
            Node::Compare { column, value, .. } => {
                let sql_type = &class.column(column)?.sql_type;
                (!fits(sql_type, value)).then(|| {
                    format!(
                        "column `{column}` ({}) is compared with {}",
                        type_name(sql_type),
                        kind(value)
                    )
                })
            }
            Node::IsNull { .. } => None,
            Node::And(nodes) | Node::Or(nodes) => nodes.iter().find_map(|n| n.unevaluable(class)),
            Node::Not(node) => node.unevaluable(class),
        }
    }

    /// SQL's three-valued logic: `None` is unknown.
    fn evaluate(&self, class: &MapperDef, row: &[Value]) -> Result<Option<bool>, String> {
        match self {
            Node::Compare { column, op, value } => {
                let current = value_of(class, row, column)?;
                Ok(order(column, current, value)?.map(|o| op.holds(o)))
            }
            Node::IsNull { column, negated } => {
                Ok(Some(value_of(class, row, column)?.is_null() != *negated))
            }
            Node::And(nodes) => {
                let mut outcome = Some(true);
                for node in nodes {
                    match node.evaluate(class, row)? {
                        Some(false) => return Ok(Some(false)),
                        None => outcome = None,
                        Some(true) => {}
                    }
                }
                Ok(outcome)
            }
            Node::Or(nodes) => {
                let mut outcome = Some(false);
                for node in nodes {
                    match node.evaluate(class, row)? {
                        Some(true) => return Ok(Some(true)),
                        None => outcome = None,
                        Some(false) => {}
                    }
                }
                Ok(outcome)
            }
            Node::Not(node) => Ok(node.evaluate(class, row)?.map(|b| !b)),
            Node::Sql { text, .. } => Err(format!("`{text}` is SQL text")),
        }
    }
}

fn value_of<'r>(class: &MapperDef, row: &'r [Value], column: &str) -> Result<&'r Value, String> {
    class
        .columns
        .iter()
        .position(|c| c.name == column)
        .and_then(|i| row.get(i))
        .ok_or_else(|| format!("`{}` has no column `{column}`", class.class_name))
}

/// How SQLite orders two values of the same kind; `None` when either is NULL (unknown).
/// Values of different kinds would go through SQLite's type affinity: not evaluated here.
fn order(column: &str, current: &Value, value: &Value) -> Result<Option<Ordering>, String> {
    #[expect(
        clippy::cast_precision_loss,
        reason = "SQLite compares them as reals too"
    )]
    let ordering = match (current, value) {
        (Value::Null, _) | (_, Value::Null) => return Ok(None),
        (Value::Integer(a), Value::Integer(b)) => a.cmp(b),
        (Value::Real(a), Value::Real(b)) => a.total_cmp(b),
        (Value::Integer(a), Value::Real(b)) => (*a as f64).total_cmp(b),
        (Value::Real(a), Value::Integer(b)) => a.total_cmp(&(*b as f64)),
        (Value::Text(a), Value::Text(b)) => a.as_bytes().cmp(b.as_bytes()),
        (Value::Blob(a), Value::Blob(b)) => a.cmp(b),
        (a, b) => {
            return Err(format!(
                "`{column}` holds {} and is compared with {}",
                kind(a),
                kind(b)
            ));
        }
    };
    Ok(Some(ordering))
}

/// Whether comparing a column of `sql_type` with `value` needs no conversion by SQLite.
fn fits(sql_type: &ColumnType, value: &Value) -> bool {
    matches!(
        (sql_type, value),
        (_, Value::Null)
            | (
                ColumnType::Integer | ColumnType::Boolean | ColumnType::Float | ColumnType::Numeric,
                Value::Integer(_) | Value::Real(_),
            )
            | (ColumnType::Text | ColumnType::Varchar(_), Value::Text(_))
            | (ColumnType::Blob, Value::Blob(_))
    )
}

fn type_name(sql_type: &ColumnType) -> String {
    match sql_type {
        ColumnType::Integer => "INTEGER".into(),
        ColumnType::Float => "FLOAT".into(),
        ColumnType::Numeric => "NUMERIC".into(),
        ColumnType::Text => "TEXT".into(),
        ColumnType::Varchar(_) => "VARCHAR".into(),
        ColumnType::Boolean => "BOOLEAN".into(),
        ColumnType::Blob => "BLOB".into(),
        ColumnType::Untyped => "untyped".into(),
        ColumnType::Custom(name) => name.clone(),
        other => format!("{other:?}"),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "NULL",
        Value::Integer(_) => "an integer",
        Value::Real(_) => "a real",
        Value::Text(_) => "text",
        Value::Blob(_) => "a blob",
    }
}

impl fmt::Display for Criterion {
    /// The SQL, with `?` for the parameters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (mut sql, mut params) = (String::new(), Vec::new());
        self.render(&mut sql, &mut params);
        f.write_str(&sql)
    }
}

/// `WHERE c1 AND c2 …` of `criteria`, or nothing.
pub(crate) fn where_clause(criteria: &[Criterion], sql: &mut String, params: &mut Vec<Value>) {
    for (i, criterion) in criteria.iter().enumerate() {
        sql.push_str(if i == 0 { " WHERE " } else { " AND " });
        criterion.render(sql, params);
    }
}
