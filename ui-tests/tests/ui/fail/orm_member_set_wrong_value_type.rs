// `User::phone` is a `String` column: its `set` listener takes `&String`, not `&i64`.
use hooks_orm::{Initiator, ListenerError, Obj};

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    #[column(listen)]
    pub phone: String,
}

#[hooks::listens_for(User::phone, "set")]
fn on_set(
    _target: &Obj<User>,
    _value: &i64,
    _oldvalue: &String,
    _initiator: &Initiator,
) -> Result<(), ListenerError> {
    Ok(())
}

fn main() {}
