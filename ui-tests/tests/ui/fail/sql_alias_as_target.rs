use hooks::listens_for;
use hooks_sql::{Connection, Engine};

type Db = Engine;

#[listens_for(Db, "begin")]
fn on_begin(_conn: &Connection) {}

fn main() {
    let _: Option<Db> = None;
}
