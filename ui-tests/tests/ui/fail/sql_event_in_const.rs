use hooks::listens_for;
use hooks_sql::{Connection, Engine};

const BEGIN: &str = "begin";

#[listens_for(Engine, BEGIN)]
fn on_begin(_conn: &Connection) {}

fn main() {
    let _ = BEGIN;
}
