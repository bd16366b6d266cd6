#![deny(warnings)]

use hooks::listens_for;
use hooks_sql::{Connection, Engine};

// The fn is `async`: that is the one error, and `Engine` is not also reported as unused.
#[listens_for(Engine, "begin")]
async fn on_begin(_conn: &Connection) {}

fn main() {}
