use hooks::listens_for;
use hooks_sql::{Engine, Error, ExceptionContext};

#[listens_for(Engine, "handle_error")]
fn on_error(_context: &ExceptionContext<'_>) -> Result<(), Error> {
    Ok(())
}

fn main() {}
