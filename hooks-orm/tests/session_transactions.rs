//! The session's transactions, modelled on SQLAlchemy's `test/orm/test_events.py`
//! (`SessionEventsTest`) and `test/orm/test_transaction.py`: the exact sequence of session
//! events with the Core events and SQL underneath, and a second engine on the same file as
//! the witness of what was committed.

mod session_trace;

use hooks_orm::{Session, TransactionOrigin, TransactionState};
use session_trace::{committed_names, database, take, traced};

fn insert(session: &Session, name: &str) {
    session
        .execute(format!("INSERT INTO users (name) VALUES ('{name}')"), ())
        .unwrap();
}

/// `test_standalone_on_commit_hook`: a commit with nothing done still begins and ends a
/// transaction, with no connection and no Core event.
#[test]
fn a_commit_with_nothing_done_fires_the_commit_events_and_no_sql() {
    let db = database("standalone_commit");
    let session = Session::new(&db.engine);
    let trace = traced(&session);
    session.commit().unwrap();
    assert_eq!(
        take(&trace),
        [
            "after_transaction_create root",
            "before_commit",
            "after_commit",
            "after_transaction_end root",
        ]
    );
    assert!(!session.in_transaction());
}

/// `test_connection_emits_after_begin`: `connection()` autobegins, connects and begins.
#[test]
fn connection_autobegins_connects_and_fires_after_begin_after_core_begin() {
    let db = database("connection_after_begin");
    let session = Session::new(&db.engine);
    let trace = traced(&session);
    let conn = session.connection().unwrap();
    assert!(conn.in_transaction());
    assert_eq!(
        take(&trace),
        [
            "after_transaction_create root",
            "core engine_connect",
            "core begin",
            "after_begin root",
        ]
    );
    session.close().unwrap();
    assert_eq!(
        take(&trace),
        ["core rollback", "after_transaction_end root"]
    );
    assert!(conn.closed());
}

#[test]
fn commit_writes_the_row_and_ends_the_transaction() {
    let db = database("commit");
    let session = Session::new(&db.engine);
    let trace = traced(&session);
    insert(&session, "u1");
    assert_eq!(committed_names(&db), Vec::<String>::new());
    session.commit().unwrap();
    assert_eq!(
        take(&trace),
        [
            "after_transaction_create root",
            "core engine_connect",
            "core begin",
            "after_begin root",
            "sql INSERT INTO users (name) VALUES ('u1')",
            "before_commit",
            "core commit",
            "after_commit",
            "after_transaction_end root",
        ]
    );
    assert_eq!(committed_names(&db), ["u1"]);
    // The next use autobegins a new transaction on a new checkout.
    insert(&session, "u2");
    assert_eq!(
        take(&trace)[..4],
        [
            "after_transaction_create root",
            "core engine_connect",
            "core begin",
            "after_begin root",
        ]
    );
}

#[test]
fn rollback_discards_the_row_with_after_rollback_then_end_then_soft_rollback() {
    let db = database("rollback");
    let session = Session::new(&db.engine);
    insert(&session, "u1");
    let trace = traced(&session);
    session.rollback().unwrap();
    assert_eq!(
        take(&trace),
        [
            "core rollback",
            "after_rollback",
            "after_transaction_end root",
            "after_soft_rollback root",
        ]
    );
    assert_eq!(committed_names(&db), Vec::<String>::new());
    session.rollback().unwrap();
    assert_eq!(
        take(&trace),
        Vec::<String>::new(),
        "no transaction: a no-op"
    );
}

