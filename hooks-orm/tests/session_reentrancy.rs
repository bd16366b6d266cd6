//! Listeners calling back into the session, and misuse: where SQLAlchemy allows it, it works
//! (SQL in `after_transaction_create`, `before_commit`, `after_soft_rollback`, through the
//! connection in `after_begin`); where SQLAlchemy refuses, a typed error with SQLAlchemy's
//! message, never a panic or a deadlock. Modelled on `test_transaction.py`
//! (`test_no_sql_during_commit`, `test_no_sql_during_rollback`, `test_closed_status_check`)
//! and `test_events.py` (`test_autobegin_no_reentrant`,
//! `test_can_use_session_in_outer_rollback_hook`).

mod session_trace;

use std::sync::{Arc, Mutex};

use hooks_orm::{
    ListenerError, Session, SessionError, SessionOptions, TransactionState, session_events as se,
};
use session_trace::{Trace, committed_names, database, lines, push};

fn insert(session: &Session, name: &str) -> Result<(), SessionError> {
    session
        .execute(format!("INSERT INTO users (name) VALUES ('{name}')"), ())
        .map(drop)
}

/// `test_autobegin_no_reentrant`: SQL in `after_transaction_create` runs in the new
/// transaction.
#[test]
fn sql_in_after_transaction_create_runs_in_the_new_transaction() {
    let db = database("in_create");
    let session = Session::new(&db.engine);
    let got = Arc::new(Mutex::new(Vec::new()));
    let g = Arc::clone(&got);
    se::after_transaction_create
        .listen(&session, move |session, tx| {
            if tx.parent().is_none() {
                let one = session.execute("SELECT 1", ()).unwrap();
                g.lock()
                    .unwrap()
                    .push(one.scalar().and_then(hooks_sql::Value::as_i64));
                assert_eq!(session.get_transaction().as_ref(), Some(tx));
            }
        })
        .unwrap();
    let root = session.begin().unwrap();
    root.commit().unwrap();
    assert_eq!(*got.lock().unwrap(), [Some(1)]);
}

/// SQL through the session inside `after_begin` is refused (the transaction is provisioning
/// its connection, as in SQLAlchemy); SQL through the connection the event passes runs in
/// the transaction and commits with it.
#[test]
fn after_begin_runs_sql_on_its_connection_and_the_session_refuses_it() {
    let db = database("in_after_begin");
    let session = Session::new(&db.engine);
    let refused = Arc::new(Mutex::new(Vec::new()));
    let r = Arc::clone(&refused);
    se::after_begin
        .listen(&session, move |session, tx, conn| {
            let err = session.execute("SELECT 1", ()).unwrap_err();
            assert!(matches!(err, SessionError::Provisioning));
            assert_eq!(tx.state(), TransactionState::ProvisioningConnection);
            r.lock().unwrap().push(err.to_string());
            conn.exec_driver_sql("INSERT INTO users (name) VALUES ('audit')", ())
                .map(drop)
                .map_err(ListenerError::from_error)
        })
        .unwrap();
    insert(&session, "u1").unwrap();
    assert_eq!(committed_names(&db), Vec::<String>::new());
    session.commit().unwrap();
    assert_eq!(committed_names(&db), ["audit", "u1"]);
    assert_eq!(
        *refused.lock().unwrap(),
        ["This session is provisioning a new connection; concurrent operations are not permitted"]
    );
}

/// SQL in `before_commit` belongs to the committing transaction.
#[test]
fn sql_in_before_commit_commits_with_the_transaction() {
    let db = database("in_before_commit");
    let session = Session::new(&db.engine);
    se::before_commit
        .listen(&session, |session| {
            insert(session, "from before_commit").map_err(ListenerError::from_error)
        })
        .unwrap();
    insert(&session, "u1").unwrap();
    session.commit().unwrap();
    assert_eq!(committed_names(&db), ["u1", "from before_commit"]);
}

/// `test_no_sql_during_commit` and `test_no_sql_during_rollback`: SQL in `after_commit`
/// and `after_rollback` is a typed error with SQLAlchemy's message.
#[test]
fn sql_in_after_commit_and_after_rollback_is_refused_with_the_state() {
    let db = database("no_sql");
    let session = Session::new(&db.engine);
    let trace = Trace::default();
    let t = Arc::clone(&trace);
    se::after_commit
        .listen(&session, move |session| {
            assert!(!session.is_active());
            push(&t, session.execute("SELECT 1", ()).unwrap_err().to_string());
        })
        .unwrap();
    let t = Arc::clone(&trace);
    se::after_rollback
        .listen(&session, move |session| {
            push(&t, session.connection().unwrap_err().to_string());
        })
        .unwrap();
    session.commit().unwrap();
    session.connection().unwrap();
    session.rollback().unwrap();
    assert_eq!(
        lines(&trace),
        [
            "This session is in 'committed' state; no further SQL can be emitted within this \
             transaction.",
            "This session is in 'inactive' state, due to the SQL transaction being rolled back; \
             no further SQL can be emitted within this transaction.",
        ]
    );
}

