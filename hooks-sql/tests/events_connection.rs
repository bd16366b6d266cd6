//! `ConnectionEvents`, fired for real and witnessed by SQLite: order and
//! arguments, `retval` rewriting, joins (connection → engine → parent
//! engine), transactions against SQLite's commit/rollback hooks, and
//! `handle_error` contracts.
#![allow(
    unused_must_use,
    reason = "registrations on targets the test owns; a refusal would fail the assertions that follow"
)]

mod common;

use common::{Log, count_rows, file_engine, memory_engine};
use hooks::Modifiers;
use hooks_sql::{
    CursorParams, EngineOptions, Error, ExecutionOptions, Params, Statement, Value,
    connection_events as ce, dialect_events, named_params, params, text,
};

#[test]
fn an_execution_fires_every_event_in_order_with_its_arguments() {
    let engine = memory_engine();
    let conn = engine.connect().unwrap();
    conn.execution_options(ExecutionOptions::new().with("tag", "t1"));
    let log = Log::new();
    let l = log.clone();
    ce::before_execute.listen(&conn, move |c, stmt, many, params, opts| {
        assert!(many.is_empty() && !c.in_transaction());
        assert_eq!(opts.get("tag"), Some(&Value::from("t1")));
        l.push(format!(
            "before_execute {} {:?}",
            stmt.compile(c.dialect()),
            params.get_named("x")
        ));
    });
    let l = log.clone();
    ce::begin.listen(&conn, move |_| l.push("begin"));
    let l = log.clone();
    ce::before_cursor_execute.listen(&conn, move |_, cursor, sql, params, ctx, many| {
        assert!(!many && ctx.unwrap().statement() == sql && !ctx.unwrap().is_ddl());
        assert!(!cursor.connection().is_closed());
        l.push(format!(
            "before_cursor_execute {sql} {}",
            matches!(params, CursorParams::Single(_))
        ));
    });
    let l = log.clone();
    dialect_events::do_execute.listen(&engine, move |_, sql, params, _| {
        l.push(format!("do_execute {sql} {}", params.len()));
        Ok(false)
    });
    let l = log.clone();
    ce::after_cursor_execute.listen(&conn, move |_, cursor, sql, _, _, _| {
        l.push(format!(
            "after_cursor_execute {sql} rows={}",
            cursor.result().rows().len()
        ));
    });
    let l = log.clone();
    ce::after_execute.listen(&conn, move |_, _, _, _, _, result| {
        l.push(format!("after_execute {:?}", result.scalar()));
    });
    log.witness_statements(&conn.dbapi_connection().unwrap());
    let result = conn
        .execute(text("SELECT :x + 1"), named_params! {"x" => 41})
        .unwrap();
    assert_eq!(result.scalar(), Some(&Value::Integer(42)));
    assert_eq!(
        log.take(),
        [
            "before_execute SELECT :x + 1 Some(Integer(41))",
            "begin",
            "sqlite: BEGIN",
            "before_cursor_execute SELECT :x + 1 true",
            "do_execute SELECT :x + 1 1",
            "sqlite: SELECT :x + 1",
            "after_cursor_execute SELECT :x + 1 rows=1",
            "after_execute Some(Integer(42))",
        ]
    );
}

#[test]
fn before_cursor_execute_retval_rewrites_what_sqlite_runs() {
    let engine = memory_engine();
    ce::before_cursor_execute
        .listen_retval(&engine, Modifiers::NONE, |_, _, sql, params, _, _| {
            (format!("{sql} -- app:test"), params.clone())
        })
        .unwrap();
    // Chained: the second retval listener sees the first one's result.
    ce::before_cursor_execute
        .listen_retval(&engine, Modifiers::NONE, |_, _, sql, params, _, _| {
            assert!(sql.ends_with("-- app:test"));
            (sql.replace("SELECT 1", "SELECT 7"), params.clone())
        })
        .unwrap();
    // Without `retval` a listener sees the value but cannot replace it.
    let seen = Log::new();
    let s = seen.clone();
    ce::after_cursor_execute.listen(&engine, move |_, _, sql, _, ctx, _| {
        assert_eq!(ctx.unwrap().statement(), sql);
        s.push(sql);
    });
    let conn = engine.connect().unwrap();
    let sqlite = Log::new();
    sqlite.witness_statements(&conn.dbapi_connection().unwrap());
    let one = conn.exec_driver_sql("SELECT 1", ()).unwrap();
    assert_eq!(one.scalar(), Some(&Value::Integer(7)));
    assert_eq!(
        sqlite.take(),
        ["sqlite: BEGIN", "sqlite: SELECT 7 -- app:test"]
    );
    assert_eq!(seen.take(), ["SELECT 7 -- app:test"]);
}

