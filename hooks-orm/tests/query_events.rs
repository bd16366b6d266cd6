//! The legacy `Query` and `QueryEvents`, modelled on SQLAlchemy's `test/orm/test_events.py`
//! `QueryEventsTest` and the `after_bulk_*` tests of `SessionEventsTest`: `before_compile`
//! chained as retval listeners, `before_compile_update`/`_delete` changing the query and the
//! values, `SessionEvents` `after_bulk_update`/`after_bulk_delete` after the synchronization;
//! listeners on one session. SQLite's rows and SQL are the witness.

mod object_trace;

use std::sync::Arc;

use hooks::Modifiers;
use hooks_orm::{AnyQuery, Criterion, SessionError, query_events as qe, session_events as se};
use hooks_sql::Value;
use object_trace::{Audit, Db, Labels, Trace, User, committed, database, push, take, traced, user};

fn three_users(test: &str) -> Db {
    let db = database(test);
    for name in ["ed", "wendy", "jack"] {
        db.session.add(&user(name)).unwrap();
    }
    db.session.commit().unwrap();
    db
}

fn criteria(query: &AnyQuery) -> Vec<String> {
    query.criteria().iter().map(ToString::to_string).collect()
}

/// Records `do_orm_execute` and the SQL, next to the query events.
fn traced_execute(db: &Db) -> Trace {
    let trace = traced(db, &Labels::default());
    let t = Arc::clone(&trace);
    se::do_orm_execute
        .listen(&db.session, move |state| {
            push(
                &t,
                format!(
                    "do_orm_execute {}",
                    state.statement().compile(&hooks_sql::Dialect::sqlite())
                ),
            );
            None
        })
        .unwrap();
    trace
}

fn events_and_sql(trace: &Trace) -> Vec<String> {
    take(trace)
        .into_iter()
        .filter(|l| {
            [
                "sql",
                "do_orm_execute",
                "before_compile",
                "after_bulk",
                "persistent_to",
            ]
            .iter()
            .any(|p| l.starts_with(p))
        })
        .collect()
}

/// `test_before_compile_retval`-like: each retval listener receives the previous one's
/// query; a plain listener only looks.
#[test]
fn before_compile_listeners_chain_the_query_they_return() {
    let db = three_users("before_compile");
    let trace = traced_execute(&db);
    let t = Arc::clone(&trace);
    qe::before_compile
        .listen_retval(&db.session, Modifiers::NONE, move |query| {
            push(&t, format!("before_compile first {:?}", criteria(query)));
            query.clone().filter(Criterion::ne("name", "ed"))
        })
        .unwrap();
    let t = Arc::clone(&trace);
    qe::before_compile
        .listen(&db.session, move |query| {
            push(&t, format!("before_compile looks {:?}", criteria(query)));
        })
        .unwrap();
    let t = Arc::clone(&trace);
    qe::before_compile
        .listen_retval(&db.session, Modifiers::NONE, move |query| {
            push(&t, format!("before_compile second {:?}", criteria(query)));
            query.clone().order_by("name DESC")
        })
        .unwrap();
    let found = db
        .session
        .query::<User>()
        .filter(Criterion::gt("id", 0))
        .all()
        .unwrap();
    let names: Vec<String> = found
        .iter()
        .map(|u| u.read().unwrap().name.clone())
        .collect();
    assert_eq!(names, ["wendy", "jack"]);
    let select = "SELECT id, name, phone FROM users WHERE id > ? AND name != ? ORDER BY name DESC";
    assert_eq!(
        events_and_sql(&trace),
        [
            r#"before_compile first ["id > ?"]"#.to_owned(),
            r#"before_compile looks ["id > ?", "name != ?"]"#.to_owned(),
            r#"before_compile second ["id > ?", "name != ?"]"#.to_owned(),
            format!("do_orm_execute {select}"),
            format!("sql {select}"),
        ]
    );
    assert_eq!(db.session.query::<User>().count().unwrap(), 2);
    assert_eq!(
        events_and_sql(&trace)[3..],
        [
            "do_orm_execute SELECT count(*) FROM (SELECT id, name, phone FROM users WHERE name != ?)",
            "sql SELECT count(*) FROM (SELECT id, name, phone FROM users WHERE name != ?)",
        ]
    );
}

