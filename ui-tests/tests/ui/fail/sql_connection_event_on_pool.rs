use hooks::listens_for;
use hooks_sql::{Connection, Pool};

#[listens_for(Pool, "after_execute")]
fn on_after_execute(_conn: &Connection) {}

fn main() {}