#[test]
fn before_execute_retval_replaces_the_statement_and_parameters() {
    let engine = memory_engine();
    engine
        .begin(|c| {
            c.exec_driver_sql("CREATE TABLE t (x INTEGER)", ())
                .map(drop)
        })
        .unwrap();
    let conn = engine.connect().unwrap();
    ce::before_execute
        .listen_retval(&conn, Modifiers::NONE, |_, stmt, _, params, _| {
            let swapped = if stmt
                .compile(&hooks_sql::Dialect::sqlite())
                .starts_with("SELECT")
            {
                text("SELECT count(*) * 100 FROM t")
            } else {
                stmt.clone()
            };
            (swapped, Vec::new(), params.clone())
        })
        .unwrap();
    ce::before_execute
        .listen_retval(&conn, Modifiers::NONE, |_, stmt, many, params, _| {
            (stmt.clone(), many.to_vec(), params.clone())
        })
        .unwrap();
    conn.execute("INSERT INTO t VALUES (?)", params![1])
        .unwrap();
    let n = conn.execute(Statement::from("SELECT 0"), ()).unwrap();
    assert_eq!(n.scalar(), Some(&Value::Integer(100)));
    ce::before_execute
        .listen_retval(&conn, Modifiers::NONE, |_, s, _, _, _| {
            (s.clone(), vec![params![1]], params![2])
        })
        .unwrap();
    let err = conn.execute("SELECT ?", params![0]).unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
}

#[test]
fn commit_and_rollback_events_match_sqlite_hooks() {
    let (engine, path) = file_engine("tx-hooks", &EngineOptions::new());
    engine
        .begin(|c| {
            c.exec_driver_sql("CREATE TABLE t (x INTEGER)", ())
                .map(drop)
        })
        .unwrap();
    let log = Log::new();
    let l = log.clone();
    ce::commit.listen(&engine, move |c| {
        assert!(
            c.in_transaction(),
            "fires before SQLite ends the transaction"
        );
        l.push("event commit");
    });
    let l = log.clone();
    ce::rollback.listen(&engine, move |c| {
        assert!(
            c.in_transaction(),
            "fires before SQLite ends the transaction"
        );
        l.push("event rollback");
    });
    let l = log.clone();
    ce::begin.listen(&engine, move |_| l.push("event begin"));
    let conn = engine.connect().unwrap();
    log.witness_transactions(&conn.dbapi_connection().unwrap());
    conn.exec_driver_sql("INSERT INTO t VALUES (1)", ())
        .unwrap();
    conn.commit().unwrap();
    let tx = conn.begin().unwrap();
    conn.exec_driver_sql("INSERT INTO t VALUES (2)", ())
        .unwrap();
    tx.rollback().unwrap();
    conn.exec_driver_sql("INSERT INTO t VALUES (3)", ())
        .unwrap();
    drop(conn);
    assert_eq!(
        log.take(),
        [
            "event begin",
            "event commit",
            "sqlite commit",
            "event begin",
            "event rollback",
            "sqlite rollback",
            "event begin",
            "event rollback",
            "sqlite rollback",
        ]
    );
    assert_eq!(count_rows(&path, "t"), 1);
}

#[test]
fn savepoint_events_precede_their_sql() {
    let engine = memory_engine();
    let conn = engine.connect().unwrap();
    let log = Log::new();
    let l = log.clone();
    ce::savepoint.listen(&conn, move |_, name| l.push(format!("savepoint {name}")));
    let l = log.clone();
    ce::release_savepoint.listen(&conn, move |_, name, ctx| {
        assert!(ctx.is_none());
        l.push(format!("release_savepoint {name}"));
    });
    let l = log.clone();
    ce::rollback_savepoint.listen(&conn, move |_, name, ctx| {
        assert!(ctx.is_none());
        l.push(format!("rollback_savepoint {name}"));
    });
    conn.exec_driver_sql("SELECT 1", ()).unwrap();
    log.witness_statements(&conn.dbapi_connection().unwrap());
    let outer = conn.begin_nested().unwrap();
    let inner = conn.begin_nested().unwrap();
    inner.commit().unwrap();
    outer.rollback().unwrap();
    assert_eq!(
        log.take(),
        [
            "savepoint sa_savepoint_1",
            "sqlite: SAVEPOINT sa_savepoint_1",
            "savepoint sa_savepoint_2",
            "sqlite: SAVEPOINT sa_savepoint_2",
            "release_savepoint sa_savepoint_2",
            "sqlite: RELEASE SAVEPOINT sa_savepoint_2",
            "rollback_savepoint sa_savepoint_1",
            "sqlite: ROLLBACK TO SAVEPOINT sa_savepoint_1",
        ]
    );
}

