// A misspelt `#[column]` option: one error on the option, naming the expected one.

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
struct User {
    #[column(primary_kee)]
    id: i64,
}

fn main() {}
