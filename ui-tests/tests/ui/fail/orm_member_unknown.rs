// `User::phne`: a column the class does not have; the error names the ones it has.
use hooks_orm::{Initiator, Obj};

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    #[column(listen)]
    pub phone: String,
}

#[hooks::listens_for(User::phne, "modified")]
fn on_modified(_target: &Obj<User>, _initiator: &Initiator) {}

fn main() {}
