//! Many threads checking connections in and out of one real r2d2 pool: the
//! events of each connection stay in SQLAlchemy's order, `first_connect`
//! runs once before every `connect`, and nothing is lost.

mod support;

use std::time::Duration;

use hooks_r2d2::{HooksManager, r2d2_pool_events};
use support::{Log, SqliteManager, record_all, sqlite};

const THREADS: usize = 4;
const CHECKOUTS: usize = 25;

#[test]
fn concurrent_checkouts_keep_each_connections_sequence() {
    let manager = HooksManager::new(SqliteManager::fresh("concurrent"));
    let (target, log) = (manager.events(), Log::default());
    // Slow on purpose: r2d2 opens the pool's three connections on three
    // threads at once, and the two others must wait for this run.
    r2d2_pool_events::first_connect
        .listen(&*target, |c, _| {
            std::thread::sleep(Duration::from_millis(50));
            sqlite(c)
                .execute_batch("CREATE TABLE uses (thread INTEGER, record INTEGER)")
                .unwrap();
            Ok(())
        })
        .unwrap();
    record_all(&target, &log);
    let pool = r2d2::Pool::builder().max_size(3).build(manager).unwrap();

    std::thread::scope(|s| {
        for thread in 0..THREADS {
            let pool = &pool;
            s.spawn(move || {
                for _ in 0..CHECKOUTS {
                    let conn = pool.get().unwrap();
                    let record = i64::try_from(conn.record().id()).unwrap();
                    let thread = i64::try_from(thread).unwrap();
                    conn.execute("INSERT INTO uses VALUES (?1, ?2)", [thread, record])
                        .unwrap();
                }
            });
        }
    });
    let conn = pool.get().unwrap();
    let uses: i64 = conn
        .query_row("SELECT count(*) FROM uses", [], |r| r.get(0))
        .unwrap();
    drop(conn);
    let entries = log.take();

    assert_eq!(usize::try_from(uses).unwrap(), THREADS * CHECKOUTS);
    assert!(entries[0].starts_with("first_connect #"), "{entries:?}");
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.starts_with("first_connect"))
            .count(),
        1
    );
    let records: Vec<u64> = entries
        .iter()
        .filter(|e| e.starts_with("connect #"))
        .map(|e| e["connect #".len()..].parse().unwrap())
        .collect();
    assert_eq!(records.len(), 3, "{entries:?}");
    let mut checkouts = 0;
    for record in records {
        let mut seq = Log::of(&entries, record);
        if seq[0] == "first_connect" {
            seq.remove(0);
        }
        assert_eq!(seq[0], "connect");
        for cycle in seq[1..].chunks(3) {
            assert_eq!(
                cycle,
                ["checkout", "reset", "checkin"],
                "connection #{record}: {seq:?}"
            );
            checkouts += 1;
        }
    }
    assert_eq!(checkouts, THREADS * CHECKOUTS + 1);
}
