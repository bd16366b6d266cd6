//! Unit tests of the flows around the event points, observed through real
//! listeners: exact event sequences, and the retry / halt / chain paths
//! driven by listeners that refuse, halt or replace.
//!
//! Isolation: engine, pool and dialect events are recorded by instance-level
//! listeners on each test's own engine; DDL events by class-level listeners
//! (registered once) that record only on a thread whose test asked for it,
//! so tests running in parallel never see each other's events.
//!
//! The listeners live as long as their targets, so their handles are not
//! kept.
#![allow(
    unused_must_use,
    reason = "registrations on targets the test owns; a refusal would fail the assertions that follow"
)]

mod ddl_flow;
mod execute_flow;
mod pool_flow;

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, Once};

use hooks::Class;

use crate::events::{
    connection_events as ce, ddl_events as de, dialect_events as xe, pool_events as pe,
};
use crate::schema::SchemaEventTarget;
use crate::{
    Column, Engine, EngineOptions, MetaData, PrimaryKey, Table, UniqueConstraint, create_engine,
    create_engine_with,
};

/// A fresh directory under the system temp dir.
pub(crate) fn temp_dir(tag: &str) -> PathBuf {
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "hooks-sql-unit-{tag}-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    // A directory of this name is a leftover of an earlier process that had the same id: its
    // database would make this test's `CREATE TABLE` fail (seen 1 run in 50 of the suite).
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// A file-backed engine (queue pool) in a fresh temp dir.
pub(crate) fn file_engine(tag: &str, options: &EngineOptions) -> (Engine, PathBuf) {
    let dir = temp_dir(tag);
    let path = dir.join("db.sqlite");
    let engine =
        create_engine_with(&format!("sqlite:///{}", path.display()), options).expect("engine");
    (engine, path)
}

pub(crate) fn memory_engine() -> Engine {
    create_engine("sqlite://").expect("engine")
}

type Sink = Arc<Mutex<Vec<String>>>;

thread_local! {
    /// Where the class-level DDL recorders write on this thread, if anywhere.
    static DDL_SINK: RefCell<Option<Sink>> = const { RefCell::new(None) };
}

fn ddl_record(line: impl FnOnce() -> String) {
    DDL_SINK.with(|sink| {
        if let Some(sink) = &*sink.borrow() {
            sink.lock().unwrap().push(line());
        }
    });
}

fn ddl_attach(target: SchemaEventTarget<'_>, parent: SchemaEventTarget<'_>, before: bool) {
    let when = if before { "before" } else { "after" };
    ddl_record(|| format!("{when}_parent_attach {target} -> {parent}"));
}

/// Registers the class-level DDL recorders on every schema type, once.
fn install_ddl_recorders() {
    macro_rules! on_class {
        ($($ty:ty),*) => {$(
            de::before_create
                .listen(Class::<$ty>::new(), |t, _, _| ddl_record(|| format!("before_create {t}")))
                .unwrap();
            de::after_create
                .listen(Class::<$ty>::new(), |t, _, _| ddl_record(|| format!("after_create {t}")))
                .unwrap();
            de::before_drop
                .listen(Class::<$ty>::new(), |t, _, _| ddl_record(|| format!("before_drop {t}")))
                .unwrap();
            de::after_drop
                .listen(Class::<$ty>::new(), |t, _, _| ddl_record(|| format!("after_drop {t}")))
                .unwrap();
            de::before_parent_attach
                .listen(Class::<$ty>::new(), |t, p| ddl_attach(t, p, true))
                .unwrap();
            de::after_parent_attach
                .listen(Class::<$ty>::new(), |t, p| ddl_attach(t, p, false))
                .unwrap();
        )*};
    }
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        on_class!(MetaData, Table, Column, UniqueConstraint, PrimaryKey);
        de::column_reflect
            .listen(Class::<Table>::new(), |_, _, info| {
                ddl_record(|| format!("column_reflect {}", info.name));
            })
            .unwrap();
    });
}

/// Records events, one line each: those of the engines it is attached to
/// (instance-level listeners) and the DDL events of this thread.
pub(crate) struct Probe {
    log: Sink,
}

impl Probe {
    /// A probe recording this thread's DDL events.
    pub(crate) fn ddl() -> Self {
        install_ddl_recorders();
        let log = Sink::default();
        DDL_SINK.with(|sink| *sink.borrow_mut() = Some(Arc::clone(&log)));
        Probe { log }
    }

    /// A probe recording this thread's DDL events and every event of
    /// `engine` (its connections, dialect and pool).
    pub(crate) fn on(engine: &Engine) -> Self {
        let probe = Probe::ddl();
        probe.attach(engine);
        probe
    }

