//! The unit-of-work flush, modelled on SQLAlchemy's `test/orm/test_events.py`
//! (`MapperEventsTest.test_basic`, `test_before_flush_affects_flush_plan`,
//! `test_reentrant_flush`) and `test/orm/test_transaction.py`: the exact sequence of
//! session, persistence and Core events with the SQL sent to SQLite, and a second engine on
//! the same file as the witness of what was committed.

mod object_trace;

use std::sync::Arc;

use hooks_orm::{
    ListenerError, Obj, ObjectState, SessionError, mapper_events as me, session_events as se,
};
use object_trace::{Audit, Labels, User, committed, database, named, push, take, traced, user};

const USERS: &str = "SELECT id, name, phone FROM users ORDER BY id";

/// `test_basic`: one object through add → flush → commit (expire) → get → modify → flush →
/// delete → flush → commit, every event in order, the rows as SQLite holds them after each
/// commit.
#[test]
fn test_basic_one_object_through_its_whole_life() {
    let db = database("test_basic");
    let labels = Labels::default();
    let trace = traced(&db, &labels);
    let u = named(&labels, "u1");

    db.session.add(&u).unwrap();
    assert_eq!(u.object_state(), ObjectState::Pending);
    db.session.flush().unwrap();
    assert_eq!(
        take(&trace),
        [
            "before_attach u1",
            "after_attach u1",
            "transient_to_pending u1",
            "before_flush",
            "after_transaction_create root",
            "core engine_connect",
            "core begin",
            "after_begin root",
            "before_insert u1",
            "sql INSERT INTO users (name, phone) VALUES (?, ?)",
            "after_insert u1",
            "after_flush",
            "pending_to_persistent u1",
            "after_flush_postexec",
        ]
    );
    assert_eq!(u.read().unwrap().id, Some(1));
    assert_eq!(u.object_state(), ObjectState::Persistent);

    db.session.commit().unwrap();
    assert_eq!(
        take(&trace),
        [
            "before_commit",
            "core commit",
            "after_commit",
            "after_transaction_end root"
        ]
    );
    assert_eq!(committed(&db, USERS), ["[Integer(1), Text(\"u1\"), Null]"]);
    assert!(u.inspect().any_expired(), "the commit expired the object");

    let got = db.session.get::<User>(1).unwrap().unwrap();
    assert!(
        got.ptr_eq(&u),
        "the identity map gives back the same object"
    );
    assert_eq!(
        take(&trace),
        [
            "after_transaction_create root",
            "core engine_connect",
            "core begin",
            "after_begin root",
            "sql SELECT id, name, phone FROM users WHERE id = ?",
        ]
    );

    u.set_attr("name", "u1 changed").unwrap();
    db.session.flush().unwrap();
    assert_eq!(
        take(&trace),
        [
            "before_flush",
            "before_update u1",
            "sql UPDATE users SET name = ? WHERE id = ?",
            "after_update u1",
            "after_flush",
            "after_flush_postexec",
        ]
    );

    db.session.delete(&u).unwrap();
    db.session.flush().unwrap();
    assert_eq!(
        take(&trace),
        [
            "before_flush",
            "before_delete u1",
            "sql DELETE FROM users WHERE id = ?",
            "after_delete u1",
            "after_flush",
            "persistent_to_deleted u1",
            "after_flush_postexec",
        ]
    );
    assert_eq!(u.object_state(), ObjectState::Deleted);
    assert_eq!(committed(&db, USERS), ["[Integer(1), Text(\"u1\"), Null]"]);

    db.session.commit().unwrap();
    assert_eq!(
        take(&trace),
        [
            "before_commit",
            "core commit",
            "after_commit",
            "deleted_to_detached u1",
            "after_transaction_end root",
        ]
    );
    assert_eq!(u.object_state(), ObjectState::Detached);
    assert!(committed(&db, USERS).is_empty());
}

/// SQLAlchemy's batching: three new objects of one class give three `before_insert`, then
/// their INSERTs, then three `after_insert`; `after_insert` fired once per row SQLite wrote.
/// The INSERTs are one `executemany` of three sets, each set's rowid the key of its object
/// (SQLAlchemy sends three statements on SQLite, having no such rowid per set).
#[test]
fn a_batch_fires_every_before_insert_then_its_statements_then_every_after_insert() {
    let db = database("batch");
    let labels = Labels::default();
    let users: Vec<Obj<User>> = ["a", "b", "c"].into_iter().map(user).collect();
    for (u, name) in users.iter().zip(["a", "b", "c"]) {
        labels.name(u, name);
        db.session.add(u).unwrap();
    }
    let trace = traced(&db, &labels);
    db.session.flush().unwrap();
    let lines: Vec<String> = take(&trace)
        .into_iter()
        .filter(|l| l.contains("insert") || l.starts_with("sql"))
        .collect();
    assert_eq!(
        lines,
        [
            "before_insert a",
            "before_insert b",
            "before_insert c",
            "sql INSERT INTO users (name, phone) VALUES (?, ?) ×3",
            "after_insert a",
            "after_insert b",
            "after_insert c",
        ]
    );
    let keys: Vec<Option<i64>> = users.iter().map(|u| u.read().unwrap().id).collect();
    assert_eq!(keys, [Some(1), Some(2), Some(3)]);
    db.session.commit().unwrap();
    assert_eq!(
        committed(&db, "SELECT id, name FROM users ORDER BY id"),
        [
            "[Integer(1), Text(\"a\")]",
            "[Integer(2), Text(\"b\")]",
            "[Integer(3), Text(\"c\")]",
        ]
    );
}

