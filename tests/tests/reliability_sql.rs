//! Panics in listeners of the SQLite host: a panicking listener inside a transaction leaves
//! no partial write, and a connection whose checkout listener panicked never goes back to the
//! pool half-initialised.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use hooks_sql::{Engine, EngineOptions, connection_events, create_engine_with, pool_events};

fn file_engine(tag: &str, options: &EngineOptions) -> Engine {
    let dir = std::env::temp_dir().join(format!("hooks-reliability-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite:///{}", dir.join("db.sqlite").display());
    create_engine_with(&url, options).unwrap()
}

fn count(engine: &Engine) -> i64 {
    let conn = engine.connect().unwrap();
    let result = conn
        .exec_driver_sql("SELECT count(*) AS n FROM t", ())
        .unwrap();
    result.rows()[0].get_named::<i64>("n").unwrap()
}

#[test]
fn panicking_listener_inside_a_transaction_leaves_no_partial_write() {
    tests::silence_expected_panics();
    let engine = file_engine("tx-panic", &EngineOptions::new());
    {
        let conn = engine.connect().unwrap();
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)", ())
            .unwrap();
        conn.commit().unwrap();
    }
    let armed = Arc::new(AtomicBool::new(true));
    let a = Arc::clone(&armed);
    let _h = connection_events::commit
        .listen(&engine, move |_| {
            assert!(!a.load(Ordering::SeqCst), "boom: commit listener");
        })
        .unwrap();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        engine.begin(|conn| {
            conn.exec_driver_sql("INSERT INTO t VALUES (1)", ())?;
            conn.exec_driver_sql("INSERT INTO t VALUES (2)", ())?;
            Ok(())
        })
    }));
    assert!(outcome.is_err(), "the panic reaches the caller");
    assert_eq!(
        engine.pool().status().checked_out,
        0,
        "the connection went back"
    );
    assert_eq!(count(&engine), 0, "no partial write");
    armed.store(false, Ordering::SeqCst);
    engine
        .begin(|conn| {
            conn.exec_driver_sql("INSERT INTO t VALUES (3)", ())?;
            Ok(())
        })
        .unwrap();
    assert_eq!(count(&engine), 1, "the next transaction works");
}

/// A pool of one whose checkout listener panics once: returns the DBAPI connection id the
/// panicking checkout saw, and the id and checkout count of the next, successful checkout.
fn checkout_after_a_panicking_checkout(tag: &str) -> (u64, u64, u64) {
    tests::silence_expected_panics();
    let engine = file_engine(tag, &EngineOptions::new().pool_size(1).max_overflow(0));
    let armed = Arc::new(AtomicBool::new(true));
    let failed_on: Arc<Mutex<Option<u64>>> = Arc::default();
    let checkouts = Arc::new(AtomicU64::new(0));
    let (a, f, c) = (
        Arc::clone(&armed),
        Arc::clone(&failed_on),
        Arc::clone(&checkouts),
    );
    let _h = pool_events::checkout
        .listen(&engine, move |dbapi, _, _| {
            if a.load(Ordering::SeqCst) {
                *f.lock().unwrap() = Some(dbapi.id());
                panic!("boom: checkout listener");
            }
            c.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
        .unwrap();
    assert!(catch_unwind(AssertUnwindSafe(|| engine.connect())).is_err());
    let status = engine.pool().status();
    assert_eq!(
        status.checked_out, 0,
        "the failed checkout is not counted out: {status:?}"
    );
    armed.store(false, Ordering::SeqCst);
    let conn = engine.connect().unwrap();
    let id = conn.dbapi_connection().unwrap().id();
    conn.exec_driver_sql("SELECT 1", ()).unwrap();
    let failed = failed_on.lock().unwrap().unwrap();
    (failed, id, checkouts.load(Ordering::SeqCst))
}

#[test]
fn panicking_checkout_listener_leaves_the_pool_consistent_and_usable() {
    let (_, _, checkouts) = checkout_after_a_panicking_checkout("checkout-panic");
    assert_eq!(checkouts, 1, "the next checkout ran its listeners in full");
}

/// SQLAlchemy invalidates the record when a checkout listener raises (`_checkin_failed`), so
/// the connection the listeners half-initialised is closed, never handed out again.
#[test]
fn connection_whose_checkout_listener_panicked_is_not_reused() {
    let (failed, next, _) = checkout_after_a_panicking_checkout("checkout-panic-reuse");
    assert_ne!(
        failed, next,
        "the connection whose checkout failed was handed out again"
    );
}
