//! Class-level listeners on `Session` and `SessionFactory` (every session, every factory):
//! one test in this binary, since class-level listeners (the static one here too) see every
//! instance of the process.

mod session_trace;

use std::sync::Arc;

use hooks::Class;
use hooks_orm::{Session, SessionFactory, session_events as se};
use session_trace::{Trace, database, push, take};

static ENDED: std::sync::Mutex<Vec<bool>> = std::sync::Mutex::new(Vec::new());

/// A static listener: class-level on `Session`, checked at compile time.
#[hooks::listens_for(Session, "after_transaction_end")]
fn record_end(_session: &Session, transaction: &hooks_orm::SessionTransaction) {
    ENDED.lock().unwrap().push(transaction.nested());
}

#[test]
fn a_session_fires_the_session_type_itself_the_factory_type_then_its_factory() {
    let db = database("class_levels");
    let factory = SessionFactory::new(&db.engine);
    let session = factory.session();
    let plain = Session::new(&db.engine);
    let trace = Trace::default();
    let t = Arc::clone(&trace);
    let _factory_listener = se::before_commit
        .listen(&factory, move |_| {
            push(&t, "factory");
            Ok(())
        })
        .unwrap()
        .scoped();
    let t = Arc::clone(&trace);
    let _factory_type = se::before_commit
        .listen(Class::<SessionFactory>::new(), move |_| {
            push(&t, "SessionFactory type");
            Ok(())
        })
        .unwrap()
        .scoped();
    let t = Arc::clone(&trace);
    let _instance = se::before_commit
        .listen(&session, move |_| {
            push(&t, "session");
            Ok(())
        })
        .unwrap()
        .scoped();
    let t = Arc::clone(&trace);
    let _session_type = se::before_commit
        .listen(Class::<Session>::new(), move |s| {
            push(
                &t,
                format!("Session type (factory: {})", s.factory().is_some()),
            );
            Ok(())
        })
        .unwrap()
        .scoped();
    session.commit().unwrap();
    assert_eq!(
        take(&trace),
        [
            "Session type (factory: true)",
            "session",
            "SessionFactory type",
            "factory"
        ]
    );
    plain.commit().unwrap();
    assert_eq!(take(&trace), ["Session type (factory: false)"]);
    assert_eq!(
        *ENDED.lock().unwrap(),
        [false, false],
        "the static listener, once per commit"
    );
}
