use hooks::listens_for;
use hooks_sql::{Connection, Engine};

struct Audit;

impl Audit {
    #[listens_for(Engine, "begin")]
    fn on_begin(_conn: &Connection) {}
}

fn main() {}
