//! A `connect` or `first_connect` listener that fails (returns `Err` or panics) aborts that
//! checkout only: the caller gets the error (or the panic), the half-open DBAPI connection is
//! closed (SQLite's write lock it took is released), the pool slot is free, and a failed
//! `first_connect` runs again for the next new connection.
#![allow(
    unused_must_use,
    reason = "registrations on targets the test owns; a refusal would fail the assertions that follow"
)]

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Log, file_engine};
use hooks_sql::{Connection, DbapiConnection, Engine, EngineOptions, Error, pool_events};

#[derive(Clone, Copy)]
enum Failure {
    Err,
    Panic,
}

#[derive(Clone, Copy, PartialEq)]
enum Failing {
    Connect,
    FirstConnect,
}

/// A one-connection pool whose `failing` listener fails (as `how` says) on its first call only,
/// with every pool event of interest logged; the connection it failed on is kept in `victim`.
struct Fixture {
    engine: Engine,
    path: std::path::PathBuf,
    log: Log,
    victim: Arc<Mutex<Option<DbapiConnection>>>,
}

fn fixture(tag: &str, failing: Failing, how: Failure) -> Fixture {
    let options = EngineOptions::new()
        .pool_size(1)
        .max_overflow(0)
        .pool_timeout(Duration::from_millis(200));
    let (engine, path) = file_engine(tag, &options);
    let log = Log::new();
    let victim = Arc::new(Mutex::new(None));
    let calls = Arc::new(AtomicU32::new(0));
    let listener = {
        let (log, victim) = (log.clone(), Arc::clone(&victim));
        move |name: &str, dbapi: &DbapiConnection| -> Result<(), Error> {
            log.push(name);
            if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                *victim.lock().unwrap() = Some(dbapi.clone());
                return fail(dbapi, how);
            }
            Ok(())
        }
    };
    let l = log.clone();
    match failing {
        Failing::Connect => {
            pool_events::first_connect.listen(&engine, move |_, _| {
                l.push("first_connect");
                Ok(())
            });
            pool_events::connect.listen(&engine, move |d, _| listener("connect", d));
        }
        Failing::FirstConnect => {
            pool_events::first_connect.listen(&engine, move |d, _| listener("first_connect", d));
            pool_events::connect.listen(&engine, move |_, _| {
                l.push("connect");
                Ok(())
            });
        }
    }
    let l = log.clone();
    pool_events::close.listen(&engine, move |_, _| l.push("close"));
    let l = log.clone();
    pool_events::checkout.listen(&engine, move |_, _, _| {
        l.push("checkout");
        Ok(())
    });
    Fixture {
        engine,
        path,
        log,
        victim,
    }
}

/// Takes SQLite's write lock on `dbapi` (the witness that it is closed later), then fails: a
/// `PRAGMA` on a schema that does not exist, or a panic.
fn fail(dbapi: &DbapiConnection, how: Failure) -> Result<(), Error> {
    dbapi.with_raw(|raw| raw.execute_batch("BEGIN IMMEDIATE"))?;
    match how {
        Failure::Err => dbapi.with_raw(|raw| raw.execute_batch("PRAGMA nosuch.user_version = 1")),
        Failure::Panic => panic!("boom: a pool listener panics"),
    }
}

/// Whether another SQLite connection can take the database's write lock at once.
fn write_lock_is_free(path: &Path) -> bool {
    let other = rusqlite::Connection::open(path).unwrap();
    other.busy_timeout(Duration::ZERO).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; ROLLBACK").is_ok()
}

/// How a checkout failed: with the typed error, or with a panic (its message).
#[derive(Debug)]
enum Failed {
    Error(Error),
    Panic(String),
}

fn checkout(engine: &Engine) -> Result<Connection, Failed> {
    match catch_unwind(AssertUnwindSafe(|| engine.connect())) {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(Failed::Error(e)),
        Err(panic) => Err(Failed::Panic(
            panic
                .downcast_ref::<&str>()
                .copied()
                .unwrap_or("?")
                .to_owned(),
        )),
    }
}

