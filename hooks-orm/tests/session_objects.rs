//! The five object states and every transition event, modelled on SQLAlchemy's
//! `test/orm/test_events.py` (`SessionLifecycleEventsTest`): each test drives one object
//! through one transition and asserts the exact events, with SQLite as the witness.

mod object_trace;

use hooks_orm::{ListenerError, Obj, ObjectState, SessionError, session_events as se};
use object_trace::{Labels, User, committed, database, named, take, traced, user};

/// A persistent `u1` (flushed and committed) and the trace, emptied.
fn persistent(test: &str) -> (object_trace::Db, Obj<User>, object_trace::Trace) {
    let db = database(test);
    let labels = Labels::default();
    let u = named(&labels, "u1");
    db.session.add(&u).unwrap();
    db.session.commit().unwrap();
    let trace = traced(&db, &labels);
    (db, u, trace)
}

fn events(trace: &object_trace::Trace) -> Vec<String> {
    take(trace)
        .into_iter()
        .filter(|l| l.ends_with(" u1"))
        .collect()
}

#[test]
fn expunge_of_a_pending_object_is_pending_to_transient() {
    let db = database("pending_expunge");
    let labels = Labels::default();
    let trace = traced(&db, &labels);
    let u = named(&labels, "u1");
    db.session.add(&u).unwrap();
    db.session.expunge(&u).unwrap();
    assert_eq!(
        events(&trace),
        [
            "before_attach u1",
            "after_attach u1",
            "transient_to_pending u1",
            "pending_to_transient u1",
        ]
    );
    assert_eq!(u.object_state(), ObjectState::Transient);
    assert!(matches!(
        db.session.expunge(&u),
        Err(SessionError::NotInSession)
    ));
}

#[test]
fn rollback_sends_pending_objects_back_to_transient() {
    let db = database("pending_rollback");
    let labels = Labels::default();
    let u = named(&labels, "u1");
    db.session.add(&u).unwrap();
    let trace = traced(&db, &labels);
    db.session.execute("SELECT 1", ()).unwrap();
    db.session.rollback().unwrap();
    assert_eq!(
        take(&trace),
        [
            "after_transaction_create root",
            "core engine_connect",
            "core begin",
            "after_begin root",
            "sql SELECT 1",
            "core rollback",
            "after_rollback",
            "pending_to_transient u1",
            "after_transaction_end root",
            "after_soft_rollback root",
        ]
    );
}

#[test]
fn rollback_of_the_insert_is_persistent_to_transient() {
    let db = database("insert_rollback");
    let labels = Labels::default();
    let u = named(&labels, "u1");
    db.session.add(&u).unwrap();
    db.session.flush().unwrap();
    let trace = traced(&db, &labels);
    db.session.rollback().unwrap();
    assert_eq!(events(&trace), ["persistent_to_transient u1"]);
    assert_eq!(u.object_state(), ObjectState::Transient);
    assert!(u.inspect().identity_key().is_none());
    assert!(committed(&db, "SELECT * FROM users").is_empty());
}

#[test]
fn make_transient_is_persistent_to_transient() {
    let (db, u, trace) = persistent("make_transient");
    db.session.make_transient(&u).unwrap();
    assert_eq!(events(&trace), ["persistent_to_transient u1"]);
    assert_eq!(u.object_state(), ObjectState::Transient);
}

#[test]
fn expunge_and_close_are_persistent_to_detached() {
    let (db, u, trace) = persistent("expunge_persistent");
    db.session.expunge(&u).unwrap();
    assert_eq!(events(&trace), ["persistent_to_detached u1"]);
    assert_eq!(u.object_state(), ObjectState::Detached);
    db.session.add(&u).unwrap();
    assert_eq!(
        events(&trace),
        [
            "before_attach u1",
            "after_attach u1",
            "detached_to_persistent u1",
        ]
    );
    db.session.close().unwrap();
    assert_eq!(events(&trace), ["persistent_to_detached u1"]);
    assert!(matches!(
        u.read(),
        Err(SessionError::DetachedInstance { class: "User" })
    ));
}

