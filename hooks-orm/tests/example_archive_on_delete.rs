//! `examples/archive_on_delete`: the example's own `before_delete` / `after_delete`
//! listeners, with SQLite's contents (read through a second engine on the same file) and
//! the statements Core sent as the witness.

#[path = "../examples/archive_on_delete/archive.rs"]
#[allow(dead_code, reason = "the example's module")]
mod archive;

#[path = "session_trace/mod.rs"]
mod session_trace;

use std::sync::{Arc, Mutex};

use archive::{DeletedUser, Preference, User, install, preference, user};
use hooks_orm::{Obj, Registry, Session, SessionOptions};
use hooks_sql::{Engine, connection_events as ce, create_engine};

const USERS: &str = "SELECT id, name FROM users ORDER BY id";
const ARCHIVE: &str = "SELECT id, name FROM deleted_users ORDER BY id";
const PREFERENCES: &str = "SELECT user_id, key FROM user_preferences ORDER BY id";

struct Db {
    session: Session,
    engine: Engine,
    witness: Engine,
}

/// A fresh file with the three tables, the listeners on its registry, a session on it and
/// a witness engine.
fn archived(test: &str) -> Db {
    let url = session_trace::fresh_url(test);
    let (engine, witness) = (create_engine(&url).unwrap(), create_engine(&url).unwrap());
    let registry = Registry::new();
    registry.map::<User>().unwrap();
    registry.map::<Preference>().unwrap();
    registry.map::<DeletedUser>().unwrap();
    registry.create_all(&witness).unwrap();
    install(&registry).unwrap();
    let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));
    Db {
        session,
        engine,
        witness,
    }
}

/// alice (theme, language) and bob (theme), committed.
fn alice_and_bob(db: &Db) -> (Obj<User>, Obj<User>) {
    let (alice, bob) = (user("alice"), user("bob"));
    db.session.add(&alice).unwrap();
    db.session.add(&bob).unwrap();
    db.session.flush().unwrap();
    for (owner, key) in [(&alice, "theme"), (&alice, "language"), (&bob, "theme")] {
        let id = owner.read().unwrap().id.unwrap();
        db.session.add(&preference(id, key)).unwrap();
    }
    db.session.commit().unwrap();
    (alice, bob)
}

fn committed(db: &Db, sql: &str) -> Vec<String> {
    let conn = db.witness.connect().unwrap();
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
fn a_committed_delete_archives_the_row_and_removes_its_preferences() {
    let db = archived("archive_commit");
    let (alice, _bob) = alice_and_bob(&db);
    db.session.delete(&alice).unwrap();
    db.session.commit().unwrap();
    assert_eq!(committed(&db, USERS), [r#"[Integer(2), Text("bob")]"#]);
    assert_eq!(committed(&db, ARCHIVE), [r#"[Integer(1), Text("alice")]"#]);
    assert_eq!(
        committed(&db, PREFERENCES),
        [r#"[Integer(2), Text("theme")]"#]
    );
}

#[test]
fn the_copy_runs_before_the_delete_and_the_cleanup_after_it_on_the_flush_connection() {
    let db = archived("archive_order");
    let (_alice, bob) = alice_and_bob(&db);
    let sql = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&sql);
    ce::before_cursor_execute
        .listen(&db.engine, move |_, _, statement, _, _, _| {
            seen.lock().unwrap().push(statement.to_owned());
        })
        .unwrap();
    db.session.delete(&bob).unwrap();
    db.session.flush().unwrap();
    let statements: Vec<String> = sql
        .lock()
        .unwrap()
        .iter()
        .filter(|s| !s.starts_with("SELECT"))
        .cloned()
        .collect();
    assert_eq!(
        statements,
        [
            "INSERT INTO deleted_users (id, name) VALUES (?, ?)",
            "DELETE FROM users WHERE id = ?",
            "DELETE FROM user_preferences WHERE user_id = ?",
        ]
    );
    assert_eq!(
        committed(&db, ARCHIVE),
        Vec::<String>::new(),
        "not committed"
    );
    db.session.commit().unwrap();
    assert_eq!(committed(&db, ARCHIVE), [r#"[Integer(2), Text("bob")]"#]);
}

#[test]
fn a_rolled_back_delete_leaves_no_archive_and_every_preference() {
    let db = archived("archive_rollback");
    let (alice, _bob) = alice_and_bob(&db);
    db.session.delete(&alice).unwrap();
    db.session.flush().unwrap();
    db.session.rollback().unwrap();
    assert_eq!(committed(&db, USERS).len(), 2);
    assert!(committed(&db, ARCHIVE).is_empty());
    assert_eq!(committed(&db, PREFERENCES).len(), 3);
}

#[test]
fn a_failed_copy_aborts_the_flush_and_deletes_nothing() {
    let db = archived("archive_conflict");
    let (alice, _bob) = alice_and_bob(&db);
    let conn = db.witness.connect().unwrap();
    conn.exec_driver_sql(
        "INSERT INTO deleted_users (id, name) VALUES (1, 'older')",
        (),
    )
    .unwrap();
    conn.commit().unwrap();
    db.session.delete(&alice).unwrap();
    let error = db.session.flush().unwrap_err();
    assert!(error.to_string().contains("UNIQUE"), "{error}");
    assert_eq!(committed(&db, USERS).len(), 2);
    assert_eq!(committed(&db, ARCHIVE), [r#"[Integer(1), Text("older")]"#]);
    assert_eq!(committed(&db, PREFERENCES).len(), 3);
}
