use std::sync::{Arc, Mutex};

use super::{Probe, file_engine, memory_engine};
use crate::events::{dialect_events, pool_events};
use crate::{DbapiConnection, DisconnectionError, EngineOptions, Error, Value};

#[test]
fn first_checkout_fires_do_connect_first_connect_connect_checkout() {
    let (engine, _) = file_engine("first", &EngineOptions::new());
    let p = Probe::on(&engine);
    let conn = engine.connect().unwrap();
    assert_eq!(
        p.take(),
        [
            "do_connect",
            "first_connect",
            "connect",
            "checkout",
            "engine_connect"
        ]
    );
    conn.close();
    assert_eq!(p.take(), ["reset", "checkin"]);
    let again = engine.connect().unwrap();
    assert_eq!(
        p.take(),
        ["checkout", "engine_connect"],
        "an idle connection is reused"
    );
    let second = engine.connect().unwrap();
    assert_eq!(
        p.take(),
        ["do_connect", "connect", "checkout", "engine_connect"],
        "first_connect fires once per pool"
    );
    drop((again, second));
}

#[test]
fn recreated_pool_fires_first_connect_again() {
    let (engine, _) = file_engine("recreate", &EngineOptions::new());
    drop(engine.connect().unwrap());
    let p = Probe::on(&engine);
    let old_pool = engine.pool();
    engine.dispose();
    assert_eq!(p.take(), ["close", "engine_disposed"]);
    assert!(
        !std::sync::Arc::ptr_eq(&old_pool, &engine.pool()),
        "the pool was recreated and the listeners moved to it"
    );
    drop(engine.connect().unwrap());
    assert_eq!(
        p.take(),
        [
            "do_connect",
            "first_connect",
            "connect",
            "checkout",
            "engine_connect",
            "reset",
            "checkin"
        ]
    );
}

#[test]
fn refused_checkout_invalidates_reconnects_and_retries() {
    let (engine, _) = file_engine("refuse-once", &EngineOptions::new());
    let refused: Arc<Mutex<Vec<DbapiConnection>>> = Arc::default();
    let p = Probe::on(&engine);
    pool_events::checkout
        .listen(&engine, move |d, _, _| {
            let mut refused = refused.lock().unwrap();
            if refused.is_empty() {
                refused.push(d.clone());
                Err(DisconnectionError::new("stale"))
            } else {
                assert!(refused[0].is_closed(), "the refused connection was closed");
                assert!(
                    !refused[0].same_connection(d),
                    "a new connection is checked"
                );
                Ok(())
            }
        })
        .unwrap();
    let conn = engine.connect().unwrap();
    assert_eq!(
        p.take(),
        [
            "do_connect",
            "first_connect",
            "connect",
            "checkout",
            "invalidate",
            "close",
            "do_connect",
            "connect",
            "checkout",
            "engine_connect"
        ]
    );
    assert_eq!(engine.pool().status().checked_out, 1);
    drop(conn);
}

#[test]
fn checkout_refused_every_time_fails_after_bounded_attempts() {
    let (engine, _) = file_engine(
        "refuse-always",
        &EngineOptions::new().pool_size(1).max_overflow(0),
    );
    let p = Probe::on(&engine);
    let refusal = pool_events::checkout
        .listen(&engine, |_, _, _| Err(DisconnectionError::new("nope")))
        .unwrap();
    let err = engine.connect().unwrap_err();
    let Error::CheckoutFailed { attempts, last } = &err else {
        panic!("unexpected {err:?}");
    };
    assert_eq!(
        (*attempts, last.message()),
        (crate::CHECKOUT_ATTEMPTS, "nope")
    );
    let log = p.take();
    assert_eq!(log.iter().filter(|e| *e == "checkout").count(), 2);
    assert!(
        !log.contains(&"checkin".to_owned()),
        "a refused connection is never checked in"
    );
    let status = engine.pool().status();
    assert_eq!(
        (status.open, status.checked_in, status.checked_out),
        (0, 0, 0),
        "slot released"
    );
    refusal.remove().unwrap();
    drop(
        engine
            .connect()
            .expect("the pool (size 1) still has its slot"),
    );
}

#[test]
fn refusal_with_invalidate_pool_recycles_every_connection() {
    let (engine, _) = file_engine("refuse-pool", &EngineOptions::new());
    let a = engine.connect().unwrap();
    let b = engine.connect().unwrap();
    let b_dbapi = b.dbapi_connection().unwrap();
    drop((a, b));
    let p = Probe::on(&engine);
    let refused = std::sync::atomic::AtomicBool::new(false);
    pool_events::checkout
        .listen(&engine, move |_, _, _| {
            if refused.swap(true, std::sync::atomic::Ordering::SeqCst) {
                return Ok(());
            }
            Err(DisconnectionError::new("server restarted").with_invalidate_pool(true))
        })
        .unwrap();
    let first = engine.connect().unwrap();
    let second = engine.connect().unwrap();
    let log = p.take();
    assert_eq!(log.iter().filter(|e| *e == "close").count(), 2, "{log:?}");
    assert!(b_dbapi.is_closed(), "the idle connection was recycled too");
    drop((first, second));
}

