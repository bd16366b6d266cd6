//! Attribute events, modelled on SQLAlchemy's `test/orm/test_attributes.py` listener tests
//! (`ListenerTest.test_receive_changes`, `test_named`, the `retval=True` set listeners): the
//! exact calls of `set` and `modified` for every write of `Obj::write_attribute`, the value a
//! `retval` chain stores, a veto that stores nothing (SQLite the witness), the old value of an
//! expired attribute reloaded first. Each test has a class of its own: class listeners are
//! process-wide and the tests run in parallel.
//!
//! This binary: `set` on an expired attribute: the old value is reloaded first.

#[path = "attribute_common/mod.rs"]
mod attribute_common;

use attribute_common::*;

/// `active_history`: the commit expired the object; the write reloads it (the SELECT runs)
/// before `set` fires, so `oldvalue` is the row's value, changed behind the session's back.
#[test]
fn set_on_an_expired_attribute_gets_the_reloaded_old_value() {
    let (_registry, session, witness) = database::<Expiring>("expired");
    let trace = Trace::default();
    let _record = record::<Expiring>(&trace);
    let e = Obj::new(Expiring {
        id: None,
        number: "1".into(),
    });
    session.add(&e).unwrap();
    session.commit().unwrap();
    let conn = witness.connect().unwrap();
    conn.exec_driver_sql("UPDATE expiring SET number = 'from elsewhere'", ())
        .unwrap();
    conn.commit().unwrap();
    assert!(e.inspect().any_expired());

    e.set_attr("number", "2").unwrap();
    assert_eq!(
        take(&trace),
        [
            "class set Expiring.number Replace Text(\"2\") <- Text(\"from elsewhere\")",
            "class modified Expiring.number Modified",
            "Mapper modified Expiring.number Modified",
        ]
    );
}
