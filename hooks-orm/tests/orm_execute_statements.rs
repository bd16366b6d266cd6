//! `Session::execute_orm` of `select`, `update` and `delete`, modelled on SQLAlchemy's
//! `test/orm/test_events.py` `ORMExecuteTest`: what `do_orm_execute` sees of each statement
//! (`is_select`/`is_update`/`is_delete`, the mapper), criteria added by listeners and seen
//! by the next one and by SQLite, a listener's answer, and text statements unchanged. The
//! SQL SQLite received and its rows are the witness.

mod object_trace;

use std::sync::Arc;

use hooks_orm::{Criterion, Mapped, OrmExecuteState, SessionError, session_events as se};
use hooks_sql::{CursorResult, Value};
use object_trace::{Db, Labels, Trace, User, committed, database, push, take, traced, user};

/// Records each `do_orm_execute` as `do_orm_execute <kind> <mapper table> <sql>`.
fn describe(state: &OrmExecuteState<'_>) -> String {
    let kind = match (state.is_select(), state.is_update(), state.is_delete()) {
        (true, _, _) => "select",
        (_, true, _) => "update",
        (_, _, true) => "delete",
        _ => "text",
    };
    let table = state.bind_mapper().map_or("-", |m| m.table());
    let sql = state.statement().compile(&hooks_sql::Dialect::sqlite());
    format!("do_orm_execute {kind} {table} {sql}")
}

fn sql_and_execute(trace: &Trace) -> Vec<String> {
    take(trace)
        .into_iter()
        .filter(|l| l.starts_with("sql") || l.starts_with("do_orm_execute"))
        .collect()
}

fn listen_describe(db: &Db, trace: &Trace) {
    let t = Arc::clone(trace);
    se::do_orm_execute
        .listen(&db.session, move |state| {
            push(&t, describe(state));
            None
        })
        .unwrap();
}

/// Three committed users: ed (1), wendy (2), jack (3).
fn three_users(test: &str) -> Db {
    let db = database(test);
    for name in ["ed", "wendy", "jack"] {
        db.session.add(&user(name)).unwrap();
    }
    db.session.commit().unwrap();
    db
}

#[test]
fn each_statement_kind_fires_do_orm_execute_with_its_mapper_before_its_sql() {
    let db = three_users("kinds");
    let trace = traced(&db, &Labels::default());
    listen_describe(&db, &trace);
    let found = db
        .session
        .execute_orm(
            hooks_orm::select::<User>()
                .filter(Criterion::ne("name", "jack"))
                .order_by("name"),
        )
        .unwrap();
    let names: Vec<String> = found
        .iter()
        .map(|u| u.read().unwrap().name.clone())
        .collect();
    assert_eq!(names, ["ed", "wendy"]);
    let updated = db
        .session
        .execute_orm(
            hooks_orm::update::<User>()
                .values([("phone", "555")])
                .filter(Criterion::eq("name", "ed")),
        )
        .unwrap();
    assert_eq!(updated.rowcount(), Some(1));
    let deleted = db
        .session
        .execute_orm(hooks_orm::delete::<User>().filter(Criterion::eq("name", "jack")))
        .unwrap();
    assert_eq!(deleted.rowcount(), Some(1));
    let text = db
        .session
        .execute("SELECT count(*) FROM users", ())
        .unwrap();
    assert_eq!(text.scalar().and_then(Value::as_i64), Some(2));
    assert_eq!(
        sql_and_execute(&trace),
        [
            "do_orm_execute select users SELECT id, name, phone FROM users WHERE name != ? ORDER BY name",
            "sql SELECT id, name, phone FROM users WHERE name != ? ORDER BY name",
            "do_orm_execute update users UPDATE users SET phone = ? WHERE name = ?",
            "sql UPDATE users SET phone = ? WHERE name = ?",
            "do_orm_execute delete users DELETE FROM users WHERE name = ?",
            "sql DELETE FROM users WHERE name = ?",
            "do_orm_execute text - SELECT count(*) FROM users",
            "sql SELECT count(*) FROM users",
        ]
    );
    db.session.commit().unwrap();
    assert_eq!(
        committed(&db, "SELECT id, name, phone FROM users ORDER BY id"),
        [
            r#"[Integer(1), Text("ed"), Text("555")]"#,
            r#"[Integer(2), Text("wendy"), Null]"#,
        ]
    );
}