#[test]
fn two_phase_events_fire_then_sqlite_refuses() {
    let engine = memory_engine();
    let log = Log::new();
    let l = log.clone();
    ce::begin_twophase.listen(&engine, move |_, xid| {
        l.push(format!("begin_twophase {xid}"));
    });
    let l = log.clone();
    ce::prepare_twophase.listen(&engine, move |_, xid| {
        l.push(format!("prepare_twophase {xid}"));
    });
    let l = log.clone();
    ce::commit_twophase.listen(&engine, move |_, xid, p| {
        l.push(format!("commit_twophase {xid} {p}"));
    });
    let l = log.clone();
    ce::rollback_twophase.listen(&engine, move |_, xid, p| {
        l.push(format!("rollback_twophase {xid} {p}"));
    });
    let conn = engine.connect().unwrap();
    let refused = |r: Result<(), Error>, op: &str| {
        assert!(matches!(r, Err(Error::TwoPhaseNotSupported { operation }) if operation == op));
    };
    refused(conn.begin_twophase(Some("x1")).map(drop), "begin_twophase");
    refused(conn.prepare_twophase("x1"), "prepare_twophase");
    refused(conn.commit_twophase("x1", true), "commit_twophase");
    refused(conn.rollback_twophase("x1", false), "rollback_twophase");
    assert!(!engine.dialect().supports_two_phase() && !conn.in_transaction());
    assert_eq!(
        log.take(),
        [
            "begin_twophase x1",
            "prepare_twophase x1",
            "commit_twophase x1 true",
            "rollback_twophase x1 false",
        ]
    );
}

#[test]
fn connection_listeners_run_before_engine_then_parent_engine_and_late_engine_listeners_are_seen() {
    let engine = memory_engine();
    let option_engine = engine.execution_options(ExecutionOptions::new().with("o", 1));
    let conn = option_engine.connect().unwrap();
    let log = Log::new();
    let l = log.clone();
    ce::begin.listen(&engine, move |_| l.push("parent engine"));
    let l = log.clone();
    ce::begin.listen(&option_engine, move |_| l.push("option engine"));
    let l = log.clone();
    ce::begin.listen(&conn, move |_| l.push("connection"));
    // Listeners added to an engine after the connection exists are seen.
    let l = log.clone();
    ce::begin.listen_with(&engine, Modifiers::INSERT, move |_| {
        l.push("parent engine, inserted");
    });
    conn.exec_driver_sql("SELECT 1", ()).unwrap();
    assert_eq!(
        log.take(),
        [
            "connection",
            "option engine",
            "parent engine, inserted",
            "parent engine"
        ]
    );
    // A plain connection of the parent does not see the option engine's.
    conn.commit().unwrap();
    engine
        .connect()
        .unwrap()
        .exec_driver_sql("SELECT 1", ())
        .unwrap();
    assert_eq!(log.take(), ["parent engine, inserted", "parent engine"]);
}

#[test]
fn engine_connect_and_execution_option_events_let_listeners_change_the_options() {
    let engine = memory_engine();
    let log = Log::new();
    let l = log.clone();
    ce::engine_connect.listen(&engine, move |c| {
        assert!(c.engine().same_engine(&c.engine().clone()));
        l.push("engine_connect");
    });
    let l = log.clone();
    ce::set_engine_execution_options.listen(&engine, move |e, opts| {
        assert!(e.parent().is_some(), "the new option engine");
        opts.insert("added_by_listener", 1);
        l.push("set_engine_execution_options");
    });
    let l = log.clone();
    ce::set_connection_execution_options.listen(&engine, move |_, opts| {
        opts.remove("forbidden");
        l.push("set_connection_execution_options");
    });
    let option_engine = engine.execution_options(ExecutionOptions::new().with("a", 1));
    assert_eq!(
        option_engine
            .get_execution_options()
            .get("added_by_listener"),
        Some(&Value::Integer(1))
    );
    let conn = option_engine.connect().unwrap();
    conn.execution_options(ExecutionOptions::new().with("forbidden", 1).with("b", 2));
    let opts = conn.get_execution_options();
    assert_eq!(
        (opts.get("forbidden"), opts.get("b")),
        (None, Some(&Value::Integer(2)))
    );
    assert_eq!(
        log.take(),
        [
            "set_engine_execution_options",
            "engine_connect",
            "set_connection_execution_options"
        ]
    );
}

