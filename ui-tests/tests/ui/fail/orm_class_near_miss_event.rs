// A mapped struct is a target of the mapper events: a misspelt event is one error with the fix.
use hooks_orm::{Mapper, MapperDef};

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
}

#[hooks::listens_for(User, "mapper_configurd")]
fn configured(_mapper: &Mapper, _class: &MapperDef) -> Result<(), hooks_orm::ListenerError> {
    Ok(())
}

fn main() {}