/// `test_before_flush_affects_flush_plan`: an object added in `before_flush` joins this
/// flush, and its row is in the same transaction: a forced rollback leaves neither row.
#[test]
fn an_audit_row_added_in_before_flush_joins_the_flush_and_its_transaction() {
    let db = database("audit");
    let labels = Labels::default();
    let trace = traced(&db, &labels);
    let l = labels.clone();
    se::before_flush
        .listen(&db.session, move |session, _| {
            let audit = Obj::new(Audit {
                id: None,
                note: format!("{} new", session.new_objects().len()),
            });
            l.name(&audit, "audit");
            session.add(&audit).map_err(ListenerError::from_error)
        })
        .unwrap();
    let u = named(&labels, "u1");
    db.session.add(&u).unwrap();
    db.session.flush().unwrap();
    let lines: Vec<String> = take(&trace)
        .into_iter()
        .filter(|l| l.contains("insert") || l.starts_with("sql") || l.contains("to_persistent"))
        .collect();
    assert_eq!(
        lines,
        [
            "before_insert audit",
            "sql INSERT INTO audit (note) VALUES (?)",
            "after_insert audit",
            "before_insert u1",
            "sql INSERT INTO users (name, phone) VALUES (?, ?)",
            "after_insert u1",
            "pending_to_persistent audit",
            "pending_to_persistent u1",
        ]
    );
    db.session.rollback().unwrap();
    assert!(committed(&db, USERS).is_empty());
    assert!(committed(&db, "SELECT * FROM audit").is_empty());
    assert_eq!(u.object_state(), ObjectState::Transient);

    db.session.add(&u).unwrap();
    db.session.commit().unwrap();
    assert_eq!(
        committed(&db, "SELECT note FROM audit"),
        ["[Text(\"1 new\")]"]
    );
    assert_eq!(committed(&db, "SELECT name FROM users"), ["[Text(\"u1\")]"]);
}

/// `test_reentrant_flush`: `flush()` from a flush listener is the typed "already flushing"
/// error, never a deadlock; the outer flush completes.
#[test]
fn flush_inside_a_flush_is_already_flushing() {
    let db = database("reentrant");
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let s = Arc::clone(&seen);
    se::before_flush
        .listen(&db.session, move |session, _| {
            s.lock()
                .unwrap()
                .push(session.flush().map_err(|e| e.to_string()));
            Ok(())
        })
        .unwrap();
    let s = Arc::clone(&seen);
    se::after_flush
        .listen(&db.session, move |session, _| {
            let nested = session.flush();
            assert!(matches!(nested, Err(SessionError::AlreadyFlushing)));
            s.lock().unwrap().push(nested.map_err(|e| e.to_string()));
            Ok(())
        })
        .unwrap();
    db.session.add(&user("u1")).unwrap();
    db.session.flush().unwrap();
    let msg = Err("Session is already flushing".to_owned());
    assert_eq!(*seen.lock().unwrap(), [msg.clone(), msg]);
    db.session.commit().unwrap();
    assert_eq!(committed(&db, "SELECT name FROM users"), ["[Text(\"u1\")]"]);
}

