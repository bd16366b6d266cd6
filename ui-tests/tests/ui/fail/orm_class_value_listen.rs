// Mapper events are taken on the class, never on an object.
use hooks_orm::mapper_events;

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
}

fn main() {
    let user = User { id: 1 };
    let _ = mapper_events::instrument_class.listen(&user, |_, _| {});
}
