//! Class-level listeners (static `#[listens_for]` and runtime `Class`), in a
//! binary of their own: they apply to every instance in the process, so the
//! whole scenario is one test.
#![allow(
    unused_must_use,
    reason = "registrations on targets the test owns; a refusal would fail the assertions that follow"
)]

mod common;

use std::sync::Mutex;

use common::memory_engine;
use hooks::Class;
use hooks_sql::{
    Connection, ConnectionRecord, DbapiConnection, Engine, MetaData, Pool, Table,
    connection_events as ce, ddl_events, pool_events,
};

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn push(line: impl Into<String>) {
    LOG.lock().unwrap().push(line.into());
}

fn take() -> Vec<String> {
    std::mem::take(&mut *LOG.lock().unwrap())
}

#[hooks::listens_for(Connection, "begin")]
fn static_on_connection_type(_conn: &Connection) {
    push("static Connection");
}

#[hooks::listens_for(Engine, "begin")]
fn static_on_engine_type(_conn: &Connection) {
    push("static Engine");
}

#[hooks::listens_for(Engine, "connect")]
fn every_pool_connects(
    _dbapi: &DbapiConnection,
    record: &ConnectionRecord,
) -> Result<(), hooks_sql::Error> {
    push(format!("static connect {}", record.id() > 0));
    Ok(())
}

#[test]
fn class_level_listeners_run_before_instance_level_ones_everywhere() {
    ce::begin.listen(Class::<Connection>::new(), |_| push("runtime Connection"));
    ce::begin.listen(Class::<Engine>::new(), |_| push("runtime Engine"));
    let engine = memory_engine();
    let conn = engine.connect().unwrap();
    assert_eq!(take(), ["static connect true"]);
    ce::begin.listen(&conn, |_| push("this connection"));
    ce::begin.listen(&engine, |_| push("this engine"));
    conn.exec_driver_sql("SELECT 1", ()).unwrap();
    assert_eq!(
        take(),
        [
            "static Connection",
            "runtime Connection",
            "this connection",
            "static Engine",
            "runtime Engine",
            "this engine",
        ]
    );
    drop(conn);

    // The `Engine` type means every pool; `Pool` the same.
    pool_events::checkin.listen(Class::<Pool>::new(), |_, _| push("every pool checkin"));
    let other = memory_engine();
    drop(other.connect().unwrap());
    drop(engine.connect().unwrap());
    let lines: Vec<_> = take()
        .into_iter()
        .filter(|l| !l.contains("Connection") && !l.contains("Engine"))
        .collect();
    assert_eq!(
        lines,
        [
            "static connect true",
            "every pool checkin",
            "every pool checkin"
        ]
    );
    assert!(pool_events::connect.contains(Class::<Pool>::new(), every_pool_connects));

    // `column_reflect` on the `Table` type covers every reflection.
    ddl_events::column_reflect.listen(Class::<Table>::new(), |_, table, info| {
        push(format!("reflect {}.{}", table.name(), info.name));
        info.name = info.name.to_uppercase();
    });
    engine
        .begin(|c| {
            c.exec_driver_sql("CREATE TABLE t (x INTEGER)", ())
                .map(drop)
        })
        .unwrap();
    take();
    let t = Table::reflect("t", &MetaData::new(), &engine).unwrap();
    assert_eq!(t.column_names(), ["X"]);
    assert!(take().contains(&"reflect t.x".to_owned()));
}
