//! What the relationship tests share: `User` → `Address` (one-to-many with
//! `back_populates` both ways, `cascade = "all, delete-orphan"`), `Folder` → `Note`
//! (one-to-many alone, the default `save-update`), a session on a fresh file whose
//! connections run `PRAGMA foreign_keys = ON` (SQLite enforces every REFERENCES clause), a
//! witness engine, and a recorder of every collection and reference event. Class listeners
//! are process-wide: each test is alone in its binary (`tests/tests/suite_isolation.rs`).

#![allow(dead_code, unused_imports, reason = "each test binary uses part of it")]

#[path = "../session_trace/mod.rs"]
pub(crate) mod session_trace;

pub(crate) use std::sync::{Arc, Mutex};

pub(crate) use hooks::{Class, Modifiers};
pub(crate) use hooks_orm::{
    AnyInstance, Collection, Initiator, ListenerError, Mapped, Mapper, Obj, Reference, Registry,
    Session, SessionError, attribute_events as ae,
};
pub(crate) use hooks_sql::{Engine, Value, create_engine};

#[derive(Mapped)]
#[mapped(table = "users")]
pub(crate) struct User {
    #[column(primary_key)]
    pub(crate) id: Option<i64>,
    pub(crate) name: String,
    #[relationship(back_populates = "user", cascade = "all, delete-orphan")]
    pub(crate) addresses: Collection<Address>,
}

#[derive(Mapped)]
#[mapped(table = "addresses")]
pub(crate) struct Address {
    #[column(primary_key)]
    pub(crate) id: Option<i64>,
    pub(crate) email: String,
    #[column(foreign_key = "users.id")]
    pub(crate) user_id: Option<i64>,
    #[relationship(back_populates = "addresses")]
    pub(crate) user: Reference<User>,
}

#[derive(Mapped)]
#[mapped(table = "folders")]
pub(crate) struct Folder {
    #[column(primary_key)]
    pub(crate) id: Option<i64>,
    pub(crate) title: String,
    pub(crate) notes: Collection<Note>,
}

#[derive(Mapped)]
#[mapped(table = "notes")]
pub(crate) struct Note {
    #[column(primary_key)]
    pub(crate) id: Option<i64>,
    pub(crate) text: String,
    #[column(foreign_key = "folders.id")]
    pub(crate) folder_id: Option<i64>,
}

pub(crate) fn user(name: &str) -> Obj<User> {
    Obj::new(User {
        id: None,
        name: name.into(),
        addresses: Collection::new(),
    })
}

pub(crate) fn address(email: &str) -> Obj<Address> {
    Obj::new(Address {
        id: None,
        email: email.into(),
        user_id: None,
        user: Reference::new(),
    })
}

pub(crate) fn folder(title: &str) -> Obj<Folder> {
    Obj::new(Folder {
        id: None,
        title: title.into(),
        notes: Collection::new(),
    })
}

pub(crate) fn note(text: &str) -> Obj<Note> {
    Obj::new(Note {
        id: None,
        text: text.into(),
        folder_id: None,
    })
}

pub(crate) type Trace = Arc<Mutex<Vec<String>>>;

pub(crate) fn take(trace: &Trace) -> Vec<String> {
    std::mem::take(&mut *trace.lock().unwrap())
}

pub(crate) fn push(trace: &Trace, line: String) {
    trace.lock().unwrap().push(line);
}

