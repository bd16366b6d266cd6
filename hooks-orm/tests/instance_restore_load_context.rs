//! `restore_load_context`, modelled on SQLAlchemy's `test/orm/test_events.py`
//! (`RestoreLoadContextTest`): a `load` or `refresh` listener that refreshes the object it is
//! given starts a load run of its own, which then owns the object; with the modifier the
//! outer run is put back after the listener, without it the inner one stays. SQLite's
//! statements show the inner reload really ran.

mod object_trace;

use std::sync::{Arc, Mutex};

use hooks::{Class, Modifiers, ScopedListener};
use hooks_orm::{Mapped, Obj, instance_events as ie};
use object_trace::{Trace, database_of, take};

#[derive(Mapped, Debug)]
#[mapped(table = "notes")]
struct Note {
    #[column(primary_key)]
    id: Option<i64>,
    body: String,
}

/// The run ids a listener saw: (the outer run, the run the object had after the refresh).
type Seen = Arc<Mutex<Vec<(u64, Option<u64>)>>>;

fn refreshing_listener(seen: &Seen, modifiers: Modifiers) -> ScopedListener {
    let seen = Arc::clone(seen);
    ie::load
        .listen_with(Class::<Note>::new(), modifiers, move |target, context| {
            let note = target.downcast_ref::<Obj<Note>>().unwrap();
            context.session().refresh(note).unwrap();
            seen.lock()
                .unwrap()
                .push((context.run_id(), note.inspect().load_run()));
            Ok(())
        })
        .unwrap()
        .scoped()
}

#[test]
fn a_refresh_inside_load_keeps_its_run_unless_the_listener_restores_the_load_context() {
    let db = database_of::<Note>("restore_load_context");
    let trace = Trace::default();
    object_trace::session_trace::record_core(&db.engine, &trace);
    let conn = db.witness.connect().unwrap();
    conn.exec_driver_sql("INSERT INTO notes (id, body) VALUES (1, 'one')", ())
        .unwrap();
    conn.commit().unwrap();

    let seen = Seen::default();
    let listener = refreshing_listener(&seen, Modifiers::NONE);
    let plain = db.session.get::<Note>(1).unwrap().unwrap();
    let statements: Vec<String> = (take(&trace).into_iter())
        .filter(|line| line.starts_with("sql "))
        .collect();
    assert_eq!(
        statements,
        [
            "sql SELECT id, body FROM notes WHERE id = ?",
            "sql SELECT id, body FROM notes WHERE id = ?",
        ],
        "the load, then the listener's refresh"
    );
    let (outer, inside) = seen.lock().unwrap()[0];
    assert_ne!(inside, Some(outer), "the refresh ran a load of its own");
    assert_eq!(plain.inspect().load_run(), inside, "and its run stayed");
    drop(listener);

    db.session.expunge_all();
    let _restoring = refreshing_listener(
        &seen,
        Modifiers::NONE.custom("restore_load_context").unwrap(),
    );
    let restored = db.session.get::<Note>(1).unwrap().unwrap();
    let (outer, inside) = seen.lock().unwrap()[1];
    assert_ne!(inside, Some(outer));
    assert_eq!(
        restored.inspect().load_run(),
        Some(outer),
        "the modifier put the outer run back"
    );
}