/// A `before_insert` veto aborts the flush: the transaction is rolled back
/// (`after_rollback`), nothing reached the database, the object did not get a key and is
/// transient again; the session needs `rollback()`.
#[test]
fn a_before_insert_veto_leaves_the_database_and_the_object_unchanged() {
    let db = database("veto_insert");
    let labels = Labels::default();
    let u = named(&labels, "u1");
    db.session.add(&u).unwrap();
    me::before_insert
        .listen(&db.registry, |_, _, _| {
            Err(ListenerError::new("no inserts today"))
        })
        .unwrap();
    let trace = traced(&db, &labels);
    let err = db.session.flush().unwrap_err();
    assert!(
        matches!(
            &err,
            SessionError::Listener {
                event: "before_insert",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        take(&trace),
        [
            "before_flush",
            "after_transaction_create root",
            "core engine_connect",
            "core begin",
            "after_begin root",
            "core rollback",
            "after_rollback",
            "pending_to_transient u1",
        ]
    );
    assert_eq!(
        *u.read().unwrap(),
        User {
            id: None,
            name: "u1".into(),
            phone: None
        }
    );
    assert_eq!(u.object_state(), ObjectState::Transient);
    assert!(committed(&db, USERS).is_empty());
    assert!(matches!(
        db.session.execute("SELECT 1", ()),
        Err(SessionError::InvalidState { .. })
    ));
    db.session.rollback().unwrap();
    assert_eq!(
        take(&trace),
        ["after_transaction_end root", "after_soft_rollback root"]
    );
}

/// A `before_update` veto: the row keeps its committed value and the object, expired by
/// the rollback, reloads it.
#[test]
fn a_before_update_veto_leaves_the_row_and_reloads_the_object() {
    let db = database("veto_update");
    let u = user("u1");
    db.session.add(&u).unwrap();
    db.session.commit().unwrap();
    me::before_update
        .listen(&db.registry, |_, _, _| Err(ListenerError::new("read only")))
        .unwrap();
    u.set_attr("name", "changed").unwrap();
    assert!(db.session.flush().is_err());
    db.session.rollback().unwrap();
    assert_eq!(committed(&db, "SELECT name FROM users"), ["[Text(\"u1\")]"]);
    assert_eq!(u.read().unwrap().name, "u1");
    assert_eq!(u.object_state(), ObjectState::Persistent);
}

/// What a `before_insert` or `before_update` listener writes on the object is what the
/// statement writes.
#[test]
fn changes_made_in_before_insert_and_before_update_are_written() {
    let db = database("stamp");
    me::before_insert
        .listen(&db.registry, |_, _, target| {
            if let Some(u) = target.downcast_ref::<Obj<User>>() {
                u.set_attr("phone", "inserted")
                    .map_err(ListenerError::from_error)?;
            }
            Ok(())
        })
        .unwrap();
    me::before_update
        .listen(&db.registry, |_, _, target| {
            let u = target.downcast_ref::<Obj<User>>().expect("a user");
            u.set(|u| u.phone = Some("updated".into()))
                .map_err(ListenerError::from_error)
        })
        .unwrap();
    let u = user("u1");
    db.session.add(&u).unwrap();
    db.session.commit().unwrap();
    assert_eq!(
        committed(&db, "SELECT phone FROM users"),
        ["[Text(\"inserted\")]"]
    );
    u.set_attr("name", "u2").unwrap();
    db.session.commit().unwrap();
    assert_eq!(
        committed(&db, "SELECT name, phone FROM users"),
        ["[Text(\"u2\"), Text(\"updated\")]"]
    );
}

/// The UPDATE sets the changed columns only; a write of the same value makes the object
/// dirty (`before_update` and `after_update` fire) but emits no UPDATE.
#[test]
fn update_sets_only_changed_columns_and_none_for_an_equal_write() {
    let db = database("changed_only");
    let labels = Labels::default();
    let u = named(&labels, "u1");
    db.session.add(&u).unwrap();
    db.session.flush().unwrap();
    let trace = traced(&db, &labels);
    u.set_attr("phone", "555").unwrap();
    assert_eq!(
        u.history("phone").unwrap().added,
        [hooks_sql::Value::from("555")]
    );
    assert_eq!(
        u.history("phone").unwrap().deleted,
        [hooks_sql::Value::Null]
    );
    assert_eq!(db.session.dirty().len(), 1);
    db.session.flush().unwrap();
    assert!(!u.history("phone").unwrap().has_changes());
    u.set_attr("name", "u1").unwrap();
    db.session.flush().unwrap();
    let lines: Vec<String> = take(&trace)
        .into_iter()
        .filter(|l| l.contains("update") || l.starts_with("sql"))
        .collect();
    assert_eq!(
        lines,
        [
            "before_update u1",
            "sql UPDATE users SET phone = ? WHERE id = ?",
            "after_update u1",
            "before_update u1",
            "after_update u1",
        ]
    );
}

/// `after_flush` still sees the pre-flush state: the new object in `new_objects()`, its
/// history not committed; `after_flush_postexec` sees it persistent.
#[test]
fn after_flush_sees_the_pre_flush_state_and_postexec_the_post_flush_state() {
    let db = database("pre_flush");
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let s = Arc::clone(&seen);
    se::after_flush
        .listen(&db.session, move |session, _| {
            let new = session.new_objects();
            let u = new[0].downcast_ref::<Obj<User>>().unwrap();
            let history = u.history("name").unwrap();
            push(
                &s,
                format!("after_flush new={} added={:?}", new.len(), history.added),
            );
            Ok(())
        })
        .unwrap();
    let s = Arc::clone(&seen);
    se::after_flush_postexec
        .listen(&db.session, move |session, _| {
            push(&s, format!("postexec new={}", session.new_objects().len()));
            Ok(())
        })
        .unwrap();
    db.session.add(&user("u1")).unwrap();
    db.session.flush().unwrap();
    assert_eq!(
        take(&seen),
        ["after_flush new=1 added=[Text(\"u1\")]", "postexec new=0"]
    );
}

/// `test_transaction.py`'s savepoint restore: rolling back a nested transaction sends the
/// objects its flushes inserted back to transient and restores the ones they deleted; what
/// the outer transaction flushed before stays, and commits.
#[test]
fn a_savepoint_rollback_restores_only_what_its_flushes_did() {
    let db = database("savepoint");
    let labels = Labels::default();
    let (outer, inner) = (user("outer"), user("inner"));
    labels.name(&outer, "outer");
    labels.name(&inner, "inner");
    db.session.add(&outer).unwrap();
    db.session.flush().unwrap();
    let trace = traced(&db, &labels);
    let savepoint = db.session.begin_nested().unwrap();
    db.session.add(&inner).unwrap();
    db.session.delete(&outer).unwrap();
    db.session.flush().unwrap();
    assert_eq!(outer.object_state(), ObjectState::Deleted);
    take(&trace);
    savepoint.rollback().unwrap();
    let lines: Vec<String> = take(&trace)
        .into_iter()
        .filter(|l| l.ends_with("outer") || l.ends_with("inner") || l.starts_with("after_"))
        .collect();
    assert_eq!(
        lines,
        [
            "after_rollback",
            "persistent_to_transient inner",
            "deleted_to_persistent outer",
            "after_transaction_end nested",
            "after_soft_rollback nested",
        ]
    );
    assert_eq!(inner.object_state(), ObjectState::Transient);
    assert_eq!(outer.object_state(), ObjectState::Persistent);
    db.session.commit().unwrap();
    assert_eq!(
        committed(&db, "SELECT name FROM users"),
        ["[Text(\"outer\")]"]
    );
}

/// A `do_executemany` listener that runs the batch's INSERT itself leaves no rowid per set:
/// the keys are unknown, so the flush fails with a typed error and rolls back: the objects
/// are transient again, with no key, and SQLite holds no row.
#[test]
fn a_batch_whose_rowids_a_listener_kept_fails_the_flush_and_changes_nothing() {
    let db = database("batch_without_rowids");
    hooks_sql::dialect_events::do_executemany
        .listen(&db.engine, |_, _, _, _| Ok(true))
        .unwrap();
    let users: Vec<Obj<User>> = ["a", "b"].into_iter().map(user).collect();
    for u in &users {
        db.session.add(u).unwrap();
    }
    assert!(matches!(
        db.session.flush(),
        Err(SessionError::NullIdentityKey { class: "User" })
    ));
    for u in &users {
        assert_eq!(u.object_state(), ObjectState::Transient);
        assert_eq!(u.read().unwrap().id, None);
    }
    assert!(committed(&db, USERS).is_empty());
}

/// A batch mixing generated and given keys runs as one statement per run of objects that
/// leave out the same columns, in `add` order: each object's key is the row SQLite wrote
/// for it (the generated ones follow the given one, as SQLite's rowids do).
#[test]
fn a_batch_of_generated_and_given_keys_runs_in_add_order_and_keys_each_object() {
    let db = database("batch_mixed_keys");
    let labels = Labels::default();
    let given = Obj::new(User {
        id: Some(10),
        name: "c".into(),
        phone: None,
    });
    let users = [user("a"), user("b"), given, user("d"), user("e")];
    for u in &users {
        db.session.add(u).unwrap();
    }
    let trace = traced(&db, &labels);
    db.session.flush().unwrap();
    let statements: Vec<String> = take(&trace)
        .into_iter()
        .filter(|l| l.starts_with("sql"))
        .collect();
    assert_eq!(
        statements,
        [
            "sql INSERT INTO users (name, phone) VALUES (?, ?) ×2",
            "sql INSERT INTO users (id, name, phone) VALUES (?, ?, ?)",
            "sql INSERT INTO users (name, phone) VALUES (?, ?) ×2",
        ]
    );
    let keys: Vec<Option<i64>> = users.iter().map(|u| u.read().unwrap().id).collect();
    assert_eq!(keys, [Some(1), Some(2), Some(10), Some(11), Some(12)]);
    db.session.commit().unwrap();
    assert_eq!(
        committed(&db, "SELECT id, name FROM users ORDER BY id"),
        [
            "[Integer(1), Text(\"a\")]",
            "[Integer(2), Text(\"b\")]",
            "[Integer(10), Text(\"c\")]",
            "[Integer(11), Text(\"d\")]",
            "[Integer(12), Text(\"e\")]",
        ]
    );
}
