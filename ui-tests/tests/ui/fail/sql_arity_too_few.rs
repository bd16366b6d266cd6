use hooks::listens_for;
use hooks_sql::Engine;

#[listens_for(Engine, "begin")]
fn on_begin() {}

fn main() {}