    #[expect(
        deprecated,
        reason = "the probe records the deprecated `dbapi_error` too"
    )]
    #[expect(clippy::too_many_lines, reason = "one registration per event")]
    fn attach(&self, engine: &Engine) {
        let log = &self.log;
        let rec = |line: &'static str| {
            let log = Arc::clone(log);
            move || log.lock().unwrap().push(line.to_owned())
        };
        let push = |log: &Sink, line: String| log.lock().unwrap().push(line);
        // pool
        let r = rec("do_connect");
        xe::do_connect
            .listen(engine, move |_, _, _, _| {
                r();
                None
            })
            .unwrap();
        let r = rec("first_connect");
        pe::first_connect
            .listen(engine, move |_, _| {
                r();
                Ok(())
            })
            .unwrap();
        let r = rec("connect");
        pe::connect
            .listen(engine, move |_, _| {
                r();
                Ok(())
            })
            .unwrap();
        let r = rec("checkout");
        pe::checkout
            .listen(engine, move |_, _, _| {
                r();
                Ok(())
            })
            .unwrap();
        let l = Arc::clone(log);
        pe::checkin
            .listen(engine, move |d, _| {
                push(
                    &l,
                    format!("checkin{}", if d.is_some() { "" } else { " none" }),
                );
            })
            .unwrap();
        let l = Arc::clone(log);
        pe::reset
            .listen(engine, move |_, _, state| {
                let was = if state.transaction_was_reset() {
                    " was_reset"
                } else {
                    ""
                };
                push(&l, format!("reset{was}"));
            })
            .unwrap();
        let r = rec("invalidate");
        pe::invalidate.listen(engine, move |_, _, _| r()).unwrap();
        let r = rec("soft_invalidate");
        pe::soft_invalidate
            .listen(engine, move |_, _, _| r())
            .unwrap();
        let r = rec("close");
        pe::close.listen(engine, move |_, _| r()).unwrap();
        let r = rec("detach");
        pe::detach.listen(engine, move |_, _| r()).unwrap();
        let r = rec("close_detached");
        pe::close_detached.listen(engine, move |_| r()).unwrap();
        // connection
        let r = rec("before_execute");
        ce::before_execute
            .listen(engine, move |_, _, _, _, _| r())
            .unwrap();
        let r = rec("after_execute");
        ce::after_execute
            .listen(engine, move |_, _, _, _, _, _| r())
            .unwrap();
        let l = Arc::clone(log);
        ce::before_cursor_execute
            .listen(engine, move |_, _, sql, _, _, _| {
                push(&l, format!("before_cursor_execute {sql}"));
            })
            .unwrap();
        let l = Arc::clone(log);
        ce::after_cursor_execute
            .listen(engine, move |_, _, sql, _, _, _| {
                push(&l, format!("after_cursor_execute {sql}"));
            })
            .unwrap();
        let r = rec("begin");
        ce::begin.listen(engine, move |_| r()).unwrap();
        let r = rec("commit");
        ce::commit.listen(engine, move |_| r()).unwrap();
        let r = rec("rollback");
        ce::rollback.listen(engine, move |_| r()).unwrap();
        let l = Arc::clone(log);
        ce::savepoint
            .listen(engine, move |_, name| push(&l, format!("savepoint {name}")))
            .unwrap();
        let l = Arc::clone(log);
        ce::rollback_savepoint
            .listen(engine, move |_, name, _| {
                push(&l, format!("rollback_savepoint {name}"));
            })
            .unwrap();
        let l = Arc::clone(log);
        ce::release_savepoint
            .listen(engine, move |_, name, _| {
                push(&l, format!("release_savepoint {name}"));
            })
            .unwrap();
        let l = Arc::clone(log);
        ce::begin_twophase
            .listen(engine, move |_, xid| {
                push(&l, format!("begin_twophase {xid}"));
            })
            .unwrap();
        let l = Arc::clone(log);
        ce::prepare_twophase
            .listen(engine, move |_, xid| {
                push(&l, format!("prepare_twophase {xid}"));
            })
            .unwrap();
        let l = Arc::clone(log);
        ce::commit_twophase
            .listen(engine, move |_, xid, _| {
                push(&l, format!("commit_twophase {xid}"));
            })
            .unwrap();
        let l = Arc::clone(log);
        ce::rollback_twophase
            .listen(engine, move |_, xid, _| {
                push(&l, format!("rollback_twophase {xid}"));
            })
            .unwrap();
        let r = rec("engine_connect");
        ce::engine_connect.listen(engine, move |_| r()).unwrap();
        let r = rec("engine_disposed");
        ce::engine_disposed.listen(engine, move |_| r()).unwrap();
        let r = rec("set_connection_execution_options");
        ce::set_connection_execution_options
            .listen(engine, move |_, _| r())
            .unwrap();
        let r = rec("set_engine_execution_options");
        ce::set_engine_execution_options
            .listen(engine, move |_, _| r())
            .unwrap();
        let r = rec("dbapi_error");
        ce::dbapi_error
            .listen(engine, move |_, _, _, _, _, _| r())
            .unwrap();
        let r = rec("handle_error");
        ce::handle_error
            .listen(engine, move |_| {
                r();
                Ok(())
            })
            .unwrap();
        // dialect execution
        let r = rec("do_execute");
        xe::do_execute
            .listen(engine, move |_, _, _, _| {
                r();
                Ok(false)
            })
            .unwrap();
        let r = rec("do_executemany");
        xe::do_executemany
            .listen(engine, move |_, _, _, _| {
                r();
                Ok(false)
            })
            .unwrap();
        let r = rec("do_execute_no_params");
        xe::do_execute_no_params
            .listen(engine, move |_, _, _| {
                r();
                Ok(false)
            })
            .unwrap();
    }

    /// The events fired since the last call.
    pub(crate) fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }

    /// The events fired since the last call, without cursor-level noise
    /// (`*_cursor_execute` and `do_execute*` lines).
    pub(crate) fn take_coarse(&self) -> Vec<String> {
        self.take()
            .into_iter()
            .filter(|e| !e.contains("cursor_execute") && !e.starts_with("do_execute"))
            .collect()
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        DDL_SINK.with(|sink| sink.borrow_mut().take());
    }
}
