//! A connection's life through a real r2d2 pool, one pool per test, every
//! event recorded in order; SQLite shows what the listeners did.

mod support;

use std::time::Duration;

use hooks_r2d2::{DisconnectionError, HooksManager, r2d2_pool_events};
use support::{Log, SqliteManager, record_all, sqlite};

type Pool = r2d2::Pool<HooksManager<SqliteManager>>;

/// A pool that opens connections only on demand, one at a time, so that
/// the order of events is deterministic.
fn lazy_pool(manager: HooksManager<SqliteManager>, max_size: u32) -> Pool {
    r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(5))
        .build(manager)
        .unwrap()
}

#[test]
fn a_checkout_and_checkin_fire_in_sqlalchemys_order() {
    let manager = HooksManager::new(SqliteManager::fresh("order"));
    let (target, log) = (manager.events(), Log::default());
    record_all(&target, &log);
    let pool = lazy_pool(manager, 1);

    let conn = pool.get().unwrap();
    let id = conn.record().id();
    drop(conn);
    let conn = pool.get().unwrap();
    assert_eq!(conn.record().id(), id, "the idle connection is reused");
    drop(conn);
    drop(pool);
    log.wait_for(&format!("close #{id}"));

    let expected = [
        "first_connect",
        "connect",
        "checkout",
        "reset",
        "checkin",
        "checkout",
        "reset",
        "checkin",
        "close",
    ];
    assert_eq!(log.take(), expected.map(|e| format!("{e} #{id}")));
}

#[test]
fn connect_listeners_configure_the_connection_and_first_connect_runs_once() {
    let manager = HooksManager::new(SqliteManager::fresh("connect"));
    let target = manager.events();
    r2d2_pool_events::first_connect
        .listen(&*target, |c, _| {
            sqlite(c)
                .execute_batch("CREATE TABLE created_once (n INTEGER)")
                .unwrap();
            Ok(())
        })
        .unwrap();
    r2d2_pool_events::connect
        .listen(&*target, |c, _| {
            sqlite(c).execute_batch("PRAGMA foreign_keys = ON").unwrap();
            Ok(())
        })
        .unwrap();
    // Three connections, opened eagerly by r2d2's connection threads: a
    // second `CREATE TABLE` would fail the listener's unwrap.
    let pool = r2d2::Pool::builder().max_size(3).build(manager).unwrap();
    let conns: Vec<_> = (0..3).map(|_| pool.get().unwrap()).collect();
    for conn in &conns {
        let on: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(on, 1, "connect ran on connection #{}", conn.record().id());
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'created_once'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 1);
    }
}

#[test]
fn a_refused_checkout_is_discarded_and_another_connection_handed_out() {
    let manager = HooksManager::new(SqliteManager::fresh("refuse"));
    let (target, log) = (manager.events(), Log::default());
    record_all(&target, &log);
    // Refuse connections marked dead: the mark is a TEMP table, which only
    // the connection that made it can see.
    r2d2_pool_events::checkout
        .listen(&*target, |c, _| {
            match sqlite(c).query_row("SELECT count(*) FROM temp.sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            }) {
                Ok(0) => Ok(()),
                Ok(_) => Err(DisconnectionError::new("marked dead")),
                Err(e) => Err(DisconnectionError::caused_by("ping failed", e)),
            }
        })
        .unwrap();
    let pool = lazy_pool(manager, 1);

    let first = pool.get().unwrap();
    let dead = first.record().id();
    first.execute_batch("CREATE TEMP TABLE dead (x)").unwrap();
    drop(first);
    let second = pool.get().unwrap();
    let fresh = second.record().id();
    assert_ne!(fresh, dead);
    let temp: i64 = second
        .query_row("SELECT count(*) FROM temp.sqlite_master", [], |r| r.get(0))
        .unwrap();
    assert_eq!(temp, 0, "a different SQLite connection");
    drop(second);
    drop(pool);
    log.wait_for(&format!("close #{fresh}"));

    let entries = log.take();
    assert_eq!(
        Log::of(&entries, dead),
        [
            "first_connect",
            "connect",
            "checkout",
            "reset",
            "checkin",
            "checkout",
            "invalidate(marked dead)",
            "close"
        ]
    );
    assert_eq!(
        Log::of(&entries, fresh),
        ["connect", "checkout", "reset", "checkin", "close"]
    );
    let close_dead = entries
        .iter()
        .position(|e| *e == format!("close #{dead}"))
        .unwrap();
    let connect_fresh = entries
        .iter()
        .position(|e| *e == format!("connect #{fresh}"))
        .unwrap();
    assert!(close_dead < connect_fresh, "{entries:?}");
}

