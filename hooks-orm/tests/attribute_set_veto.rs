//! Attribute events, modelled on SQLAlchemy's `test/orm/test_attributes.py` listener tests
//! (`ListenerTest.test_receive_changes`, `test_named`, the `retval=True` set listeners): the
//! exact calls of `set` and `modified` for every write of `Obj::write_attribute`, the value a
//! `retval` chain stores, a veto that stores nothing (SQLite the witness), the old value of an
//! expired attribute reloaded first. Each test has a class of its own: class listeners are
//! process-wide and the tests run in parallel.
//!
//! This binary: A `set` veto: nothing stored, the listener's error returned, SQLite unchanged.

#[path = "attribute_common/mod.rs"]
mod attribute_common;

use attribute_common::*;

/// A `set` listener's `Err` vetoes the write: nothing stored, not modified, `modified` not
/// fired, the caller gets `SessionError::Listener { event: "set" }`; a `Mapper`-type listener
/// after the veto does not run. SQLite holds the value from before.
#[test]
fn a_vetoed_set_stores_nothing_and_returns_the_listeners_error() {
    let (_registry, session, witness) = database::<Vetoed>("veto");
    let trace = Trace::default();
    let _record = record::<Vetoed>(&trace);
    let _veto = ae::set
        .listen(Class::<Vetoed>::new(), |_, value, _, _| match value {
            Value::Text(s) if s.is_empty() => Err(ListenerError::new("an empty phone number")),
            _ => Ok(()),
        })
        .unwrap();
    let t = trace.clone();
    let _after = ae::set
        .listen(Class::<Mapper>::new(), move |_, value, _, i| {
            if i.class == "Vetoed" {
                push(&t, line("set", "Mapper", i, &format!(" {value:?}")));
            }
            Ok(())
        })
        .unwrap();
    let v = Obj::new(Vetoed {
        id: None,
        number: "12".into(),
    });
    session.add(&v).unwrap();
    session.commit().unwrap();
    assert_eq!(
        take(&trace).len(),
        0,
        "construction and the flush write through no event"
    );

    let error = v.set_attr("number", "").unwrap_err();
    assert!(
        matches!(&error, SessionError::Listener { event: "set", source } if source.to_string() == "an empty phone number"),
        "{error:?}"
    );
    assert_eq!(
        take(&trace),
        ["class set Vetoed.number Replace Text(\"\") <- Text(\"12\")"]
    );
    assert_eq!(v.read().unwrap().number, "12");
    assert!(!v.history("number").unwrap().has_changes());
    session.commit().unwrap();
    assert_eq!(
        rows(&witness, "SELECT id, number FROM vetoed"),
        ["[Integer(1), Text(\"12\")]"]
    );

    v.set_attr("number", "34").unwrap();
    assert_eq!(
        take(&trace),
        [
            "class set Vetoed.number Replace Text(\"34\") <- Text(\"12\")",
            "Mapper set Vetoed.number Replace Text(\"34\")",
            "class modified Vetoed.number Modified",
            "Mapper modified Vetoed.number Modified",
        ]
    );
    session.commit().unwrap();
    assert_eq!(
        rows(&witness, "SELECT id, number FROM vetoed"),
        ["[Integer(1), Text(\"34\")]"]
    );
}
