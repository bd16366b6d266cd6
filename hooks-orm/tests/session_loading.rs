//! Loading, modelled on SQLAlchemy's `test/orm/test_expire.py` and `test_query.py` basics:
//! `select` through the identity map with autoflush and `do_orm_execute`, `expire` of all or
//! some attributes and their lazy reload, `refresh`; the SQL SQLite received is the witness.

mod object_trace;

use hooks_orm::{ObjectState, SessionError, session_events as se};
use object_trace::{Labels, User, database, named, take, traced, user};

fn sql(trace: &object_trace::Trace) -> Vec<String> {
    take(trace)
        .into_iter()
        .filter(|l| l.starts_with("sql") || l.starts_with("do_orm_execute"))
        .collect()
}

#[test]
fn select_autoflushes_then_returns_the_identity_map_s_objects() {
    let db = database("select");
    let labels = Labels::default();
    let (ed, wendy) = (named(&labels, "ed"), named(&labels, "wendy"));
    db.session.add(&ed).unwrap();
    db.session.add(&wendy).unwrap();
    let trace = traced(&db, &labels);
    let t = std::sync::Arc::clone(&trace);
    se::do_orm_execute
        .listen(&db.session, move |state| {
            let sql = match state.statement().kind() {
                hooks_sql::StatementKind::Text(sql) => sql.clone(),
                other => format!("{other:?}"),
            };
            object_trace::push(&t, format!("do_orm_execute {sql}"));
            None
        })
        .unwrap();
    let found = db
        .session
        .select::<User>()
        .filter("name LIKE ?", ["%d%"])
        .order_by("name DESC")
        .all()
        .unwrap();
    assert_eq!(found.len(), 2);
    assert!(found[0].ptr_eq(&wendy) && found[1].ptr_eq(&ed));
    let select = "SELECT id, name, phone FROM users WHERE (name LIKE ?) ORDER BY name DESC";
    assert_eq!(
        sql(&trace),
        [
            // SQLAlchemy's order: `do_orm_execute` first, then the autoflush.
            format!("do_orm_execute {select}"),
            "sql INSERT INTO users (name, phone) VALUES (?, ?) ×2".to_owned(),
            format!("sql {select}"),
        ]
    );
    let first = db
        .session
        .select::<User>()
        .filter("id = ?", [1])
        .first()
        .unwrap()
        .unwrap();
    assert!(first.ptr_eq(&ed));
}

#[test]
fn a_row_not_in_the_session_is_loaded_as_persistent() {
    let db = database("select_new");
    let conn = db.witness.connect().unwrap();
    conn.exec_driver_sql("INSERT INTO users (id, name) VALUES (5, 'five')", ())
        .unwrap();
    conn.commit().unwrap();
    let labels = Labels::default();
    let trace = traced(&db, &labels);
    let all = db.session.select::<User>().all().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].object_state(), ObjectState::Persistent);
    assert!(take(&trace).contains(&"loaded_as_persistent ?".to_owned()));
    let again = db.session.get::<User>(5).unwrap().unwrap();
    assert!(again.ptr_eq(&all[0]));
}

#[test]
fn expire_of_some_attributes_reloads_only_those() {
    let db = database("expire_some");
    let labels = Labels::default();
    let u = named(&labels, "u1");
    db.session.add(&u).unwrap();
    db.session.flush().unwrap();
    u.set_attr("phone", "555").unwrap();
    u.set_attr("name", "unflushed").unwrap();
    let trace = traced(&db, &labels);
    db.session.expire_attributes(&u, &["name"]).unwrap();
    assert!(u.inspect().is_expired(1) && !u.inspect().is_expired(2));
    let name = u.read().unwrap().name.clone();
    assert_eq!(
        name, "u1",
        "the unflushed change was discarded and reloaded"
    );
    assert_eq!(sql(&trace), ["sql SELECT name FROM users WHERE id = ?"]);
    assert_eq!(u.read().unwrap().phone.as_deref(), Some("555"));
    assert!(u.history("phone").unwrap().has_changes());
    assert!(matches!(
        db.session.expire_attributes(&u, &["nope"]),
        Err(SessionError::NoSuchAttribute { .. })
    ));
}

#[test]
fn refresh_reloads_every_attribute_now() {
    let db = database("refresh");
    let labels = Labels::default();
    let u = named(&labels, "u1");
    db.session.add(&u).unwrap();
    db.session.commit().unwrap();
    let conn = db.witness.connect().unwrap();
    conn.exec_driver_sql("UPDATE users SET name = 'elsewhere'", ())
        .unwrap();
    conn.commit().unwrap();
    db.session.refresh(&u).unwrap();
    assert!(!u.inspect().any_expired());
    assert_eq!(u.read().unwrap().name, "elsewhere");
    let pending = user("pending");
    db.session.add(&pending).unwrap();
    assert!(matches!(
        db.session.refresh(&pending),
        Err(SessionError::NotPersisted)
    ));
}

#[test]
fn an_expired_object_whose_row_is_gone_is_a_typed_error() {
    let db = database("row_gone");
    let u = user("u1");
    db.session.add(&u).unwrap();
    db.session.commit().unwrap();
    let conn = db.witness.connect().unwrap();
    conn.exec_driver_sql("DELETE FROM users", ()).unwrap();
    conn.commit().unwrap();
    assert!(matches!(
        u.read(),
        Err(SessionError::RowNotPresent { class: "User" })
    ));
}
