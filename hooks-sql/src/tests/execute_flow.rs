use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use hooks::Modifiers;

use super::{Probe, file_engine, memory_engine};
use crate::events::{connection_events, dialect_events};
use crate::{CursorParams, EngineOptions, Error, ExecutionOptions, Params, Value, params, text};

#[test]
fn execute_fires_statement_then_cursor_events_around_autobegin() {
    let engine = memory_engine();
    let conn = engine.connect().unwrap();
    let p = Probe::on(&engine);
    conn.execute(text("SELECT ?"), params![1]).unwrap();
    assert_eq!(
        p.take(),
        [
            "before_execute",
            "begin",
            "before_cursor_execute SELECT ?",
            "do_execute",
            "after_cursor_execute SELECT ?",
            "after_execute"
        ]
    );
    conn.exec_driver_sql("SELECT 2", ()).unwrap();
    assert_eq!(
        p.take(),
        [
            "before_cursor_execute SELECT 2",
            "do_execute_no_params",
            "after_cursor_execute SELECT 2"
        ],
        "driver SQL skips before/after_execute"
    );
    conn.commit().unwrap();
    assert_eq!(p.take(), ["commit"]);
}

#[test]
fn before_cursor_execute_result_is_what_sqlite_runs() {
    let conn = memory_engine().connect().unwrap();
    connection_events::before_cursor_execute
        .listen_retval(&conn, Modifiers::NONE, |_, _, sql, params, _, _| {
            if sql == "SELECT 1" {
                ("SELECT ? * 10".to_owned(), CursorParams::Single(params![4]))
            } else {
                (sql.to_owned(), params.clone())
            }
        })
        .unwrap();
    let result = conn.exec_driver_sql("SELECT 1", ()).unwrap();
    assert_eq!(result.scalar(), Some(&Value::Integer(40)));
}

#[test]
fn before_execute_may_replace_statement_and_parameters() {
    let conn = memory_engine().connect().unwrap();
    conn.exec_driver_sql("CREATE TABLE t (x INTEGER)", ())
        .unwrap();
    let p = Probe::on(conn.engine());
    connection_events::before_execute
        .listen_retval(&conn, Modifiers::NONE, |_, _, _, _, _| {
            (
                text("INSERT INTO t VALUES (?)"),
                vec![params![1], params![2], params![3]],
                Params::None,
            )
        })
        .unwrap();
    let result = conn.execute("ignored", ()).unwrap();
    assert_eq!(
        result.rowcount(),
        Some(3),
        "a single execute became an executemany"
    );
    assert!(p.take().contains(&"do_executemany".to_owned()));
}

#[test]
fn before_execute_cannot_return_multiparams_and_params() {
    let conn = memory_engine().connect().unwrap();
    connection_events::before_execute
        .listen_retval(&conn, Modifiers::NONE, |_, s, _, _, _| {
            (s.clone(), vec![params![1], params![2]], params![3])
        })
        .unwrap();
    let err = conn.execute("SELECT ?", params![0]).unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(ref m) if m.contains("multiparams and params")),
        "{err}"
    );
}

#[test]
fn do_execute_returning_true_skips_the_dialect() {
    let conn = memory_engine().connect().unwrap();
    conn.exec_driver_sql("CREATE TABLE t (x INTEGER)", ())
        .unwrap();
    let claimed: Arc<Mutex<Vec<String>>> = Arc::default();
    let claim = move |sql: &str, seen: &Mutex<Vec<String>>| {
        let claim = sql.starts_with("INSERT");
        if claim {
            seen.lock().unwrap().push(sql.to_owned());
        }
        claim
    };
    let seen = Arc::clone(&claimed);
    dialect_events::do_execute
        .listen(conn.engine(), move |_, sql, _, _| Ok(claim(sql, &seen)))
        .unwrap();
    let seen = Arc::clone(&claimed);
    dialect_events::do_executemany
        .listen(conn.engine(), move |_, sql, _, _| Ok(claim(sql, &seen)))
        .unwrap();
    let seen = Arc::clone(&claimed);
    dialect_events::do_execute_no_params
        .listen(conn.engine(), move |_, sql, _| Ok(claim(sql, &seen)))
        .unwrap();
    conn.exec_driver_sql("INSERT INTO t VALUES (?)", params![1])
        .unwrap();
    conn.execute_many("INSERT INTO t VALUES (?)", vec![params![1], params![2]])
        .unwrap();
    conn.exec_driver_sql("INSERT INTO t VALUES (5)", ())
        .unwrap();
    assert_eq!(
        claimed.lock().unwrap().len(),
        3,
        "do_execute, do_executemany and do_execute_no_params"
    );
    let count = conn.exec_driver_sql("SELECT count(*) FROM t", ()).unwrap();
    assert_eq!(
        count.scalar(),
        Some(&Value::Integer(0)),
        "nothing reached SQLite"
    );
}

