use hooks::listens_for;
use hooks_sql::{Connection, Cursor, CursorParams, Engine, ExecutionContext};

#[listens_for(Engine, "before_cursor_execute")]
fn comment(
    _conn: &Connection,
    _cursor: &Cursor,
    statement: &str,
    parameters: &CursorParams,
    _context: Option<&ExecutionContext>,
    _executemany: bool,
) -> (String, CursorParams) {
    (format!("{statement} -- tagged"), parameters.clone())
}

fn main() {}
