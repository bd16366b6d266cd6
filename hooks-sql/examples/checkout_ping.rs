//! A `checkout` listener that pings each connection before handing it out
//! and raises `DisconnectionError` when the ping fails: the pool replaces
//! the dead connection transparently.
//!
//! `cargo run -p hooks-sql --example checkout_ping`

use hooks_sql::{DisconnectionError, EngineOptions, Params, create_engine_with, pool_events};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("hooks-sql-example-ping-{}", std::process::id()));
    // A leftover of an earlier run whose process had the same id.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite:///{}", dir.join("app.db").display());
    let engine = create_engine_with(&url, &EngineOptions::new())?;

    let _ping = pool_events::checkout.listen(&engine, |dbapi, _record, _proxy| {
        match dbapi.cursor().execute("SELECT 1", &Params::None) {
            Ok(()) => Ok(()),
            Err(e) => {
                println!("ping failed on DBAPI connection #{}: {e}", dbapi.id());
                Err(DisconnectionError::new(e.to_string()))
            }
        }
    })?;
    let _replaced = pool_events::invalidate.listen(&engine, |dbapi, _, error| {
        println!(
            "invalidated #{} because: {}",
            dbapi.id(),
            error.map(ToString::to_string).unwrap_or_default()
        );
    })?;

    // Open a connection, return it to the pool, then kill it behind the pool's back.
    let first = engine.connect()?.dbapi_connection()?;
    first.close()?;

    let conn = engine.connect()?; // the ping fails, the pool reconnects
    let fresh = conn.dbapi_connection()?;
    assert!(!fresh.same_connection(&first) && !fresh.is_closed());
    let two = conn.exec_driver_sql("SELECT 1 + 1", ())?;
    assert_eq!(two.scalar().and_then(hooks_sql::Value::as_i64), Some(2));
    println!(
        "checked out a fresh connection #{} instead of #{}",
        fresh.id(),
        first.id()
    );
    Ok(())
}
