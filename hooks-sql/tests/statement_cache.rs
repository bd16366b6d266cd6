//! The per-connection statement cache, with SQLite as the witness: the run counter
//! (`SQLITE_STMTSTATUS_RUN`) of the statement cached under a text says how many executions
//! reused that one prepared statement; a statement that was not cached comes back fresh, at 0.

mod common;

use hooks_sql::{Connection, DbapiConnection, Modifiers, connection_events, create_engine};
use rusqlite::StatementStatus;

/// How many times the statement cached under `sql` ran (0: not cached, prepared now).
fn cached_runs(dbapi: &DbapiConnection, sql: &str) -> i32 {
    dbapi
        .with_raw(|raw| Ok(raw.prepare_cached(sql)?.get_status(StatementStatus::Run)))
        .unwrap()
}

fn connection() -> (Connection, DbapiConnection) {
    let conn = create_engine("sqlite://").unwrap().connect().unwrap();
    let dbapi = conn.dbapi_connection().unwrap();
    (conn, dbapi)
}

#[test]
fn a_repeated_statement_is_prepared_once_and_every_execution_fires_the_events() {
    let (conn, dbapi) = connection();
    let log = common::Log::new();
    let l = log.clone();
    connection_events::before_cursor_execute
        .listen(&conn, move |_, _, sql, _, _, _| {
            l.push(sql);
        })
        .unwrap();
    for n in 0..3 {
        let one = conn
            .exec_driver_sql("SELECT ?1 + 1", hooks_sql::params![n])
            .unwrap();
        assert_eq!(one.scalar().and_then(hooks_sql::Value::as_i64), Some(n + 1));
    }
    assert_eq!(log.take(), ["SELECT ?1 + 1"; 3]);
    assert_eq!(
        cached_runs(&dbapi, "SELECT ?1 + 1"),
        3,
        "one statement, run 3 times"
    );
}

#[test]
fn a_rewritten_statement_is_cached_under_its_rewritten_text() {
    let (conn, dbapi) = connection();
    let log = common::Log::new();
    let l = log.clone();
    connection_events::before_cursor_execute
        .listen_retval(&conn, Modifiers::NONE, move |_, _, sql, params, _, _| {
            l.push(sql);
            (format!("{sql} -- tagged"), params.clone())
        })
        .unwrap();
    conn.exec_driver_sql("SELECT ?1 + 1", hooks_sql::params![1])
        .unwrap();
    conn.exec_driver_sql("SELECT ?1 + 1", hooks_sql::params![2])
        .unwrap();
    assert_eq!(
        log.take(),
        ["SELECT ?1 + 1"; 2],
        "the listener saw each execution"
    );
    assert_eq!(cached_runs(&dbapi, "SELECT ?1 + 1 -- tagged"), 2);
    assert_eq!(
        cached_runs(&dbapi, "SELECT ?1 + 1"),
        0,
        "the original text was never prepared"
    );
}

#[test]
fn ddl_empties_the_cache() {
    let (conn, dbapi) = connection();
    conn.exec_driver_sql("CREATE TABLE t (x)", ()).unwrap();
    conn.exec_driver_sql("SELECT x FROM t", ()).unwrap();
    conn.exec_driver_sql("SELECT x FROM t", ()).unwrap();
    assert_eq!(cached_runs(&dbapi, "SELECT x FROM t"), 2);
    conn.exec_driver_sql("/* a comment */ create table u (y)", ())
        .unwrap();
    assert_eq!(cached_runs(&dbapi, "SELECT x FROM t"), 0, "flushed by DDL");
    conn.exec_driver_sql("DROP TABLE t", ()).unwrap();
    let error = conn.exec_driver_sql("SELECT x FROM t", ()).unwrap_err();
    assert!(error.to_string().contains("no such table"), "{error}");
}

#[test]
fn the_cache_is_bounded_least_recently_used_first_out() {
    let (conn, dbapi) = connection();
    dbapi
        .with_raw(|raw| {
            raw.set_prepared_statement_cache_capacity(2);
            Ok(())
        })
        .unwrap();
    for sql in ["SELECT 1", "SELECT 2", "SELECT 3"] {
        conn.exec_driver_sql(sql, ()).unwrap();
    }
    assert_eq!(cached_runs(&dbapi, "SELECT 3"), 1);
    assert_eq!(cached_runs(&dbapi, "SELECT 1"), 0, "evicted");
}

#[test]
fn executemany_reuses_one_statement_for_every_parameter_set() {
    let (conn, dbapi) = connection();
    conn.exec_driver_sql("CREATE TABLE t (x)", ()).unwrap();
    let rows: Vec<hooks_sql::Params> = (0..3).map(|n| hooks_sql::params![n]).collect();
    dbapi
        .cursor()
        .executemany("INSERT INTO t VALUES (?)", &rows)
        .unwrap();
    assert_eq!(cached_runs(&dbapi, "INSERT INTO t VALUES (?)"), 3);
}

#[test]
fn a_disposed_pools_connections_close_with_their_cached_statements() {
    let (engine, _) = common::file_engine("cache-dispose", &hooks_sql::EngineOptions::new());
    let conn = engine.connect().unwrap();
    let old = conn.dbapi_connection().unwrap();
    conn.exec_driver_sql("SELECT 1", ()).unwrap();
    assert_eq!(cached_runs(&old, "SELECT 1"), 1);
    drop(conn);
    engine.dispose();
    assert!(old.is_closed(), "closing finalized its cached statements");
    let conn = engine.connect().unwrap();
    let new = conn.dbapi_connection().unwrap();
    conn.exec_driver_sql("SELECT 1", ()).unwrap();
    assert_eq!(
        cached_runs(&new, "SELECT 1"),
        1,
        "prepared anew on the new connection"
    );
}
