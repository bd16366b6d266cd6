//! Connections and transactions, proven by SQLite's own hooks and by
//! reopening the database file.

mod common;

use common::{Witness, count_rows, file_engine};
use hooks_sql::{
    EngineOptions, Error, ExecutionOptions, Params, Value, create_engine, named_params, params,
    text,
};

fn setup(tag: &str) -> (hooks_sql::Engine, std::path::PathBuf) {
    let (engine, path) = file_engine(tag, &EngineOptions::new());
    engine
        .begin(|c| {
            c.exec_driver_sql("CREATE TABLE t (x INTEGER)", ())
                .map(drop)
        })
        .unwrap();
    (engine, path)
}

#[test]
fn autobegin_commit_emits_begin_statement_commit() {
    let (engine, path) = setup("autobegin");
    let conn = engine.connect().unwrap();
    let witness = Witness::install(&conn.dbapi_connection().unwrap());
    conn.execute(text("INSERT INTO t VALUES (:x)"), named_params! {"x" => 1})
        .unwrap();
    assert!(conn.in_transaction());
    conn.commit().unwrap();
    assert_eq!(
        witness.take(),
        ["BEGIN", "INSERT INTO t VALUES (:x)", "COMMIT"]
    );
    assert_eq!((witness.commits(), witness.rollbacks()), (1, 0));
    assert_eq!(count_rows(&path, "t"), 1);
}

#[test]
fn dropped_transaction_rolls_back_and_leaves_nothing_in_the_file() {
    let (engine, path) = setup("drop-tx");
    let conn = engine.connect().unwrap();
    let witness = Witness::install(&conn.dbapi_connection().unwrap());
    {
        let _tx = conn.begin().unwrap();
        conn.exec_driver_sql("INSERT INTO t VALUES (1)", ())
            .unwrap();
        assert_eq!(
            count_rows(&path, "t"),
            0,
            "another connection does not see uncommitted rows"
        );
    }
    assert_eq!(witness.rollbacks(), 1);
    assert!(!conn.in_transaction());
    drop(conn);
    assert_eq!(count_rows(&path, "t"), 0);
}

#[test]
fn closing_a_connection_rolls_back_the_autobegun_transaction() {
    let (engine, path) = setup("close-tx");
    let conn = engine.connect().unwrap();
    let witness = Witness::install(&conn.dbapi_connection().unwrap());
    conn.exec_driver_sql("INSERT INTO t VALUES (1)", ())
        .unwrap();
    conn.close();
    assert_eq!(
        witness.take(),
        ["BEGIN", "INSERT INTO t VALUES (1)", "ROLLBACK"]
    );
    assert_eq!(count_rows(&path, "t"), 0);
    assert!(matches!(
        conn.exec_driver_sql("SELECT 1", ()),
        Err(Error::ConnectionClosed)
    ));
}

#[test]
fn savepoint_rollback_keeps_the_outer_work() {
    let (engine, path) = setup("savepoint");
    let conn = engine.connect().unwrap();
    let witness = Witness::install(&conn.dbapi_connection().unwrap());
    let tx = conn.begin().unwrap();
    conn.exec_driver_sql("INSERT INTO t VALUES (1)", ())
        .unwrap();
    let sp = conn.begin_nested().unwrap();
    assert!(conn.in_nested_transaction());
    conn.exec_driver_sql("INSERT INTO t VALUES (2)", ())
        .unwrap();
    sp.rollback().unwrap();
    let sp = conn.begin_nested().unwrap();
    conn.exec_driver_sql("INSERT INTO t VALUES (3)", ())
        .unwrap();
    sp.commit().unwrap();
    tx.commit().unwrap();
    assert_eq!(
        witness.take(),
        [
            "BEGIN",
            "INSERT INTO t VALUES (1)",
            "SAVEPOINT sa_savepoint_1",
            "INSERT INTO t VALUES (2)",
            "ROLLBACK TO SAVEPOINT sa_savepoint_1",
            "SAVEPOINT sa_savepoint_2",
            "INSERT INTO t VALUES (3)",
            "RELEASE SAVEPOINT sa_savepoint_2",
            "COMMIT"
        ]
    );
    let raw = rusqlite::Connection::open(&path).unwrap();
    let xs: Vec<i64> = raw
        .prepare("SELECT x FROM t ORDER BY x")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(xs, [1, 3]);
}

#[test]
fn transaction_handles_go_inactive_when_the_connection_ends_them() {
    let conn = create_engine("sqlite://").unwrap().connect().unwrap();
    let tx = conn.begin().unwrap();
    assert!(matches!(conn.begin(), Err(Error::TransactionAlreadyBegun)));
    conn.commit().unwrap();
    assert!(!tx.is_active());
    assert!(matches!(tx.commit(), Err(Error::TransactionInactive)));
    let sp = conn.begin_nested().unwrap();
    conn.rollback().unwrap();
    assert!(!sp.is_active());
    assert!(matches!(sp.commit(), Err(Error::TransactionInactive)));
}

