// A misspelt cascade: one error on the string, listing the cascades.

use hooks_orm::Collection;

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
struct User {
    #[column(primary_key)]
    id: Option<i64>,
    #[relationship(cascade = "all, delete-orphans")]
    addresses: Collection<Address>,
}

#[derive(hooks_orm::Mapped)]
#[mapped(table = "addresses")]
struct Address {
    #[column(primary_key)]
    id: Option<i64>,
    #[column(foreign_key = "users.id")]
    user_id: Option<i64>,
}

fn main() {}
