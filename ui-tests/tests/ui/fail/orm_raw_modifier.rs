// SQLAlchemy's `raw=True` hands a listener the instance state instead of the object; here
// the listener takes the object's handle, which also gives its state: `raw` is not a modifier.
use hooks_orm::{Initiator, Obj};

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    pub phone: String,
}

#[hooks::listens_for(User, "modified", raw)]
fn on_modified(_target: &Obj<User>, _initiator: &Initiator) {}

fn main() {}
