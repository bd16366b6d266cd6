// `#[column]` is a field attribute: on the struct itself it is one error on the attribute.

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
#[column(primary_key)]
struct User {
    #[column(primary_key)]
    id: i64,
}

fn main() {}