#[test]
fn do_connect_can_supply_the_connection() {
    let (engine, path) = file_engine("do-connect", &EngineOptions::new());
    let p = Probe::on(&engine);
    dialect_events::do_connect
        .listen(&engine, |_, _, _, _| {
            Some(DbapiConnection::new(
                rusqlite::Connection::open_in_memory().unwrap(),
            ))
        })
        .unwrap();
    let conn = engine.connect().unwrap();
    conn.exec_driver_sql("CREATE TABLE t (x)", ()).unwrap();
    conn.commit().unwrap();
    assert!(!path.exists(), "the dialect never opened the file");
    assert_eq!(
        p.take_coarse()[..3],
        ["do_connect", "first_connect", "connect"]
    );
}

#[test]
fn do_connect_arguments_are_fresh_copies_and_reach_the_dialect() {
    let (engine, path) = file_engine("cargs", &EngineOptions::new());
    let other = path.with_file_name("redirected.sqlite");
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&seen);
    let target = other.display().to_string();
    dialect_events::do_connect
        .listen(&engine, move |_, _, cargs, cparams| {
            log.lock().unwrap().push(cargs[0].clone());
            assert!(
                !cparams.contains_key("timeout"),
                "changes do not leak into the next attempt"
            );
            cargs[0].clone_from(&target);
            cparams.insert("timeout".into(), Value::Integer(1));
            None
        })
        .unwrap();
    let a = engine.connect().unwrap();
    let b = engine.connect().unwrap();
    assert!(other.exists() && !path.exists());
    assert_eq!(
        *seen.lock().unwrap(),
        [path.display().to_string(), path.display().to_string()]
    );
    drop((a, b));
}

#[test]
fn hard_and_soft_invalidation_sequences() {
    let engine = memory_engine();
    let conn = engine.connect().unwrap();
    let proxy = conn.connection().unwrap();
    let p = Probe::on(&engine);
    proxy.invalidate(None, true);
    assert_eq!(p.take(), ["soft_invalidate"]);
    assert!(
        proxy.is_valid(),
        "soft invalidation keeps the connection usable"
    );
    conn.close();
    drop(proxy);
    assert_eq!(p.take(), ["reset", "checkin"]);
    let conn = engine.connect().unwrap();
    assert_eq!(
        p.take(),
        [
            "close",
            "do_connect",
            // The pool's first connection was opened before any
            // `first_connect` listener existed; like SQLAlchemy, the
            // exec-once run happens at the first new connection that has
            // listeners to run.
            "first_connect",
            "connect",
            "checkout",
            "engine_connect"
        ]
    );
    conn.invalidate(None).unwrap();
    assert_eq!(p.take(), ["invalidate", "close", "checkin none"]);
    conn.exec_driver_sql("SELECT 1", ()).unwrap();
    assert_eq!(
        p.take_coarse(),
        ["do_connect", "connect", "checkout", "begin"],
        "an invalidated connection reconnects at next use"
    );
}

#[test]
fn detach_then_close_fires_reset_and_close_detached() {
    let (engine, _) = file_engine("detach", &EngineOptions::new());
    let proxy = engine.raw_connection().unwrap();
    proxy.info().insert("k".into(), Value::Integer(1));
    let dbapi = proxy.dbapi_connection().unwrap();
    let p = Probe::on(&engine);
    proxy.detach();
    assert_eq!(p.take(), ["detach"]);
    assert_eq!(
        proxy.info().get("k"),
        Some(&Value::Integer(1)),
        "the detached proxy keeps a copy"
    );
    assert_eq!(engine.pool().status().checked_out, 0);
    assert!(!dbapi.is_closed());
    proxy.close();
    assert_eq!(p.take(), ["reset", "close_detached"]);
    assert!(dbapi.is_closed());
}

#[test]
fn closing_a_connection_in_a_transaction_rolls_back_before_reset() {
    let engine = memory_engine();
    let conn = engine.connect().unwrap();
    conn.exec_driver_sql("SELECT 1", ()).unwrap();
    let p = Probe::on(&engine);
    conn.close();
    assert_eq!(p.take(), ["rollback", "reset was_reset", "checkin"]);
}
