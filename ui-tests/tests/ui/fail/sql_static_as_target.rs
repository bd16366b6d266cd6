use hooks::listens_for;
use hooks_sql::{Connection, Engine};
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| hooks_sql::create_engine("sqlite://").unwrap());

#[listens_for(ENGINE, "begin")]
fn on_begin(_conn: &Connection) {}

fn main() {
    let _ = &*ENGINE;
}
