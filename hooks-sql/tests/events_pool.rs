//! `PoolEvents`, fired for real: arguments, order, exec-once under
//! concurrency, checkout refusal, and listeners carried over `dispose`.
#![allow(
    unused_must_use,
    reason = "registrations on targets the test owns; a refusal would fail the assertions that follow"
)]

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use common::{Log, file_engine, memory_engine};
use hooks_sql::{DisconnectionError, EngineOptions, Error, pool_events};

#[test]
fn first_connect_runs_once_before_any_connect_with_8_concurrent_first_checkouts() {
    let options = EngineOptions::new().pool_size(8).max_overflow(0);
    let (engine, _) = file_engine("first-connect-8", &options);
    let log = Log::new();
    let runs = Arc::new(AtomicU32::new(0));
    let (l, r) = (log.clone(), Arc::clone(&runs));
    pool_events::first_connect.listen(&engine, move |dbapi, record| {
        r.fetch_add(1, Ordering::SeqCst);
        assert!(
            record.dbapi_connection().unwrap().same_connection(dbapi),
            "the record holds the new connection"
        );
        // Slow on purpose: the other first checkouts must wait for it.
        std::thread::sleep(Duration::from_millis(50));
        l.push("first_connect");
        Ok(())
    });
    let l = log.clone();
    pool_events::connect.listen(&engine, move |dbapi, record| {
        assert!(!dbapi.is_closed());
        l.push(format!("connect {}", record.id()));
        Ok(())
    });
    let barrier = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (engine, barrier) = (engine.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                let conn = engine.connect().unwrap();
                barrier.wait(); // all 8 checked out at once: 8 new connections
                drop(conn);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let lines = log.take();
    assert_eq!(runs.load(Ordering::SeqCst), 1, "exactly once per pool");
    assert_eq!(lines[0], "first_connect", "before any connect: {lines:?}");
    assert_eq!(lines.len(), 9);
    assert!(lines[1..].iter().all(|l| l.starts_with("connect ")));
    assert_eq!(engine.pool().status().open, 8);
}

#[test]
fn checkout_then_reset_before_checkin_with_their_arguments() {
    let (engine, _) = file_engine("checkout-order", &EngineOptions::new());
    let log = Log::new();
    let l = log.clone();
    pool_events::checkout.listen(&engine, move |dbapi, record, proxy| {
        assert!(proxy.dbapi_connection().unwrap().same_connection(dbapi));
        assert_eq!(proxy.record().unwrap().id(), record.id());
        l.push(format!("checkout {}", dbapi.id()));
        Ok(())
    });
    let l = log.clone();
    pool_events::reset.listen(&engine, move |dbapi, record, state| {
        assert!(record.is_some() && !state.terminate_only() && state.asyncio_safe());
        l.push(format!(
            "reset {} was_reset={}",
            dbapi.id(),
            state.transaction_was_reset()
        ));
    });
    let l = log.clone();
    pool_events::checkin.listen(&engine, move |dbapi, _| {
        l.push(format!(
            "checkin {}",
            dbapi.map_or(0, hooks_sql::DbapiConnection::id)
        ));
    });
    let conn = engine.connect().unwrap();
    let id = conn.dbapi_connection().unwrap().id();
    log.witness_transactions(&conn.dbapi_connection().unwrap());
    conn.exec_driver_sql("CREATE TABLE t (x)", ()).unwrap();
    drop(conn); // the connection rolls back, then returns to the pool
    assert_eq!(
        log.take(),
        [
            format!("checkout {id}"),
            "sqlite rollback".to_owned(),
            format!("reset {id} was_reset=true"),
            format!("checkin {id}"),
        ]
    );
    // A raw checkout with an open transaction: the pool's own rollback runs
    // after `reset`, before `checkin`, and SQLite sees it.
    let raw = engine.raw_connection().unwrap();
    raw.dbapi_connection().unwrap().begin().unwrap();
    raw.close();
    assert_eq!(
        log.take(),
        [
            format!("checkout {id}"),
            format!("reset {id} was_reset=false"),
            "sqlite rollback".to_owned(),
            format!("checkin {id}"),
        ]
    );
}

#[test]
fn a_checkout_ping_raising_disconnection_error_replaces_the_connection() {
    let (engine, _) = file_engine("ping", &EngineOptions::new());
    let stale = engine.connect().unwrap().dbapi_connection().unwrap();
    // The idle connection dies behind the pool's back.
    stale.close().unwrap();
    let log = Log::new();
    let l = log.clone();
    pool_events::checkout.listen(&engine, move |dbapi, _, _| {
        let ping = dbapi.cursor().execute("SELECT 1", &hooks_sql::Params::None);
        l.push(format!("ping {} ok={}", dbapi.id(), ping.is_ok()));
        ping.map_err(|e| DisconnectionError::new(e.to_string()))
    });
    let l = log.clone();
    pool_events::invalidate.listen(&engine, move |dbapi, _, error| {
        assert!(matches!(error, Some(Error::Disconnection(_))));
        l.push(format!("invalidate {}", dbapi.id()));
    });
    let l = log.clone();
    pool_events::close.listen(&engine, move |dbapi, _| {
        l.push(format!("close {}", dbapi.id()));
    });
    let l = log.clone();
    pool_events::connect.listen(&engine, move |_, _| {
        l.push("connect");
        Ok(())
    });
    let conn = engine.connect().unwrap();
    let fresh = conn.dbapi_connection().unwrap();
    let s = stale.id();
    assert_eq!(
        log.take(),
        [
            format!("ping {s} ok=false"),
            format!("invalidate {s}"),
            format!("close {s}"),
            "connect".to_owned(),
            format!("ping {} ok=true", fresh.id()),
        ]
    );
    assert_eq!(
        conn.exec_driver_sql("SELECT 2", ())
            .unwrap()
            .scalar()
            .unwrap()
            .as_i64(),
        Some(2)
    );
}

#[test]
fn a_checkout_refused_every_time_fails_after_the_bounded_attempts() {
    let engine = memory_engine();
    let tries = Arc::new(AtomicU32::new(0));
    let t = Arc::clone(&tries);
    pool_events::checkout.listen(&engine, move |_, _, _| {
        t.fetch_add(1, Ordering::SeqCst);
        Err(DisconnectionError::new("refused"))
    });
    let second = Arc::new(AtomicU32::new(0));
    let s = Arc::clone(&second);
    pool_events::checkout.listen(&engine, move |_, _, _| {
        s.fetch_add(1, Ordering::SeqCst);
        Ok(())
    });
    let err = engine.connect().unwrap_err();
    assert!(
        matches!(err, Error::CheckoutFailed { attempts: 2, .. }),
        "{err}"
    );
    assert_eq!(tries.load(Ordering::SeqCst), hooks_sql::CHECKOUT_ATTEMPTS);
    assert_eq!(second.load(Ordering::SeqCst), 0, "an `Err` stops the chain");
}

#[test]
fn invalidation_detach_and_close_events_carry_the_connection() {
    let (engine, _) = file_engine("inval", &EngineOptions::new());
    let log = Log::new();
    let l = log.clone();
    pool_events::soft_invalidate.listen(&engine, move |d, _, e| {
        l.push(format!("soft_invalidate {} {}", d.id(), e.is_none()));
    });
    let l = log.clone();
    pool_events::invalidate.listen(&engine, move |d, _, e| {
        l.push(format!(
            "invalidate {} {}",
            d.id(),
            e.map(ToString::to_string).unwrap_or_default()
        ));
    });
    let l = log.clone();
    pool_events::close.listen(&engine, move |d, _| l.push(format!("close {}", d.id())));
    let l = log.clone();
    pool_events::checkin.listen(&engine, move |d, _| {
        l.push(format!("checkin {}", d.is_some()));
    });
    let l = log.clone();
    pool_events::detach.listen(&engine, move |d, r| {
        assert!(
            r.dbapi_connection().unwrap().same_connection(d),
            "still held when detach fires"
        );
        l.push(format!("detach {}", d.id()));
    });
    let l = log.clone();
    pool_events::reset.listen(&engine, move |d, r, s| {
        l.push(format!(
            "reset {} record={} terminate_only={}",
            d.id(),
            r.is_some(),
            s.terminate_only()
        ));
    });
    let l = log.clone();
    pool_events::close_detached.listen(&engine, move |d| {
        l.push(format!("close_detached {}", d.id()));
    });

    let conn = engine.connect().unwrap();
    let a = conn.dbapi_connection().unwrap().id();
    conn.connection().unwrap().invalidate(None, true);
    conn.invalidate(Some(&Error::custom("gone"))).unwrap();
    assert_eq!(
        log.take(),
        [
            format!("soft_invalidate {a} true"),
            format!("invalidate {a} gone"),
            format!("close {a}"),
            "checkin false".to_owned(),
        ]
    );
    drop(conn);
    let proxy = engine.raw_connection().unwrap();
    let b = proxy.dbapi_connection().unwrap().id();
    proxy.detach();
    proxy.close();
    assert_eq!(
        log.take(),
        [
            format!("detach {b}"),
            format!("reset {b} record=false terminate_only=true"),
            format!("close_detached {b}"),
        ]
    );
}

#[test]
fn engine_listeners_live_on_its_pool_and_carry_over_dispose() {
    let (engine, _) = file_engine("dispose", &EngineOptions::new());
    let log = Log::new();
    let l = log.clone();
    let handle = pool_events::first_connect
        .listen(&engine, move |_, _| {
            l.push("first_connect");
            Ok(())
        })
        .unwrap();
    let l = log.clone();
    pool_events::close.listen(&engine, move |_, _| l.push("close"));
    let l = log.clone();
    hooks_sql::connection_events::engine_disposed.listen(&engine, move |e| {
        assert_eq!(e.pool().status().open, 0, "the new pool is empty");
        l.push("engine_disposed");
    });
    let old = engine.pool();
    drop(engine.connect().unwrap());
    assert_eq!(log.take(), ["first_connect"]);
    engine.dispose();
    assert_eq!(log.take(), ["close", "engine_disposed"]);
    assert!(!Arc::ptr_eq(&old, &engine.pool()));
    drop(engine.connect().unwrap());
    assert_eq!(
        log.take(),
        ["first_connect"],
        "a recreated pool runs first_connect again"
    );
    handle.remove().unwrap();
    engine.dispose();
    drop(engine.connect().unwrap());
    assert_eq!(
        log.take(),
        ["close", "engine_disposed"],
        "the removed listener is gone from the copies too"
    );
}

#[test]
fn a_panicking_checkout_listener_never_hands_out_that_connection_again() {
    let options = EngineOptions::new().pool_size(1).max_overflow(0);
    let (engine, _) = file_engine("checkout-panic", &options);
    let armed = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let a = Arc::clone(&armed);
    pool_events::checkout.listen(&engine, move |_, _, _| {
        assert!(!a.load(Ordering::SeqCst), "listener panics");
        Ok(())
    });
    let log = Log::new();
    let l = log.clone();
    pool_events::close.listen(&engine, move |d, _| l.push(format!("close {}", d.id())));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.connect()));
    assert!(caught.is_err());
    let status = engine.pool().status();
    assert_eq!((status.open, status.checked_out), (0, 0), "slot released");
    assert_eq!(
        log.take().len(),
        1,
        "the half-initialised connection was closed"
    );
    armed.store(false, Ordering::SeqCst);
    let conn = engine.connect().unwrap();
    conn.exec_driver_sql("SELECT 1", ()).unwrap();
}

