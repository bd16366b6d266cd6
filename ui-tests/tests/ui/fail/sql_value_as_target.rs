use hooks::listens_for;
use hooks_sql::Connection;

#[listens_for(engine, "begin")]
fn on_begin(_conn: &Connection) {}

fn main() {}
