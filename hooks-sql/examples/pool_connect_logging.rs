//! Logs every new DBAPI connection a pool opens (`PoolEvents::connect`),
//! and sets a per-connection SQLite pragma there.
//!
//! `cargo run -p hooks-sql --example pool_connect_logging`

use std::sync::atomic::{AtomicU32, Ordering};

use hooks_sql::{
    ConnectionRecord, DbapiConnection, Engine, EngineOptions, Error, Value, create_engine_with,
};

static OPENED: AtomicU32 = AtomicU32::new(0);

/// Every pool of every engine: listening on the `Engine` type means "all pools".
#[hooks::listens_for(Engine, "connect")]
fn on_connect(dbapi: &DbapiConnection, record: &ConnectionRecord) -> Result<(), Error> {
    OPENED.fetch_add(1, Ordering::SeqCst);
    // A failing PRAGMA aborts the checkout with this error.
    dbapi.with_raw(|raw| raw.execute_batch("PRAGMA foreign_keys = ON"))?;
    record
        .info()
        .insert("opened_by".into(), Value::from("on_connect"));
    println!(
        "pool opened DBAPI connection #{} (record {})",
        dbapi.id(),
        record.id()
    );
    Ok(())
}

fn main() -> Result<(), Error> {
    let dir =
        std::env::temp_dir().join(format!("hooks-sql-example-connect-{}", std::process::id()));
    // A leftover of an earlier run whose process had the same id.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite:///{}", dir.join("app.db").display());
    let engine = create_engine_with(&url, &EngineOptions::new().pool_size(2))?;
    let a = engine.connect()?;
    let b = engine.connect()?; // a second one is opened: `a` is still out
    let fk = b.exec_driver_sql("PRAGMA foreign_keys", ())?;
    assert_eq!(
        fk.scalar().and_then(Value::as_i64),
        Some(1),
        "set by the listener"
    );
    drop((a, b));
    drop(engine.connect()?); // reused: no new connection
    assert_eq!(OPENED.load(Ordering::SeqCst), 2);
    println!(
        "{} connections opened for 3 checkouts",
        OPENED.load(Ordering::SeqCst)
    );
    Ok(())
}
