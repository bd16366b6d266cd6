//! The synchronization of loaded objects after an ORM UPDATE or DELETE (SQLAlchemy's
//! `synchronize_session`, `test/orm/dml/test_update_delete.py`): `Evaluate` in memory,
//! `Fetch` by a SELECT of the matched keys, `Auto` choosing, `None` leaving objects stale;
//! updated objects are not dirty, deleted ones become deleted then detached at commit.

mod object_trace;

use hooks_orm::{Criterion, Obj, ObjectState, SessionError, Synchronize};
use object_trace::{Db, Labels, Trace, User, committed, database, take, traced, user};

/// Three committed users (ed 1, wendy 2, jack 3), loaded in the session.
fn loaded(test: &str) -> (Db, Vec<Obj<User>>) {
    let db = database(test);
    let users: Vec<Obj<User>> = ["ed", "wendy", "jack"].into_iter().map(user).collect();
    for u in &users {
        db.session.add(u).unwrap();
    }
    db.session.commit().unwrap();
    for u in &users {
        drop(u.read().unwrap()); // reload what the commit expired
    }
    (db, users)
}

fn sql(trace: &Trace) -> Vec<String> {
    take(trace)
        .into_iter()
        .filter(|l| l.starts_with("sql"))
        .collect()
}

fn names(users: &[Obj<User>]) -> Vec<String> {
    users
        .iter()
        .map(|u| u.read().unwrap().name.clone())
        .collect()
}

#[test]
fn evaluate_gives_matching_loaded_objects_the_new_values_without_making_them_dirty() {
    let (db, users) = loaded("evaluate_update");
    let trace = traced(&db, &Labels::default());
    let result = db
        .session
        .execute_orm(
            hooks_orm::update::<User>()
                .values([("phone", "555")])
                .filter(Criterion::ne("name", "wendy"))
                .synchronize(Synchronize::Evaluate),
        )
        .unwrap();
    assert_eq!(result.rowcount(), Some(2));
    assert_eq!(
        sql(&trace),
        ["sql UPDATE users SET phone = ? WHERE name != ?"],
        "evaluated in memory: no SELECT"
    );
    let phones: Vec<Option<String>> = users
        .iter()
        .map(|u| u.read().unwrap().phone.clone())
        .collect();
    assert_eq!(phones, [Some("555".into()), None, Some("555".into())]);
    assert!(db.session.dirty().is_empty(), "not dirty");
    assert!(!users[0].history("phone").unwrap().has_changes());
    db.session.commit().unwrap();
    assert_eq!(
        committed(&db, "SELECT name, phone FROM users ORDER BY id"),
        [
            r#"[Text("ed"), Text("555")]"#,
            r#"[Text("wendy"), Null]"#,
            r#"[Text("jack"), Text("555")]"#,
        ]
    );
}

#[test]
fn fetch_selects_the_matched_keys_before_the_update() {
    let (db, users) = loaded("fetch_update");
    let trace = traced(&db, &Labels::default());
    db.session
        .execute_orm(
            hooks_orm::update::<User>()
                .values([("name", "someone")])
                .filter(Criterion::sql("length(name) = ?", [4]))
                .synchronize(Synchronize::Fetch),
        )
        .unwrap();
    assert_eq!(
        sql(&trace),
        [
            "sql SELECT id FROM users WHERE (length(name) = ?)",
            "sql UPDATE users SET name = ? WHERE (length(name) = ?)",
        ]
    );
    assert_eq!(names(&users), ["ed", "wendy", "someone"]);
}

#[test]
fn auto_evaluates_when_it_can_and_fetches_when_it_cannot() {
    let (db, users) = loaded("auto");
    let trace = traced(&db, &Labels::default());
    db.session
        .execute_orm(
            hooks_orm::update::<User>()
                .values([("phone", "1")])
                .filter(Criterion::eq("id", 1).or(Criterion::eq("id", 3))),
        )
        .unwrap();
    db.session
        .execute_orm(
            hooks_orm::update::<User>()
                .values([("phone", "2")])
                .filter(Criterion::sql("name LIKE ?", ["w%"])),
        )
        .unwrap();
    // A text value compared with an integer column: SQLite would convert, so not evaluated.
    db.session
        .execute_orm(
            hooks_orm::update::<User>()
                .values([("name", "ED")])
                .filter(Criterion::eq("id", "1")),
        )
        .unwrap();
    assert_eq!(
        sql(&trace),
        [
            "sql UPDATE users SET phone = ? WHERE (id = ? OR id = ?)",
            "sql SELECT id FROM users WHERE (name LIKE ?)",
            "sql UPDATE users SET phone = ? WHERE (name LIKE ?)",
            "sql SELECT id FROM users WHERE id = ?",
            "sql UPDATE users SET name = ? WHERE id = ?",
        ]
    );
    let phones: Vec<Option<String>> = users
        .iter()
        .map(|u| u.read().unwrap().phone.clone())
        .collect();
    assert_eq!(
        phones,
        [Some("1".into()), Some("2".into()), Some("1".into())]
    );
    assert_eq!(names(&users), ["ED", "wendy", "jack"]);
}

