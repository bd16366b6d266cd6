//! A `retval` `before_cursor_execute` listener appending a comment to every
//! statement; SQLite's own statement trace shows the rewritten SQL.
//!
//! `cargo run -p hooks-sql --example statement_comment`

use std::sync::{Arc, Mutex};

use hooks_sql::{
    Connection, Cursor, CursorParams, Engine, ExecutionContext, create_engine, params,
};

#[hooks::listens_for(Engine, "before_cursor_execute", retval)]
fn tag_statement(
    _conn: &Connection,
    _cursor: &Cursor,
    statement: &str,
    parameters: &CursorParams,
    _context: Option<&ExecutionContext>,
    _executemany: bool,
) -> (String, CursorParams) {
    (
        format!("{statement} /* app=statement_comment */"),
        parameters.clone(),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = create_engine("sqlite://")?;
    let conn = engine.connect()?;
    let traced = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&traced);
    conn.dbapi_connection()?.with_raw(move |raw| {
        raw.trace_v2(
            rusqlite::trace::TraceEventCodes::SQLITE_TRACE_STMT,
            Some(move |event: rusqlite::trace::TraceEvent<'_>| {
                if let rusqlite::trace::TraceEvent::Stmt(_, sql) = event {
                    sink.lock().unwrap().push(sql.to_owned());
                }
            }),
        )
    })?;
    conn.exec_driver_sql("CREATE TABLE t (x INTEGER)", ())?;
    conn.exec_driver_sql("INSERT INTO t VALUES (?)", params![1])?;
    conn.commit()?;
    let traced = traced.lock().unwrap().clone();
    for sql in &traced {
        println!("SQLite ran: {sql}");
    }
    assert_eq!(
        traced,
        [
            "BEGIN",
            "CREATE TABLE t (x INTEGER) /* app=statement_comment */",
            "INSERT INTO t VALUES (?) /* app=statement_comment */",
            "COMMIT",
        ]
    );
    Ok(())
}