#[test]
fn execute_many_runs_once_per_parameter_set() {
    let (engine, path) = setup("many");
    let result = engine
        .begin(|c| {
            c.execute_many(
                "INSERT INTO t VALUES (?)",
                vec![params![1], params![2], params![3]],
            )
        })
        .unwrap();
    assert_eq!(result.rowcount(), Some(3));
    assert_eq!(count_rows(&path, "t"), 3);
}

#[test]
fn results_expose_rows_columns_and_counters() {
    let conn = create_engine("sqlite://").unwrap().connect().unwrap();
    conn.exec_driver_sql("CREATE TABLE v (i INTEGER, r REAL, s TEXT, b BLOB, n)", ())
        .unwrap();
    let insert = conn
        .exec_driver_sql(
            "INSERT INTO v VALUES (?, ?, ?, ?, ?)",
            params![7, 1.5, "txt", vec![1u8, 2], Value::Null],
        )
        .unwrap();
    assert_eq!(
        (insert.rowcount(), insert.last_insert_rowid()),
        (Some(1), 1)
    );
    let result = conn
        .exec_driver_sql("SELECT * FROM v", Params::None)
        .unwrap();
    assert_eq!(result.columns(), ["i", "r", "s", "b", "n"]);
    assert_eq!(
        result.rowcount(),
        None,
        "read-only statements have no rowcount"
    );
    let row = &result.rows()[0];
    assert_eq!(row.get::<i64>(0).unwrap(), 7);
    assert!((row.get::<f64>(1).unwrap() - 1.5).abs() < f64::EPSILON);
    assert_eq!(row.get_named::<String>("s").unwrap(), "txt");
    assert_eq!(row.get::<Vec<u8>>(3).unwrap(), [1, 2]);
    assert_eq!(row.get::<Option<i64>>(4).unwrap(), None);
}

#[test]
fn two_phase_is_refused_with_a_typed_error() {
    let conn = create_engine("sqlite://").unwrap().connect().unwrap();
    let err = conn.begin_twophase(None).unwrap_err();
    assert!(matches!(
        err,
        Error::TwoPhaseNotSupported {
            operation: "begin_twophase"
        }
    ));
    assert_eq!(
        err.to_string(),
        "two-phase transactions are not supported by SQLite (in `begin_twophase`)"
    );
    assert!(matches!(
        conn.commit_twophase("x", true),
        Err(Error::TwoPhaseNotSupported {
            operation: "commit_twophase"
        })
    ));
}

#[test]
fn execution_options_merge_engine_then_connection() {
    let engine = create_engine("sqlite://").unwrap();
    let option_engine = engine.execution_options(ExecutionOptions::new().with("a", 1).with("b", 1));
    assert!(option_engine.parent().unwrap().same_engine(&engine));
    assert!(
        engine.get_execution_options().is_empty(),
        "the parent is unchanged"
    );
    let conn = option_engine.connect().unwrap();
    conn.execution_options(ExecutionOptions::new().with("b", 2));
    let opts = conn.get_execution_options();
    assert_eq!(
        (opts.get("a"), opts.get("b")),
        (Some(&Value::Integer(1)), Some(&Value::Integer(2)))
    );
    assert!(conn.engine().same_engine(&option_engine));
}

#[test]
fn an_invalidated_connection_reconnects_outside_a_transaction() {
    let (engine, _) = setup("revalidate");
    let conn = engine.connect().unwrap();
    let first = conn.dbapi_connection().unwrap();
    conn.invalidate(None).unwrap();
    assert!(conn.invalidated() && first.is_closed());
    conn.exec_driver_sql("SELECT 1", ()).unwrap();
    assert!(!conn.invalidated());
    assert!(!conn.dbapi_connection().unwrap().same_connection(&first));
}

#[test]
fn a_disconnect_inside_a_transaction_requires_a_rollback() {
    let (engine, _) = setup("disconnect");
    let conn = engine.connect().unwrap();
    conn.exec_driver_sql("INSERT INTO t VALUES (1)", ())
        .unwrap();
    conn.dbapi_connection().unwrap().close().unwrap();
    let err = conn
        .exec_driver_sql("INSERT INTO t VALUES (2)", ())
        .unwrap_err();
    assert!(err.connection_invalidated(), "{err}");
    assert!(matches!(
        conn.exec_driver_sql("SELECT 1", ()),
        Err(Error::PendingRollback)
    ));
    assert!(matches!(conn.commit(), Err(Error::PendingRollback)));
    conn.rollback().unwrap();
    assert_eq!(
        conn.exec_driver_sql("SELECT 1", ()).unwrap().scalar(),
        Some(&Value::Integer(1))
    );
}
