// `#[relationship]` on a column field: one error on the attribute, naming the field types it
// belongs on.

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
struct User {
    #[column(primary_key)]
    id: i64,
    #[relationship(back_populates = "user")]
    name: String,
}

fn main() {}
