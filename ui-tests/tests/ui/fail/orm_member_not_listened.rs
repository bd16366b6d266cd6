// `User::email` is a column, but not a target of its own: it is not marked
// `#[column(listen)]`. The error says to mark it.
use hooks_orm::{Initiator, Obj};

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    #[column(listen)]
    pub phone: String,
    pub email: String,
}

#[hooks::listens_for(User::email, "modified")]
fn on_modified(_target: &Obj<User>, _initiator: &Initiator) {}

fn main() {}
