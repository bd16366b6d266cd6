//! `refresh_flush`, modelled on SQLAlchemy's `test/orm/test_events.py`
//! (`RefreshFlushInReturningTest`): a column with a server default left `None` is read back
//! with `INSERT … RETURNING` and `refresh_flush` names it, between the INSERT and
//! `after_insert`; a generated primary key is never among the names; an object that gives the
//! column a value sends it and fires nothing; a failed flush takes the fetched value back.
//! SQLite's statements and rows are the witness.

mod object_trace;

#[path = "instance_common/mod.rs"]
mod instance_common;

use hooks_orm::{ListenerError, Mapped, Obj, mapper_events as me, session_events as se};
use instance_common::record_instance;
use object_trace::{Labels, Trace, committed, database_of, push, take};

#[derive(Mapped, Debug)]
#[mapped(table = "tickets")]
struct Ticket {
    #[column(primary_key)]
    id: Option<i64>,
    title: String,
    #[column(server_default = "'open'")]
    status: Option<String>,
    #[column(server_default = "42")]
    priority: Option<i64>,
}

fn ticket(labels: &Labels, title: &str, status: Option<&str>) -> Obj<Ticket> {
    let t = Obj::new(Ticket {
        id: None,
        title: title.into(),
        status: status.map(Into::into),
        priority: None,
    });
    labels.name(&t, title);
    t
}

#[test]
fn server_defaults_are_returned_by_the_insert_and_named_by_refresh_flush() {
    let db = database_of::<Ticket>("refresh_flush");
    let (trace, labels) = (Trace::default(), Labels::default());
    object_trace::session_trace::record_core(&db.engine, &trace);
    let (inserted, t) = (labels.clone(), std::sync::Arc::clone(&trace));
    me::after_insert
        .listen(&db.registry, move |_, _, target| {
            let ticket = instance_common::obj::<Ticket>(target);
            let status = ticket.read().unwrap().status.clone();
            push(
                &t,
                format!("after_insert {} status={status:?}", inserted.of(target)),
            );
        })
        .unwrap();
    record_instance::<Ticket>(&trace, &labels);
    let open = ticket(&labels, "a", None);
    let closed = ticket(&labels, "b", Some("closed"));
    db.session.add(&open).unwrap();
    db.session.add(&closed).unwrap();
    take(&trace);

    db.session.flush().unwrap();
    let flushed: Vec<String> = take(&trace)
        .into_iter()
        .filter(|line| !line.starts_with("core "))
        .collect();
    assert_eq!(
        flushed,
        [
            "sql INSERT INTO tickets (title) VALUES (?) RETURNING status, priority",
            "refresh_flush a status,priority",
            "sql INSERT INTO tickets (title, status) VALUES (?, ?) RETURNING priority",
            "refresh_flush b priority",
            r#"after_insert a status=Some("open")"#,
            r#"after_insert b status=Some("closed")"#,
        ]
    );
    assert_eq!(open.read().unwrap().priority, Some(42));
    assert_eq!(open.read().unwrap().id, Some(1));
    db.session.commit().unwrap();
    assert_eq!(
        committed(
            &db,
            "SELECT id, title, status, priority FROM tickets ORDER BY id"
        ),
        [
            r#"[Integer(1), Text("a"), Text("open"), Integer(42)]"#,
            r#"[Integer(2), Text("b"), Text("closed"), Integer(42)]"#,
        ]
    );

    // A flush that fails after the INSERT: the row is rolled back, the fetched values too.
    let _fail = se::after_flush
        .listen(&db.session, |_, _| {
            Err(ListenerError::new("refused after the INSERT"))
        })
        .unwrap();
    let failed = ticket(&labels, "c", None);
    db.session.add(&failed).unwrap();
    assert!(db.session.flush().is_err());
    assert!(take(&trace).contains(&"refresh_flush c status,priority".to_owned()));
    let failed = failed.read().unwrap();
    assert_eq!(
        (failed.id, failed.status.as_deref(), failed.priority),
        (None, None, None)
    );
    assert_eq!(
        committed(&db, "SELECT count(*) FROM tickets"),
        ["[Integer(2)]"]
    );
}
