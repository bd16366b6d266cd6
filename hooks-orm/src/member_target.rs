//! Firing a column's own target (`#[listens_for(User::phone, "set")]`): the derive generates,
//! per class, one fn that picks the column's dispatcher; these helpers convert the stored
//! [`Value`]s to the field's type for its listeners and the result back.

use hooks_sql::Value;

use crate::error::ListenerError;
use crate::events::Initiator;
use crate::session::AnyInstance;
use crate::values::FromColumn;

/// What [`ClassListeners::member_set`](crate::ClassListeners::member_set) is.
pub type MemberSet = fn(
    column: usize,
    target: &AnyInstance,
    value: Value,
    oldvalue: &Value,
    initiator: &Initiator,
) -> Result<Value, ListenerError>;

/// `set` of one column's target: `fire` is its dispatcher's `set`, given the values as the
/// field's type `T`; what it returns goes on to the class-level listeners.
///
/// A value that does not fit the field is passed on untouched, no attribute listener seeing
/// it: the store refuses it after the class level ([`SessionError::Value`](crate::SessionError)),
/// as it did before attribute targets existed.
///
/// # Errors
///
/// A listener's veto.
pub fn member_set<T: FromColumn + Into<Value>>(
    value: Value,
    oldvalue: &Value,
    fire: &dyn Fn(T, &T) -> Result<T, ListenerError>,
) -> Result<Value, ListenerError> {
    match (
        T::from_column(value.clone()),
        T::from_column(oldvalue.clone()),
    ) {
        (Ok(new), Ok(old)) => fire(new, &old).map(Into::into),
        _ => Ok(value),
    }
}
