// `append` is a collection's event: a scalar attribute (`User::phone`, a `String`) has `set`
// and `modified` only.
use hooks_orm::{AnyInstance, Initiator, ListenerError, Obj};

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    #[column(listen)]
    pub phone: String,
}

#[hooks::listens_for(User::phone, "append")]
fn on_append(
    _target: &Obj<User>,
    _value: &AnyInstance,
    _key: Option<usize>,
    _initiator: &Initiator,
) -> Result<(), ListenerError> {
    Ok(())
}

fn main() {}
