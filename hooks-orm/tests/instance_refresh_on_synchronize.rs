//! `refresh` from an ORM UPDATE's synchronization (SQLAlchemy fires it from
//! `bulk_persistence.py` on each matched loaded object, naming the columns set): the matched
//! objects' `refresh` names the updated columns, after the UPDATE; an unmatched object fires
//! nothing. SQLite's statements are the witness.

mod object_trace;

#[path = "instance_common/mod.rs"]
mod instance_common;

use hooks_orm::{Criterion, Obj, Synchronize};
use instance_common::record_instance;
use object_trace::{Labels, User, database, named, take, traced};

#[test]
fn an_orm_update_refreshes_the_loaded_objects_it_matched() {
    let db = database("refresh_on_synchronize");
    let labels = Labels::default();
    let users: Vec<Obj<User>> = ["ed", "wendy"].iter().map(|n| named(&labels, n)).collect();
    for u in &users {
        db.session.add(u).unwrap();
    }
    db.session.commit().unwrap();
    for u in &users {
        drop(u.read().unwrap());
    }
    let trace = traced(&db, &labels);
    record_instance::<User>(&trace, &labels);

    db.session
        .execute_orm(
            hooks_orm::update::<User>()
                .values([("phone", "555")])
                .filter(Criterion::eq("name", "ed"))
                .synchronize(Synchronize::Evaluate),
        )
        .unwrap();
    let lines: Vec<String> = take(&trace)
        .into_iter()
        .filter(|l| l.starts_with("sql") || l.starts_with("refresh") || l.starts_with("expire"))
        .collect();
    assert_eq!(
        lines,
        [
            "sql UPDATE users SET phone = ? WHERE name = ?",
            "refresh ed phone"
        ]
    );
    assert_eq!(users[0].read().unwrap().phone.as_deref(), Some("555"));
}
