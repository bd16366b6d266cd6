//! A property of relationships and the flush: random sequences of append / move / remove /
//! flush / commit / rollback on `User.addresses` (one-to-many, backref, delete-orphan) keep
//! the collections, the references and SQLite in agreement. After a flush the session's own
//! transaction holds, for each persistent user, exactly the addresses its collection holds,
//! each row keyed to it; after a commit a second engine sees the same; after a rollback the
//! collections load again what the last commit left.

#[path = "relationships_common/mod.rs"]
mod relationships_common;

use std::collections::BTreeMap;

use hooks_orm::ObjectState;
use proptest::prelude::*;
use relationships_common::*;

#[derive(Debug, Clone)]
enum Op {
    /// A new address appended to user `i`'s collection.
    Append(usize),
    /// Address `j` moved to user `i` by setting its reference (the backref updates both
    /// collections).
    Move(usize, usize),
    /// Address `j` removed from its user's collection: an orphan, deleted at the flush.
    Remove(usize),
    Flush,
    Commit,
    Rollback,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => any::<usize>().prop_map(Op::Append),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(j, i)| Op::Move(j, i)),
        1 => any::<usize>().prop_map(Op::Remove),
        2 => Just(Op::Flush),
        2 => Just(Op::Commit),
        1 => Just(Op::Rollback),
    ]
}

/// user id → the emails its collection holds, sorted (loading what is not loaded).
fn collections(users: &[Obj<User>]) -> BTreeMap<i64, Vec<String>> {
    users
        .iter()
        .map(|u| {
            let items = u
                .collection::<Address>("addresses")
                .unwrap()
                .items()
                .unwrap();
            let mut emails: Vec<String> = items
                .iter()
                .map(|a| a.read().unwrap().email.clone())
                .collect();
            emails.sort();
            (u.read().unwrap().id.unwrap(), emails)
        })
        .collect()
}

/// user id → the emails of the address rows keyed to it, from `rows` of `[user_id, email]`.
fn keyed(rows: &[(i64, String)], users: &[Obj<User>]) -> BTreeMap<i64, Vec<String>> {
    users
        .iter()
        .map(|u| {
            let id = u.read().unwrap().id.unwrap();
            let mut emails: Vec<String> = rows
                .iter()
                .filter(|(k, _)| *k == id)
                .map(|(_, e)| e.clone())
                .collect();
            emails.sort();
            (id, emails)
        })
        .collect()
}

fn in_transaction(session: &Session) -> Vec<(i64, String)> {
    let result = session
        .execute(
            "SELECT user_id, email FROM addresses WHERE user_id IS NOT NULL",
            (),
        )
        .unwrap();
    result
        .rows()
        .iter()
        .map(|r| (r.get::<i64>(0).unwrap(), r.get::<String>(1).unwrap()))
        .collect()
}

fn committed(witness: &Engine) -> Vec<(i64, String)> {
    let conn = witness.connect().unwrap();
    let result = conn
        .exec_driver_sql(
            "SELECT user_id, email FROM addresses WHERE user_id IS NOT NULL",
            (),
        )
        .unwrap();
    let rows = result
        .rows()
        .iter()
        .map(|r| (r.get::<i64>(0).unwrap(), r.get::<String>(1).unwrap()))
        .collect();
    conn.rollback().unwrap();
    rows
}

/// The addresses still in some collection: the ones that may be moved or removed.
fn members(users: &[Obj<User>]) -> Vec<(usize, Obj<Address>)> {
    users
        .iter()
        .enumerate()
        .flat_map(|(i, u)| {
            let items = u
                .collection::<Address>("addresses")
                .unwrap()
                .items()
                .unwrap();
            items.into_iter().map(move |a| (i, a))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn collections_references_and_sqlite_agree(ops in prop::collection::vec(op(), 1..20)) {
        let (_registry, session, witness) = database("relationship_property");
        let users: Vec<Obj<User>> = ["jack", "wendy", "ed"].iter().map(|n| user(n)).collect();
        for u in &users {
            session.add(u).unwrap();
        }
        session.commit().unwrap();
        let mut next = 0;
        for op in ops {
            match op {
                Op::Append(i) => {
                    next += 1;
                    let a = address(&format!("a{next}"));
                    users[i % users.len()].collection::<Address>("addresses").unwrap().append(&a).unwrap();
                }
                Op::Move(j, i) => {
                    let all = members(&users);
                    if !all.is_empty() {
                        let (_, a) = &all[j % all.len()];
                        a.reference::<User>("user").unwrap().set(Some(&users[i % users.len()])).unwrap();
                    }
                }
                Op::Remove(j) => {
                    let all = members(&users);
                    if !all.is_empty() {
                        let (owner, a) = &all[j % all.len()];
                        users[*owner].collection::<Address>("addresses").unwrap().remove(a).unwrap();
                    }
                }
                Op::Flush => {
                    session.flush().unwrap();
                    prop_assert_eq!(keyed(&in_transaction(&session), &users), collections(&users));
                }
                Op::Commit => {
                    session.commit().unwrap();
                    prop_assert_eq!(keyed(&committed(&witness), &users), collections(&users));
                }
                Op::Rollback => {
                    session.rollback().unwrap();
                    prop_assert!(users.iter().all(|u| u.object_state() == ObjectState::Persistent));
                    prop_assert_eq!(keyed(&committed(&witness), &users), collections(&users));
                }
            }
        }
        session.commit().unwrap();
        prop_assert_eq!(keyed(&committed(&witness), &users), collections(&users));
        let orphans = rows(&witness, "SELECT email FROM addresses WHERE user_id IS NULL");
        prop_assert!(orphans.is_empty(), "delete-orphan left {:?}", orphans);
    }
}