/// The listener's `PRAGMA` error reached the caller as it was.
fn assert_is_the_pragma_error(outcome: &Failed) {
    assert!(
        matches!(outcome, Failed::Error(Error::Dbapi(e))
            if e.to_string().contains("unknown database nosuch")),
        "{outcome:?}"
    );
}

/// The listener's panic reached the caller.
fn assert_is_the_panic(outcome: &Failed) {
    assert!(
        matches!(outcome, Failed::Panic(m) if m == "boom: a pool listener panics"),
        "{outcome:?}"
    );
}

/// The first checkout fails as `failing` listener does; asserts that it left nothing behind.
fn assert_failed_cleanly(f: &Fixture, expected_log: &[&str]) -> Failed {
    let outcome = checkout(&f.engine).map(drop).unwrap_err();
    assert_eq!(f.log.take(), expected_log);
    let status = f.engine.pool().status();
    assert_eq!(
        (status.open, status.checked_out),
        (0, 0),
        "the slot is free"
    );
    let victim = f.victim.lock().unwrap().clone().unwrap();
    assert!(victim.is_closed(), "the half-open connection was closed");
    assert!(
        write_lock_is_free(&f.path),
        "SQLite: the closed connection's write lock is gone"
    );
    outcome
}

/// The next checkout opens a new connection and works.
fn assert_next_checkout_works(f: &Fixture, expected_log: &[&str]) -> Connection {
    let conn = checkout(&f.engine).unwrap();
    assert_eq!(f.log.take(), expected_log);
    let victim = f.victim.lock().unwrap().clone().unwrap();
    assert!(!conn.dbapi_connection().unwrap().same_connection(&victim));
    conn.exec_driver_sql("CREATE TABLE t (x)", ()).unwrap();
    conn.commit().unwrap();
    conn
}

#[test]
fn a_connect_listener_returning_err_aborts_the_checkout_with_that_error() {
    let f = fixture("connect-err", Failing::Connect, Failure::Err);
    let outcome = assert_failed_cleanly(&f, &["first_connect", "connect", "close"]);
    assert_is_the_pragma_error(&outcome);
    drop(assert_next_checkout_works(&f, &["connect", "checkout"]));
}

#[test]
fn a_first_connect_listener_returning_err_runs_again_for_the_next_connection() {
    let f = fixture("first-connect-err", Failing::FirstConnect, Failure::Err);
    let outcome = assert_failed_cleanly(&f, &["first_connect", "close"]);
    assert_is_the_pragma_error(&outcome);
    assert_first_connect_ran_once_more(&f);
}

#[test]
fn a_panicking_connect_listener_frees_the_slot_and_closes_the_connection() {
    let f = fixture("connect-panic", Failing::Connect, Failure::Panic);
    let outcome = assert_failed_cleanly(&f, &["first_connect", "connect", "close"]);
    assert_is_the_panic(&outcome);
    drop(assert_next_checkout_works(&f, &["connect", "checkout"]));
}

#[test]
fn a_panicking_first_connect_listener_runs_again_for_the_next_connection() {
    let f = fixture("first-connect-panic", Failing::FirstConnect, Failure::Panic);
    let outcome = assert_failed_cleanly(&f, &["first_connect", "close"]);
    assert_is_the_panic(&outcome);
    assert_first_connect_ran_once_more(&f);
}

/// The checkout after a failed `first_connect` runs it again; once it succeeded, a later new
/// connection does not.
fn assert_first_connect_ran_once_more(f: &Fixture) {
    let conn = assert_next_checkout_works(f, &["first_connect", "connect", "checkout"]);
    conn.invalidate(None).unwrap();
    drop(conn);
    f.log.take();
    drop(checkout(&f.engine).unwrap());
    assert_eq!(
        f.log.take(),
        ["connect", "checkout"],
        "first_connect succeeded once: a later new connection does not run it"
    );
}
