//! A `#[listens_for]` listener on the `R2d2Pool` type fires for a real
//! pool. The only test of this binary: a class-level listener would also
//! fire for any other pool of the binary.

mod support;

use std::any::Any;
use std::sync::Mutex;

use hooks_r2d2::{ConnectionRecord, DisconnectionError, HooksManager, R2d2Pool};
use support::{SqliteManager, sqlite};

static CHECKOUTS: Mutex<Vec<(u64, i64)>> = Mutex::new(Vec::new());

/// Records each checkout with what SQLite says: the connection's
/// `user_version`, set by the test on its first use.
#[hooks::listens_for(R2d2Pool, "checkout")]
fn on_checkout(
    connection: &mut dyn Any,
    record: &ConnectionRecord,
) -> Result<(), DisconnectionError> {
    let version = sqlite(connection)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| DisconnectionError::caused_by("ping failed", e))?;
    CHECKOUTS.lock().unwrap().push((record.id(), version));
    Ok(())
}

#[test]
fn a_static_listener_fires_on_every_r2d2_pool() {
    let pool = r2d2::Pool::builder()
        .max_size(1)
        .build(HooksManager::new(SqliteManager::fresh("static")))
        .unwrap();
    let conn = pool.get().unwrap();
    let id = conn.record().id();
    conn.execute_batch("PRAGMA user_version = 7").unwrap();
    drop(conn);
    drop(pool.get().unwrap());
    assert_eq!(*CHECKOUTS.lock().unwrap(), [(id, 0), (id, 7)]);
}
