//! What the tests share: a small rusqlite manager (on the workspace's
//! rusqlite, which `r2d2_sqlite` cannot share) and a recorder of every event.
#![allow(dead_code, unreachable_pub, reason = "each test binary uses a part")]

use std::any::Any;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use hooks_r2d2::{ConnectionRecord, DisconnectionError, R2d2Pool, r2d2_pool_events};

/// An r2d2 manager over plain rusqlite: one file database, opened per
/// connection; `SELECT 1` as the ping, and a connection that cannot run
/// `SELECT 1` any more counts as broken.
#[derive(Debug)]
pub struct SqliteManager {
    path: PathBuf,
}

impl SqliteManager {
    /// A manager over a fresh database file named after `test`.
    pub fn fresh(test: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("hooks-r2d2-{}-{test}.db", std::process::id()));
        let _ = std::fs::remove_file(&path); // left over from an earlier run, if any
        SqliteManager { path }
    }
}

impl r2d2::ManageConnection for SqliteManager {
    type Connection = rusqlite::Connection;
    type Error = rusqlite::Error;

    fn connect(&self) -> Result<rusqlite::Connection, rusqlite::Error> {
        let conn = rusqlite::Connection::open(&self.path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Tests need no durability; without this every commit waits for the disk.
        conn.execute_batch("PRAGMA synchronous = OFF")?;
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut rusqlite::Connection) -> Result<(), rusqlite::Error> {
        conn.execute_batch("SELECT 1")
    }

    fn has_broken(&self, conn: &mut rusqlite::Connection) -> bool {
        conn.execute_batch("SELECT 1").is_err()
    }
}

/// The rusqlite connection behind an event's erased connection.
pub fn sqlite(connection: &mut dyn Any) -> &mut rusqlite::Connection {
    connection.downcast_mut().expect("a rusqlite connection")
}

/// A shared, ordered log of events.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    pub fn push(&self, entry: String) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(entry);
    }

    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Waits (up to five seconds) until `entry` was logged: r2d2's
    /// connection thread may hold the pool a moment after the test dropped
    /// it, and then the last `close` events fire on that thread.
    pub fn wait_for(&self, entry: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while !self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .any(|e| e == entry)
        {
            assert!(std::time::Instant::now() < deadline, "no {entry:?} logged");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    /// The entries of one connection, without its `#id` suffix.
    pub fn of(entries: &[String], record: u64) -> Vec<String> {
        let suffix = format!(" #{record}");
        entries
            .iter()
            .filter_map(|e| e.strip_suffix(&suffix).map(str::to_owned))
            .collect()
    }
}

fn entry(event: &str, record: &ConnectionRecord) -> String {
    format!("{event} #{}", record.id())
}

/// Records every event of `pool` as `"event #record"`; `invalidate` also
/// records its reason (`"invalidate(reason) #record"`), `checkin` whether
/// the connection is kept (`"checkin(gone) #record"` when not).
pub fn record_all(pool: &R2d2Pool, log: &Log) {
    r2d2_pool_events::first_connect
        .listen(pool, logs(log, "first_connect"))
        .unwrap();
    r2d2_pool_events::connect
        .listen(pool, logs(log, "connect"))
        .unwrap();
    r2d2_pool_events::checkout
        .listen(pool, logs(log, "checkout"))
        .unwrap();
    r2d2_pool_events::reset
        .listen(pool, logs(log, "reset"))
        .unwrap();
    let l = log.clone();
    r2d2_pool_events::checkin
        .listen(pool, move |c, r| {
            l.push(entry(
                if c.is_some() {
                    "checkin"
                } else {
                    "checkin(gone)"
                },
                r,
            ));
        })
        .unwrap();
    let l = log.clone();
    r2d2_pool_events::invalidate
        .listen(pool, move |_, r, e| {
            let reason = e.map(ToString::to_string).unwrap_or_default();
            l.push(entry(&format!("invalidate({reason})"), r));
        })
        .unwrap();
    let l = log.clone();
    r2d2_pool_events::close
        .listen(pool, move |_, r| l.push(entry("close", r)))
        .unwrap();
}

/// A listener of a fallible event that logs it and lets it through.
fn logs(
    log: &Log,
    event: &'static str,
) -> impl Fn(&mut dyn Any, &ConnectionRecord) -> Result<(), DisconnectionError> + Send + Sync + 'static
{
    let log = log.clone();
    move |_, record| {
        log.push(entry(event, record));
        Ok(())
    }
}
