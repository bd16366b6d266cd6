//! `examples/timestamps`: the example's own static listeners on its `Timestamped` mixin
//! (linked into this binary with its module), with SQLite's contents (read through a second
//! engine on the same file) and the statements Core sent as the witness.

#[path = "../examples/timestamps/stamps.rs"]
mod stamps;

#[path = "session_trace/mod.rs"]
mod session_trace;

use std::sync::{Arc, Mutex};

use hooks_orm::{Obj, Registry, Session, SessionOptions};
use hooks_sql::{Engine, Value, connection_events as ce, create_engine};
use stamps::{Post, Tag, User, now_micros};

struct Db {
    session: Session,
    engine: Engine,
    witness: Engine,
}

fn stamped(test: &str) -> Db {
    let url = session_trace::fresh_url(test);
    let (engine, witness) = (create_engine(&url).unwrap(), create_engine(&url).unwrap());
    let registry = Registry::new();
    registry.map::<User>().unwrap();
    registry.map::<Post>().unwrap();
    registry.map::<Tag>().unwrap();
    registry.create_all(&witness).unwrap();
    let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));
    Db {
        session,
        engine,
        witness,
    }
}

fn user(name: &str) -> Obj<User> {
    Obj::new(User {
        id: None,
        name: name.into(),
        created_at: None,
        updated_at: None,
    })
}

/// `(created_at, updated_at)` of every committed row of `table`.
fn stamps_of(db: &Db, table: &str) -> Vec<(i64, i64)> {
    let conn = db.witness.connect().unwrap();
    let sql = format!("SELECT created_at, updated_at FROM {table} ORDER BY id");
    let rows = conn
        .exec_driver_sql(&sql, ())
        .unwrap()
        .rows()
        .iter()
        .map(|row| (row.get::<i64>(0).unwrap(), row.get::<i64>(1).unwrap()))
        .collect();
    conn.rollback().unwrap();
    rows
}

/// The statements Core sends from now on.
fn statements(engine: &Engine) -> Arc<Mutex<Vec<String>>> {
    let sql = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&sql);
    ce::before_cursor_execute
        .listen(engine, move |_, _, statement, _, _, _| {
            seen.lock().unwrap().push(statement.to_owned());
        })
        .unwrap();
    sql
}

#[test]
fn an_insert_writes_both_stamps_in_its_own_insert_on_every_timestamped_model() {
    let db = stamped("stamps_insert");
    let sql = statements(&db.engine);
    db.session.add(&user("alice")).unwrap();
    db.session
        .add(&Obj::new(Post {
            id: None,
            title: "hello".into(),
            created_at: None,
            updated_at: None,
        }))
        .unwrap();
    db.session
        .add(&Obj::new(Tag {
            id: None,
            label: "news".into(),
        }))
        .unwrap();
    let before = now_micros().unwrap();
    db.session.commit().unwrap();
    let after = now_micros().unwrap();

    let written: Vec<String> = sql.lock().unwrap().clone();
    assert_eq!(
        written,
        [
            "INSERT INTO posts (title, created_at, updated_at) VALUES (?, ?, ?)",
            "INSERT INTO tags (label) VALUES (?)",
            "INSERT INTO users (name, created_at, updated_at) VALUES (?, ?, ?)",
        ]
    );
    for table in ["users", "posts"] {
        let [(created, updated)] = stamps_of(&db, table)[..] else {
            panic!("one {table} row");
        };
        assert_eq!(created, updated, "{table}: one stamp for both columns");
        assert!(
            (before..=after).contains(&created),
            "{table}: stamped in the flush"
        );
    }
}

#[test]
fn an_update_restamps_updated_at_only() {
    let db = stamped("stamps_update");
    let alice = user("alice");
    db.session.add(&alice).unwrap();
    db.session.commit().unwrap();
    let [(created, _)] = stamps_of(&db, "users")[..] else {
        panic!("one row");
    };

    alice.set(|u| u.name = "alice smith".into()).unwrap();
    let sql = statements(&db.engine);
    let before = now_micros().unwrap();
    db.session.commit().unwrap();
    let after = now_micros().unwrap();

    let written = sql.lock().unwrap().clone();
    assert_eq!(
        written.last().map(String::as_str),
        Some("UPDATE users SET name = ?, updated_at = ? WHERE id = ?")
    );
    let [(created_now, updated)] = stamps_of(&db, "users")[..] else {
        panic!("one row");
    };
    assert_eq!(created_now, created, "created_at is kept");
    assert!(
        (before..=after).contains(&updated),
        "updated_at is the update's"
    );
    assert_eq!(
        alice.value("updated_at").unwrap(),
        Value::Integer(updated),
        "the object holds what was written"
    );
}
