// A listener on `User` takes its object as `&Obj<User>`: `&Obj<Order>` is another class's.
use hooks_orm::{Mapped, Mapper, Obj};
use hooks_sql::Connection;

#[derive(Mapped)]
#[mapped(table = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: Option<i64>,
}

#[derive(Mapped)]
#[mapped(table = "orders")]
pub struct Order {
    #[column(primary_key)]
    pub id: Option<i64>,
}

#[hooks::listens_for(User, "after_insert")]
fn inserted(_mapper: &Mapper, _connection: &Connection, _target: &Obj<Order>) {}

fn main() {}
