//! `QueryEvents` at every level, in one binary of its own (class-level listeners see every
//! session of the binary): a static `#[listens_for(Session, "before_compile", retval)]`
//! (SQLAlchemy's `listen(Query, "before_compile", fn, retval=True)`), a runtime listener on
//! the `Session` type, one on a session and one on its factory, fired in that order.

mod session_trace;

use std::sync::{Arc, Mutex};

use hooks::{Class, Modifiers};
use hooks_orm::{
    AnyQuery, Criterion, Mapped, Obj, Session, SessionFactory, SessionOptions, query_events as qe,
};
use session_trace::{Trace, push, take};

/// A mapped user of this binary.
#[derive(Mapped, Debug, Clone, PartialEq)]
#[mapped(table = "users")]
struct User {
    #[column(primary_key)]
    id: Option<i64>,
    name: String,
}

fn user(name: &str) -> Obj<User> {
    Obj::new(User {
        id: None,
        name: name.into(),
    })
}

static STATIC_SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Hides `wendy` from every query of every session.
#[hooks::listens_for(Session, "before_compile", retval)]
fn hide_wendy(query: &AnyQuery) -> AnyQuery {
    STATIC_SEEN.lock().unwrap().push("static".into());
    query.clone().filter(Criterion::ne("name", "wendy"))
}

#[test]
fn the_session_type_then_the_session_then_its_factory() {
    let url = session_trace::fresh_url("query_class");
    let engine = hooks_sql::create_engine(&url).unwrap();
    let registry = hooks_orm::Registry::new();
    registry.map::<User>().unwrap();
    registry.create_all(&engine).unwrap();
    let factory = SessionFactory::with_options(&engine, SessionOptions::new().registry(&registry));
    let session = factory.session();
    let trace = Trace::default();
    let order = |label: &'static str, trace: &Trace| {
        let t = Arc::clone(trace);
        move |query: &AnyQuery| {
            push(&t, format!("{label} {}", query.criteria().len()));
        }
    };
    let _class = qe::before_compile
        .listen(Class::<Session>::new(), order("Session type", &trace))
        .unwrap()
        .scoped();
    qe::before_compile
        .listen(&session, order("session", &trace))
        .unwrap();
    qe::before_compile
        .listen_retval(&factory, Modifiers::NONE, {
            let t = Arc::clone(&trace);
            move |query: &AnyQuery| {
                push(&t, format!("factory {}", query.criteria().len()));
                query.clone().order_by("name")
            }
        })
        .unwrap();
    for name in ["wendy", "ed", "jack"] {
        session.add(&user(name)).unwrap();
    }
    let found = session.query::<User>().all().unwrap();
    let names: Vec<String> = found
        .iter()
        .map(|u| u.read().unwrap().name.clone())
        .collect();
    assert_eq!(names, ["ed", "jack"]);
    assert_eq!(*STATIC_SEEN.lock().unwrap(), ["static"]);
    assert_eq!(take(&trace), ["Session type 1", "session 1", "factory 1"]);
}
