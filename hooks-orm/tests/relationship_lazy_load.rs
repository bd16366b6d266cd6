//! Lazy loading (SQLAlchemy's `lazy="select"`): a persistent object's collection is loaded
//! with one SELECT by the children's foreign key on first access, `init_collection` firing
//! after it, and never again; a many-to-one reference loads by its key, from the identity
//! map without SQL when its parent is there. The statements are SQLite's, recorded by the
//! Core's `before_cursor_execute` in the same trace as the attribute events.

#[path = "relationships_common/mod.rs"]
mod relationships_common;

use relationships_common::*;

fn seed(session: &Session) {
    let jack = user("jack");
    session.add(&jack).unwrap();
    let addresses = jack.collection::<Address>("addresses").unwrap();
    addresses.append(&address("a1")).unwrap();
    addresses.append(&address("a2")).unwrap();
    session.commit().unwrap();
}

#[test]
fn a_collection_loads_once_by_foreign_key_and_a_reference_by_its_key() {
    let (registry, session, witness) = database("lazy");
    seed(&session);
    let trace = Trace::default();
    let _users = record::<User>(&trace);
    let t = trace.clone();
    hooks_sql::connection_events::before_cursor_execute
        .listen(session.engine(), move |_, _, sql, _, _, _| {
            if sql.starts_with("SELECT") {
                push(&t, format!("SQL {sql}"));
            }
        })
        .unwrap();
    let options = || hooks_orm::SessionOptions::new().registry(&registry);
    let fresh = Session::with_options(session.engine(), options());
    let jack = fresh.get::<User>(1).unwrap().unwrap();
    take(&trace);

    let items = jack
        .collection::<Address>("addresses")
        .unwrap()
        .items()
        .unwrap();
    assert_eq!(
        take(&trace),
        [
            "SQL SELECT id, email, user_id FROM addresses WHERE user_id = ? ORDER BY id",
            "jack init_collection addresses",
        ]
    );
    let emails: Vec<String> = items
        .iter()
        .map(|a| a.read().unwrap().email.clone())
        .collect();
    assert_eq!(emails, ["a1", "a2"]);
    assert_eq!(
        jack.collection::<Address>("addresses")
            .unwrap()
            .items()
            .unwrap(),
        items
    );
    assert_eq!(take(&trace), Vec::<String>::new(), "loaded once");

    // The parent is in the identity map: no SQL.
    let parent = items[0].reference::<User>("user").unwrap().get().unwrap();
    assert_eq!(parent, Some(jack.clone()));
    assert_eq!(take(&trace), Vec::<String>::new());

    let other = Session::with_options(session.engine(), options());
    let a2 = other.get::<Address>(2).unwrap().unwrap();
    take(&trace);
    let parent = a2
        .reference::<User>("user")
        .unwrap()
        .get()
        .unwrap()
        .unwrap();
    assert_eq!(
        take(&trace),
        ["SQL SELECT id, name FROM users WHERE id = ?"]
    );
    assert_eq!(parent.read().unwrap().name, "jack");
    assert_ne!(parent, jack, "another session, another object");
    assert_eq!(
        rows(&witness, "SELECT count(*) FROM addresses"),
        ["[Integer(2)]"]
    );
}
