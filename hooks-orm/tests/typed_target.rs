//! Static listeners on a mapped class take its objects as `&Obj<Ticket>`, not erased: the
//! persistence, instance and attribute events each hand the listener the typed handle, which
//! reads and writes the object through the same evented paths. `before_insert` writes the
//! slug through the handle (SQLite's row is the witness), `set` reads the object's other
//! attributes while it is written, `load` and `expire` see the loaded object, and a listener
//! taking the family's erased `&AnyInstance` on the same class still works beside them.

#[path = "session_trace/mod.rs"]
mod session_trace;

use session_trace::{StaticTrace, committed_text_pairs};

use hooks_orm::{
    AnyInstance, Initiator, ListenerError, LoadContext, Mapped, Mapper, Obj, Registry, Session,
    SessionOptions,
};
use hooks_sql::{Connection, Value, create_engine};

/// A ticket: its slug is written by `before_insert` from its title.
#[derive(Mapped, Debug)]
#[mapped(table = "tickets")]
pub struct Ticket {
    /// The key.
    #[column(primary_key)]
    pub id: Option<i64>,
    /// What it is about.
    pub title: String,
    /// The title in lower case, dashes for spaces.
    pub slug: Option<String>,
}

static TRACE: StaticTrace = StaticTrace::new();

fn record(line: String) {
    TRACE.record(line);
}

fn take() -> Vec<String> {
    TRACE.take()
}

#[hooks::listens_for(Ticket, "before_insert")]
fn slug_from_title(
    _mapper: &Mapper,
    _connection: &Connection,
    target: &Obj<Ticket>,
) -> Result<(), ListenerError> {
    let title = target.read()?.title.clone();
    record(format!("before_insert {title}"));
    let slug = title.to_lowercase().replace(' ', "-");
    target.set(|ticket| ticket.slug = Some(slug))?;
    Ok(())
}

#[hooks::listens_for(Ticket, "after_insert")]
fn inserted(_mapper: &Mapper, _connection: &Connection, target: &Obj<Ticket>) {
    let ticket = target.read().unwrap();
    record(format!(
        "after_insert #{} {:?}",
        ticket.id.unwrap(),
        ticket.slug
    ));
}

#[hooks::listens_for(Ticket, "set")]
fn set(
    target: &Obj<Ticket>,
    value: &Value,
    _oldvalue: &Value,
    initiator: &Initiator,
) -> Result<(), ListenerError> {
    // The object is readable while one of its attributes is written: no lock is held.
    let title = target.read()?.title.clone();
    record(format!("set {}={value:?} on {title:?}", initiator.key));
    Ok(())
}

#[hooks::listens_for(Ticket, "load")]
fn load(target: &Obj<Ticket>, _context: &LoadContext<'_>) -> Result<(), ListenerError> {
    record(format!("load {}", target.read()?.title));
    Ok(())
}

#[hooks::listens_for(Ticket, "expire")]
fn expire(target: &Obj<Ticket>, attrs: Option<&[&str]>) {
    record(format!(
        "expire {:?} {attrs:?}",
        target.inspect().identity_key().is_some()
    ));
}

/// The family's own erased form, on the same class and event: still accepted.
#[hooks::listens_for(Ticket, "after_insert")]
fn inserted_erased(_mapper: &Mapper, _connection: &Connection, target: &AnyInstance) {
    record(format!(
        "after_insert erased {}",
        target.is::<Obj<Ticket>>()
    ));
}

#[test]
fn class_listeners_take_the_typed_handle() {
    let url = session_trace::fresh_url("typed_target");
    let (engine, witness) = (create_engine(&url).unwrap(), create_engine(&url).unwrap());
    let registry = Registry::new();
    registry.map::<Ticket>().unwrap();
    registry.create_all(&witness).unwrap();

    let ticket = Obj::new(Ticket {
        id: None,
        title: "Broken Link".to_owned(),
        slug: None,
    });
    let options = || SessionOptions::new().registry(&registry);
    let session = Session::with_options(&engine, options());
    session.add(&ticket).unwrap();
    session.commit().unwrap();
    assert_eq!(
        take(),
        [
            "before_insert Broken Link",
            r#"set slug=Text("broken-link") on "Broken Link""#,
            r#"after_insert #1 Some("broken-link")"#,
            "after_insert erased true",
            "expire true None",
        ]
    );
    // The slug the listener wrote through the handle is in the row SQLite holds.
    let rows = committed_text_pairs(&witness, "SELECT title, slug FROM tickets");
    assert_eq!(rows, [("Broken Link".to_owned(), "broken-link".to_owned())]);

    // A fresh session loads the row: `load` gets the new object as `&Obj<Ticket>`.
    let fresh = Session::with_options(&engine, options());
    let loaded = fresh.select::<Ticket>().all().unwrap();
    assert_eq!(loaded.len(), 1);
    assert_eq!(take(), ["load Broken Link"]);
}