#[test]
fn delete_of_a_detached_object_attaches_it_first() {
    let (db, u, trace) = persistent("delete_detached");
    db.session.expunge(&u).unwrap();
    take(&trace);
    db.session.delete(&u).unwrap();
    assert_eq!(
        events(&trace),
        [
            "before_attach u1",
            "after_attach u1",
            "detached_to_persistent u1",
        ]
    );
    assert_eq!(db.session.deleted().len(), 1);
    db.session.commit().unwrap();
    assert_eq!(
        events(&trace),
        [
            "before_delete u1",
            "after_delete u1",
            "persistent_to_deleted u1",
            "deleted_to_detached u1",
        ]
    );
    assert!(committed(&db, "SELECT * FROM users").is_empty());
}

#[test]
fn rollback_of_a_flushed_delete_is_deleted_to_persistent() {
    let (db, u, trace) = persistent("delete_rollback");
    db.session.delete(&u).unwrap();
    db.session.flush().unwrap();
    assert_eq!(u.object_state(), ObjectState::Deleted);
    take(&trace);
    db.session.rollback().unwrap();
    assert_eq!(events(&trace), ["deleted_to_persistent u1"]);
    assert_eq!(u.object_state(), ObjectState::Persistent);
    assert_eq!(u.read().unwrap().name, "u1");
    assert_eq!(committed(&db, "SELECT name FROM users"), ["[Text(\"u1\")]"]);
}

#[test]
fn expunge_of_a_deleted_object_is_deleted_to_detached() {
    let (db, u, trace) = persistent("delete_expunge");
    db.session.delete(&u).unwrap();
    db.session.flush().unwrap();
    take(&trace);
    db.session.expunge(&u).unwrap();
    assert_eq!(events(&trace), ["deleted_to_detached u1"]);
    assert_eq!(u.object_state(), ObjectState::Detached);
    assert!(matches!(
        db.session.add(&u),
        Err(SessionError::ObjectDeleted)
    ));
}

#[test]
fn get_loads_a_row_as_persistent_once_and_then_from_the_identity_map() {
    let db = database("get");
    let conn = db.witness.connect().unwrap();
    conn.exec_driver_sql("INSERT INTO users (id, name) VALUES (7, 'seven')", ())
        .unwrap();
    conn.commit().unwrap();
    let seen = object_trace::Trace::default();
    let s = std::sync::Arc::clone(&seen);
    se::loaded_as_persistent
        .listen(&db.session, move |session, instance| {
            let u = instance.downcast_ref::<Obj<User>>().unwrap();
            assert!(session.contains(u), "it is in the identity map already");
            object_trace::push(
                &s,
                format!("loaded_as_persistent {}", u.read().unwrap().name),
            );
        })
        .unwrap();
    let first = db.session.get::<User>(7).unwrap().unwrap();
    let again = db.session.get::<User>(7).unwrap().unwrap();
    assert!(first.ptr_eq(&again));
    assert_eq!(take(&seen), ["loaded_as_persistent seven"]);
    assert_eq!(first.object_state(), ObjectState::Persistent);
    assert!(db.session.get::<User>(8).unwrap().is_none());
}

#[test]
fn a_before_attach_error_keeps_the_object_out() {
    let db = database("attach_refused");
    se::before_attach
        .listen(&db.session, |_, _| Err(ListenerError::new("not here")))
        .unwrap();
    let u = user("u1");
    let err = db.session.add(&u).unwrap_err();
    assert!(matches!(
        err,
        SessionError::Listener {
            event: "before_attach",
            ..
        }
    ));
    assert_eq!(u.object_state(), ObjectState::Transient);
    assert!(db.session.new_objects().is_empty());
}

