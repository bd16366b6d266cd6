// `Engine::pool` reads as an attribute target, which `Engine` does not declare: it has none.
use hooks::listens_for;
use hooks_sql::{Connection, Engine};

#[listens_for(Engine::pool, "begin")]
fn on_begin(_conn: &Connection) {}

fn main() {}
