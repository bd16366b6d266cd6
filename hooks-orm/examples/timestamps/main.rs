//! The ORM lifecycle guide's timestamps on SQLite: static `before_insert` / `before_update`
//! listeners on a `Timestamped` mixin, with `propagate`, stamp `created_at` / `updated_at` on
//! every model that names the mixin.
//!
//! `cargo run -p hooks-orm --example timestamps`

mod stamps;

use hooks_orm::{Obj, Registry, Session, SessionOptions};
use hooks_sql::create_engine;
use stamps::{Post, Tag, User};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = create_engine("sqlite://")?;
    let registry = Registry::new();
    registry.map::<User>()?;
    registry.map::<Post>()?;
    registry.map::<Tag>()?;
    registry.create_all(&engine)?;
    let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));

    let alice = Obj::new(User {
        id: None,
        name: "alice".into(),
        created_at: None,
        updated_at: None,
    });
    let post = Obj::new(Post {
        id: None,
        title: "hello".into(),
        created_at: None,
        updated_at: None,
    });
    session.add(&alice)?;
    session.add(&post)?;
    session.add(&Obj::new(Tag {
        id: None,
        label: "news".into(),
    }))?;
    session.commit()?;
    println!("inserted alice, a post and a tag: {:?}", alice.read()?);

    alice.set(|u| u.name = "alice smith".into())?;
    session.commit()?;
    println!("renamed alice: {:?}", alice.read()?);

    for table in ["users", "posts"] {
        let sql = format!("SELECT id, created_at, updated_at FROM {table}");
        let rows = session.execute(sql, ())?;
        for row in rows.rows() {
            let (created, updated) = (row.get::<i64>(1)?, row.get::<i64>(2)?);
            println!("  {table:<5} created_at {created} updated_at {updated}");
            assert!(updated >= created);
        }
    }
    session.close()?;
    Ok(())
}
