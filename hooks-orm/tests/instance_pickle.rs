//! `pickle` / `unpickle`, modelled on SQLAlchemy's `test/orm/test_pickled.py` and the
//! `InstanceEvents` pickle listeners of `test_events.py`: `Obj::to_state` writes the columns
//! and the identity key and lets `pickle` listeners add entries; `Obj::from_state` rebuilds
//! the object (detached when it had a key; no `init`) and gives `unpickle` the whole map; the
//! rebuilt object merges back into a session and its change is flushed (SQLite the witness).
//! A state that does not fit the class is a typed error.

mod object_trace;

use std::sync::Arc;

use hooks::Class;
use hooks_orm::{Mapped, Obj, ObjectState, SessionError, instance_events as ie};
use object_trace::{Trace, committed, database_of, push, take};
use serde_json::json;

#[derive(Mapped, Debug)]
#[mapped(table = "files")]
struct File {
    #[column(primary_key)]
    id: Option<i64>,
    name: String,
    size: f64,
}

#[test]
fn pickle_adds_to_the_state_and_unpickle_sees_it_on_the_rebuilt_object() {
    let trace = Trace::default();
    let t = Arc::clone(&trace);
    ie::pickle
        .listen(Class::<File>::new(), move |_, state| {
            push(
                &t,
                format!("pickle {}", serde_json::Value::Object(state.clone())),
            );
            state.insert("saved_by".into(), json!("pickle listener"));
        })
        .unwrap();
    let t = Arc::clone(&trace);
    ie::unpickle
        .listen(Class::<File>::new(), move |target, state| {
            let file = target.downcast_ref::<Obj<File>>().unwrap();
            let name = file.read().unwrap().name.clone();
            push(
                &t,
                format!("unpickle {name} saved_by={}", state["saved_by"]),
            );
        })
        .unwrap();
    let t = Arc::clone(&trace);
    ie::init
        .listen(Class::<File>::new(), move |_, _| push(&t, "init"))
        .unwrap();

    let db = database_of::<File>("pickle");
    let file = Obj::new(File {
        id: None,
        name: "a.txt".into(),
        size: 1.5,
    });
    db.session.add(&file).unwrap();
    db.session.commit().unwrap();
    take(&trace);

    let state = file.to_state().unwrap();
    assert_eq!(
        serde_json::Value::Object(state.clone()),
        json!({
            "columns": {"id": 1, "name": "a.txt", "size": 1.5},
            "identity_key": [1],
            "saved_by": "pickle listener",
        })
    );
    let copy = Obj::<File>::from_state(&state).unwrap();
    assert_eq!(
        take(&trace),
        [
            r#"pickle {"columns":{"id":1,"name":"a.txt","size":1.5},"identity_key":[1]}"#,
            r#"unpickle a.txt saved_by="pickle listener""#,
        ],
        "no init for the rebuilt object"
    );
    assert_eq!(copy.object_state(), ObjectState::Detached);
    assert_eq!(copy.read().unwrap().size.to_bits(), 1.5_f64.to_bits());

    // The rebuilt object goes back into a session: its change is an UPDATE of its row.
    db.session.expunge_all();
    db.session.add(&copy).unwrap();
    copy.set_attr("name", "b.txt").unwrap();
    db.session.commit().unwrap();
    assert_eq!(
        committed(&db, "SELECT id, name FROM files"),
        [r#"[Integer(1), Text("b.txt")]"#]
    );

    // States that describe no `File`: typed errors naming what is wrong.
    let errors = [
        json!({"identity_key": null}),
        json!({"columns": {"id": 1, "name": "x"}}),
        json!({"columns": {"id": 1, "name": "x", "size": [300]}}),
        json!({"columns": {"id": 1, "name": 5, "size": 1.0}}),
        json!({"columns": {"id": null, "name": "x", "size": 1.0}, "identity_key": 7}),
    ]
    .map(|state| {
        let serde_json::Value::Object(state) = state else {
            unreachable!()
        };
        match Obj::<File>::from_state(&state) {
            Err(SessionError::Value(error)) => error.to_string(),
            other => panic!("{other:?}"),
        }
    });
    assert_eq!(
        errors[0],
        "the saved state is not one of a `File`: no `columns` object"
    );
    assert_eq!(
        errors[1],
        "the saved state is not one of a `File`: no column `size`"
    );
    assert_eq!(
        errors[2],
        "the saved state is not one of a `File`: an array that is not bytes"
    );
    assert_eq!(
        errors[3],
        "invalid value type: expected text, found integer"
    );
    assert_eq!(
        errors[4],
        "the saved state is not one of a `File`: `identity_key` is not an array"
    );
}