#[test]
fn evaluate_refuses_criteria_it_cannot_evaluate_before_anything_runs() {
    let (db, users) = loaded("evaluate_refused");
    let trace = traced(&db, &Labels::default());
    let err = db
        .session
        .execute_orm(
            hooks_orm::delete::<User>()
                .filter(Criterion::sql("name LIKE ?", ["%e%"]))
                .synchronize(Synchronize::Evaluate),
        )
        .unwrap_err();
    assert!(matches!(err, SessionError::NotEvaluable { .. }));
    assert_eq!(
        err.to_string(),
        "could not evaluate the criteria in memory: `(name LIKE ?)` is SQL text; use \
         `Synchronize::Fetch` (or `Synchronize::None`)"
    );
    let err = db
        .session
        .execute_orm(
            hooks_orm::update::<User>()
                .values([("phone", "x")])
                .filter(Criterion::eq("name", 7))
                .synchronize(Synchronize::Evaluate),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not evaluate the criteria in memory: column `name` (TEXT) is compared with an \
         integer; use `Synchronize::Fetch` (or `Synchronize::None`)"
    );
    assert_eq!(sql(&trace), Vec::<String>::new(), "nothing ran");
    assert_eq!(names(&users), ["ed", "wendy", "jack"]);
    db.session.expunge_all();
    let err = db
        .session
        .execute_orm(
            hooks_orm::delete::<User>()
                .filter(Criterion::eq("id", "1"))
                .synchronize(Synchronize::Evaluate),
        )
        .unwrap_err();
    assert!(
        matches!(err, SessionError::NotEvaluable { ref reason } if reason == "column `id` (INTEGER) is compared with text"),
        "refused with no object loaded too: {err}"
    );
}

#[test]
fn none_leaves_loaded_objects_stale_until_refreshed() {
    let (db, users) = loaded("none");
    db.session
        .execute_orm(
            hooks_orm::update::<User>()
                .values([("name", "renamed")])
                .synchronize(Synchronize::None),
        )
        .unwrap();
    assert_eq!(names(&users), ["ed", "wendy", "jack"]);
    db.session.refresh(&users[0]).unwrap();
    assert_eq!(users[0].read().unwrap().name, "renamed");
}

#[test]
fn a_bulk_delete_makes_matched_objects_deleted_then_detached_at_commit() {
    let (db, users) = loaded("delete");
    let labels = Labels::default();
    for (u, name) in users.iter().zip(["ed", "wendy", "jack"]) {
        labels.name(u, name);
    }
    let trace = traced(&db, &labels);
    let result = db
        .session
        .execute_orm(hooks_orm::delete::<User>().filter(Criterion::le("id", 2)))
        .unwrap();
    assert_eq!(result.rowcount(), Some(2));
    assert_eq!(users[0].object_state(), ObjectState::Deleted);
    assert_eq!(users[1].object_state(), ObjectState::Deleted);
    assert_eq!(users[2].object_state(), ObjectState::Persistent);
    assert!(db.session.get::<User>(1).unwrap().is_none());
    db.session.commit().unwrap();
    assert_eq!(users[0].object_state(), ObjectState::Detached);
    let lines: Vec<String> = take(&trace)
        .into_iter()
        .filter(|l| l.contains("deleted") || l.starts_with("sql"))
        .collect();
    assert_eq!(
        lines,
        [
            "sql DELETE FROM users WHERE id <= ?",
            "persistent_to_deleted ed",
            "persistent_to_deleted wendy",
            // `get(1)`: no longer in the identity map, so looked up (and not found).
            "sql SELECT id, name, phone FROM users WHERE id = ?",
            "deleted_to_detached ed",
            "deleted_to_detached wendy",
        ]
    );
    assert_eq!(
        committed(&db, "SELECT name FROM users"),
        [r#"[Text("jack")]"#]
    );
}

#[test]
fn objects_whose_criteria_columns_are_expired_are_expired_rather_than_guessed() {
    let (db, users) = loaded("expired");
    db.session.expire(&users[1]).unwrap();
    let trace = traced(&db, &Labels::default());
    db.session
        .execute_orm(
            hooks_orm::update::<User>()
                .values([("phone", "9")])
                .filter(Criterion::eq("name", "wendy"))
                .synchronize(Synchronize::Evaluate),
        )
        .unwrap();
    assert_eq!(
        sql(&trace),
        ["sql UPDATE users SET phone = ? WHERE name = ?"]
    );
    assert_eq!(users[1].read().unwrap().phone.as_deref(), Some("9"));
    assert_eq!(
        sql(&trace),
        ["sql SELECT id, name, phone FROM users WHERE id = ?"],
        "reloaded on read"
    );
}

/// A `do_orm_execute` answer to an UPDATE means the session ran nothing: nothing is
/// synchronized either.
#[test]
fn an_update_answered_by_a_listener_synchronizes_nothing() {
    let (db, users) = loaded("answered");
    let answer = db.session.execute("SELECT 1", ()).unwrap();
    hooks_orm::session_events::do_orm_execute
        .listen(&db.session, move |state| {
            state.is_update().then(|| answer.clone())
        })
        .unwrap();
    let trace = traced(&db, &Labels::default());
    db.session
        .execute_orm(hooks_orm::update::<User>().values([("name", "nobody")]))
        .unwrap();
    assert_eq!(sql(&trace), Vec::<String>::new());
    assert_eq!(names(&users), ["ed", "wendy", "jack"]);
    assert_eq!(
        committed(&db, "SELECT name FROM users ORDER BY id"),
        [r#"[Text("ed")]"#, r#"[Text("wendy")]"#, r#"[Text("jack")]"#]
    );
}
