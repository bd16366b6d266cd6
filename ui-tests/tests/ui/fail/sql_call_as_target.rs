use hooks::listens_for;
use hooks_sql::Connection;

#[listens_for(hooks_sql::create_engine("sqlite://"), "begin")]
fn on_begin(_conn: &Connection) {}

fn main() {}