#[test]
fn all_mappers_and_criteria_describe_the_statement() {
    let db = three_users("mappers");
    let seen = Trace::default();
    let s = Arc::clone(&seen);
    se::do_orm_execute
        .listen(&db.session, move |state| {
            let mappers: Vec<&str> = state.all_mappers().iter().map(|m| m.table()).collect();
            let criteria: Vec<String> = state.criteria().iter().map(ToString::to_string).collect();
            push(
                &s,
                format!("{mappers:?} {criteria:?} orm={}", state.is_orm_statement()),
            );
            None
        })
        .unwrap();
    db.session
        .execute_orm(hooks_orm::select::<User>().filter(Criterion::gt("id", 1)))
        .unwrap();
    db.session.execute("SELECT 1", ()).unwrap();
    assert_eq!(
        take(&seen),
        [r#"["users"] ["id > ?"] orm=true"#, "[] [] orm=false"]
    );
}

/// `ORMExecuteTest.test_chained_events`-like: the second listener sees what the first
/// added, and SQLite runs both criteria.
#[test]
fn criteria_added_by_one_listener_are_seen_by_the_next_and_by_sqlite() {
    let db = three_users("chain");
    let trace = traced(&db, &Labels::default());
    se::do_orm_execute
        .listen(&db.session, |state| {
            state.add_criteria(Criterion::ne("name", "wendy")).unwrap();
            None
        })
        .unwrap();
    listen_describe(&db, &trace);
    let found = db
        .session
        .execute_orm(hooks_orm::select::<User>().filter(Criterion::lt("id", 3)))
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].read().unwrap().name, "ed");
    assert_eq!(
        sql_and_execute(&trace),
        [
            "do_orm_execute select users SELECT id, name, phone FROM users WHERE id < ? AND name != ?",
            "sql SELECT id, name, phone FROM users WHERE id < ? AND name != ?",
        ]
    );
}

#[test]
fn with_loader_criteria_filters_the_selects_of_its_class_only() {
    let db = three_users("loader_criteria");
    let applied = Trace::default();
    let a = Arc::clone(&applied);
    se::do_orm_execute
        .listen(&db.session, move |state| {
            let did = state
                .with_loader_criteria(User::MAPPER, Criterion::ne("name", "ed"))
                .unwrap();
            push(&a, format!("{} {did}", describe(state)));
            None
        })
        .unwrap();
    let found = db.session.execute_orm(hooks_orm::select::<User>()).unwrap();
    assert_eq!(found.len(), 2, "ed is filtered out");
    let legacy = db.session.select::<User>().all().unwrap();
    assert_eq!(legacy.len(), 2, "Session::select is the same statement");
    let audits = db
        .session
        .execute_orm(hooks_orm::select::<object_trace::Audit>())
        .unwrap();
    assert!(audits.is_empty());
    let renamed = db
        .session
        .execute_orm(hooks_orm::update::<User>().values([("phone", "1")]))
        .unwrap();
    assert_eq!(renamed.rowcount(), Some(3), "an UPDATE is left alone");
    assert_eq!(
        take(&applied),
        [
            "do_orm_execute select users SELECT id, name, phone FROM users WHERE name != ? true",
            "do_orm_execute select users SELECT id, name, phone FROM users WHERE name != ? true",
            "do_orm_execute select audit SELECT id, note FROM audit false",
            "do_orm_execute update users UPDATE users SET phone = ? false",
        ]
    );
}

/// A listener answering a SELECT (a cache): nothing runs, and the answer's rows are
/// loaded through the identity map.
#[test]
fn a_listener_s_answer_to_a_select_is_loaded_without_running_it() {
    let db = three_users("answer");
    let cached: CursorResult = db
        .session
        .execute("SELECT id, name, phone FROM users WHERE id = 2", ())
        .unwrap();
    let wendy = db.session.get::<User>(2).unwrap().unwrap();
    let trace = traced(&db, &Labels::default());
    se::do_orm_execute
        .listen(&db.session, move |state| {
            state.is_select().then(|| cached.clone())
        })
        .unwrap();
    let found = db
        .session
        .execute_orm(hooks_orm::select::<User>().filter(Criterion::eq("name", "nobody")))
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].ptr_eq(&wendy), "the identity map's object");
    assert_eq!(sql_and_execute(&trace), Vec::<String>::new(), "no SQL ran");
}

#[test]
fn criteria_on_text_or_on_unknown_columns_are_typed_errors() {
    let db = three_users("errors");
    let outcome = Trace::default();
    let o = Arc::clone(&outcome);
    se::do_orm_execute
        .listen(&db.session, move |state| {
            let err = state.add_criteria(Criterion::eq("nope", 1)).unwrap_err();
            push(&o, err.to_string());
            None
        })
        .unwrap();
    db.session.execute("SELECT 1", ()).unwrap();
    db.session.execute_orm(hooks_orm::select::<User>()).unwrap();
    assert_eq!(
        take(&outcome),
        [
            "criteria can only be added to an ORM statement (`select`, `update`, `delete`, a \
             `Query`), not to SQL text",
            "'User' has no mapped attribute 'nope'",
        ]
    );
    let err = db
        .session
        .execute_orm(hooks_orm::update::<User>().values([("missing", 1)]))
        .unwrap_err();
    assert!(matches!(err, SessionError::NoSuchAttribute { ref name, .. } if name == "missing"));
}

/// `do_orm_execute` fires before the autoflush, as SQLAlchemy's does.
#[test]
fn do_orm_execute_fires_before_the_autoflush() {
    let db = database("autoflush");
    let trace = traced(&db, &Labels::default());
    listen_describe(&db, &trace);
    db.session.add(&user("ed")).unwrap();
    let found = db.session.execute_orm(hooks_orm::select::<User>()).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        sql_and_execute(&trace),
        [
            "do_orm_execute select users SELECT id, name, phone FROM users",
            "sql INSERT INTO users (name, phone) VALUES (?, ?)",
            "sql SELECT id, name, phone FROM users",
        ]
    );
}
