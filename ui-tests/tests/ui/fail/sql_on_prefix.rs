use hooks::listens_for;
use hooks_sql::{Connection, Engine};

#[listens_for(Engine, "on_commit")]
fn on_commit(_conn: &Connection) {}

fn main() {}