/// `test_nested_transaction`: the savepoint's rollback keeps the outer transaction's row.
#[test]
fn a_nested_rollback_rolls_back_to_the_savepoint_and_the_outer_commit_keeps_the_rest() {
    let db = database("nested_rollback");
    let session = Session::new(&db.engine);
    let trace = traced(&session);
    let root = session.begin().unwrap();
    assert_eq!(root.origin(), TransactionOrigin::Begin);
    insert(&session, "u1");
    let n1 = session.begin_nested().unwrap();
    assert_eq!(n1.parent(), Some(&root));
    assert!(session.in_nested_transaction());
    insert(&session, "u2");
    n1.rollback().unwrap();
    assert!(!session.in_nested_transaction());
    assert_eq!(n1.state(), TransactionState::Closed);
    session.commit().unwrap();
    assert_eq!(
        take(&trace),
        [
            "after_transaction_create root",
            "core engine_connect",
            "core begin",
            "after_begin root",
            "sql INSERT INTO users (name) VALUES ('u1')",
            "after_transaction_create nested",
            "core savepoint sa_savepoint_1",
            "sql SAVEPOINT sa_savepoint_1",
            "after_begin nested",
            "sql INSERT INTO users (name) VALUES ('u2')",
            "core rollback_savepoint sa_savepoint_1",
            "sql ROLLBACK TO SAVEPOINT sa_savepoint_1",
            "after_rollback",
            "after_transaction_end nested",
            "after_soft_rollback nested",
            "before_commit",
            "core commit",
            "after_commit",
            "after_transaction_end root",
        ]
    );
    assert_eq!(committed_names(&db), ["u1"]);
}

/// `test_nested_autotrans`: `Session::rollback` with a nested transaction open rolls back
/// both, innermost first, each with its own rollback events.
#[test]
fn session_rollback_with_a_nested_transaction_open_rolls_back_each_innermost_first() {
    let db = database("nested_autotrans");
    let session = Session::new(&db.engine);
    insert(&session, "u1");
    session.begin_nested().unwrap();
    insert(&session, "u2");
    let trace = traced(&session);
    session.rollback().unwrap();
    assert_eq!(
        take(&trace),
        [
            "core rollback_savepoint sa_savepoint_1",
            "sql ROLLBACK TO SAVEPOINT sa_savepoint_1",
            "after_rollback",
            "after_transaction_end nested",
            "after_soft_rollback nested",
            "core rollback",
            "after_rollback",
            "after_transaction_end root",
            "after_soft_rollback root",
        ]
    );
    session.commit().unwrap();
    assert_eq!(committed_names(&db), Vec::<String>::new());
}

/// SQLAlchemy's `SessionTransaction.rollback` on the outer transaction itself: the inner
/// ones only end (no rollback events; their savepoint is rolled back on the connection),
/// then the outer rolls back.
#[test]
fn rolling_back_the_outer_transaction_ends_the_inner_one_without_rollback_events() {
    let db = database("outer_rollback");
    let session = Session::new(&db.engine);
    let root = session.begin().unwrap();
    insert(&session, "u1");
    let inner = session.begin_nested().unwrap();
    insert(&session, "u2");
    let trace = traced(&session);
    root.rollback().unwrap();
    assert_eq!(
        take(&trace),
        [
            "core rollback_savepoint sa_savepoint_1",
            "sql ROLLBACK TO SAVEPOINT sa_savepoint_1",
            "after_transaction_end nested",
            "core rollback",
            "after_rollback",
            "after_transaction_end root",
            "after_soft_rollback root",
        ]
    );
    assert_eq!(inner.state(), TransactionState::Closed);
    assert!(!session.in_transaction());
    assert_eq!(committed_names(&db), Vec::<String>::new());
}

/// `Session::commit` with a nested transaction open: each commits, innermost first, with
/// its own `before_commit` and `after_commit`.
#[test]
fn session_commit_with_a_nested_transaction_open_commits_each_innermost_first() {
    let db = database("nested_commit");
    let session = Session::new(&db.engine);
    insert(&session, "u1");
    session.begin_nested().unwrap();
    insert(&session, "u2");
    let trace = traced(&session);
    session.commit().unwrap();
    assert_eq!(
        take(&trace),
        [
            "before_commit",
            "core release_savepoint sa_savepoint_1",
            "sql RELEASE SAVEPOINT sa_savepoint_1",
            "after_commit",
            "after_transaction_end nested",
            "before_commit",
            "core commit",
            "after_commit",
            "after_transaction_end root",
        ]
    );
    assert_eq!(committed_names(&db), ["u1", "u2"]);
}

