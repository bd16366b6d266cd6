// A listener on `Mapper` hears every mapped class: it takes the object erased, not as one
// class's `&Obj<User>`.
use hooks_orm::{Mapped, Mapper, Obj};
use hooks_sql::Connection;

#[derive(Mapped)]
#[mapped(table = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: Option<i64>,
}

#[hooks::listens_for(Mapper, "after_insert")]
fn inserted(_mapper: &Mapper, _connection: &Connection, _target: &Obj<User>) {}

fn main() {}
