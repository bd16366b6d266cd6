use hooks::listens_for;
use hooks_sql::{Connection, Engine};

#[listens_for(Engine, "begin")]
fn on_begin(_conn: &mut Connection) {}

fn main() {}
