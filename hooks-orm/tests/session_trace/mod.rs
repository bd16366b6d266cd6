//! A recorder of the session's transaction events and of the Core events underneath, as
//! lines in one trace, and a file database whose second connection is the witness of what
//! was committed.

#![allow(dead_code, reason = "each test binary uses part of it")]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use hooks::ListenTarget;
use hooks_orm::{SessionEvents, SessionTransaction, session_events as se};
use hooks_sql::{Engine, connection_events as ce, create_engine};

pub(crate) type Trace = Arc<Mutex<Vec<String>>>;

pub(crate) fn lines(trace: &Trace) -> Vec<String> {
    trace.lock().unwrap().clone()
}

/// Takes the lines recorded so far, leaving the trace empty.
pub(crate) fn take(trace: &Trace) -> Vec<String> {
    std::mem::take(&mut *trace.lock().unwrap())
}

pub(crate) fn push(trace: &Trace, line: impl Into<String>) {
    trace.lock().unwrap().push(line.into());
}

/// `root` or `nested`.
pub(crate) fn kind(transaction: &SessionTransaction) -> &'static str {
    if transaction.nested() {
        "nested"
    } else {
        "root"
    }
}

/// A database file of its own: `engine` for the session, `witness` (another engine on the
/// same file, with no listener) to read what was committed.
pub(crate) struct Db {
    pub(crate) engine: Engine,
    pub(crate) witness: Engine,
}

/// The URL of a new, empty database file of `test`'s own (a directory per call, so parallel
/// tests never share one).
pub(crate) fn fresh_url(test: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "hooks-orm-session-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{test}.db"));
    let _ = std::fs::remove_file(&path);
    format!("sqlite:///{}", path.display())
}

/// A new database file with an empty `users` table.
pub(crate) fn database(test: &str) -> Db {
    let url = fresh_url(test);
    let (engine, witness) = (create_engine(&url).unwrap(), create_engine(&url).unwrap());
    let conn = witness.connect().unwrap();
    conn.exec_driver_sql("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)", ())
        .unwrap();
    conn.commit().unwrap();
    Db { engine, witness }
}

/// The committed names in `users`, read by the witness.
pub(crate) fn committed_names(db: &Db) -> Vec<String> {
    let conn = db.witness.connect().unwrap();
    let result = conn
        .exec_driver_sql("SELECT name FROM users ORDER BY id", ())
        .unwrap();
    let names = result
        .rows()
        .iter()
        .map(|row| row.get::<String>(0).unwrap())
        .collect();
    conn.rollback().unwrap();
    names
}

/// A trace in a static, for static `#[listens_for]` listeners (which capture nothing).
pub(crate) struct StaticTrace(Mutex<Vec<String>>);

impl StaticTrace {
    pub(crate) const fn new() -> Self {
        Self(Mutex::new(Vec::new()))
    }

    pub(crate) fn record(&self, line: String) {
        self.0.lock().unwrap().push(line);
    }

    /// Takes the lines recorded so far, leaving the trace empty.
    pub(crate) fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// The committed rows of a two-text-column `sql`, read by `witness`.
pub(crate) fn committed_text_pairs(witness: &Engine, sql: &str) -> Vec<(String, String)> {
    let conn = witness.connect().unwrap();
    let rows = conn
        .exec_driver_sql(sql, ())
        .unwrap()
        .rows()
        .iter()
        .map(|row| (row.get(0).unwrap(), row.get(1).unwrap()))
        .collect();
    conn.rollback().unwrap();
    rows
}

/// Records the ten transaction events on `target` (a session or a factory), prefixed with
/// `prefix` when it is not empty.
pub(crate) fn record_session<A>(target: A, trace: &Trace, prefix: &'static str)
where
    A: ListenTarget<dyn SessionEvents> + Copy,
{
    let line = move |event: &str, detail: &str| {
        let mut s = format!("{prefix}{event}");
        if !detail.is_empty() {
            s = format!("{s} {detail}");
        }
        s
    };
    let t = Arc::clone(trace);
    se::after_transaction_create
        .listen(target, move |_, tx| {
            push(&t, line("after_transaction_create", kind(tx)));
        })
        .unwrap();
    let t = Arc::clone(trace);
    se::after_transaction_end
        .listen(target, move |_, tx| {
            push(&t, line("after_transaction_end", kind(tx)));
        })
        .unwrap();
    let t = Arc::clone(trace);
    se::after_begin
        .listen(target, move |_, tx, _| {
            push(&t, line("after_begin", kind(tx)));
            Ok(())
        })
        .unwrap();
    let t = Arc::clone(trace);
    se::before_commit
        .listen(target, move |_| {
            push(&t, line("before_commit", ""));
            Ok(())
        })
        .unwrap();
    let t = Arc::clone(trace);
    se::after_commit
        .listen(target, move |_| push(&t, line("after_commit", "")))
        .unwrap();
    let t = Arc::clone(trace);
    se::after_rollback
        .listen(target, move |_| push(&t, line("after_rollback", "")))
        .unwrap();
    let t = Arc::clone(trace);
    se::after_soft_rollback
        .listen(target, move |_, tx| {
            push(&t, line("after_soft_rollback", kind(tx)));
        })
        .unwrap();
}

/// Records Core's transaction events and every statement sent to SQLite on `engine`, as
/// `core <event>` and `sql <statement>` lines.
pub(crate) fn record_core(engine: &Engine, trace: &Trace) {
    let t = Arc::clone(trace);
    ce::engine_connect
        .listen(engine, move |_| push(&t, "core engine_connect"))
        .unwrap();
    let t = Arc::clone(trace);
    ce::begin
        .listen(engine, move |_| push(&t, "core begin"))
        .unwrap();
    let t = Arc::clone(trace);
    ce::commit
        .listen(engine, move |_| push(&t, "core commit"))
        .unwrap();
    let t = Arc::clone(trace);
    ce::rollback
        .listen(engine, move |_| push(&t, "core rollback"))
        .unwrap();
    let t = Arc::clone(trace);
    ce::savepoint
        .listen(engine, move |_, name| {
            push(&t, format!("core savepoint {name}"));
        })
        .unwrap();
    let t = Arc::clone(trace);
    ce::release_savepoint
        .listen(engine, move |_, name, _| {
            push(&t, format!("core release_savepoint {name}"));
        })
        .unwrap();
    let t = Arc::clone(trace);
    ce::rollback_savepoint
        .listen(engine, move |_, name, _| {
            push(&t, format!("core rollback_savepoint {name}"));
        })
        .unwrap();
    let t = Arc::clone(trace);
    ce::before_cursor_execute
        .listen(
            engine,
            move |_, _, statement, parameters, _, _| match &parameters {
                hooks_sql::CursorParams::Many(sets) => {
                    push(&t, format!("sql {statement} ×{}", sets.len()));
                }
                hooks_sql::CursorParams::Single(_) => push(&t, format!("sql {statement}")),
            },
        )
        .unwrap();
}

/// A trace recording `session`'s events and its engine's Core events.
pub(crate) fn traced(session: &hooks_orm::Session) -> Trace {
    let trace = Trace::default();
    record_session(session, &trace, "");
    record_core(session.engine(), &trace);
    trace
}
