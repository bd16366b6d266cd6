//! A whole-collection assignment, modelled on SQLAlchemy's `CollectionInitTest` and the
//! bulk-replace listener tests of `test/orm/test_attributes.py`: `bulk_replace` first, with
//! the new members (a listener may change them in place; with `include_key` it gets their
//! indices), then `init_collection` for the new collection, `append_wo_mutation` for a kept
//! member and `append` for a new one, `remove` for a dropped one, all with the bulk
//! replace's initiator, and `dispose_collection` with the old members last. SQLite
//! witnesses the result: the dropped child is an orphan and deleted at the flush.

#[path = "relationships_common/mod.rs"]
mod relationships_common;

use relationships_common::*;

#[test]
fn bulk_replace_fires_before_the_per_member_events_and_dispose_comes_last() {
    let (_registry, session, witness) = database("bulk_replace");
    let (jack, a1, a2, a3, a4) = (
        user("jack"),
        address("a1"),
        address("a2"),
        address("a3"),
        address("a4"),
    );
    session.add(&jack).unwrap();
    let addresses = jack.collection::<Address>("addresses").unwrap();
    addresses.append(&a1).unwrap();
    addresses.append(&a2).unwrap();
    session.commit().unwrap();

    let trace = Trace::default();
    let t = trace.clone();
    let extra = a4.clone();
    let _add_a4 = ae::bulk_replace
        .listen_with(
            Class::<User>::new(),
            Modifiers::NONE.custom("include_key").unwrap(),
            move |_, values, keys, _| {
                push(&t, format!("keyed bulk_replace keys={keys:?}"));
                values.push(Box::new(extra.clone()));
            },
        )
        .unwrap();
    let _users = record::<User>(&trace);
    let _addresses = record::<Address>(&trace);

    addresses.replace(vec![a2.clone(), a3.clone()]).unwrap();
    assert_eq!(
        take(&trace),
        [
            "keyed bulk_replace keys=Some([0, 1])",
            "jack bulk_replace [\"a2\", \"a3\", \"a4\"] None [User.addresses BulkReplace]",
            // The commit expired the collection: the old one loads, then the new one is made.
            "jack init_collection addresses",
            "jack init_collection addresses",
            "jack append_wo_mutation a2 None [User.addresses BulkReplace]",
            "jack append a3 None [User.addresses BulkReplace]",
            "jack modified [User.addresses Modified]",
            "a3 set_object jack <- None [User.addresses BulkReplace]",
            "a3 modified [Address.user Modified]",
            "jack append a4 None [User.addresses BulkReplace]",
            "jack modified [User.addresses Modified]",
            "a4 set_object jack <- None [User.addresses BulkReplace]",
            "a4 modified [Address.user Modified]",
            "jack remove a1 None [User.addresses BulkReplace]",
            "jack modified [User.addresses Modified]",
            "a1 set_object None <- jack [User.addresses BulkReplace]",
            "a1 modified [Address.user Modified]",
            "jack dispose_collection addresses [\"a1\", \"a2\"]",
        ]
    );
    assert_eq!(addresses.items().unwrap(), [a2, a3, a4]);

    session.commit().unwrap();
    assert_eq!(
        rows(&witness, "SELECT email, user_id FROM addresses ORDER BY id"),
        [
            "[Text(\"a2\"), Integer(1)]",
            "[Text(\"a3\"), Integer(1)]",
            "[Text(\"a4\"), Integer(1)]",
        ],
        "a1, an orphan of a `delete-orphan` collection, was deleted"
    );
}
