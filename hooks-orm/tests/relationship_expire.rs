//! Relationships expire with their object (SQLAlchemy's `test/orm/test_expire.py`
//! `ExpireTest.test_expire_collection` and the commit's `expire_on_commit`): after a commit a
//! loaded collection is loaded again on its next access, seeing rows another connection wrote,
//! `init_collection` firing again; a reference re-resolves its parent from the identity map
//! without SQL. SQLite's statements are the witness.

#[path = "relationships_common/mod.rs"]
mod relationships_common;

use relationships_common::*;

#[test]
fn a_commit_expires_collections_and_references_which_load_again_on_access() {
    let (_registry, session, witness) = database("expire");
    let jack = user("jack");
    session.add(&jack).unwrap();
    let a1 = address("a1");
    jack.collection::<Address>("addresses")
        .unwrap()
        .append(&a1)
        .unwrap();
    assert!(
        jack.read().unwrap().addresses.is_loaded(),
        "appending loaded it"
    );
    session.commit().unwrap();

    // Another connection adds an address of jack's. Without the commit's expiry the loaded
    // collection would still hold a1 alone.
    let conn = witness.connect().unwrap();
    conn.exec_driver_sql(
        "INSERT INTO addresses (email, user_id) VALUES ('a2', 1)",
        (),
    )
    .unwrap();
    conn.commit().unwrap();
    assert!(
        !jack.read().unwrap().addresses.is_loaded(),
        "the commit expired it"
    );

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
    let items = jack
        .collection::<Address>("addresses")
        .unwrap()
        .items()
        .unwrap();
    let emails: Vec<String> = items
        .iter()
        .map(|a| a.read().unwrap().email.clone())
        .collect();
    assert_eq!(emails, ["a1", "a2"]);
    assert_eq!(
        take(&trace),
        [
            "SQL SELECT id, email, user_id FROM addresses WHERE user_id = ? ORDER BY id",
            "jack init_collection addresses",
        ]
    );

    // The reference of a1 re-resolves jack from the identity map: no SQL but a1's own reload.
    let parent = a1
        .reference::<User>("user")
        .unwrap()
        .get()
        .unwrap()
        .unwrap();
    assert!(parent.ptr_eq(&jack));
    assert!(
        take(&trace).is_empty(),
        "a1 was loaded again by the collection; jack by key"
    );
}
