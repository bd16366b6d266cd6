use hooks::listens_for;
use hooks_sql::{Connection, Cursor, CursorParams, Engine, ExecutionContext};

#[listens_for(Engine, "before_cursor_execute", retval)]
fn comment(
    _conn: &Connection,
    _cursor: &Cursor,
    statement: &str,
    _parameters: &CursorParams,
    _context: Option<&ExecutionContext>,
    _executemany: bool,
) -> String {
    format!("{statement} -- tagged")
}

fn main() {}
