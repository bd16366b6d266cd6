//! One checkout check, on `hooks-sql`'s pool and on an r2d2 pool.
//!
//! The check is written once, over rusqlite; each pool gets a one-line
//! `#[listens_for(…, "checkout")]` listener that calls it. One fn cannot
//! carry both attributes: the two `checkout` events have different
//! signatures (`hooks-sql` passes its own `DbapiConnection`,
//! `ConnectionRecord` and `PoolProxiedConnection`; r2d2 wraps any manager,
//! so its connection arrives erased), and a listener's signature is checked
//! against its event's at compile time.
//!
//! `cargo run -p hooks-r2d2 --example checkout_on_both_pools`

#[path = "../tests/support/mod.rs"]
mod support;

use std::any::Any;
use std::sync::atomic::{AtomicUsize, Ordering};

use hooks_r2d2::{HooksManager, R2d2Pool};
use hooks_sql::{DbapiConnection, Engine, PoolProxiedConnection};

static CHECKS: AtomicUsize = AtomicUsize::new(0);

/// The check, written once: the connection answers, and holds no
/// transaction left open by its previous user.
fn check(conn: &rusqlite::Connection) -> Result<(), String> {
    conn.execute_batch("SELECT 1").map_err(|e| e.to_string())?;
    if !conn.is_autocommit() {
        return Err("handed out inside a transaction".to_owned());
    }
    CHECKS.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

#[hooks::listens_for(Engine, "checkout")]
fn on_sql_checkout(
    dbapi: &DbapiConnection,
    _: &hooks_sql::ConnectionRecord,
    _: &PoolProxiedConnection,
) -> Result<(), hooks_sql::DisconnectionError> {
    let checked = dbapi.with_raw(|c| Ok(check(c))).map_err(|e| e.to_string());
    checked
        .and_then(|r| r)
        .map_err(hooks_sql::DisconnectionError::new)
}

#[hooks::listens_for(R2d2Pool, "checkout")]
fn on_r2d2_checkout(
    conn: &mut dyn Any,
    _: &hooks_r2d2::ConnectionRecord,
) -> Result<(), hooks_r2d2::DisconnectionError> {
    let conn = conn.downcast_ref().ok_or("not a rusqlite connection")?;
    Ok(check(conn)?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = hooks_sql::create_engine("sqlite://")?;
    engine.connect()?.exec_driver_sql("SELECT 1", ())?;
    println!(
        "hooks-sql: {} checkout checked",
        CHECKS.load(Ordering::Relaxed)
    );

    let pool = r2d2::Pool::builder()
        .max_size(1)
        .build(HooksManager::new(support::SqliteManager::fresh("example")))?;
    pool.get()?.execute_batch("SELECT 1")?;
    pool.get()?.execute_batch("SELECT 1")?;
    println!(
        "and r2d2: {} checkouts checked",
        CHECKS.load(Ordering::Relaxed)
    );
    assert_eq!(CHECKS.load(Ordering::Relaxed), 3);
    Ok(())
}