/// `test_can_use_session_in_outer_rollback_hook`: after the outermost rollback the session
/// is active again and a listener's SQL autobegins a new transaction.
#[test]
fn after_the_outermost_soft_rollback_the_session_is_active_and_runs_sql() {
    let db = database("after_soft");
    let session = Session::new(&db.engine);
    let seen = Trace::default();
    let s = Arc::clone(&seen);
    se::after_soft_rollback
        .listen(&session, move |session, previous| {
            if previous.parent().is_none() && session.is_active() {
                assert!(!session.in_transaction());
                insert(session, "after rollback").unwrap();
                push(&s, "ran");
            }
        })
        .unwrap();
    insert(&session, "u1").unwrap();
    session.rollback().unwrap();
    assert_eq!(lines(&seen), ["ran"]);
    assert!(session.in_transaction(), "the listener's SQL autobegan");
    session.commit().unwrap();
    assert_eq!(committed_names(&db), ["after rollback"]);
}

/// A state change from inside another on the same transaction is refused, not a deadlock.
#[test]
fn commit_from_before_commit_is_an_illegal_state_change() {
    let db = database("commit_in_commit");
    let session = Session::new(&db.engine);
    let errors = Trace::default();
    let e = Arc::clone(&errors);
    se::before_commit
        .listen(&session, move |session| {
            push(&e, session.commit().unwrap_err().to_string());
            push(&e, session.rollback().unwrap_err().to_string());
            Ok(())
        })
        .unwrap();
    insert(&session, "u1").unwrap();
    session.commit().unwrap();
    assert_eq!(
        lines(&errors),
        [
            "Method 'commit()' can't be called here; method 'commit()' is already in progress",
            "Method 'rollback()' can't be called here; method 'commit()' is already in progress",
        ]
    );
    assert_eq!(committed_names(&db), ["u1"]);
}

