//! The soft-delete recipe on SQLite: a `do_orm_execute` listener adds `deleted = 0` to every
//! SELECT of `Note`, so soft-deleted notes vanish from every load while their rows stay.
//!
//! `cargo run -p hooks-orm --example soft_delete`

mod recipe;

use hooks_orm::{Criterion, Registry, Session, SessionOptions};
use hooks_sql::create_engine;
use recipe::{Note, install, note, soft_delete};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = create_engine("sqlite://")?;
    let registry = Registry::new();
    registry.map::<Note>()?;
    registry.create_all(&engine)?;
    let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));
    install(&session)?;

    for body in ["buy milk", "call mum", "pay rent"] {
        session.add(&note(body))?;
    }
    session.commit()?;
    let hidden = soft_delete(&session, Criterion::eq("body", "call mum"))?;
    session.commit()?;
    println!("soft-deleted {hidden} note");

    let visible = session.execute_orm(hooks_orm::select::<Note>().order_by("id"))?;
    println!("select::<Note>() loads:");
    for n in &visible {
        println!("  {}", n.read()?.body);
    }
    let counted = session.query::<Note>().count()?;
    let rows = session.execute("SELECT count(*) FROM notes", ())?;
    let stored = rows
        .scalar()
        .and_then(hooks_sql::Value::as_i64)
        .unwrap_or(0);
    println!("query::<Note>().count() = {counted}; the table still holds {stored} rows");
    assert_eq!((visible.len(), counted, stored), (2, 2, 3));
    session.close()?;
    Ok(())
}