#[test]
fn an_object_of_another_session_is_refused() {
    let db = database("other_session");
    let other = hooks_orm::Session::with_options(
        &db.engine,
        hooks_orm::SessionOptions::new().registry(&db.registry),
    );
    let u = user("u1");
    other.add(&u).unwrap();
    assert!(matches!(
        db.session.add(&u),
        Err(SessionError::InOtherSession { key: None })
    ));
    assert!(matches!(
        db.session.delete(&u),
        Err(SessionError::NotPersisted)
    ));
}

#[test]
fn merge_copies_a_detached_object_onto_the_session_s_own() {
    let db = database("merge");
    let u = user("u1");
    db.session.add(&u).unwrap();
    db.session.flush().unwrap();
    db.session.expunge(&u).unwrap();
    u.set_attr("name", "merged").unwrap();
    let merged = db.session.merge(&u).unwrap();
    assert!(
        !merged.ptr_eq(&u),
        "the session's own object, loaded by key"
    );
    assert_eq!(u.object_state(), ObjectState::Detached);
    assert_eq!(merged.history("name").unwrap().added.len(), 1);
    let fresh = user("fresh");
    let copy = db.session.merge(&fresh).unwrap();
    assert!(!copy.ptr_eq(&fresh));
    assert_eq!(copy.object_state(), ObjectState::Pending);
    assert_eq!(fresh.object_state(), ObjectState::Transient);
    db.session.commit().unwrap();
    assert_eq!(
        committed(&db, "SELECT name FROM users ORDER BY id"),
        ["[Text(\"merged\")]", "[Text(\"fresh\")]"]
    );
}

/// Bad writes are typed errors that store nothing: an unknown attribute, a value of the
/// wrong type, a column index out of range.
#[test]
fn bad_writes_are_typed_errors_and_store_nothing() {
    let u = user("u1");
    assert!(matches!(
        u.set_attr("nope", 1),
        Err(SessionError::NoSuchAttribute { class: "User", .. })
    ));
    let err = u.set_attr("name", 42).unwrap_err();
    assert!(matches!(err, SessionError::Value(_)), "{err}");
    assert!(matches!(
        u.write_attribute(9, hooks_sql::Value::Null),
        Err(SessionError::Value(_))
    ));
    assert_eq!(u.read().unwrap().name, "u1");
    assert!(!u.inspect().is_modified());
}

#[test]
fn the_identity_map_keeps_arrival_order_through_many_expunges() {
    let db = database("arrival_order");
    let users: Vec<Obj<User>> = (0..100).map(|i| user(&format!("u{i}"))).collect();
    for u in &users {
        db.session.add(u).unwrap();
    }
    db.session.flush().unwrap();
    // 80 expunges: past the point where the map compacts its arrival list.
    let (kept, gone): (Vec<_>, Vec<_>) = users.iter().enumerate().partition(|(i, _)| i % 5 == 0);
    for (_, u) in &gone {
        db.session.expunge(u).unwrap();
    }
    for (_, u) in kept.iter().rev() {
        u.set(|v| v.phone = Some("555".into())).unwrap();
    }
    let name = |instance: &hooks_orm::AnyInstance| {
        let obj = instance.downcast_ref::<Obj<User>>().unwrap();
        obj.read().unwrap().name.clone()
    };
    let dirty: Vec<String> = db.session.dirty().iter().map(|i| name(&**i)).collect();
    let expected: Vec<String> = (0..100).step_by(5).map(|i| format!("u{i}")).collect();
    assert_eq!(dirty, expected);
    // An expunged object's row loads as a new object, which arrives last.
    let again = db.session.get::<User>(users[1].read().unwrap().id.unwrap());
    let again = again.unwrap().unwrap();
    assert!(!Obj::ptr_eq(&again, &users[1]));
    again.set(|v| v.phone = Some("556".into())).unwrap();
    let last = db.session.dirty().last().map(|i| name(&**i));
    assert_eq!(last.as_deref(), Some("u1"));
}
