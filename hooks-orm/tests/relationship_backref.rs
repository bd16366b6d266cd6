//! Backrefs, modelled on SQLAlchemy's `test/orm/test_backref_mutations.py`: appending to
//! `User.addresses` sets `Address.user` and setting `Address.user` appends to
//! `User.addresses`, each side's events firing once with the initiator of the operation that
//! started it, never recursing; moving a child to another parent removes it from the old
//! one's collection. SQLite (foreign keys on) witnesses the flush order and the synced keys.

#[path = "relationships_common/mod.rs"]
mod relationships_common;

use relationships_common::*;

#[test]
fn each_side_updates_the_other_once_with_the_originating_initiator() {
    let (_registry, session, witness) = database("backref");
    let trace = Trace::default();
    let _users = record::<User>(&trace);
    let _addresses = record::<Address>(&trace);
    let (jack, a1, b1) = (user("jack"), address("a1"), address("b1"));
    session.add(&jack).unwrap();

    jack.collection::<Address>("addresses")
        .unwrap()
        .append(&a1)
        .unwrap();
    assert_eq!(
        take(&trace),
        [
            "jack init_collection addresses",
            "jack append a1 None [User.addresses Append]",
            "jack modified [User.addresses Modified]",
            "a1 set_object jack <- None [User.addresses Append]",
            "a1 modified [Address.user Modified]",
        ]
    );
    assert!(
        session.contains(&a1),
        "save-update cascades the appended child"
    );
    assert_eq!(
        a1.reference::<User>("user").unwrap().get().unwrap(),
        Some(jack.clone())
    );

    b1.reference::<User>("user")
        .unwrap()
        .set(Some(&jack))
        .unwrap();
    assert_eq!(
        take(&trace),
        [
            "b1 set_object jack <- None [Address.user Replace]",
            "jack append b1 None [Address.user Replace]",
            "jack modified [User.addresses Modified]",
            "b1 modified [Address.user Modified]",
        ]
    );
    // SQLAlchemy 2.0: no save-update cascade along a backref.
    assert!(!session.contains(&b1));
    session.add(&b1).unwrap();

    jack.collection::<Address>("addresses")
        .unwrap()
        .append(&a1)
        .unwrap();
    assert_eq!(
        take(&trace),
        ["jack append_wo_mutation a1 None [User.addresses Append]"]
    );

    // `Address` sorts before `User`: only the dependency order inserts users first, and the
    // children's keys come from the user's generated id.
    session.commit().unwrap();
    assert_eq!(
        rows(&witness, "SELECT id, name FROM users"),
        ["[Integer(1), Text(\"jack\")]"]
    );
    assert_eq!(
        rows(
            &witness,
            "SELECT id, email, user_id FROM addresses ORDER BY id"
        ),
        [
            "[Integer(1), Text(\"a1\"), Integer(1)]",
            "[Integer(2), Text(\"b1\"), Integer(1)]",
        ]
    );
    assert_eq!(
        take(&trace),
        Vec::<String>::new(),
        "the flush fires no attribute event"
    );
    move_to_another_parent(&session, &witness, &trace, &jack, &b1);
}

/// `wendy.addresses.append(b1)`: `b1.user` goes from jack to wendy and jack's collection
/// loses it, each event with wendy's append as the initiator.
fn move_to_another_parent(
    session: &Session,
    witness: &Engine,
    trace: &Trace,
    jack: &Obj<User>,
    b1: &Obj<Address>,
) {
    let wendy = user("wendy");
    session.add(&wendy).unwrap();
    wendy
        .collection::<Address>("addresses")
        .unwrap()
        .append(b1)
        .unwrap();
    assert_eq!(
        take(trace),
        [
            "wendy init_collection addresses",
            "wendy append b1 None [User.addresses Append]",
            "wendy modified [User.addresses Modified]",
            "b1 set_object wendy <- jack [User.addresses Append]",
            "jack remove b1 None [User.addresses Append]",
            "jack modified [User.addresses Modified]",
            "b1 modified [Address.user Modified]",
        ]
    );
    let names = |u: &Obj<User>| -> Vec<String> {
        let items = u
            .collection::<Address>("addresses")
            .unwrap()
            .items()
            .unwrap();
        items
            .iter()
            .map(|a| a.read().unwrap().email.clone())
            .collect()
    };
    assert_eq!(names(jack), ["a1"]);
    assert_eq!(names(&wendy), ["b1"]);
    session.commit().unwrap();
    assert_eq!(
        rows(witness, "SELECT email, user_id FROM addresses ORDER BY id"),
        ["[Text(\"a1\"), Integer(1)]", "[Text(\"b1\"), Integer(2)]"]
    );
}