/// SQLAlchemy's `_prepare_impl`: committing the outer transaction itself fires its
/// `before_commit` first, then commits the inner ones, then itself.
#[test]
fn committing_the_outer_transaction_fires_its_before_commit_before_the_inner_commit() {
    let db = database("outer_commit");
    let session = Session::new(&db.engine);
    let root = session.begin().unwrap();
    session.begin_nested().unwrap();
    insert(&session, "u1");
    let trace = traced(&session);
    root.commit().unwrap();
    assert_eq!(
        take(&trace),
        [
            "before_commit",
            "before_commit",
            "core release_savepoint sa_savepoint_1",
            "sql RELEASE SAVEPOINT sa_savepoint_1",
            "after_commit",
            "after_transaction_end nested",
            "core commit",
            "after_commit",
            "after_transaction_end root",
        ]
    );
    assert_eq!(committed_names(&db), ["u1"]);
}

/// `test_nested_transaction_connection_add`, second half: a committed savepoint is still
/// undone by the outer rollback.
#[test]
fn a_released_savepoint_is_undone_by_the_outer_rollback() {
    let db = database("released_then_rollback");
    let session = Session::new(&db.engine);
    session.begin().unwrap();
    let n1 = session.begin_nested().unwrap();
    insert(&session, "u3");
    n1.commit().unwrap();
    session.rollback().unwrap();
    assert_eq!(committed_names(&db), Vec::<String>::new());
}

/// A nested transaction that runs no SQL never emits its SAVEPOINT, but its events fire.
#[test]
fn a_nested_transaction_without_sql_emits_no_savepoint() {
    let db = database("lazy_savepoint");
    let session = Session::new(&db.engine);
    let trace = traced(&session);
    session.begin_nested().unwrap();
    session.rollback().unwrap();
    assert_eq!(
        take(&trace),
        [
            "after_transaction_create root",
            "after_transaction_create nested",
            "after_rollback",
            "after_transaction_end nested",
            "after_soft_rollback nested",
            "after_rollback",
            "after_transaction_end root",
            "after_soft_rollback root",
        ]
    );
}

/// `test_mixed_transaction_close`: close ends every transaction with no rollback events,
/// discards their work, and the session is reusable.
#[test]
fn close_ends_every_transaction_without_rollback_events_and_the_session_is_reusable() {
    let db = database("close");
    let session = Session::new(&db.engine);
    session.begin_nested().unwrap();
    insert(&session, "u1");
    let trace = traced(&session);
    session.close().unwrap();
    assert_eq!(
        take(&trace),
        [
            "core rollback_savepoint sa_savepoint_1",
            "sql ROLLBACK TO SAVEPOINT sa_savepoint_1",
            "after_transaction_end nested",
            "core rollback",
            "after_transaction_end root",
        ]
    );
    insert(&session, "u2");
    session.commit().unwrap();
    assert_eq!(committed_names(&db), ["u2"]);
}

#[test]
fn the_transaction_accessors_follow_the_stack() {
    let db = database("accessors");
    let session = Session::new(&db.engine);
    assert!(session.is_active());
    assert_eq!(session.get_transaction(), None);
    let conn = session.connection().unwrap();
    let root = session.get_transaction().unwrap();
    assert_eq!(root.origin(), TransactionOrigin::Autobegin);
    assert!(root.parent().is_none() && !root.nested());
    assert!(std::sync::Arc::ptr_eq(&root.connection().unwrap(), &conn));
    let nested = session.begin_nested().unwrap();
    assert_eq!(session.get_nested_transaction(), Some(nested.clone()));
    assert_eq!(session.get_transaction(), Some(root.clone()));
    let inner = session.begin_nested().unwrap();
    assert_eq!(session.get_nested_transaction(), Some(inner.clone()));
    inner.commit().unwrap();
    assert_eq!(session.get_nested_transaction(), Some(nested));
    session.commit().unwrap();
    assert_eq!(root.state(), TransactionState::Closed);
    assert!(!session.in_transaction());
}
