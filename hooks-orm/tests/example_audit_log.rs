//! `examples/audit_log`: the example's own `before_flush` listener, with SQLite's contents
//! (read through a second engine on the same file) as the witness — one audit row per
//! change, committed with the change, rolled back with it.

#[path = "../examples/audit_log/audit.rs"]
#[allow(dead_code, reason = "the example's module")]
mod audit;

#[path = "session_trace/mod.rs"]
mod session_trace;

use audit::{AuditEntry, User, install, user};
use hooks_orm::{Registry, Session, SessionOptions};
use hooks_sql::{Engine, create_engine};

const AUDIT: &str = "SELECT id, action, table_name, target FROM audit_log ORDER BY id";
const USERS: &str = "SELECT id, name FROM users ORDER BY id";

/// A session with the audit listener on a fresh file, and a witness engine on that file.
fn audited(test: &str) -> (Session, Engine) {
    let url = session_trace::fresh_url(test);
    let (engine, witness) = (create_engine(&url).unwrap(), create_engine(&url).unwrap());
    let registry = Registry::new();
    registry.map::<User>().unwrap();
    registry.map::<AuditEntry>().unwrap();
    registry.create_all(&witness).unwrap();
    let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));
    install(&session).unwrap();
    (session, witness)
}

/// What SQLite has committed: each row's values, debug-printed.
fn committed(witness: &Engine, sql: &str) -> Vec<String> {
    let conn = witness.connect().unwrap();
    let rows = conn
        .exec_driver_sql(sql, ())
        .unwrap()
        .rows()
        .iter()
        .map(|row| format!("{:?}", row.values()))
        .collect();
    conn.rollback().unwrap();
    rows
}

#[test]
fn every_insert_update_and_delete_commits_one_audit_row_with_it() {
    let (session, witness) = audited("audit_each_change");
    let (alice, bob) = (user("alice"), user("bob"));
    session.add(&alice).unwrap();
    session.add(&bob).unwrap();
    session.commit().unwrap();
    assert_eq!(
        committed(&witness, AUDIT),
        [
            r#"[Integer(1), Text("insert"), Text("users"), Text("alice")]"#,
            r#"[Integer(2), Text("insert"), Text("users"), Text("bob")]"#,
        ]
    );

    alice.set(|u| u.name = "alice smith".into()).unwrap();
    session.delete(&bob).unwrap();
    session.commit().unwrap();
    assert_eq!(
        committed(&witness, USERS),
        [r#"[Integer(1), Text("alice smith")]"#]
    );
    assert_eq!(
        committed(&witness, AUDIT)[2..],
        [
            r#"[Integer(3), Text("update"), Text("users"), Text("alice smith")]"#,
            r#"[Integer(4), Text("delete"), Text("users"), Text("bob")]"#,
        ]
    );
}

#[test]
fn a_flushed_change_and_its_audit_row_share_one_transaction() {
    let (session, witness) = audited("audit_same_transaction");
    session.add(&user("carol")).unwrap();
    session.flush().unwrap();
    let own = session
        .execute("SELECT count(*) FROM audit_log", ())
        .unwrap();
    assert_eq!(
        own.rows()[0].get::<i64>(0).unwrap(),
        1,
        "the flush wrote it"
    );
    assert!(
        committed(&witness, AUDIT).is_empty(),
        "nothing is visible outside the flush's transaction before the commit"
    );

    session.rollback().unwrap();
    assert!(committed(&witness, USERS).is_empty());
    assert!(
        committed(&witness, AUDIT).is_empty(),
        "rolled back with carol"
    );
}

#[test]
fn a_flush_without_user_changes_writes_no_audit_row() {
    let (session, witness) = audited("audit_nothing_to_audit");
    let dave = user("dave");
    session.add(&dave).unwrap();
    session.commit().unwrap();
    session.flush().unwrap();
    dave.set(|u| u.name = "dave".into()).unwrap();
    session.commit().unwrap();
    assert_eq!(
        committed(&witness, AUDIT),
        [r#"[Integer(1), Text("insert"), Text("users"), Text("dave")]"#]
    );
}
