//! Helpers shared by the integration tests: temp dirs and SQLite witnesses.

#![allow(dead_code, unreachable_pub, reason = "each test binary uses a subset")]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use hooks_sql::{DbapiConnection, Engine, EngineOptions, create_engine_with};
use rusqlite::trace::{TraceEvent, TraceEventCodes};

/// A fresh directory under the system temp dir.
pub fn temp_dir(tag: &str) -> PathBuf {
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "hooks-sql-it-{tag}-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    // A directory of this name is a leftover of an earlier process that had the same id: its
    // database would make this test's `CREATE TABLE` fail (seen 1 run in 50 of the suite).
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// A file-backed engine and its database path.
pub fn file_engine(tag: &str, options: &EngineOptions) -> (Engine, PathBuf) {
    let path = temp_dir(tag).join("db.sqlite");
    let engine =
        create_engine_with(&format!("sqlite:///{}", path.display()), options).expect("engine");
    (engine, path)
}

/// What SQLite reported through its hooks.
#[derive(Clone, Default)]
pub struct Witness {
    pub statements: Arc<Mutex<Vec<String>>>,
    pub commits: Arc<Mutex<u32>>,
    pub rollbacks: Arc<Mutex<u32>>,
}

impl Witness {
    /// Installs `trace_v2`, `commit_hook` and `rollback_hook` on `dbapi`.
    pub fn install(dbapi: &DbapiConnection) -> Self {
        let witness = Witness::default();
        let (stmts, commits, rollbacks) = (
            Arc::clone(&witness.statements),
            Arc::clone(&witness.commits),
            Arc::clone(&witness.rollbacks),
        );
        dbapi
            .with_raw(move |raw| {
                raw.trace_v2(
                    TraceEventCodes::SQLITE_TRACE_STMT,
                    Some(move |event: TraceEvent<'_>| {
                        if let TraceEvent::Stmt(_, sql) = event {
                            stmts.lock().unwrap().push(sql.to_owned());
                        }
                    }),
                )?;
                raw.commit_hook(Some(move || {
                    *commits.lock().unwrap() += 1;
                    false
                }))?;
                raw.rollback_hook(Some(move || *rollbacks.lock().unwrap() += 1))
            })
            .expect("open connection, hooks installed");
        witness
    }

    /// The statements traced so far (and forgets them).
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.statements.lock().unwrap())
    }

    pub fn commits(&self) -> u32 {
        *self.commits.lock().unwrap()
    }

    pub fn rollbacks(&self) -> u32 {
        *self.rollbacks.lock().unwrap()
    }
}

/// Counts rows of `table` through a separate, plain rusqlite connection.
pub fn count_rows(path: &std::path::Path, table: &str) -> i64 {
    let raw = rusqlite::Connection::open(path).expect("reopen");
    raw.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

/// A shared, ordered event log that listeners (and SQLite hooks) append to.
#[derive(Clone, Default)]
pub struct Log(pub Arc<Mutex<Vec<String>>>);

impl Log {
    pub fn new() -> Self {
        Log::default()
    }

    /// Appends a line.
    pub fn push(&self, line: impl Into<String>) {
        self.0.lock().unwrap().push(line.into());
    }

    /// The lines so far (and forgets them).
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }

    /// The lines so far, keeping them.
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// A closure-friendly clone.
    pub fn handle(&self) -> Log {
        self.clone()
    }

    /// Installs SQLite's commit and rollback hooks on `dbapi`, logging
    /// `sqlite commit` / `sqlite rollback` into this log.
    pub fn witness_transactions(&self, dbapi: &DbapiConnection) {
        let (c, r) = (self.clone(), self.clone());
        dbapi
            .with_raw(move |raw| {
                raw.commit_hook(Some(move || {
                    c.push("sqlite commit");
                    false
                }))?;
                raw.rollback_hook(Some(move || r.push("sqlite rollback")))
            })
            .expect("open connection, hooks installed");
    }

    /// Installs SQLite's statement trace on `dbapi`, logging `sqlite: SQL`.
    pub fn witness_statements(&self, dbapi: &DbapiConnection) {
        let log = self.clone();
        dbapi
            .with_raw(move |raw| {
                raw.trace_v2(
                    TraceEventCodes::SQLITE_TRACE_STMT,
                    Some(move |event: TraceEvent<'_>| {
                        if let TraceEvent::Stmt(_, sql) = event {
                            log.push(format!("sqlite: {sql}"));
                        }
                    }),
                )
            })
            .expect("open connection, trace installed");
    }
}

/// A fresh in-memory engine.
pub fn memory_engine() -> Engine {
    hooks_sql::create_engine("sqlite://").expect("engine")
}
