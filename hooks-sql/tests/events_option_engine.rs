//! Option engines and class-level listeners, in a binary of their own (a listener on the
//! `Engine` type applies to every engine in the process): SQLAlchemy's
//! `test_per_engine_plus_global` and `test_per_option_engine`. An option engine joins the
//! engine it was made from, which is of the same type: each class-level listener runs once per
//! fire, with the outermost engine, after the option engines' own listeners.
#![allow(
    unused_must_use,
    reason = "registrations on targets the test owns; a refusal would fail the assertions that follow"
)]

mod common;

use common::{Log, memory_engine};
use hooks::Class;
use hooks_sql::{Connection, Engine, ExecutionOptions, connection_events as ce};

static STATIC_LOG: std::sync::Mutex<Vec<&str>> = std::sync::Mutex::new(Vec::new());

#[hooks::listens_for(Engine, "begin")]
fn static_on_engine_type(_conn: &Connection) {
    STATIC_LOG.lock().unwrap().push("static Engine");
}

#[test]
fn class_level_engine_listeners_run_once_through_a_chain_of_option_engines() {
    let log = Log::new();
    let l = log.clone();
    ce::begin.listen(Class::<Engine>::new(), move |_| l.push("l1"));
    let e = memory_engine();
    let l = log.clone();
    ce::begin.listen(&e, move |_| l.push("l2"));
    let l = log.clone();
    ce::begin.listen(&e, move |_| l.push("l3"));
    let eo = e.execution_options(ExecutionOptions::new().with("foo", "bar"));
    let l = log.clone();
    ce::begin.listen(&eo, move |_| l.push("l4"));

    e.connect().unwrap().exec_driver_sql("SELECT 1", ());
    assert_eq!(log.take(), ["l1", "l2", "l3"]);
    eo.connect().unwrap().exec_driver_sql("SELECT 1", ());
    assert_eq!(log.take(), ["l4", "l1", "l2", "l3"], "SQLAlchemy's order");

    // Two option engines deep: still one run of each class-level listener.
    let eo2 = eo.execution_options(ExecutionOptions::new().with("x", 1));
    let l = log.clone();
    ce::begin.listen(&eo2, move |_| l.push("l5"));
    eo2.connect().unwrap().exec_driver_sql("SELECT 1", ());
    assert_eq!(log.take(), ["l5", "l4", "l1", "l2", "l3"]);

    // The static `#[listens_for(Engine, …)]` listener follows the same rule: one run per fire.
    assert_eq!(
        *STATIC_LOG.lock().unwrap(),
        ["static Engine", "static Engine", "static Engine"]
    );

    // A connection-level listener still runs first, and the connection's own type has none.
    let conn = eo2.connect().unwrap();
    let l = log.clone();
    ce::begin.listen(&conn, move |_| l.push("conn"));
    conn.exec_driver_sql("SELECT 1", ());
    assert_eq!(log.take(), ["conn", "l5", "l4", "l1", "l2", "l3"]);
}