#[test]
fn recreate_carries_the_pools_listeners_and_runs_first_connect_again() {
    let (engine, _) = file_engine("recreate-listeners", &EngineOptions::new());
    let old = engine.pool();
    let log = Log::new();
    let l = log.clone();
    let first = pool_events::first_connect
        .listen(&*old, move |_, _| {
            l.push("first_connect");
            Ok(())
        })
        .unwrap();
    let l = log.clone();
    pool_events::connect.listen(&*old, move |_, _| {
        l.push("connect");
        Ok(())
    });
    let l = log.clone();
    pool_events::checkout.listen(&*old, move |_, _, _| {
        l.push("checkout");
        Ok(())
    });
    drop(old.connect().unwrap());
    assert_eq!(log.take(), ["first_connect", "connect", "checkout"]);
    let new = old.recreate();
    assert!(!Arc::ptr_eq(&old, &new));
    drop(new.connect().unwrap());
    assert_eq!(
        log.take(),
        ["first_connect", "connect", "checkout"],
        "the recreated pool fires the old pool's listeners, first_connect included"
    );
    first.remove().unwrap();
    let newer = new.recreate();
    drop(newer.connect().unwrap());
    assert_eq!(
        log.take(),
        ["connect", "checkout"],
        "a removed listener is gone from every copy"
    );
}
