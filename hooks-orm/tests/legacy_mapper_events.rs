//! The pre-1.0 `MapperEvents` `translate_row`, `create_instance`, `populate_instance` and
//! `append_result` (SQLAlchemy's `MapperExtension`), fired by the SELECT paths as rows turn
//! into objects, with `EXT_CONTINUE` / `EXT_STOP` as their halting contract. Listeners on
//! the test's own registry.

#![allow(
    deprecated,
    reason = "these tests exercise the deprecated pre-1.0 events"
)]

mod object_trace;

use std::sync::Arc;

use hooks_orm::{
    AnyInstance, Criterion, EXT_CONTINUE, EXT_STOP, Obj, ObjectState, SessionError,
    mapper_events as me,
};
use hooks_sql::Value;
use object_trace::{Audit, Db, Labels, Trace, User, database, push, take, user};

/// Three committed users (ed 1, wendy 2, jack 3); the session's identity map is emptied.
fn three_users(test: &str) -> Db {
    let db = database(test);
    for name in ["ed", "wendy", "jack"] {
        db.session.add(&user(name)).unwrap();
    }
    db.session.commit().unwrap();
    db.session.expunge_all();
    db
}

fn name_of(row: &[Value]) -> String {
    match &row[1] {
        Value::Text(name) => name.clone(),
        other => format!("{other:?}"),
    }
}

fn user_name(target: &AnyInstance) -> String {
    target
        .downcast_ref::<Obj<User>>()
        .map_or("?".into(), |u| u.read().unwrap().name.clone())
}

/// Records the four events, continuing every time.
fn record(db: &Db, trace: &Trace) {
    let t = Arc::clone(trace);
    me::translate_row
        .listen(&db.registry, move |_, _, row| {
            push(&t, format!("translate_row {}", name_of(row)));
            None
        })
        .unwrap();
    let t = Arc::clone(trace);
    me::create_instance
        .listen(&db.registry, move |_, _, row, class| {
            push(
                &t,
                format!("create_instance {} {}", class.class_name, name_of(row)),
            );
            None
        })
        .unwrap();
    let t = Arc::clone(trace);
    me::populate_instance
        .listen(&db.registry, move |_, _, row, _| {
            push(&t, format!("populate_instance {}", name_of(row)));
            EXT_CONTINUE
        })
        .unwrap();
    let t = Arc::clone(trace);
    me::append_result
        .listen(&db.registry, move |_, _, _, target, result| {
            push(
                &t,
                format!("append_result {} after {}", user_name(target), result.len()),
            );
            EXT_CONTINUE
        })
        .unwrap();
}

/// SQLAlchemy's loader order: `translate_row` before the identity lookup; for a new object
/// `create_instance`, `populate_instance`, then `loaded_as_persistent`; `append_result` last.
/// An object already in the identity map skips the creation steps.
#[test]
fn each_row_goes_through_the_four_steps_in_the_loader_s_order() {
    let db = three_users("order");
    let wendy = db.session.get::<User>(2).unwrap().unwrap();
    let labels = Labels::default();
    labels.name(&wendy, "wendy");
    let trace = object_trace::traced(&db, &labels);
    record(&db, &trace);
    let found = db
        .session
        .execute_orm(hooks_orm::select::<User>().filter(Criterion::le("id", 2)))
        .unwrap();
    assert!(found[1].ptr_eq(&wendy));
    let lines: Vec<String> = take(&trace)
        .into_iter()
        .filter(|l| !l.starts_with("sql"))
        .collect();
    assert_eq!(
        lines,
        [
            "translate_row ed",
            "create_instance User ed",
            "populate_instance ed",
            "loaded_as_persistent ?",
            "append_result ed after 0",
            "translate_row wendy",
            "append_result wendy after 1",
        ]
    );
}

#[test]
fn translate_row_replaces_the_row_and_stops_the_chain() {
    let db = three_users("translate");
    let trace = Trace::default();
    me::translate_row
        .listen(&db.registry, |_, _, row| {
            let mut row = row.to_vec();
            row[1] = Value::from(name_of(&row).to_uppercase());
            Some(row)
        })
        .unwrap();
    let t = Arc::clone(&trace);
    me::translate_row
        .listen(&db.registry, move |_, _, _| {
            push(&t, "second listener");
            None
        })
        .unwrap();
    let found = db.session.query::<User>().order_by("id").all().unwrap();
    let names: Vec<String> = found
        .iter()
        .map(|u| u.read().unwrap().name.clone())
        .collect();
    assert_eq!(names, ["ED", "WENDY", "JACK"]);
    assert!(take(&trace).is_empty(), "EXT_STOP: the chain stopped");
    assert!(db.session.dirty().is_empty(), "loaded state, not a change");
}

#[test]
fn create_instance_supplies_the_object_and_populate_instance_may_skip_its_population() {
    let db = three_users("create");
    me::create_instance
        .listen(&db.registry, |_, _, _, _| {
            let made = Obj::new(User {
                id: None,
                name: "made by the listener".into(),
                phone: Some("0".into()),
            });
            Some(Box::new(made) as Box<AnyInstance>)
        })
        .unwrap();
    me::populate_instance
        .listen(&db.registry, |_, _, row, target| {
            // Populates the key only, and stops the default population.
            let obj = target.downcast_ref::<Obj<User>>().unwrap();
            let id = row[0].as_i64().unwrap();
            obj.set(|u| u.id = Some(id)).unwrap();
            EXT_STOP
        })
        .unwrap();
    let found = db
        .session
        .select::<User>()
        .filter("id = ?", [3])
        .all()
        .unwrap();
    let jack = &found[0];
    assert_eq!(jack.read().unwrap().name, "made by the listener");
    assert_eq!(jack.read().unwrap().id, Some(3));
    assert_eq!(jack.object_state(), ObjectState::Persistent);
    assert!(db.session.dirty().is_empty(), "committed as loaded");
    assert!(db.session.get::<User>(3).unwrap().unwrap().ptr_eq(jack));
}

#[test]
fn append_result_may_skip_an_object_or_append_itself() {
    let db = three_users("append");
    me::append_result
        .listen(&db.registry, |_, _, row, target, result| {
            if name_of(row) == "wendy" {
                return EXT_STOP; // left out
            }
            if name_of(row) == "jack" {
                // appended twice: once by the listener, once by the default step
                result.push(Box::new(
                    target.downcast_ref::<Obj<User>>().unwrap().clone(),
                ));
            }
            EXT_CONTINUE
        })
        .unwrap();
    let found = db.session.query::<User>().order_by("id").all().unwrap();
    let names: Vec<String> = found
        .iter()
        .map(|u| u.read().unwrap().name.clone())
        .collect();
    assert_eq!(names, ["ed", "jack", "jack"]);
}

#[test]
fn an_object_of_another_class_is_a_typed_error() {
    let db = three_users("wrong_class");
    me::create_instance
        .listen(&db.registry, |_, _, _, _| {
            let audit = Obj::new(Audit {
                id: None,
                note: "not a user".into(),
            });
            Some(Box::new(audit) as Box<AnyInstance>)
        })
        .unwrap();
    let err = db.session.query::<User>().all().unwrap_err();
    assert!(matches!(
        err,
        SessionError::WrongClass {
            expected: "User",
            from: "create_instance"
        }
    ));
}
