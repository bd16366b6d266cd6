// An attribute `set` listener takes the object, the new value, the old value and the
// initiator: a listener missing the old value and the initiator is told the whole signature.
use hooks_orm::{AnyInstance, ListenerError};
use hooks_sql::Value;

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
struct User {
    #[column(primary_key)]
    id: i64,
    phone: String,
}

#[hooks::listens_for(User, "set")]
fn on_set(_target: &AnyInstance, _value: &Value) -> Result<(), ListenerError> {
    Ok(())
}

fn main() {}
