//! `Session::execute` and `do_orm_execute`: listeners see the statement before the session's
//! connection is acquired, may rewrite it, or answer without running anything; the Core
//! events fire for what runs.

mod session_trace;

use std::sync::Arc;

use hooks_orm::{Session, session_events as se};
use hooks_sql::{CursorResult, params};
use session_trace::{Trace, committed_names, database, push, take, traced};

#[test]
fn do_orm_execute_fires_before_the_connection_and_may_rewrite_the_statement() {
    let db = database("rewrite");
    let session = Session::new(&db.engine);
    let trace = traced(&session);
    let t = Arc::clone(&trace);
    se::do_orm_execute
        .listen(&session, move |state| {
            push(
                &t,
                format!(
                    "do_orm_execute {}",
                    state.statement().compile(&hooks_sql::Dialect::sqlite())
                ),
            );
            if state
                .statement()
                .compile(&hooks_sql::Dialect::sqlite())
                .starts_with("INSERT")
            {
                state.set_statement("INSERT INTO users (name) VALUES (? || ' (audited)')");
            }
            None
        })
        .unwrap();
    session
        .execute("INSERT INTO users (name) VALUES (?)", params!["u1"])
        .unwrap();
    session.commit().unwrap();
    let lines = take(&trace);
    assert_eq!(
        lines[..6],
        [
            "do_orm_execute INSERT INTO users (name) VALUES (?)",
            "after_transaction_create root",
            "core engine_connect",
            "core begin",
            "after_begin root",
            "sql INSERT INTO users (name) VALUES (? || ' (audited)')",
        ]
    );
    assert_eq!(committed_names(&db), ["u1 (audited)"]);
}

/// A listener returning a result answers the execute: nothing runs, no transaction begins.
#[test]
fn a_do_orm_execute_result_short_circuits_the_execution() {
    let db = database("short_circuit");
    let session = Session::new(&db.engine);
    let trace = traced(&session);
    let cached = session.execute("SELECT 1", ()).unwrap();
    take(&trace);
    let seen = Trace::default();
    let s = Arc::clone(&seen);
    se::do_orm_execute
        .listen(&session, move |_| {
            push(&s, "first");
            Some(cached.clone())
        })
        .unwrap();
    let s = Arc::clone(&seen);
    se::do_orm_execute
        .listen(&session, move |_| -> Option<CursorResult> {
            push(&s, "second");
            None
        })
        .unwrap();
    let result = session.execute("SELECT 2", ()).unwrap();
    assert_eq!(result.scalar().and_then(hooks_sql::Value::as_i64), Some(1));
    assert_eq!(take(&trace), Vec::<String>::new(), "no SQL ran");
    assert_eq!(take(&seen), ["first"]);
}
