//! A property of the flush: random sequences of add / modify / delete / flush / commit /
//! rollback keep SQLite and the session in agreement (SQLAlchemy's `test_transaction.py`
//! restore-on-rollback behaviour, generalised). After a flush the session's own
//! transaction holds exactly its persistent objects' rows; after a commit a second engine
//! sees them; after a rollback the objects are what the last commit left (the ones inserted
//! since are transient, the ones deleted since persistent again, the rest reloaded).

mod object_trace;

use std::collections::BTreeMap;

use hooks_orm::{Obj, ObjectState};
use object_trace::{User, committed, database, user};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Add(String),
    /// Re-add a transient object (one a rollback sent back).
    Readd(usize),
    Modify(usize, String),
    Delete(usize),
    Flush,
    Commit,
    Rollback,
}

fn op() -> impl Strategy<Value = Op> {
    let name = "[a-e]{1,3}";
    prop_oneof![
        3 => name.prop_map(Op::Add),
        1 => any::<usize>().prop_map(Op::Readd),
        3 => (any::<usize>(), name).prop_map(|(i, n)| Op::Modify(i, n)),
        2 => any::<usize>().prop_map(Op::Delete),
        2 => Just(Op::Flush),
        2 => Just(Op::Commit),
        1 => Just(Op::Rollback),
    ]
}

/// The persistent objects' rows, `id → name`, read through the objects (reloading).
fn persistent_rows(objects: &[Obj<User>]) -> BTreeMap<i64, String> {
    objects
        .iter()
        .filter(|o| o.object_state() == ObjectState::Persistent)
        .map(|o| {
            let u = o.read().unwrap();
            (u.id.unwrap(), u.name.clone())
        })
        .collect()
}

fn rows_of(lines: Vec<String>) -> BTreeMap<i64, String> {
    // Lines are `[Integer(id), Text("name")]`.
    lines
        .into_iter()
        .map(|line| {
            let id = line["[Integer(".len()..line.find(')').unwrap()]
                .parse()
                .unwrap();
            let start = line.find("Text(\"").unwrap() + "Text(\"".len();
            let name = line[start..line.rfind("\")").unwrap()].to_owned();
            (id, name)
        })
        .collect()
}

fn pick(objects: &[Obj<User>], i: usize, state: ObjectState) -> Option<&Obj<User>> {
    let candidates: Vec<&Obj<User>> = objects
        .iter()
        .filter(|o| o.object_state() == state)
        .collect();
    (!candidates.is_empty()).then(|| candidates[i % candidates.len()])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_flush_keeps_sqlite_and_the_identity_map_in_agreement(ops in prop::collection::vec(op(), 1..24)) {
        let db = database("property");
        let session = &db.session;
        let mut objects: Vec<Obj<User>> = Vec::new();
        let mut last_commit: BTreeMap<i64, String> = BTreeMap::new();
        for op in ops {
            match op {
                Op::Add(name) => {
                    let u = user(&name);
                    session.add(&u).unwrap();
                    objects.push(u);
                }
                Op::Readd(i) => {
                    if let Some(u) = pick(&objects, i, ObjectState::Transient) {
                        session.add(u).unwrap();
                    }
                }
                Op::Modify(i, name) => {
                    let live: Vec<&Obj<User>> = objects
                        .iter()
                        .filter(|o| matches!(o.object_state(), ObjectState::Pending | ObjectState::Persistent))
                        .collect();
                    if !live.is_empty() {
                        live[i % live.len()].set_attr("name", name).unwrap();
                    }
                }
                Op::Delete(i) => {
                    if let Some(u) = pick(&objects, i, ObjectState::Persistent) {
                        session.delete(u).unwrap();
                    }
                }
                Op::Flush => {
                    session.flush().unwrap();
                    let in_tx = session.execute("SELECT id, name FROM users ORDER BY id", ()).unwrap();
                    let lines = in_tx.rows().iter().map(|r| format!("{:?}", r.values())).collect();
                    prop_assert_eq!(rows_of(lines), persistent_rows(&objects));
                }
                Op::Commit => {
                    session.commit().unwrap();
                    last_commit = rows_of(committed(&db, "SELECT id, name FROM users ORDER BY id"));
                    prop_assert_eq!(&last_commit, &persistent_rows(&objects));
                    prop_assert!(objects.iter().all(|o| o.object_state() != ObjectState::Deleted));
                }
                Op::Rollback => {
                    // Without a transaction, rollback is a no-op (pending objects stay).
                    let began = session.in_transaction();
                    session.rollback().unwrap();
                    prop_assert_eq!(&persistent_rows(&objects), &last_commit);
                    prop_assert!(objects.iter().all(|o| o.object_state() != ObjectState::Deleted));
                    if began {
                        prop_assert!(session.new_objects().is_empty());
                        prop_assert!(session.deleted().is_empty());
                    }
                }
            }
        }
        session.commit().unwrap();
        let last = rows_of(committed(&db, "SELECT id, name FROM users ORDER BY id"));
        prop_assert_eq!(last, persistent_rows(&objects));
    }
}

/// The case the property found: an object inserted by a rolled-back transaction kept the key
/// SQLite gave its row, so re-adding it after another object took that key failed with
/// "UNIQUE constraint failed". The rollback takes the generated key back with the row.
#[test]
fn a_rolled_back_insert_gives_its_generated_key_back() {
    let db = database("rolled_back_key");
    let session = &db.session;
    let first = user("a");
    session.add(&first).unwrap();
    session.flush().unwrap();
    assert_eq!(first.read().unwrap().id, Some(1));
    session.rollback().unwrap();
    assert_eq!(first.object_state(), ObjectState::Transient);
    assert_eq!(first.read().unwrap().id, None);
    let second = user("b");
    session.add(&second).unwrap();
    session.add(&first).unwrap();
    session.commit().unwrap();
    assert_eq!(second.read().unwrap().id, Some(1));
    assert_eq!(first.read().unwrap().id, Some(2));
    assert_eq!(
        committed(&db, "SELECT id, name FROM users ORDER BY id"),
        ["[Integer(1), Text(\"b\")]", "[Integer(2), Text(\"a\")]"]
    );
}

/// The second case the property found: an object inserted and deleted by the same
/// transaction was restored to persistent by its rollback, beside the object whose key SQLite
/// had reused, so two persistent objects claimed one key. It goes back to transient.
#[test]
fn a_rollback_sends_an_object_inserted_and_deleted_in_it_back_to_transient() {
    let db = database("inserted_and_deleted");
    let session = &db.session;
    let first = user("a");
    session.add(&first).unwrap();
    session.commit().unwrap();
    session.delete(&first).unwrap();
    session.flush().unwrap();
    let second = user("a2");
    session.add(&second).unwrap();
    session.flush().unwrap();
    // SQLite reuses the deleted row's key.
    assert_eq!(second.read().unwrap().id, Some(1));
    session.delete(&second).unwrap();
    session.flush().unwrap();
    session.rollback().unwrap();
    assert_eq!(first.object_state(), ObjectState::Persistent);
    assert_eq!(second.object_state(), ObjectState::Transient);
    assert_eq!(second.read().unwrap().id, None);
    first.set_attr("name", "b".to_owned()).unwrap();
    session.commit().unwrap();
    assert_eq!(
        committed(&db, "SELECT id, name FROM users ORDER BY id"),
        ["[Integer(1), Text(\"b\")]"]
    );
}
