use hooks_orm::Mapped;

// A plain type named as a mixin: it has no class-level listeners to fire.
struct Timestamped;

#[derive(Mapped)]
#[mapped(table = "users", mixins(Timestamped))]
struct User {
    #[column(primary_key)]
    id: i64,
}

fn main() {}
