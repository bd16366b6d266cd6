//! The instance events of one object's life, interleaved with the session's, the mapper's and
//! the Core events, modelled on SQLAlchemy's `test/orm/test_events.py`
//! (`MapperEventsTest.test_basic`, whose listener trace reads `init, before_insert,
//! after_insert, expire, refresh, load, before_update, after_update, before_delete,
//! after_delete`): `init` at construction, `expire` after the commit, `refresh` when the
//! expired object is read again (all attributes, or the ones expired), `load` for an object
//! first built from a row, `expire` on rollback, and a `load` listener's error aborting the
//! load. SQLite's statements are the witness of every reload.

mod object_trace;

#[path = "instance_common/mod.rs"]
mod instance_common;

use hooks::Class;
use hooks_orm::{ListenerError, SessionError, instance_events as ie};
use instance_common::record_instance;
use object_trace::{Labels, User, database, named, take, traced};

/// The first commit of `u1`: flushed, committed, then expired.
const ADD_AND_COMMIT: [&str; 19] = [
    "before_attach u1",
    "after_attach u1",
    "transient_to_pending u1",
    "after_transaction_create root",
    "before_commit",
    "before_flush",
    "core engine_connect",
    "core begin",
    "after_begin root",
    "before_insert u1",
    "sql INSERT INTO users (name, phone) VALUES (?, ?)",
    "after_insert u1",
    "after_flush",
    "pending_to_persistent u1",
    "after_flush_postexec",
    "core commit",
    "after_commit",
    "expire u1 all",
    "after_transaction_end root",
];

#[test]
fn init_expire_refresh_load_through_one_object_s_life() {
    let db = database("instance_basic");
    let labels = Labels::default();
    let trace = traced(&db, &labels);
    record_instance::<User>(&trace, &labels);
    let u = named(&labels, "u1");
    assert_eq!(
        take(&trace),
        [
            "first_init User",
            r#"init User {"id": Null, "name": Text("u1"), "phone": Null}"#,
        ]
    );

    db.session.add(&u).unwrap();
    db.session.commit().unwrap();
    assert_eq!(take(&trace), ADD_AND_COMMIT);

    // The expired object read again: one SELECT of every column, then `refresh` of all.
    assert_eq!(
        db.session
            .get::<User>(1)
            .unwrap()
            .unwrap()
            .read()
            .unwrap()
            .name,
        "u1"
    );
    assert_eq!(
        take(&trace),
        [
            "after_transaction_create root",
            "core engine_connect",
            "core begin",
            "after_begin root",
            "sql SELECT id, name, phone FROM users WHERE id = ?",
            "refresh u1 all",
        ]
    );

    // Some attributes expired: `expire` names them, the reload selects and refreshes them.
    db.session.expire_attributes(&u, &["name"]).unwrap();
    assert_eq!(u.read().unwrap().name, "u1");
    assert_eq!(
        take(&trace),
        [
            "expire u1 name",
            "sql SELECT name FROM users WHERE id = ?",
            "refresh u1 name",
        ]
    );

    // `Session::refresh`: everything expired, then reloaded at once.
    db.session.refresh(&u).unwrap();
    assert_eq!(
        take(&trace),
        [
            "expire u1 all",
            "sql SELECT id, name, phone FROM users WHERE id = ?",
            "refresh u1 all",
        ]
    );

    // A modified object rolled back is expired.
    u.set_attr("name", "changed").unwrap();
    db.session.rollback().unwrap();
    let rolled_back = take(&trace);
    assert!(
        rolled_back.contains(&"expire u1 all".to_owned()),
        "{rolled_back:?}"
    );
    assert_eq!(u.read().unwrap().name, "u1", "the reload undid the change");
    take(&trace);

    // After `expunge_all` the row builds a new object: `load`, then `loaded_as_persistent`.
    db.session.expunge_all();
    take(&trace);
    let fresh = db.session.get::<User>(1).unwrap().unwrap();
    assert!(!fresh.ptr_eq(&u));
    assert_eq!(
        take(&trace),
        [
            "sql SELECT id, name, phone FROM users WHERE id = ?",
            "load ?",
            "loaded_as_persistent ?",
        ]
    );

    a_load_listener_s_error_aborts_the_load(&db, &trace);
}

/// A `load` listener's error aborts the load: the caller gets it, named.
fn a_load_listener_s_error_aborts_the_load(db: &object_trace::Db, trace: &object_trace::Trace) {
    let _refuse = ie::load
        .listen(Class::<User>::new(), |_, _| {
            Err(ListenerError::new("no loading today"))
        })
        .unwrap();
    db.session.expunge_all();
    let refused = db.session.get::<User>(1).unwrap_err();
    assert!(
        matches!(&refused, SessionError::Listener { event: "load", .. }),
        "{refused:?}"
    );
    assert!(!take(trace).contains(&"loaded_as_persistent ?".to_owned()));
}
