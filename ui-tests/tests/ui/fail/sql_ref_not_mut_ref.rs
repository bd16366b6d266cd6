use hooks::listens_for;
use hooks_sql::{Engine, ExecutionOptions};

#[listens_for(Engine, "set_engine_execution_options")]
fn on_options(_engine: &Engine, _opts: &ExecutionOptions) {}

fn main() {}
