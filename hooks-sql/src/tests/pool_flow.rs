use std::cell::RefCell;
use std::rc::Rc;

use super::{Probe, file_engine, memory_engine};
use crate::events::probe::{self, CHECKOUT, DO_CONNECT};
use crate::{DbapiConnection, DisconnectionError, EngineOptions, Error, Value};

#[test]
fn first_checkout_fires_do_connect_first_connect_connect_checkout() {
    let (engine, _) = file_engine("first", &EngineOptions::new());
    let p = Probe::new();
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
    let p = Probe::new();
    engine.dispose();
    assert_eq!(p.take(), ["close", "pool_recreated", "engine_disposed"]);
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
    let refused: Rc<RefCell<Vec<DbapiConnection>>> = Rc::default();
    let p = Probe::new();
    probe::set(
        &CHECKOUT,
        Box::new(move |d: &DbapiConnection| {
            let first = refused.borrow().is_empty();
            if first {
                refused.borrow_mut().push(d.clone());
                Err(DisconnectionError::new("stale"))
            } else {
                assert!(
                    refused.borrow()[0].is_closed(),
                    "the refused connection was closed"
                );
                assert!(
                    !refused.borrow()[0].same_connection(d),
                    "a new connection is checked"
                );
                Ok(())
            }
        }),
    );
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
    let p = Probe::new();
    probe::set(
        &CHECKOUT,
        Box::new(|_: &DbapiConnection| Err(DisconnectionError::new("nope"))),
    );
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
    probe::reset();
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
    let p = Probe::new();
    let mut refused = false;
    probe::set(
        &CHECKOUT,
        Box::new(move |_: &DbapiConnection| {
            if refused {
                return Ok(());
            }
            refused = true;
            Err(DisconnectionError::new("server restarted").with_invalidate_pool(true))
        }),
    );
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
    let p = Probe::new();
    probe::set(
        &DO_CONNECT,
        Box::new(|_: &mut crate::ConnectArgs, _: &mut crate::ConnectParams| {
            Some(DbapiConnection::new(
                rusqlite::Connection::open_in_memory().unwrap(),
            ))
        }),
    );
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
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let log = Rc::clone(&seen);
    let target = other.display().to_string();
    let _p = Probe::new();
    probe::set(
        &DO_CONNECT,
        Box::new(
            move |cargs: &mut crate::ConnectArgs, cparams: &mut crate::ConnectParams| {
                log.borrow_mut().push(cargs[0].clone());
                assert!(
                    !cparams.contains_key("timeout"),
                    "changes do not leak into the next attempt"
                );
                cargs[0].clone_from(&target);
                cparams.insert("timeout".into(), Value::Integer(1));
                None
            },
        ),
    );
    let a = engine.connect().unwrap();
    let b = engine.connect().unwrap();
    assert!(other.exists() && !path.exists());
    assert_eq!(
        *seen.borrow(),
        [path.display().to_string(), path.display().to_string()]
    );
    drop((a, b));
}

#[test]
fn hard_and_soft_invalidation_sequences() {
    let engine = memory_engine();
    let conn = engine.connect().unwrap();
    let proxy = conn.connection().unwrap();
    let p = Probe::new();
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
    let p = Probe::new();
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
    let p = Probe::new();
    conn.close();
    assert_eq!(p.take(), ["rollback", "reset was_reset", "checkin"]);
}
