// `before_commit` is fallible: its listener returns `Result<(), ListenerError>` (an `Err`
// stops the commit).
use hooks_orm::Session;

#[hooks::listens_for(Session, "before_commit")]
fn on_commit(_session: &Session) {}

fn main() {}