#[test]
fn query_update_fires_before_compile_update_then_executes_synchronizes_and_after_bulk_update() {
    let db = three_users("update");
    let wendy = db.session.get::<User>(2).unwrap().unwrap();
    let trace = traced_execute(&db);
    let t = Arc::clone(&trace);
    qe::before_compile_update
        .listen_retval(&db.session, Modifiers::NONE, move |query, context| {
            push(
                &t,
                format!(
                    "before_compile_update {:?} {:?}",
                    criteria(query),
                    context.values
                ),
            );
            context
                .values
                .push(("phone".into(), Value::from("changed")));
            query.clone().filter(Criterion::ne("name", "jack"))
        })
        .unwrap();
    let t = Arc::clone(&trace);
    se::after_bulk_update
        .listen(&db.session, move |context| {
            push(
                &t,
                format!(
                    "after_bulk_update {:?} rowcount={:?} values={}",
                    criteria(&context.query),
                    context
                        .result
                        .as_ref()
                        .and_then(hooks_sql::CursorResult::rowcount),
                    context.values.len()
                ),
            );
        })
        .unwrap();
    let result = db
        .session
        .query::<User>()
        .filter(Criterion::ge("id", 2))
        .update([("name", "x")])
        .unwrap();
    assert_eq!(result.rowcount(), Some(1));
    assert_eq!(
        wendy.read().unwrap().name,
        "x",
        "synchronized before after_bulk_update"
    );
    assert_eq!(wendy.read().unwrap().phone.as_deref(), Some("changed"));
    let update = "UPDATE users SET name = ?, phone = ? WHERE id >= ? AND name != ?";
    assert_eq!(
        events_and_sql(&trace),
        [
            r#"before_compile_update ["id >= ?"] [("name", Text("x"))]"#.to_owned(),
            format!("do_orm_execute {update}"),
            format!("sql {update}"),
            r#"after_bulk_update ["id >= ?", "name != ?"] rowcount=Some(1) values=2"#.to_owned(),
        ]
    );
    db.session.commit().unwrap();
    assert_eq!(
        committed(&db, "SELECT name, phone FROM users ORDER BY id"),
        [
            r#"[Text("ed"), Null]"#,
            r#"[Text("x"), Text("changed")]"#,
            r#"[Text("jack"), Null]"#,
        ]
    );
}

#[test]
fn query_delete_fires_before_compile_delete_then_after_bulk_delete() {
    let db = three_users("delete");
    let labels = Labels::default();
    let ed = db.session.get::<User>(1).unwrap().unwrap();
    labels.name(&ed, "ed");
    let trace = traced(&db, &labels);
    let t = Arc::clone(&trace);
    qe::before_compile_delete
        .listen_retval(&db.session, Modifiers::NONE, move |query, context| {
            assert!(context.result.is_none());
            push(&t, format!("before_compile_delete {:?}", criteria(query)));
            query.clone().filter(Criterion::lt("id", 3))
        })
        .unwrap();
    let t = Arc::clone(&trace);
    se::after_bulk_delete
        .listen(&db.session, move |context| {
            push(
                &t,
                format!(
                    "after_bulk_delete {} rowcount={:?}",
                    context.query.class().class_name,
                    context
                        .result
                        .as_ref()
                        .and_then(hooks_sql::CursorResult::rowcount)
                ),
            );
        })
        .unwrap();
    let result = db
        .session
        .query::<User>()
        .filter(Criterion::ne("name", "wendy"))
        .delete()
        .unwrap();
    assert_eq!(result.rowcount(), Some(1));
    assert_eq!(
        events_and_sql(&trace),
        [
            r#"before_compile_delete ["name != ?"]"#,
            "sql DELETE FROM users WHERE name != ? AND id < ?",
            "persistent_to_deleted ed",
            "after_bulk_delete User rowcount=Some(1)",
        ]
    );
    db.session.commit().unwrap();
    assert_eq!(
        committed(&db, "SELECT name FROM users ORDER BY id"),
        [r#"[Text("wendy")]"#, r#"[Text("jack")]"#]
    );
}

#[test]
fn a_listener_returning_a_query_of_another_class_is_a_typed_error() {
    let db = three_users("wrong_class");
    qe::before_compile
        .listen_retval(&db.session, Modifiers::NONE, |_query| audit_query())
        .unwrap();
    let err = db.session.query::<User>().all().unwrap_err();
    assert!(matches!(
        err,
        SessionError::WrongClass {
            expected: "User",
            from: "before_compile"
        }
    ));
    assert_eq!(
        err.to_string(),
        "a `before_compile` listener returned an object or query of another class than `User`"
    );
}

/// A query of `Audit`, built by a throwaway session's `query` (the only way to get an
/// `AnyQuery` is from a query's events).
fn audit_query() -> AnyQuery {
    let engine = hooks_sql::create_engine("sqlite://").unwrap();
    let registry = hooks_orm::Registry::new();
    registry.map::<Audit>().unwrap();
    registry.create_all(&engine).unwrap();
    let session = hooks_orm::Session::with_options(
        &engine,
        hooks_orm::SessionOptions::new().registry(&registry),
    );
    let holder = Arc::new(std::sync::Mutex::new(None));
    let h = Arc::clone(&holder);
    qe::before_compile
        .listen(&session, move |query| {
            *h.lock().unwrap() = Some(query.clone());
        })
        .unwrap();
    session.query::<Audit>().sql().unwrap();
    holder.lock().unwrap().take().unwrap()
}

#[test]
fn first_and_sql_compile_through_before_compile_too() {
    let db = three_users("first");
    let seen = Trace::default();
    let s = Arc::clone(&seen);
    qe::before_compile
        .listen_retval(&db.session, Modifiers::NONE, move |query| {
            push(&s, "before_compile");
            query.clone().filter(Criterion::eq("name", "jack"))
        })
        .unwrap();
    let sql = db.session.query::<User>().sql().unwrap();
    assert_eq!(sql, "SELECT id, name, phone FROM users WHERE name = ?");
    let jack = db.session.query::<User>().first().unwrap().unwrap();
    assert_eq!(jack.read().unwrap().id, Some(3));
    assert_eq!(take(&seen), ["before_compile", "before_compile"]);
}
