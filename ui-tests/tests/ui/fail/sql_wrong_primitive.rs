use hooks::listens_for;
use hooks_sql::{Connection, Engine};

#[listens_for(Engine, "commit_twophase")]
fn on_commit_twophase(_conn: &Connection, _xid: &str, _is_prepared: u8) {}

fn main() {}