#[test]
fn execution_errors_go_through_dbapi_error_then_handle_error() {
    let conn = memory_engine().connect().unwrap();
    let p = Probe::on(conn.engine());
    let checked = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&checked);
    connection_events::handle_error
        .listen(&conn, move |ctx| {
            assert_eq!(ctx.statement(), Some("SELECT * FROM missing"));
            assert!(ctx.connection().is_some() && ctx.engine().is_some() && ctx.cursor().is_some());
            assert!(ctx.chained_exception().is_none() && !ctx.is_disconnect && !ctx.is_pre_ping());
            assert!(ctx.original_exception().as_dbapi().is_some());
            flag.store(true, Ordering::SeqCst);
            Ok(())
        })
        .unwrap();
    let err = conn
        .exec_driver_sql("SELECT * FROM missing", ())
        .unwrap_err();
    assert!(checked.load(Ordering::SeqCst));
    assert_eq!(
        err.as_dbapi().and_then(|e| e.statement()),
        Some("SELECT * FROM missing")
    );
    let log = p.take();
    assert_eq!(log[log.len() - 2..], ["dbapi_error", "handle_error"]);
    assert!(!log.iter().any(|e| e.starts_with("after_cursor_execute")));
}

#[test]
fn handle_error_chained_exception_replaces_the_error() {
    let conn = memory_engine().connect().unwrap();
    connection_events::handle_error
        .listen(&conn, |ctx| {
            ctx.set_chained_exception(Error::custom("replaced"));
            Ok(())
        })
        .unwrap();
    let err = conn.exec_driver_sql("NOT SQL", ()).unwrap_err();
    assert_eq!(err.to_string(), "replaced");
}

#[test]
fn handle_error_err_stops_the_chain_and_wins() {
    let conn = memory_engine().connect().unwrap();
    connection_events::handle_error
        .listen(&conn, |ctx| {
            ctx.set_chained_exception(Error::custom("chained"));
            Err(Error::custom("raised"))
        })
        .unwrap();
    connection_events::handle_error
        .listen(&conn, |_| panic!("the chain stopped at the first `Err`"))
        .unwrap();
    let err = conn.exec_driver_sql("NOT SQL", ()).unwrap_err();
    assert_eq!(err.to_string(), "raised");
}

#[test]
fn handle_error_can_turn_an_error_into_a_disconnect() {
    let conn = memory_engine().connect().unwrap();
    conn.exec_driver_sql("SELECT 1", ()).unwrap();
    let dbapi = conn.dbapi_connection().unwrap();
    let p = Probe::on(conn.engine());
    let to_disconnect = connection_events::handle_error
        .listen(&conn, |ctx| {
            ctx.is_disconnect = true;
            Ok(())
        })
        .unwrap();
    let err = conn.exec_driver_sql("NOT SQL", ()).unwrap_err();
    assert!(err.connection_invalidated());
    assert!(conn.invalidated() && dbapi.is_closed());
    assert_eq!(
        p.take_coarse(),
        [
            "dbapi_error",
            "handle_error",
            "invalidate",
            "close",
            "checkin none"
        ]
    );
    assert!(matches!(
        conn.exec_driver_sql("SELECT 1", ()),
        Err(Error::PendingRollback)
    ));
    conn.rollback().unwrap();
    assert_eq!(
        p.take(),
        Vec::<String>::new(),
        "no rollback event on an invalid connection"
    );
    to_disconnect.remove().unwrap();
    conn.exec_driver_sql("SELECT 1", ())
        .expect("reconnected after the rollback");
}

#[test]
fn handle_error_can_turn_a_disconnect_into_an_ordinary_error() {
    let conn = memory_engine().connect().unwrap();
    conn.dbapi_connection().unwrap().close().unwrap();
    connection_events::handle_error
        .listen(&conn, |ctx| {
            assert!(
                ctx.is_disconnect,
                "a closed DBAPI connection is a disconnect"
            );
            ctx.is_disconnect = false;
            Ok(())
        })
        .unwrap();
    let err = conn.exec_driver_sql("SELECT 1", ()).unwrap_err();
    assert!(!err.connection_invalidated() && !conn.invalidated());
}

#[test]
fn invalidate_pool_on_disconnect_controls_the_other_connections() {
    for invalidate_pool in [true, false] {
        let (engine, _) = file_engine("inv-pool", &EngineOptions::new());
        let idle = engine.connect().unwrap();
        let idle_dbapi = idle.dbapi_connection().unwrap();
        let conn = engine.connect().unwrap();
        drop(idle);
        connection_events::handle_error
            .listen(&conn, move |ctx| {
                ctx.is_disconnect = true;
                ctx.invalidate_pool_on_disconnect = invalidate_pool;
                Ok(())
            })
            .unwrap();
        conn.exec_driver_sql("NOT SQL", ()).unwrap_err();
        let again = engine.connect().unwrap();
        assert_eq!(idle_dbapi.is_closed(), invalidate_pool);
        drop(again);
    }
}