/// A `before_commit` veto stops the commit; the transaction stays active and rolls back.
#[test]
fn a_before_commit_error_stops_the_commit_and_leaves_the_transaction_to_roll_back() {
    let db = database("veto_commit");
    let session = Session::new(&db.engine);
    se::before_commit
        .listen(&session, |_| Err(ListenerError::new("not today")))
        .unwrap();
    insert(&session, "u1").unwrap();
    let err = session.commit().unwrap_err();
    assert!(matches!(
        err,
        SessionError::Listener {
            event: "before_commit",
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "a `before_commit` listener failed: not today"
    );
    assert!(session.is_active());
    session.rollback().unwrap();
    assert!(!session.in_transaction());
    assert_eq!(committed_names(&db), Vec::<String>::new());
}

/// An `after_begin` error fails the statement that needed the connection.
#[test]
fn an_after_begin_error_fails_the_execute() {
    let db = database("veto_begin");
    let session = Session::new(&db.engine);
    se::after_begin
        .listen(&session, |_, _, _| {
            Err(ListenerError::new("no connection for you"))
        })
        .unwrap();
    let err = insert(&session, "u1").unwrap_err();
    assert!(matches!(
        err,
        SessionError::Listener {
            event: "after_begin",
            ..
        }
    ));
    session.rollback().unwrap();
    assert_eq!(committed_names(&db), Vec::<String>::new());
}

/// `test_closed_status_check`: an ended transaction refuses commit and rollback.
#[test]
fn an_ended_transaction_refuses_commit_and_rollback() {
    let db = database("closed_status");
    let session = Session::new(&db.engine);
    let root = session.begin().unwrap();
    let nested = session.begin_nested().unwrap();
    session.rollback().unwrap();
    for tx in [&root, &nested] {
        assert!(matches!(
            tx.rollback(),
            Err(SessionError::TransactionClosed)
        ));
        let err = tx.commit().unwrap_err();
        assert_eq!(err.to_string(), "This transaction is closed");
    }
}

#[test]
fn begin_with_a_transaction_in_progress_is_refused() {
    let db = database("double_begin");
    let session = Session::new(&db.engine);
    session.connection().unwrap();
    let err = session.begin().unwrap_err();
    assert_eq!(
        err.to_string(),
        "A transaction is already begun on this Session."
    );
}

#[test]
fn without_autobegin_sql_needs_an_explicit_begin() {
    let db = database("no_autobegin");
    let session = Session::with_options(&db.engine, SessionOptions::new().autobegin(false));
    let err = insert(&session, "u1").unwrap_err();
    assert!(matches!(err, SessionError::AutobeginDisabled));
    assert!(matches!(
        session.commit(),
        Err(SessionError::AutobeginDisabled)
    ));
    session.begin().unwrap();
    insert(&session, "u1").unwrap();
    session.commit().unwrap();
    assert_eq!(committed_names(&db), ["u1"]);
}

/// With `close_resets_only(false)`, close is final; by default it only resets.
#[test]
fn a_permanently_closed_session_refuses_new_transactions() {
    let db = database("permanent_close");
    let reusable = Session::new(&db.engine);
    reusable.close().unwrap();
    reusable.commit().unwrap();
    let session = Session::with_options(&db.engine, SessionOptions::new().close_resets_only(false));
    insert(&session, "u1").unwrap();
    session.close().unwrap();
    let err = insert(&session, "u2").unwrap_err();
    assert_eq!(
        err.to_string(),
        "This Session has been permanently closed and is unable to handle any more transaction \
         requests."
    );
    assert!(matches!(
        session.commit(),
        Err(SessionError::PermanentlyClosed)
    ));
    assert_eq!(committed_names(&db), Vec::<String>::new());
}

#[test]
fn a_transaction_outliving_its_session_reports_it() {
    let db = database("dropped");
    let session = Session::new(&db.engine);
    let root = session.begin().unwrap();
    insert(&session, "u1").unwrap();
    drop(session);
    assert!(matches!(root.commit(), Err(SessionError::SessionDropped)));
    assert_eq!(committed_names(&db), Vec::<String>::new());
}

/// A SQL error comes back typed, and the transaction can still be rolled back.
#[test]
fn a_sql_error_is_returned_and_the_session_rolls_back() {
    let db = database("sql_error");
    let session = Session::new(&db.engine);
    insert(&session, "u1").unwrap();
    let err = session
        .execute("INSERT INTO nowhere VALUES (1)", ())
        .unwrap_err();
    assert!(matches!(err, SessionError::Sql(_)));
    assert!(err.to_string().contains("nowhere"), "{err}");
    session.rollback().unwrap();
    assert_eq!(committed_names(&db), Vec::<String>::new());
}

/// A panicking listener unwinds to the caller and leaves the session usable: the
/// provisioning state and the running state change are cleared on the way out.
#[test]
fn a_panicking_listener_leaves_the_session_usable() {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    let db = database("panics");
    let session = Session::new(&db.engine);
    let begin = se::after_begin
        .listen(&session, |_, _, _| panic!("after_begin panics"))
        .unwrap();
    let commit = se::before_commit
        .listen(&session, |_| panic!("before_commit panics"))
        .unwrap();
    assert!(catch_unwind(AssertUnwindSafe(|| insert(&session, "u1"))).is_err());
    begin.remove().unwrap();
    assert!(session.is_active());
    insert(&session, "u1").unwrap();
    assert!(catch_unwind(AssertUnwindSafe(|| session.commit())).is_err());
    commit.remove().unwrap();
    session.commit().unwrap();
    assert_eq!(committed_names(&db), ["u1"]);
}

/// `test_begin_savepoint_fails_connection_is_not_closed`: a failed SAVEPOINT fails the
/// statement that needed it; the root transaction keeps its open connection, and the
/// session rolls back and carries on.
#[test]
fn a_failed_savepoint_fails_the_statement_and_keeps_the_connection() {
    let db = database("savepoint_fails");
    hooks_sql::dialect_events::do_execute_no_params
        .listen(&db.engine, |_, statement, _| {
            if statement.starts_with("SAVEPOINT") {
                Err(hooks_sql::Error::InvalidRequest(
                    "no savepoints today".into(),
                ))
            } else {
                Ok(false)
            }
        })
        .unwrap();
    let session = Session::new(&db.engine);
    let nested = session.begin_nested().unwrap();
    let err = session.execute("SELECT 1", ()).unwrap_err();
    assert!(err.to_string().contains("no savepoints today"), "{err}");
    let root = session.get_transaction().unwrap();
    let conn = root.connection().expect("the root began on its connection");
    assert!(!conn.closed() && conn.in_transaction());
    assert!(nested.connection().is_none() && nested.is_active());
    session.rollback().unwrap();
    assert!(conn.closed());
    insert(&session, "u1").unwrap();
    session.commit().unwrap();
    assert_eq!(committed_names(&db), ["u1"]);
}
