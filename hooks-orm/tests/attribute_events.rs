//! Attribute events, modelled on SQLAlchemy's `test/orm/test_attributes.py` listener tests
//! (`ListenerTest.test_receive_changes`, `test_named`, the `retval=True` set listeners): the
//! exact calls of `set` and `modified` for every write of `Obj::write_attribute`, the value a
//! `retval` chain stores, a veto that stores nothing (SQLite the witness), the old value of an
//! expired attribute reloaded first. Each test has a class of its own: class listeners are
//! process-wide and the tests run in parallel.

#[path = "session_trace/mod.rs"]
mod session_trace;

use std::sync::{Arc, Mutex};

use hooks::{Class, Modifiers};
use hooks_orm::{
    Initiator, ListenerError, Mapped, Mapper, Obj, Registry, Session, SessionError,
    attribute_events as ae,
};
use hooks_sql::{Engine, Value, create_engine};

type Trace = Arc<Mutex<Vec<String>>>;

fn take(trace: &Trace) -> Vec<String> {
    std::mem::take(&mut *trace.lock().unwrap())
}

fn push(trace: &Trace, line: String) {
    trace.lock().unwrap().push(line);
}

/// A session on a fresh file with `T`'s table, and a witness engine on the same file.
fn database<T: Mapped>(test: &str) -> (Registry, Session, Engine) {
    let url = session_trace::fresh_url(test);
    let (engine, witness) = (create_engine(&url).unwrap(), create_engine(&url).unwrap());
    let registry = Registry::new();
    registry.map::<T>().unwrap();
    registry.configure().unwrap();
    registry.create_all(&witness).unwrap();
    let session = Session::with_options(
        &engine,
        hooks_orm::SessionOptions::new().registry(&registry),
    );
    (registry, session, witness)
}

fn rows(witness: &Engine, sql: &str) -> Vec<String> {
    let conn = witness.connect().unwrap();
    let result = conn.exec_driver_sql(sql, ()).unwrap();
    let rows = result
        .rows()
        .iter()
        .map(|row| format!("{:?}", row.values()))
        .collect();
    conn.rollback().unwrap();
    rows
}

fn line(event: &str, who: &str, i: &Initiator, rest: &str) -> String {
    format!("{who} {event} {}.{} {:?}{rest}", i.class, i.key, i.op)
}

/// Records `set` (plain, on the class) and `modified` on the class and on the `Mapper` type,
/// the `Mapper`-type listeners filtering on the class (they see every test's writes).
fn record<T: hooks::Accepts<dyn hooks_orm::AttributeEvents> + Mapped>(
    trace: &Trace,
) -> Vec<Box<dyn std::any::Any>> {
    let class = T::MAPPER.class_name;
    let (t1, t2, t3) = (trace.clone(), trace.clone(), trace.clone());
    vec![
        Box::new(
            ae::set
                .listen(Class::<T>::new(), move |_, value, old, i| {
                    push(
                        &t1,
                        line("set", "class", i, &format!(" {value:?} <- {old:?}")),
                    );
                    Ok(())
                })
                .unwrap(),
        ),
        Box::new(
            ae::modified
                .listen(Class::<T>::new(), move |_, i| {
                    push(&t2, line("modified", "class", i, ""));
                })
                .unwrap(),
        ),
        Box::new(
            ae::modified
                .listen(Class::<Mapper>::new(), move |_, i| {
                    if i.class == class {
                        push(&t3, line("modified", "Mapper", i, ""));
                    }
                })
                .unwrap(),
        ),
    ]
}

mod models {
    #[derive(hooks_orm::Mapped, Debug)]
    #[mapped(table = "phones")]
    pub(crate) struct Phone {
        #[column(primary_key)]
        pub(crate) id: Option<i64>,
        pub(crate) number: String,
        pub(crate) label: String,
    }

    #[derive(hooks_orm::Mapped, Debug)]
    #[mapped(table = "vetoed")]
    pub(crate) struct Vetoed {
        #[column(primary_key)]
        pub(crate) id: Option<i64>,
        pub(crate) number: String,
    }

    #[derive(hooks_orm::Mapped, Debug)]
    #[mapped(table = "expiring")]
    pub(crate) struct Expiring {
        #[column(primary_key)]
        pub(crate) id: Option<i64>,
        pub(crate) number: String,
    }
}
use models::{Expiring, Phone, Vetoed};

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
