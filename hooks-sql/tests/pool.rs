//! Pool behaviour through the public API, with SQLite as the witness.

mod common;

use std::time::Duration;

use common::file_engine;
use hooks_sql::{EngineOptions, Error, PoolClass, Value, create_engine};

#[test]
fn memory_engine_shares_one_database_across_checkouts() {
    let engine = create_engine("sqlite://").unwrap();
    assert_eq!(engine.pool().config().class, PoolClass::Static);
    engine
        .begin(|c| c.exec_driver_sql("CREATE TABLE t (x)", ()).map(drop))
        .unwrap();
    let a = engine.connect().unwrap();
    let b = engine.connect().unwrap();
    assert!(
        a.dbapi_connection()
            .unwrap()
            .same_connection(&b.dbapi_connection().unwrap())
    );
    assert!(
        b.exec_driver_sql("SELECT * FROM t", ()).is_ok(),
        "the table is visible to every checkout"
    );
}

#[test]
fn queue_pool_reuses_fifo_and_times_out_when_exhausted() {
    let options = EngineOptions::new()
        .pool_size(1)
        .max_overflow(1)
        .pool_timeout(Duration::from_millis(50));
    let (engine, _) = file_engine("timeout", &options);
    let a = engine.connect().unwrap();
    let b = engine.connect().unwrap();
    let status = engine.pool().status();
    assert_eq!((status.open, status.checked_out), (2, 2));
    let err = engine.connect().unwrap_err();
    assert!(
        matches!(
            err,
            Error::PoolTimeout {
                size: 1,
                max_overflow: 1,
                ..
            }
        ),
        "{err}"
    );
    let a_dbapi = a.dbapi_connection().unwrap();
    let b_dbapi = b.dbapi_connection().unwrap();
    drop(a);
    drop(b);
    assert!(
        b_dbapi.is_closed(),
        "the overflow connection is closed on checkin"
    );
    let status = engine.pool().status();
    assert_eq!(
        (status.open, status.checked_in, status.checked_out),
        (1, 1, 0)
    );
    let c = engine.connect().unwrap();
    assert!(c.dbapi_connection().unwrap().same_connection(&a_dbapi));
}

#[test]
fn a_waiting_checkout_gets_a_returned_connection() {
    let options = EngineOptions::new().pool_size(1).max_overflow(0);
    let (engine, _) = file_engine("wait", &options);
    let held = engine.connect().unwrap();
    let other = engine.clone();
    let waiter = std::thread::spawn(move || other.connect().map(|c| c.closed()));
    std::thread::sleep(Duration::from_millis(50));
    drop(held);
    assert!(
        !waiter.join().unwrap().unwrap(),
        "the waiter got an open connection"
    );
}

#[test]
fn record_info_survives_checkouts_and_is_cleared_by_invalidation() {
    let (engine, _) = file_engine("info", &EngineOptions::new());
    let proxy = engine.raw_connection().unwrap();
    proxy.info().insert("tag".into(), Value::from("x"));
    let record_id = proxy.record().unwrap().id();
    proxy.close();
    let proxy = engine.raw_connection().unwrap();
    assert_eq!(proxy.record().unwrap().id(), record_id);
    assert_eq!(proxy.info().get("tag"), Some(&Value::from("x")));
    let record = proxy.record().unwrap().clone();
    proxy.invalidate(None, false);
    assert!(!proxy.is_valid() && record.dbapi_connection().is_none());
    assert!(record.info().is_empty());
    assert!(matches!(
        proxy.dbapi_connection(),
        Err(Error::ConnectionClosed)
    ));
}

#[test]
fn returning_a_connection_rolls_back_its_transaction() {
    let (engine, path) = file_engine("reset", &EngineOptions::new());
    engine
        .begin(|c| c.exec_driver_sql("CREATE TABLE t (x)", ()).map(drop))
        .unwrap();
    let proxy = engine.raw_connection().unwrap();
    let dbapi = proxy.dbapi_connection().unwrap();
    dbapi.begin().unwrap();
    dbapi
        .cursor()
        .execute("INSERT INTO t VALUES (1)", &hooks_sql::Params::None)
        .unwrap();
    let witness = common::Witness::install(&dbapi);
    drop(proxy);
    assert_eq!(witness.rollbacks(), 1);
    assert!(!dbapi.in_transaction().unwrap());
    assert_eq!(common::count_rows(&path, "t"), 0);
}

#[test]
fn dispose_closes_idle_connections_and_replaces_the_pool() {
    let (engine, _) = file_engine("dispose", &EngineOptions::new());
    let clone = engine.clone();
    let idle = engine.connect().unwrap();
    let idle_dbapi = idle.dbapi_connection().unwrap();
    let busy = engine.connect().unwrap();
    drop(idle);
    let old = engine.pool();
    clone.dispose();
    assert!(idle_dbapi.is_closed());
    assert_ne!(
        engine.pool().id(),
        old.id(),
        "every clone sees the new pool"
    );
    assert!(
        busy.exec_driver_sql("SELECT 1", ()).is_ok(),
        "checked-out connections keep working"
    );
    let option_engine = engine.execution_options(hooks_sql::ExecutionOptions::new());
    assert_eq!(
        option_engine.pool().id(),
        engine.pool().id(),
        "option engines share the pool"
    );
    drop(busy);
    assert_eq!(old.status().checked_in, 1, "it went back to the old pool");
}

#[test]
fn recycle_reopens_old_connections() {
    let (engine, _) = file_engine(
        "recycle",
        &EngineOptions::new().pool_recycle(Duration::ZERO),
    );
    let first = engine.connect().unwrap().dbapi_connection().unwrap();
    let second = engine.connect().unwrap().dbapi_connection().unwrap();
    assert!(first.is_closed() && !first.same_connection(&second));
}

#[test]
fn detached_connection_leaves_the_pool() {
    let (engine, _) = file_engine("detach", &EngineOptions::new());
    let proxy = engine.raw_connection().unwrap();
    let dbapi = proxy.dbapi_connection().unwrap();
    proxy.detach();
    assert!(proxy.is_detached() && proxy.record().is_none());
    let next = engine.raw_connection().unwrap();
    assert!(!next.dbapi_connection().unwrap().same_connection(&dbapi));
    drop(proxy);
    assert!(dbapi.is_closed());
}
