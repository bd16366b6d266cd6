//! Where a listener can go: the `Engine` type (every engine and pool), one
//! engine, that engine's pool, one connection, and the order they run in.
//!
//! `cargo run -p hooks-sql --example listen_levels`

use std::sync::{Arc, Mutex};

use hooks::Class;
use hooks_sql::{Engine, connection_events, create_engine, pool_events};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let record = |label: &'static str| {
        let seen = Arc::clone(&seen);
        move || seen.lock().unwrap().push(label.to_owned())
    };

    let engine = create_engine("sqlite://")?;
    let other = create_engine("sqlite://")?;

    // Pool events: the Engine type = every pool; an engine = its pool; the pool itself.
    let r = record("checkout: Engine type");
    let _a = pool_events::checkout.listen(Class::<Engine>::new(), move |_, _, _| {
        r();
        Ok(())
    })?;
    let r = record("checkout: this engine");
    let _b = pool_events::checkout.listen(&engine, move |_, _, _| {
        r();
        Ok(())
    })?;
    let r = record("checkout: its pool");
    let _c = pool_events::checkout.listen(&*engine.pool(), move |_, _, _| {
        r();
        Ok(())
    })?;

    // Connection events: the Engine type, an engine, one connection.
    let r = record("begin: Engine type");
    let _d = connection_events::begin.listen(Class::<Engine>::new(), move |_| r())?;
    let r = record("begin: this engine");
    let _e = connection_events::begin.listen(&engine, move |_| r())?;
    let conn = engine.connect()?;
    let r = record("begin: this connection");
    let _f = connection_events::begin.listen(&conn, move |_| r())?;
    conn.exec_driver_sql("SELECT 1", ())?;

    let r = record("--- other engine ---");
    r();
    other.connect()?.exec_driver_sql("SELECT 1", ())?;

    let seen = seen.lock().unwrap().clone();
    for line in &seen {
        println!("{line}");
    }
    assert_eq!(
        seen,
        [
            "checkout: Engine type",
            "checkout: this engine",
            "checkout: its pool",
            "begin: this connection",
            "begin: Engine type",
            "begin: this engine",
            "--- other engine ---",
            "checkout: Engine type",
            "begin: Engine type",
        ]
    );
    Ok(())
}
