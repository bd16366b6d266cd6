//! The ORM lifecycle guide's audit log on SQLite: a `before_flush` listener adds one audit
//! row per new, dirty and deleted user, written by the same flush in the same transaction.
//! A flush that is rolled back leaves neither the change nor its audit row.
//!
//! `cargo run -p hooks-orm --example audit_log`

mod audit;

use audit::{AuditEntry, User, install, user};
use hooks_orm::{Registry, Session, SessionOptions};
use hooks_sql::create_engine;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = create_engine("sqlite://")?;
    let registry = Registry::new();
    registry.map::<User>()?;
    registry.map::<AuditEntry>()?;
    registry.create_all(&engine)?;
    let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));
    install(&session)?;

    let (alice, bob) = (user("alice"), user("bob"));
    session.add(&alice)?;
    session.add(&bob)?;
    session.commit()?;
    println!("added alice and bob, committed");

    alice.set(|u| u.name = "alice smith".into())?;
    session.delete(&bob)?;
    session.commit()?;
    println!("renamed alice, deleted bob, committed");

    session.add(&user("carol"))?;
    session.flush()?;
    session.rollback()?;
    println!("added carol, flushed, rolled back: neither carol nor her audit row remain");

    let rows = session.execute(
        "SELECT action, table_name, target FROM audit_log ORDER BY id",
        (),
    )?;
    println!("audit_log:");
    for row in rows.rows() {
        let (action, table, target) = (
            row.get::<String>(0)?,
            row.get::<String>(1)?,
            row.get::<String>(2)?,
        );
        println!("  {action:<6} {table} {target}");
    }
    assert_eq!(rows.rows().len(), 4, "two inserts, one update, one delete");
    session.close()?;
    Ok(())
}
