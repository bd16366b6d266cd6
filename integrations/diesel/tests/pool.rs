//! diesel's r2d2 pool, wrapped in `hooks_r2d2::HooksManager`, with
//! `install_default`: pool events and the pooled connections' own events
//! in one recorded sequence, on a real SQLite file.
#![cfg(feature = "r2d2")]

use std::sync::{Arc, Mutex};

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::ConnectionManager;
use hooks_diesel::{diesel_connection_events, install_default, target_of};
use hooks_r2d2::{HooksManager, r2d2_pool_events as pool_events};

type Log = Arc<Mutex<Vec<String>>>;

fn push(log: &Log, entry: String) {
    log.lock().unwrap().push(entry);
}

fn pool_with_log() -> (
    diesel::r2d2::Pool<HooksManager<ConnectionManager<SqliteConnection>>>,
    Log,
) {
    install_default().unwrap();
    let path = std::env::temp_dir().join(format!("hooks-diesel-pool-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let manager = HooksManager::new(ConnectionManager::<SqliteConnection>::new(
        path.to_str().unwrap(),
    ));
    let (target, log) = (manager.events(), Log::default());
    // A new pooled connection: log its statements too, on its own target.
    let l = Arc::clone(&log);
    pool_events::connect
        .listen(&*target, move |conn, _| {
            push(&l, "pool connect".into());
            let conn: &mut SqliteConnection = conn.downcast_mut().expect("a diesel connection");
            let l = Arc::clone(&l);
            diesel_connection_events::before_cursor_execute
                .listen(
                    &*target_of(conn).expect("installed by default"),
                    move |_, sql, _| {
                        push(&l, format!("execute {sql}"));
                    },
                )
                .unwrap();
            Ok(())
        })
        .unwrap();
    let l = Arc::clone(&log);
    pool_events::checkout
        .listen(&*target, move |_, _| {
            push(&l, "pool checkout".into());
            Ok(())
        })
        .unwrap();
    let l = Arc::clone(&log);
    pool_events::reset
        .listen(&*target, move |_, _| {
            push(&l, "pool reset".into());
            Ok(())
        })
        .unwrap();
    let l = Arc::clone(&log);
    pool_events::checkin
        .listen(&*target, move |c, _| {
            push(&l, format!("pool checkin kept={}", c.is_some()));
        })
        .unwrap();
    let l = Arc::clone(&log);
    pool_events::invalidate
        .listen(&*target, move |_, _, _| push(&l, "pool invalidate".into()))
        .unwrap();
    let l = Arc::clone(&log);
    pool_events::close
        .listen(&*target, move |_, _| push(&l, "pool close".into()))
        .unwrap();
    let pool = diesel::r2d2::Pool::builder()
        .max_size(1)
        .build(manager)
        .unwrap();
    (pool, log)
}

#[test]
fn a_diesel_pool_fires_pool_and_connection_events_and_discards_an_open_transaction() {
    let (pool, log) = pool_with_log();
    let mut conn = pool.get().unwrap();
    diesel::sql_query("CREATE TABLE t (n INTEGER)")
        .execute(&mut **conn)
        .unwrap();
    drop(conn);
    let mut conn = pool.get().unwrap();
    AnsiTransactionManager::begin_transaction(&mut **conn).unwrap();
    drop(conn); // diesel calls a connection returned in a transaction broken
    let mut conn = pool.get().unwrap();
    let fresh: &mut SqliteConnection = &mut conn;
    assert!(
        AnsiTransactionManager::transaction_manager_status_mut(fresh)
            .transaction_depth()
            .unwrap()
            .is_none()
    );
    diesel::sql_query("INSERT INTO t VALUES (1)")
        .execute(fresh)
        .unwrap(); // the file kept the table
    drop(conn);

    // r2d2 starts the replacement connection on its own thread before it drops the broken one
    // on this thread (`drop_conns`), so "pool close" and the new "pool connect" come in either
    // order; everything else is sequential.
    let mut log = std::mem::take(&mut *log.lock().unwrap());
    let replaced = log
        .iter()
        .position(|e| e == "pool checkin kept=false")
        .expect("the broken connection was checked in")
        + 1;
    log[replaced..replaced + 2].sort();
    assert_eq!(
        log,
        [
            "pool connect",
            "execute SELECT 1", // diesel's ping, in is_valid, before checkout
            "pool checkout",
            "execute CREATE TABLE t (n INTEGER)",
            "pool reset",
            "pool checkin kept=true",
            "execute SELECT 1",
            "pool checkout",
            "execute BEGIN",
            "pool invalidate", // diesel's has_broken: returned inside a transaction
            "pool checkin kept=false",
            "pool close",   // the broken connection, dropped on this thread …
            "pool connect", // … while r2d2's thread opens its replacement
            "execute SELECT 1",
            "pool checkout",
            "execute INSERT INTO t VALUES (1)",
            "pool reset",
            "pool checkin kept=true",
        ]
    );
}
