use hooks::listens_for;
use hooks_sql::{Connection, Engine};

#[listens_for(Engine, "commit")]
fn on_commit(_conn: &Connection, _extra: u32) {}

fn main() {}
