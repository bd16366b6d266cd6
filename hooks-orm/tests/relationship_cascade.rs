//! Cascades, modelled on SQLAlchemy's `test/orm/test_cascade.py` (`O2MCascadeDeleteOrphanTest`,
//! `O2MCascadeDeleteNoOrphanTest`): save-update on `add`, delete, delete-orphan, and without
//! them a NULL foreign key for a removed child or the children of a deleted parent. SQLite
//! with `PRAGMA foreign_keys = ON` is the witness: it refuses a child inserted before its
//! parent or a parent deleted before its children, so every flush here also checks the
//! order. No class-level listener: the tests share this binary.

#[path = "relationships_common/mod.rs"]
mod relationships_common;

use relationships_common::*;

use hooks_orm::{ObjectState, mapper_events};

fn seeded(test: &str) -> (Registry, Session, Engine, Obj<User>, [Obj<Address>; 2]) {
    let (registry, session, witness) = database(test);
    let (jack, a1, a2) = (user("jack"), address("a1"), address("a2"));
    let addresses = jack.collection::<Address>("addresses").unwrap();
    addresses.append(&a1).unwrap();
    addresses.append(&a2).unwrap();
    // Save-update: adding the parent adds the children it holds.
    session.add(&jack).unwrap();
    assert!(session.contains(&a1) && session.contains(&a2));
    session.commit().unwrap();
    (registry, session, witness, jack, [a1, a2])
}

fn addresses(witness: &Engine) -> Vec<String> {
    rows(witness, "SELECT email, user_id FROM addresses ORDER BY id")
}

#[test]
fn sqlite_enforces_the_foreign_keys_the_derive_declares() {
    let (_registry, session, witness, _jack, _) = seeded("enforced");
    let on = session.execute("PRAGMA foreign_keys", ()).unwrap();
    assert_eq!(on.scalar().and_then(Value::as_i64), Some(1));
    let refused = session.execute(
        "INSERT INTO addresses (email, user_id) VALUES ('x', 99)",
        (),
    );
    assert!(refused.is_err(), "{refused:?}");
    session.rollback().unwrap();
    let ddl = rows(
        &witness,
        "SELECT sql FROM sqlite_master WHERE name = 'addresses'",
    );
    assert!(
        ddl[0].contains(r#"\"user_id\" INTEGER REFERENCES \"users\" (\"id\")"#),
        "{ddl:?}"
    );
}

#[test]
fn deleting_a_parent_deletes_its_children_first() {
    let (registry, session, witness, _, _) = seeded("delete");
    let trace = Trace::default();
    let t = trace.clone();
    let _deletes = mapper_events::before_delete
        .listen(&registry, move |mapper, _, target| {
            push(
                &t,
                format!("before_delete {} {}", mapper.table(), name(target)),
            );
            Ok(())
        })
        .unwrap();
    let fresh = Session::with_options(
        session.engine(),
        hooks_orm::SessionOptions::new().registry(&registry),
    );
    let jack = fresh.get::<User>(1).unwrap().unwrap();
    fresh.delete(&jack).unwrap();
    assert_eq!(
        fresh.deleted().len(),
        3,
        "the collection was loaded and cascaded"
    );
    fresh.commit().unwrap();
    assert_eq!(
        take(&trace),
        [
            "before_delete addresses a1",
            "before_delete addresses a2",
            "before_delete users jack",
        ]
    );
    assert_eq!(addresses(&witness), Vec::<String>::new());
    assert_eq!(
        rows(&witness, "SELECT count(*) FROM users"),
        ["[Integer(0)]"]
    );
}

#[test]
fn a_child_removed_from_a_delete_orphan_collection_is_deleted_at_the_flush() {
    let (_registry, session, witness, jack, [a1, _a2]) = seeded("orphan");
    jack.collection::<Address>("addresses")
        .unwrap()
        .remove(&a1)
        .unwrap();
    assert_eq!(a1.reference::<User>("user").unwrap().get().unwrap(), None);
    session.commit().unwrap();
    assert_eq!(addresses(&witness), ["[Text(\"a2\"), Integer(1)]"]);
    assert_eq!(a1.object_state(), ObjectState::Detached);
}

#[test]
fn an_orphan_appended_to_another_parent_is_moved_not_deleted() {
    let (_registry, session, witness, jack, [a1, _a2]) = seeded("adopted");
    jack.collection::<Address>("addresses")
        .unwrap()
        .remove(&a1)
        .unwrap();
    let wendy = user("wendy");
    session.add(&wendy).unwrap();
    wendy
        .collection::<Address>("addresses")
        .unwrap()
        .append(&a1)
        .unwrap();
    session.commit().unwrap();
    assert_eq!(
        addresses(&witness),
        ["[Text(\"a1\"), Integer(2)]", "[Text(\"a2\"), Integer(1)]"]
    );
}

#[test]
fn removing_a_non_member_is_a_typed_error() {
    let (_registry, _session, _witness, jack, _) = seeded("not_member");
    let error = jack
        .collection::<Address>("addresses")
        .unwrap()
        .remove(&address("stranger"))
        .unwrap_err();
    assert_eq!(error.to_string(), "the object is not in `User.addresses`");
    let error = jack.collection::<Note>("addresses").err().unwrap();
    assert_eq!(
        error.to_string(),
        "`User.addresses` holds `Address` objects"
    );
    let error = jack.collection::<Address>("phones").err().unwrap();
    assert_eq!(
        error.to_string(),
        "`User` has no collection relationship `phones`"
    );
}

fn folder_with_notes(session: &Session) -> (Obj<Folder>, Obj<Note>, Obj<Note>) {
    let (inbox, n1, n2) = (folder("inbox"), note("n1"), note("n2"));
    session.add(&inbox).unwrap();
    let notes = inbox.collection::<Note>("notes").unwrap();
    notes.append(&n1).unwrap();
    notes.append(&n2).unwrap();
    session.commit().unwrap();
    (inbox, n1, n2)
}

#[test]
fn without_delete_orphan_a_removed_child_keeps_its_row_with_a_null_key() {
    let (_registry, session, witness) = database("null_key");
    let (inbox, n1, _n2) = folder_with_notes(&session);
    inbox
        .collection::<Note>("notes")
        .unwrap()
        .remove(&n1)
        .unwrap();
    session.commit().unwrap();
    assert_eq!(
        rows(&witness, "SELECT text, folder_id FROM notes ORDER BY id"),
        ["[Text(\"n1\"), Null]", "[Text(\"n2\"), Integer(1)]"]
    );
    assert_eq!(n1.object_state(), ObjectState::Persistent);
}

#[test]
fn without_delete_cascade_the_children_of_a_deleted_parent_get_a_null_key() {
    let (registry, session, witness) = database("orphaned_by_delete");
    folder_with_notes(&session);
    let fresh = Session::with_options(
        session.engine(),
        hooks_orm::SessionOptions::new().registry(&registry),
    );
    let inbox = fresh.get::<Folder>(1).unwrap().unwrap();
    fresh.delete(&inbox).unwrap();
    fresh.commit().unwrap();
    assert_eq!(
        rows(&witness, "SELECT text, folder_id FROM notes ORDER BY id"),
        ["[Text(\"n1\"), Null]", "[Text(\"n2\"), Null]"]
    );
    assert_eq!(
        rows(&witness, "SELECT count(*) FROM folders"),
        ["[Integer(0)]"]
    );
}
