// A field whose type has no SQL column type: one error on the type.

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
struct User {
    #[column(primary_key)]
    id: i64,
    tags: Vec<String>,
}

fn main() {}
