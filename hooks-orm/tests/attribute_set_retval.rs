//! Attribute events, modelled on SQLAlchemy's `test/orm/test_attributes.py` listener tests
//! (`ListenerTest.test_receive_changes`, `test_named`, the `retval=True` set listeners): the
//! exact calls of `set` and `modified` for every write of `Obj::write_attribute`, the value a
//! `retval` chain stores, a veto that stores nothing (SQLite the witness), the old value of an
//! expired attribute reloaded first. Each test has a class of its own: class listeners are
//! process-wide and the tests run in parallel.
//!
//! This binary: `set` with `retval`: the old value, the chain, what is stored and written.

#[path = "attribute_common/mod.rs"]
mod attribute_common;

use attribute_common::*;

/// `test_receive_changes` with a `retval` listener: each write fires `set` with the old value
/// (class listeners in order, each seeing the previous one's value), then `modified`; the
/// value the chain returned is what is stored and what the INSERT writes. `set` writes only the
/// columns that changed, in column order.
#[test]
fn set_fires_before_the_store_with_the_old_value_and_its_retval_is_what_is_stored() {
    let (_registry, session, witness) = database::<Phone>("retval");
    let trace = Trace::default();
    let t = trace.clone();
    let _strip = ae::set
        .listen_retval(
            Class::<Phone>::new(),
            Modifiers::NONE,
            move |target, value, _, i| {
                let obj = target.downcast_ref::<Obj<Phone>>().unwrap();
                // No lock is held: the listener may read the object.
                let current = obj.value(i.key).unwrap();
                push(&t, format!("strip {}: {current:?}", i.key));
                Ok(match value {
                    Value::Text(s) => Value::Text(s.chars().filter(char::is_ascii_digit).collect()),
                    other => other.clone(),
                })
            },
        )
        .unwrap();
    let _record = record::<Phone>(&trace);
    let phone = Obj::new(Phone {
        id: None,
        number: "1".into(),
        label: "home".into(),
    });

    phone.set_attr("number", "555-12 34").unwrap();
    assert_eq!(
        take(&trace),
        [
            "strip number: Text(\"1\")",
            "class set Phone.number Replace Text(\"5551234\") <- Text(\"1\")",
            "class modified Phone.number Modified",
            "Mapper modified Phone.number Modified",
        ]
    );
    assert_eq!(phone.read().unwrap().number, "5551234");

    phone
        .set(|p| {
            p.label = "work 1".into();
            p.number = "(0) 9".into();
        })
        .unwrap();
    assert_eq!(
        take(&trace),
        [
            "strip number: Text(\"5551234\")",
            "class set Phone.number Replace Text(\"09\") <- Text(\"5551234\")",
            "class modified Phone.number Modified",
            "Mapper modified Phone.number Modified",
            "strip label: Text(\"home\")",
            "class set Phone.label Replace Text(\"1\") <- Text(\"home\")",
            "class modified Phone.label Modified",
            "Mapper modified Phone.label Modified",
        ]
    );
    session.add(&phone).unwrap();
    session.commit().unwrap();
    assert_eq!(
        rows(&witness, "SELECT id, number, label FROM phones"),
        ["[Integer(1), Text(\"09\"), Text(\"1\")]"]
    );
}