#[test]
#[allow(deprecated, reason = "dbapi_error is the deprecated event under test")]
fn handle_error_chain_replace_stop_and_dbapi_error_first() {
    let engine = memory_engine();
    let conn = engine.connect().unwrap();
    let log = Log::new();
    let l = log.clone();
    ce::dbapi_error.listen(&engine, move |c, cursor, sql, params, ctx, e| {
        assert!(c.is_some() && cursor.is_some() && params.is_some() && ctx.is_some());
        assert!(e.as_dbapi().is_some());
        l.push(format!("dbapi_error {}", sql.unwrap()));
    });
    let l = log.clone();
    ce::handle_error.listen(&conn, move |ctx| {
        assert!(ctx.chained_exception().is_none());
        l.push("handle_error 1: replaces");
        ctx.set_chained_exception(Error::custom("friendly message"));
        Ok(())
    });
    let l = log.clone();
    ce::handle_error.listen(&engine, move |ctx| {
        l.push(format!(
            "handle_error 2 sees {}",
            ctx.chained_exception().unwrap()
        ));
        Ok(())
    });
    let err = conn.exec_driver_sql("SELEKT 1", ()).unwrap_err();
    assert_eq!(err.to_string(), "friendly message");
    assert_eq!(
        log.take(),
        [
            "dbapi_error SELEKT 1",
            "handle_error 1: replaces",
            "handle_error 2 sees friendly message",
        ]
    );
    // An `Err` stops the chain and is what the caller gets.
    drop(conn);
    let other = engine.connect().unwrap();
    ce::handle_error.listen(&other, |_| Err(Error::custom("stopped")));
    let err = other.exec_driver_sql("SELEKT 1", ()).unwrap_err();
    assert_eq!(err.to_string(), "stopped");
    assert_eq!(
        log.take(),
        ["dbapi_error SELEKT 1"],
        "the engine's listeners never ran"
    );
}

#[test]
fn handle_error_can_declare_a_disconnect_which_invalidates_the_connection() {
    let engine = memory_engine();
    let conn = engine.connect().unwrap();
    let dbapi = conn.dbapi_connection().unwrap();
    ce::handle_error.listen(&conn, |ctx| {
        ctx.is_disconnect = ctx
            .original_exception()
            .to_string()
            .contains("no such table");
        Ok(())
    });
    let err = conn.exec_driver_sql("SELECT * FROM gone", ()).unwrap_err();
    assert!(err.connection_invalidated() && conn.invalidated() && dbapi.is_closed());
}

#[test]
fn a_listener_error_inside_a_transaction_leaves_the_file_unchanged() {
    let (engine, path) = file_engine("listener-error", &EngineOptions::new());
    engine
        .begin(|c| {
            c.exec_driver_sql("CREATE TABLE t (x INTEGER)", ())
                .map(drop)
        })
        .unwrap();
    ce::handle_error.listen(&engine, |_| Err(Error::custom("listener refused")));
    let result = engine.begin(|c| {
        c.exec_driver_sql("INSERT INTO t VALUES (1)", ())?;
        c.exec_driver_sql("INSERT INTO t VALUES (2)", ())?;
        c.exec_driver_sql("INSERT INTO nowhere VALUES (3)", ())
    });
    assert_eq!(result.unwrap_err().to_string(), "listener refused");
    assert_eq!(
        count_rows(&path, "t"),
        0,
        "reopened file: nothing committed"
    );
    // A panicking listener mid-transaction: the unwinding drops the
    // connection, which rolls back.
    let conn = engine.connect().unwrap();
    ce::after_cursor_execute.listen(&conn, |_, _, sql, _, _, _| {
        assert!(!sql.contains("boom"), "listener panics");
    });
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        conn.exec_driver_sql("INSERT INTO t VALUES (4)", ())
            .unwrap();
        conn.exec_driver_sql("INSERT INTO t VALUES (5) -- boom", ())
            .unwrap();
        conn.commit().unwrap();
    }));
    assert!(outcome.is_err());
    assert_eq!(count_rows(&path, "t"), 0, "reopened file: still nothing");
    let params: Params = params![9];
    engine
        .begin(|c| {
            c.exec_driver_sql("INSERT INTO t VALUES (?)", params)
                .map(drop)
        })
        .unwrap();
    assert_eq!(count_rows(&path, "t"), 1, "the engine still works");
}
