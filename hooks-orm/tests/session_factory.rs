//! `SessionFactory` (SQLAlchemy's `sessionmaker`): its listeners reach every session it
//! makes, and only those; modelled on `test_events.py`'s `test_sessionmaker_listen` and
//! `test_sessionmaker_gen_after_session_listen`.

mod session_trace;

use std::sync::Arc;

use hooks::Modifiers;
use hooks_orm::{SessionFactory, SessionOptions, session_events as se};
use session_trace::{Trace, database, push, record_session, take};

#[test]
fn a_factory_listener_reaches_its_sessions_and_not_another_factorys() {
    let db = database("two_factories");
    let (s1_factory, s2_factory) = (
        SessionFactory::new(&db.engine),
        SessionFactory::new(&db.engine),
    );
    let trace = Trace::default();
    record_session(&s1_factory, &trace, "S1 ");
    let (s1, s2) = (s1_factory.session(), s2_factory.session());
    assert_eq!(s1.factory(), Some(&s1_factory));
    assert_eq!(s2.factory(), Some(&s2_factory));
    s2.commit().unwrap();
    assert_eq!(take(&trace), Vec::<String>::new());
    s1.commit().unwrap();
    assert_eq!(
        take(&trace),
        [
            "S1 after_transaction_create root",
            "S1 before_commit",
            "S1 after_commit",
            "S1 after_transaction_end root",
        ]
    );
}

/// A listener added to the factory after a session was made reaches that session too (the
/// session reads its factory's listeners at every fire), after the session's own.
#[test]
fn a_session_runs_its_own_listeners_then_its_factorys_including_later_ones() {
    let db = database("factory_order");
    let factory = SessionFactory::new(&db.engine);
    let session = factory.session();
    let trace = Trace::default();
    let t = Arc::clone(&trace);
    se::after_commit
        .listen(&session, move |_| push(&t, "session"))
        .unwrap();
    let t = Arc::clone(&trace);
    se::after_commit
        .listen(&factory, move |_| push(&t, "factory"))
        .unwrap();
    let t = Arc::clone(&trace);
    se::after_commit
        .listen_with(&factory, Modifiers::INSERT, move |_| {
            push(&t, "factory, inserted");
        })
        .unwrap();
    session.commit().unwrap();
    assert_eq!(take(&trace), ["session", "factory, inserted", "factory"]);
}

#[test]
fn a_factory_gives_its_options_to_its_sessions() {
    let db = database("factory_options");
    let factory = SessionFactory::with_options(&db.engine, SessionOptions::new().autobegin(false));
    let session = factory.session();
    assert!(session.execute("SELECT 1", ()).is_err());
    session.begin().unwrap();
    assert!(session.execute("SELECT 1", ()).is_ok());
}