#[test]
fn reset_rolls_back_what_r2d2_would_leave_open() {
    let manager = HooksManager::new(SqliteManager::fresh("reset"));
    let target = manager.events();
    r2d2_pool_events::first_connect
        .listen(&*target, |c, _| {
            sqlite(c)
                .execute_batch("CREATE TABLE t (n INTEGER)")
                .unwrap();
            Ok(())
        })
        .unwrap();
    r2d2_pool_events::reset
        .listen(&*target, |c, _| {
            let conn = sqlite(c);
            if !conn.is_autocommit() {
                conn.execute_batch("ROLLBACK")
                    .map_err(|e| DisconnectionError::caused_by("rollback failed", e))?;
            }
            Ok(())
        })
        .unwrap();
    let pool = lazy_pool(manager, 1);

    let conn = pool.get().unwrap();
    conn.execute_batch("BEGIN; INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn); // returned inside its transaction
    let conn = pool.get().unwrap();
    assert!(conn.is_autocommit());
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0);
}

#[test]
fn a_reset_refusal_declares_the_connection_broken() {
    let manager = HooksManager::new(SqliteManager::fresh("reset_broken"));
    let (target, log) = (manager.events(), Log::default());
    record_all(&target, &log);
    r2d2_pool_events::reset
        .listen(&*target, |c, _| {
            if sqlite(c).is_autocommit() {
                Ok(())
            } else {
                Err(DisconnectionError::new("returned in a transaction"))
            }
        })
        .unwrap();
    let pool = lazy_pool(manager, 1);

    let conn = pool.get().unwrap();
    let broken = conn.record().id();
    conn.execute_batch("BEGIN").unwrap();
    drop(conn);
    let conn = pool.get().unwrap();
    let fresh = conn.record().id();
    assert_ne!(fresh, broken);
    assert!(conn.is_autocommit());
    drop(conn);

    let entries = log.take();
    assert_eq!(
        Log::of(&entries, broken),
        [
            "first_connect",
            "connect",
            "checkout",
            "reset",
            "invalidate(returned in a transaction)",
            "checkin(gone)",
            "close"
        ]
    );
    assert_eq!(
        Log::of(&entries, fresh),
        ["connect", "checkout", "reset", "checkin"]
    );
}

#[test]
fn a_connection_the_manager_finds_broken_is_invalidated_without_reset() {
    let manager = HooksManager::new(SqliteManager::fresh("has_broken"));
    let (target, log) = (manager.events(), Log::default());
    record_all(&target, &log);
    let pool = lazy_pool(manager, 1);

    let mut conn = pool.get().unwrap();
    let broken = conn.record().id();
    // From now on SQLite interrupts every statement: the manager's ping fails.
    conn.progress_handler(1, Some(|| true)).unwrap();
    assert!(conn.execute_batch("SELECT 1").is_err());
    drop(conn);
    drop(pool);

    assert_eq!(
        Log::of(&log.take(), broken),
        [
            "first_connect",
            "connect",
            "checkout",
            "invalidate()",
            "checkin(gone)",
            "close"
        ]
    );
}

#[test]
fn an_explicit_invalidate_fires_at_once_and_discards_at_checkin() {
    let manager = HooksManager::new(SqliteManager::fresh("invalidate"));
    let (target, log) = (manager.events(), Log::default());
    record_all(&target, &log);
    let pool = lazy_pool(manager, 1);

    let mut conn = pool.get().unwrap();
    let id = conn.record().id();
    let reason = DisconnectionError::new("server went away");
    conn.invalidate(Some(&reason));
    conn.invalidate(None); // a second call fires nothing
    assert!(conn.record().is_invalidated());
    assert_eq!(
        log.take().last().map(String::as_str),
        Some(format!("invalidate(server went away) #{id}").as_str())
    );
    drop(conn);
    assert_eq!(
        log.take(),
        [format!("checkin(gone) #{id}"), format!("close #{id}")]
    );
    assert_eq!(pool.state().connections, 0);
}

#[test]
fn a_refused_connect_is_closed_and_retried() {
    let manager = HooksManager::new(SqliteManager::fresh("connect_refused"));
    let (target, log) = (manager.events(), Log::default());
    record_all(&target, &log);
    let refused = std::sync::atomic::AtomicBool::new(false);
    r2d2_pool_events::connect
        .listen(&*target, move |_, _| {
            if refused.swap(true, std::sync::atomic::Ordering::Relaxed) {
                Ok(())
            } else {
                Err(DisconnectionError::new("not yet"))
            }
        })
        .unwrap();
    let pool = lazy_pool(manager, 1);

    let conn = pool.get().unwrap(); // r2d2 retries after about 200 ms
    let id = conn.record().id();
    drop(conn);
    let entries = log.take();
    let first = entries[0]
        .rsplit('#')
        .next()
        .unwrap()
        .parse::<u64>()
        .unwrap();
    assert_ne!(first, id);
    assert_eq!(
        Log::of(&entries, first),
        ["first_connect", "connect", "close"]
    );
    assert_eq!(
        Log::of(&entries, id),
        ["connect", "checkout", "reset", "checkin"]
    );
}
