//! `examples/soft_delete`: the example's own `do_orm_execute` listener, with the SQL SQLite
//! ran (Core's `before_cursor_execute`) and the rows it holds (read through a second engine
//! on the same file) as the witness: every SELECT of `Note` carries `deleted = 0`, the
//! soft-deleted rows stay in the table.

#[path = "../examples/soft_delete/recipe.rs"]
#[allow(dead_code, reason = "the example's module")]
mod recipe;

#[path = "session_trace/mod.rs"]
mod session_trace;

use hooks_orm::{Criterion, Registry, Session, SessionOptions};
use hooks_sql::{Engine, create_engine};
use recipe::{Note, install, note, soft_delete};
use session_trace::{Trace, record_core, take};

/// A session with the recipe's listener on a fresh file holding three notes (one
/// soft-deleted), its SQL trace, and a witness engine on that file.
fn soft_deleted(test: &str) -> (Session, Trace, Engine) {
    let url = session_trace::fresh_url(test);
    let (engine, witness) = (create_engine(&url).unwrap(), create_engine(&url).unwrap());
    let registry = Registry::new();
    registry.map::<Note>().unwrap();
    registry.create_all(&witness).unwrap();
    let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));
    install(&session).unwrap();
    for body in ["buy milk", "call mum", "pay rent"] {
        session.add(&note(body)).unwrap();
    }
    session.commit().unwrap();
    assert_eq!(
        soft_delete(&session, Criterion::eq("body", "call mum")).unwrap(),
        1
    );
    session.commit().unwrap();
    let trace = Trace::default();
    record_core(&engine, &trace);
    (session, trace, witness)
}

fn sql(trace: &Trace) -> Vec<String> {
    take(trace)
        .into_iter()
        .filter(|l| l.starts_with("sql"))
        .collect()
}

fn bodies(notes: &[hooks_orm::Obj<Note>]) -> Vec<String> {
    notes
        .iter()
        .map(|n| n.read().unwrap().body.clone())
        .collect()
}

#[test]
fn every_select_of_notes_carries_the_soft_delete_criteria() {
    let (session, trace, _witness) = soft_deleted("every_select");
    let selected = session
        .execute_orm(hooks_orm::select::<Note>().order_by("id"))
        .unwrap();
    let legacy = session
        .select::<Note>()
        .filter("body LIKE ?", ["%a%"])
        .all()
        .unwrap();
    let queried = session.query::<Note>().order_by("body DESC").all().unwrap();
    let counted = session.query::<Note>().count().unwrap();
    assert_eq!(bodies(&selected), ["buy milk", "pay rent"]);
    assert_eq!(bodies(&legacy), ["pay rent"]);
    assert_eq!(bodies(&queried), ["pay rent", "buy milk"]);
    assert_eq!(counted, 2);
    assert_eq!(
        sql(&trace),
        [
            "sql SELECT id, body, deleted FROM notes WHERE deleted = ? ORDER BY id",
            "sql SELECT id, body, deleted FROM notes WHERE (body LIKE ?) AND deleted = ?",
            "sql SELECT id, body, deleted FROM notes WHERE deleted = ? ORDER BY body DESC",
            "sql SELECT count(*) FROM (SELECT id, body, deleted FROM notes WHERE deleted = ?)",
        ]
    );
}

#[test]
fn the_rows_stay_and_sql_text_sees_them() {
    let (session, trace, witness) = soft_deleted("rows_stay");
    let all = session
        .execute("SELECT body, deleted FROM notes ORDER BY id", ())
        .unwrap();
    assert_eq!(all.rows().len(), 3, "text is not filtered");
    assert_eq!(
        sql(&trace),
        ["sql SELECT body, deleted FROM notes ORDER BY id"]
    );
    let conn = witness.connect().unwrap();
    let rows: Vec<String> = conn
        .exec_driver_sql("SELECT body, deleted FROM notes ORDER BY id", ())
        .unwrap()
        .rows()
        .iter()
        .map(|row| format!("{:?}", row.values()))
        .collect();
    conn.rollback().unwrap();
    assert_eq!(
        rows,
        [
            r#"[Text("buy milk"), Integer(0)]"#,
            r#"[Text("call mum"), Integer(1)]"#,
            r#"[Text("pay rent"), Integer(0)]"#,
        ]
    );
}

#[test]
fn a_loaded_note_soft_deleted_is_synchronized_and_no_longer_loaded() {
    let (session, _trace, _witness) = soft_deleted("synchronized");
    let milk = session
        .execute_orm(hooks_orm::select::<Note>().filter(Criterion::eq("body", "buy milk")))
        .unwrap()
        .remove(0);
    let id = milk.read().unwrap().id.unwrap(); // no read guard held across the update
    soft_delete(&session, Criterion::eq("id", id)).unwrap();
    assert_eq!(milk.read().unwrap().deleted, 1, "the loaded note learnt it");
    assert!(session.dirty().is_empty());
    let left = session.query::<Note>().all().unwrap();
    assert_eq!(bodies(&left), ["pay rent"]);
}
