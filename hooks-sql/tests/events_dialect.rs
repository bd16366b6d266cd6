//! `DialectEvents`, fired for real: `do_connect` halting and argument
//! rewriting, the `do_execute*` events taking over execution (SQLite's trace
//! shows what really ran), and `do_setinputsizes` never firing.
#![allow(
    unused_must_use,
    reason = "registrations on targets the test owns; a refusal would fail the assertions that follow"
)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use common::{Log, file_engine, memory_engine};
use hooks_sql::{
    CursorResult, DbapiConnection, EngineOptions, ExecutionOptions, Value, dialect_events, params,
};

#[test]
fn do_connect_rewrites_fresh_arguments_or_supplies_the_connection() {
    let (engine, path) = file_engine("do-connect", &EngineOptions::new());
    let redirected = path.with_file_name("redirected.sqlite");
    let target = redirected.display().to_string();
    let log = Log::new();
    let l = log.clone();
    dialect_events::do_connect.listen(&engine, move |dialect, record, cargs, cparams| {
        assert_eq!(dialect.name(), "sqlite");
        assert!(record.dbapi_connection().is_none(), "not connected yet");
        assert!(
            !cparams.contains_key("timeout"),
            "a fresh copy each attempt"
        );
        l.push(format!("do_connect {}", cargs[0].ends_with("db.sqlite")));
        cargs[0].clone_from(&target);
        cparams.insert("timeout".into(), Value::Integer(1));
        None
    });
    let (a, b) = (engine.connect().unwrap(), engine.connect().unwrap());
    assert!(
        redirected.exists() && !path.exists(),
        "SQLite opened the rewritten path"
    );
    assert_eq!(log.take(), ["do_connect true", "do_connect true"]);
    drop((a, b));

    let engine = memory_engine();
    let later = Arc::new(AtomicU32::new(0));
    dialect_events::do_connect.listen(&engine, |_, _, _, _| {
        let raw = rusqlite::Connection::open_in_memory().unwrap();
        raw.execute_batch("CREATE TABLE supplied (x)").unwrap();
        Some(DbapiConnection::new(raw))
    });
    let l = Arc::clone(&later);
    dialect_events::do_connect.listen(&engine, move |_, _, _, _| {
        l.fetch_add(1, Ordering::SeqCst);
        None
    });
    let conn = engine.connect().unwrap();
    conn.exec_driver_sql("SELECT count(*) FROM supplied", ())
        .unwrap();
    assert_eq!(later.load(Ordering::SeqCst), 0, "`Some` halts the chain");
}

#[test]
fn do_execute_events_take_over_execution_and_sqlite_never_sees_it() {
    let engine = memory_engine();
    let conn = engine.connect().unwrap();
    conn.exec_driver_sql("CREATE TABLE t (x INTEGER)", ())
        .unwrap();
    let sqlite = Log::new();
    sqlite.witness_statements(&conn.dbapi_connection().unwrap());
    let log = Log::new();
    let l = log.clone();
    dialect_events::do_execute.listen(&engine, move |cursor, sql, params, ctx| {
        l.push(format!("do_execute {sql} {}", params.len()));
        assert_eq!(ctx.unwrap().statement(), sql);
        if sql.starts_with("SELECT 'fake'") {
            cursor.set_result(CursorResult::default());
            return Ok(true);
        }
        Ok(false)
    });
    let l = log.clone();
    dialect_events::do_executemany.listen(&engine, move |_, sql, sets, _| {
        l.push(format!("do_executemany {sql} {}", sets.len()));
        Ok(true)
    });
    let l = log.clone();
    dialect_events::do_execute_no_params.listen(&engine, move |_, sql, ctx| {
        l.push(format!("do_execute_no_params {sql}"));
        assert!(!ctx.unwrap().executemany());
        Ok(false)
    });
    let never = Arc::new(AtomicU32::new(0));
    let n = Arc::clone(&never);
    dialect_events::do_executemany.listen(&engine, move |_, _, _, _| {
        n.fetch_add(1, Ordering::SeqCst);
        Ok(false)
    });
    conn.exec_driver_sql("INSERT INTO t VALUES (?)", params![1])
        .unwrap();
    conn.exec_driver_sql("SELECT 'fake' WHERE ? = 1", params![1])
        .unwrap();
    conn.execute_many("INSERT INTO t VALUES (?)", vec![params![2], params![3]])
        .unwrap();
    let count = conn.exec_driver_sql("SELECT count(*) FROM t", ()).unwrap();
    assert_eq!(
        count.scalar(),
        Some(&Value::Integer(1)),
        "only the first insert ran"
    );
    assert_eq!(never.load(Ordering::SeqCst), 0, "`true` halts the chain");
    assert_eq!(
        log.take(),
        [
            "do_execute INSERT INTO t VALUES (?) 1",
            "do_execute SELECT 'fake' WHERE ? = 1 1",
            "do_executemany INSERT INTO t VALUES (?) 2",
            "do_execute_no_params SELECT count(*) FROM t",
        ]
    );
    assert_eq!(
        sqlite.take(),
        [
            "sqlite: INSERT INTO t VALUES (?)",
            "sqlite: SELECT count(*) FROM t"
        ],
        "SQLite saw neither the faked SELECT nor the executemany"
    );
}

