// A misspelt session event on the `Session` target.
use hooks_orm::Session;

#[hooks::listens_for(Session, "after_comit")]
fn on_commit(_session: &Session) {}

fn main() {}
