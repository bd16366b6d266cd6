use hooks::listens_for;
use hooks_sql::{Connection, Engine};

#[listens_for(Engine, "savepoint")]
fn on_savepoint(_conn: &Connection, _name: &'a str) {}

fn main() {}