#[test]
fn connect_errors_reach_handle_error_without_a_connection() {
    let (engine, path) = file_engine("connect-error", &EngineOptions::new());
    let bad = path
        .with_file_name("no-such-dir")
        .join("x.sqlite")
        .display()
        .to_string();
    let p = Probe::on(&engine);
    dialect_events::do_connect
        .listen(&engine, move |_, _, cargs, _| {
            cargs[0].clone_from(&bad);
            None
        })
        .unwrap();
    connection_events::handle_error
        .listen(&engine, |ctx| {
            assert!(ctx.connection().is_none() && ctx.engine().is_some());
            Ok(())
        })
        .unwrap();
    let err = engine.connect().unwrap_err();
    assert_eq!(
        err.as_dbapi().and_then(crate::DbapiError::sqlite_code),
        Some(rusqlite::ErrorCode::CannotOpen)
    );
    assert_eq!(p.take(), ["do_connect", "dbapi_error", "handle_error"]);
    assert_eq!(engine.pool().status().open, 0, "the slot was released");
}

#[test]
fn skip_user_error_events_bypasses_handle_error() {
    let conn = memory_engine().connect().unwrap();
    conn.execution_options(ExecutionOptions::new().with("skip_user_error_events", true));
    let p = Probe::on(conn.engine());
    conn.exec_driver_sql("NOT SQL", ()).unwrap_err();
    assert!(
        !p.take()
            .iter()
            .any(|e| e == "handle_error" || e == "dbapi_error")
    );
}

#[test]
fn begin_errors_go_through_handle_error() {
    let conn = memory_engine().connect().unwrap();
    conn.dbapi_connection().unwrap().close().unwrap();
    let p = Probe::on(conn.engine());
    let err = conn.begin().unwrap_err();
    assert!(err.connection_invalidated());
    assert_eq!(p.take()[..3], ["begin", "dbapi_error", "handle_error"]);
}

#[test]
fn savepoint_events_bracket_their_sql() {
    let conn = memory_engine().connect().unwrap();
    let p = Probe::on(conn.engine());
    let sp = conn.begin_nested().unwrap();
    let inner = conn.begin_nested().unwrap();
    inner.commit().unwrap();
    sp.rollback().unwrap();
    conn.commit().unwrap();
    assert_eq!(
        p.take_coarse(),
        [
            "begin",
            "savepoint sa_savepoint_1",
            "savepoint sa_savepoint_2",
            "release_savepoint sa_savepoint_2",
            "rollback_savepoint sa_savepoint_1",
            "commit"
        ]
    );
}

#[test]
fn savepoint_sql_goes_through_cursor_events() {
    let conn = memory_engine().connect().unwrap();
    conn.exec_driver_sql("SELECT 1", ()).unwrap();
    let p = Probe::on(conn.engine());
    drop(conn.begin_nested().unwrap());
    assert_eq!(
        p.take(),
        [
            "savepoint sa_savepoint_1",
            "before_cursor_execute SAVEPOINT sa_savepoint_1",
            "do_execute_no_params",
            "after_cursor_execute SAVEPOINT sa_savepoint_1",
            "rollback_savepoint sa_savepoint_1",
            "before_cursor_execute ROLLBACK TO SAVEPOINT sa_savepoint_1",
            "do_execute_no_params",
            "after_cursor_execute ROLLBACK TO SAVEPOINT sa_savepoint_1"
        ]
    );
}

#[test]
fn two_phase_events_fire_before_the_refusal() {
    let conn = memory_engine().connect().unwrap();
    let p = Probe::on(conn.engine());
    assert!(matches!(
        conn.begin_twophase(Some("x1")),
        Err(Error::TwoPhaseNotSupported { .. })
    ));
    assert!(conn.prepare_twophase("x1").is_err());
    assert!(conn.commit_twophase("x1", true).is_err());
    assert!(conn.rollback_twophase("x1", false).is_err());
    assert_eq!(
        p.take(),
        [
            "begin_twophase x1",
            "prepare_twophase x1",
            "commit_twophase x1",
            "rollback_twophase x1"
        ]
    );
    assert!(!conn.in_transaction());
}

#[test]
fn execution_option_events_fire_before_merging() {
    let engine = memory_engine();
    let p = Probe::on(&engine);
    let option_engine = engine.execution_options(ExecutionOptions::new().with("a", 1));
    let conn = option_engine.connect().unwrap();
    conn.execution_options(ExecutionOptions::new().with("b", 2));
    assert_eq!(
        p.take_coarse(),
        [
            "set_engine_execution_options",
            "do_connect",
            "first_connect",
            "connect",
            "checkout",
            "engine_connect",
            "set_connection_execution_options"
        ]
    );
    let opts = conn.get_execution_options();
    assert_eq!(
        (opts.get("a"), opts.get("b")),
        (Some(&Value::Integer(1)), Some(&Value::Integer(2)))
    );
}

#[test]
fn explicit_begin_and_commit_fire_once_each() {
    let conn = memory_engine().connect().unwrap();
    let p = Probe::on(conn.engine());
    let tx = conn.begin().unwrap();
    assert!(matches!(conn.begin(), Err(Error::TransactionAlreadyBegun)));
    tx.commit().unwrap();
    assert_eq!(p.take(), ["begin", "commit"]);
}