#[allow(
    clippy::unnecessary_wraps,
    reason = "the event dictates the listener's signature"
)]
fn named(
    _: &hooks_sql::Cursor,
    _: &str,
    _: Option<&hooks_sql::ExecutionContext>,
) -> Result<bool, hooks_sql::Error> {
    Ok(false)
}

#[test]
fn option_engines_share_the_dialect_and_its_listeners() {
    let engine = memory_engine();
    let option_engine = engine.execution_options(ExecutionOptions::new().with("a", 1));
    let calls = Arc::new(AtomicU32::new(0));
    let c = Arc::clone(&calls);
    dialect_events::do_execute_no_params.listen(&option_engine, move |_, _, _| {
        c.fetch_add(1, Ordering::SeqCst);
        Ok(false)
    });
    engine
        .connect()
        .unwrap()
        .exec_driver_sql("SELECT 1", ())
        .unwrap();
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "registered through the option engine"
    );
    dialect_events::do_execute_no_params.listen(&engine, named);
    assert!(
        dialect_events::do_execute_no_params.contains(engine.dialect(), named),
        "a listener added through the engine is found on its dialect"
    );
}

#[test]
fn do_setinputsizes_never_fires_on_sqlite() {
    let engine = memory_engine();
    let calls = Arc::new(AtomicU32::new(0));
    let c = Arc::clone(&calls);
    dialect_events::do_setinputsizes.listen(&engine, move |_, _, _, _, _| {
        c.fetch_add(1, Ordering::SeqCst);
    });
    let conn = engine.connect().unwrap();
    conn.exec_driver_sql("CREATE TABLE t (a INTEGER, b TEXT, c BLOB, d REAL)", ())
        .unwrap();
    conn.exec_driver_sql(
        "INSERT INTO t VALUES (?, ?, ?, ?)",
        params![1, "x", vec![0_u8, 1], 1.5],
    )
    .unwrap();
    conn.execute_many("INSERT INTO t (a) VALUES (?)", vec![params![2], params![3]])
        .unwrap();
    conn.commit().unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[test]
fn a_do_execute_listener_error_goes_through_handle_error_to_the_caller() {
    let engine = memory_engine();
    let conn = engine.connect().unwrap();
    let sqlite = Log::new();
    sqlite.witness_statements(&conn.dbapi_connection().unwrap());
    let log = Log::new();
    let l = log.clone();
    dialect_events::do_execute_no_params.listen(&engine, move |_, sql, _| {
        l.push(format!("do_execute_no_params {sql}"));
        Err(hooks_sql::Error::custom("the listener could not run it"))
    });
    let never = Arc::new(AtomicU32::new(0));
    let n = Arc::clone(&never);
    dialect_events::do_execute_no_params.listen(&engine, move |_, _, _| {
        n.fetch_add(1, Ordering::SeqCst);
        Ok(false)
    });
    let l = log.clone();
    hooks_sql::connection_events::handle_error.listen(&engine, move |ctx| {
        l.push(format!("handle_error {}", ctx.original_exception()));
        Ok(())
    });
    let err = conn.exec_driver_sql("SELECT 1", ()).unwrap_err();
    assert_eq!(err.to_string(), "the listener could not run it");
    assert_eq!(
        log.take(),
        [
            "do_execute_no_params SELECT 1",
            "handle_error the listener could not run it"
        ]
    );
    assert_eq!(never.load(Ordering::SeqCst), 0, "`Err` stops the chain");
    assert_eq!(
        sqlite.take(),
        ["sqlite: BEGIN"],
        "SQLite saw the autobegin, never the statement"
    );
}
