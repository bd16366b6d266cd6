//! The ORM lifecycle guide's archive on delete, on SQLite: deleting a user copies its row
//! into `deleted_users` (`before_delete`) and removes its `user_preferences`
//! (`after_delete`), in the flush's transaction.
//!
//! `cargo run -p hooks-orm --example archive_on_delete`

mod archive;

use archive::{DeletedUser, Preference, User, install, preference, user};
use hooks_orm::{Registry, Session, SessionError, SessionOptions};
use hooks_sql::create_engine;

/// Prints every row of `sql`'s result, each column as SQLite holds it.
fn show(session: &Session, title: &str, sql: &str) -> Result<usize, SessionError> {
    let result = session.execute(sql, ())?;
    println!("{title}:");
    for row in result.rows() {
        println!("  {:?}", row.values());
    }
    Ok(result.rows().len())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = create_engine("sqlite://")?;
    let registry = Registry::new();
    registry.map::<User>()?;
    registry.map::<Preference>()?;
    registry.map::<DeletedUser>()?;
    registry.create_all(&engine)?;
    install(&registry)?;
    let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));

    let (alice, bob) = (user("alice"), user("bob"));
    session.add(&alice)?;
    session.add(&bob)?;
    session.flush()?;
    let (alice_id, bob_id) = (alice.read()?.id.unwrap_or(0), bob.read()?.id.unwrap_or(0));
    for (id, key) in [
        (alice_id, "theme"),
        (alice_id, "language"),
        (bob_id, "theme"),
    ] {
        session.add(&preference(id, key))?;
    }
    session.commit()?;
    println!("added alice and bob with three preferences, committed");

    session.delete(&alice)?;
    session.commit()?;
    println!("deleted alice, committed");

    show(&session, "users", "SELECT id, name FROM users ORDER BY id")?;
    let archived = show(
        &session,
        "deleted_users",
        "SELECT id, name FROM deleted_users",
    )?;
    let left = show(
        &session,
        "user_preferences",
        "SELECT user_id, key FROM user_preferences ORDER BY id",
    )?;
    assert_eq!(
        (archived, left),
        (1, 1),
        "alice archived, bob's preference kept"
    );
    session.close()?;
    Ok(())
}