/// A session on a fresh file with the four tables, foreign keys enforced on its
/// connections, and a witness engine on the same file.
pub(crate) fn database(test: &str) -> (Registry, Session, Engine) {
    let url = session_trace::fresh_url(test);
    let (engine, witness) = (create_engine(&url).unwrap(), create_engine(&url).unwrap());
    for e in [&engine, &witness] {
        hooks_sql::pool_events::connect
            .listen(e, |dbapi, _| {
                dbapi.with_raw(|raw| raw.execute_batch("PRAGMA foreign_keys = ON"))?;
                Ok(())
            })
            .unwrap();
    }
    let registry = Registry::new();
    registry.map::<User>().unwrap();
    registry.map::<Address>().unwrap();
    registry.map::<Folder>().unwrap();
    registry.map::<Note>().unwrap();
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

/// A short name for an event's object: the user's name, the address's email, …
pub(crate) fn name(obj: &AnyInstance) -> String {
    if let Some(u) = obj.downcast_ref::<Obj<User>>() {
        return u.read().unwrap().name.clone();
    }
    if let Some(a) = obj.downcast_ref::<Obj<Address>>() {
        return a.read().unwrap().email.clone();
    }
    if let Some(f) = obj.downcast_ref::<Obj<Folder>>() {
        return f.read().unwrap().title.clone();
    }
    if let Some(n) = obj.downcast_ref::<Obj<Note>>() {
        return n.read().unwrap().text.clone();
    }
    "?".into()
}

pub(crate) fn opt(obj: Option<&AnyInstance>) -> String {
    obj.map_or_else(|| "None".into(), name)
}

fn via(i: &Initiator) -> String {
    format!("[{}.{} {:?}]", i.class, i.key, i.op)
}

/// Records every collection and reference event (and `modified`) on class `T`, as
/// `"<target> <event> <args> [<initiator>]"`.
pub(crate) fn record<T: hooks::Accepts<dyn hooks_orm::AttributeEvents> + Mapped>(
    trace: &Trace,
) -> Vec<Box<dyn std::any::Any>> {
    let class = || Class::<T>::new();
    let t = trace.clone();
    let append = ae::append
        .listen(class(), move |target, value, key, i| {
            push(
                &t,
                format!("{} append {} {key:?} {}", name(target), name(value), via(i)),
            );
            Ok(())
        })
        .unwrap();
    let t = trace.clone();
    let wo = ae::append_wo_mutation
        .listen(class(), move |target, value, key, i| {
            push(
                &t,
                format!(
                    "{} append_wo_mutation {} {key:?} {}",
                    name(target),
                    name(value),
                    via(i)
                ),
            );
        })
        .unwrap();
    let t = trace.clone();
    let remove = ae::remove
        .listen(class(), move |target, value, key, i| {
            push(
                &t,
                format!("{} remove {} {key:?} {}", name(target), name(value), via(i)),
            );
            Ok(())
        })
        .unwrap();
    let t = trace.clone();
    let bulk = ae::bulk_replace
        .listen(class(), move |target, values, keys, i| {
            let names: Vec<String> = values.iter().map(|v| name(&**v)).collect();
            push(
                &t,
                format!(
                    "{} bulk_replace {names:?} {keys:?} {}",
                    name(target),
                    via(i)
                ),
            );
        })
        .unwrap();
    let t = trace.clone();
    let init = ae::init_collection
        .listen(class(), move |target, key| {
            push(&t, format!("{} init_collection {key}", name(target)));
        })
        .unwrap();
    let t = trace.clone();
    let dispose = ae::dispose_collection
        .listen(class(), move |target, key, old| {
            let names: Vec<String> = old.iter().map(|v| name(&**v)).collect();
            push(
                &t,
                format!("{} dispose_collection {key} {names:?}", name(target)),
            );
        })
        .unwrap();
    let t = trace.clone();
    let set = ae::set_object
        .listen(class(), move |target, value, old, i| {
            push(
                &t,
                format!(
                    "{} set_object {} <- {} {}",
                    name(target),
                    opt(value),
                    opt(old),
                    via(i)
                ),
            );
            Ok(())
        })
        .unwrap();
    let t = trace.clone();
    let modified = ae::modified
        .listen(class(), move |target, i| {
            push(&t, format!("{} modified {}", name(target), via(i)));
        })
        .unwrap();
    vec![
        Box::new(append),
        Box::new(wo),
        Box::new(remove),
        Box::new(bulk),
        Box::new(init),
        Box::new(dispose),
        Box::new(set),
        Box::new(modified),
    ]
}
