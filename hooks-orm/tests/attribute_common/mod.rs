//! What the attribute-event tests share: a traced session on a fresh file, a witness engine,
//! the recorder of `set`/`modified`, and one mapped class per test (class listeners are
//! process-wide; each test is alone in its binary, as `tests/tests/suite_isolation.rs` asks).

#![allow(dead_code, unused_imports, reason = "each test binary uses part of it")]

#[path = "../session_trace/mod.rs"]
pub(crate) mod session_trace;

pub(crate) use std::sync::{Arc, Mutex};

pub(crate) use hooks::{Class, Modifiers};
pub(crate) use hooks_orm::{
    Initiator, ListenerError, Mapped, Mapper, Obj, Registry, Session, SessionError,
    attribute_events as ae,
};
pub(crate) use hooks_sql::{Engine, Value, create_engine};

pub(crate) type Trace = Arc<Mutex<Vec<String>>>;

pub(crate) fn take(trace: &Trace) -> Vec<String> {
    std::mem::take(&mut *trace.lock().unwrap())
}

pub(crate) fn push(trace: &Trace, line: String) {
    trace.lock().unwrap().push(line);
}

/// A session on a fresh file with `T`'s table, and a witness engine on the same file.
pub(crate) fn database<T: Mapped>(test: &str) -> (Registry, Session, Engine) {
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

pub(crate) fn rows(witness: &Engine, sql: &str) -> Vec<String> {
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

pub(crate) fn line(event: &str, who: &str, i: &Initiator, rest: &str) -> String {
    format!("{who} {event} {}.{} {:?}{rest}", i.class, i.key, i.op)
}

/// Records `set` (plain, on the class) and `modified` on the class and on the `Mapper` type,
/// the `Mapper`-type listeners filtering on the class (they see every test's writes).
pub(crate) fn record<T: hooks::Accepts<dyn hooks_orm::AttributeEvents> + Mapped>(
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
pub(crate) use models::{Expiring, Phone, Vetoed};
