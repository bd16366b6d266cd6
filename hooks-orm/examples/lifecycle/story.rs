//! The lifecycle story and its trace: a `User` mapped, constructed, added, committed, read
//! back after the commit expired it, changed, loaded into a fresh identity map and deleted,
//! with every ORM event (static `#[listens_for]` listeners on `User`, which take the object
//! as `&Obj<User>`; runtime ones on the session, which take it erased) and the Core events
//! underneath recorded as indented lines.

use std::sync::Mutex;

use hooks_orm::{
    AnyInstance, ConstructorArgs, Initiator, ListenerError, Mapped, Mapper, MapperDef, Obj,
    Registry, Session, SessionOptions, session_events as se,
};
use hooks_sql::{Connection, Engine, Value, connection_events as ce, create_engine};

/// The class of the story: `status` is filled by SQLite's default at the INSERT.
#[derive(Mapped, Debug)]
#[mapped(table = "users")]
pub(crate) struct User {
    #[column(primary_key)]
    pub(crate) id: Option<i64>,
    pub(crate) name: String,
    pub(crate) email: Option<String>,
    #[column(server_default = "'active'")]
    pub(crate) status: Option<String>,
}

// ------------------------------------------------------------------ the trace

struct Trace {
    lines: Vec<String>,
    depth: usize,
}

static TRACE: Mutex<Trace> = Mutex::new(Trace {
    lines: Vec::new(),
    depth: 0,
});

/// Events that open a level the matching closing event ends.
const OPENS: &[&str] = &[
    "before_attach",
    "before_commit",
    "before_flush",
    "before_insert",
    "before_update",
    "before_delete",
    "before_configured",
];
const CLOSES: &[&str] = &[
    "after_attach",
    "after_commit",
    "after_flush_postexec",
    "after_insert",
    "after_update",
    "after_delete",
    "after_configured",
];

/// One line: the event and what it is about, indented by the levels open.
fn record(event: &str, detail: impl AsRef<str>) {
    let mut trace = TRACE.lock().unwrap();
    if CLOSES.contains(&event) {
        trace.depth = trace.depth.saturating_sub(1);
    }
    let line = format!(
        "{:indent$}{event:<24} {}",
        "",
        detail.as_ref(),
        indent = 2 + trace.depth * 2
    );
    trace.lines.push(line.trim_end().to_owned());
    if OPENS.contains(&event) {
        trace.depth += 1;
    }
}

/// A step of the story: a heading, the levels reset.
fn step(title: &str) {
    let mut trace = TRACE.lock().unwrap();
    trace.depth = 0;
    trace.lines.push(format!("▶ {title}"));
}

/// Who an event is about, read without loading anything: an expired object by its
/// identity key, any other by its `id` (`None` until the INSERT generated it).
fn who(user: &Obj<User>) -> String {
    let state = user.inspect();
    let id = match state
        .identity_key()
        .map(hooks_orm::IdentityKey::primary_key)
    {
        Some([Value::Integer(id)]) if state.any_expired() => Some(*id),
        _ => user.read().ok().and_then(|user| user.id),
    };
    id.map_or_else(|| "User (new)".to_owned(), |id| format!("User #{id}"))
}

/// [`who`] for the session's listeners, which hear every class and take the object erased.
fn who_erased(target: &AnyInstance) -> String {
    who((target.downcast_ref::<Obj<User>>()).expect("the story maps User alone"))
}

fn names(attrs: Option<&[&str]>) -> String {
    attrs.map_or_else(|| "all attributes".to_owned(), |names| names.join(", "))
}

// ----------------------------------------- static listeners on the class (#[listens_for])

#[hooks::listens_for(User, "instrument_class")]
fn instrument_class(_: &Mapper, class_: &MapperDef) {
    record("instrument_class", class_.class_name);
}

#[hooks::listens_for(User, "mapper_configured")]
fn mapper_configured(mapper: &Mapper, _: &MapperDef) -> Result<(), ListenerError> {
    record("mapper_configured", format!("table {}", mapper.table()));
    Ok(())
}

#[hooks::listens_for(User, "first_init")]
fn first_init(class_: &MapperDef) {
    record("first_init", class_.class_name);
}

/// SQLAlchemy's `kwargs.setdefault`: a user built without an email gets one from its name.
#[hooks::listens_for(User, "init")]
fn init(_: &MapperDef, args: &mut ConstructorArgs<'_>) {
    if let (Some(Value::Null), Some(Value::Text(name))) = (args.get("email"), args.get("name")) {
        let email = format!("{}@example.com", name.to_lowercase());
        args.set("email", email).expect("email is a text column");
    }
    record("init", format!("{args:?}"));
}

#[hooks::listens_for(User, "set")]
fn set(_: &Obj<User>, value: &Value, old: &Value, who: &Initiator) -> Result<(), ListenerError> {
    record(
        "set",
        format!("{}.{} = {value:?} (was {old:?})", who.class, who.key),
    );
    Ok(())
}

#[hooks::listens_for(User, "modified")]
fn modified(_: &Obj<User>, who: &Initiator) {
    record("modified", format!("{}.{}", who.class, who.key));
}

#[hooks::listens_for(User, "load")]
fn load(target: &Obj<User>, _: &hooks_orm::LoadContext<'_>) -> Result<(), ListenerError> {
    record("load", who(target));
    Ok(())
}

#[hooks::listens_for(User, "refresh")]
fn refresh(
    target: &Obj<User>,
    _: &hooks_orm::LoadContext<'_>,
    attrs: Option<&[&str]>,
) -> Result<(), ListenerError> {
    record("refresh", format!("{}: {}", who(target), names(attrs)));
    Ok(())
}

#[hooks::listens_for(User, "refresh_flush")]
fn refresh_flush(target: &Obj<User>, _: &hooks_orm::FlushContext<'_>, attrs: &[&str]) {
    record(
        "refresh_flush",
        format!("{}: {}", who(target), attrs.join(", ")),
    );
}

#[hooks::listens_for(User, "expire")]
fn expire(target: &Obj<User>, attrs: Option<&[&str]>) {
    record("expire", format!("{}: {}", who(target), names(attrs)));
}

#[hooks::listens_for(User, "before_insert")]
fn before_insert(_: &Mapper, _: &Connection, target: &Obj<User>) -> Result<(), ListenerError> {
    record("before_insert", who(target));
    Ok(())
}

#[hooks::listens_for(User, "before_update")]
fn before_update(_: &Mapper, _: &Connection, target: &Obj<User>) -> Result<(), ListenerError> {
    record("before_update", who(target));
    Ok(())
}

#[hooks::listens_for(User, "before_delete")]
fn before_delete(_: &Mapper, _: &Connection, target: &Obj<User>) -> Result<(), ListenerError> {
    record("before_delete", who(target));
    Ok(())
}

#[hooks::listens_for(User, "after_insert")]
fn after_insert(_: &Mapper, _: &Connection, target: &Obj<User>) {
    record("after_insert", who(target));
}

#[hooks::listens_for(User, "after_update")]
fn after_update(_: &Mapper, _: &Connection, target: &Obj<User>) {
    record("after_update", who(target));
}

#[hooks::listens_for(User, "after_delete")]
fn after_delete(_: &Mapper, _: &Connection, target: &Obj<User>) {
    record("after_delete", who(target));
}

// ------------------------------------------- runtime listeners on the session and engine

fn listen_session(session: &Session) -> Result<(), hooks::Error> {
    se::before_attach.listen(session, |_, i| {
        record("before_attach", who_erased(i));
        Ok(())
    })?;
    se::after_attach.listen(session, |_, i| record("after_attach", who_erased(i)))?;
    se::before_commit.listen(session, |_| {
        record("before_commit", "");
        Ok(())
    })?;
    se::after_commit.listen(session, |_| record("after_commit", ""))?;
    se::before_flush.listen(session, |_, _| {
        record("before_flush", "");
        Ok(())
    })?;
    se::after_flush.listen(session, |_, _| {
        record("after_flush", "");
        Ok(())
    })?;
    se::after_flush_postexec.listen(session, |_, _| {
        record("after_flush_postexec", "");
        Ok(())
    })?;
    se::after_begin.listen(session, |_, _, _| {
        record("after_begin", "");
        Ok(())
    })?;
    listen_transitions(session)
}

fn listen_transitions(session: &Session) -> Result<(), hooks::Error> {
    se::transient_to_pending.listen(session, |_, i| {
        record("transient_to_pending", who_erased(i));
    })?;
    se::pending_to_persistent.listen(session, |_, i| {
        record("pending_to_persistent", who_erased(i));
    })?;
    se::loaded_as_persistent.listen(session, |_, i| {
        record("loaded_as_persistent", who_erased(i));
    })?;
    se::persistent_to_detached.listen(session, |_, i| {
        record("persistent_to_detached", who_erased(i));
    })?;
    se::persistent_to_deleted.listen(session, |_, i| {
        record("persistent_to_deleted", who_erased(i));
    })?;
    se::deleted_to_detached.listen(session, |_, i| record("deleted_to_detached", who_erased(i)))?;
    Ok(())
}

fn listen_core(engine: &Engine) -> Result<(), hooks::Error> {
    ce::begin.listen(engine, |_| record("begin", "(core)"))?;
    ce::commit.listen(engine, |_| record("commit", "(core)"))?;
    ce::before_cursor_execute.listen(engine, |_, _, statement, _, _, _| {
        record("sql", statement);
    })?;
    Ok(())
}

// ------------------------------------------------------------------ the story

/// Runs the story on the database at `url` and returns its trace.
///
/// # Errors
///
/// Any error of the ORM or of SQLite.
pub(crate) fn run(url: &str) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    *TRACE.lock().unwrap() = Trace {
        lines: Vec::new(),
        depth: 0,
    };
    let engine = create_engine(url)?;
    let registry = Registry::new();
    step("map and configure User");
    registry.map::<User>()?;
    registry.configure()?;
    registry.create_all(&engine)?;
    listen_core(&engine)?;
    let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));
    listen_session(&session)?;

    step("construct a User, then rename it");
    let ed = Obj::new(User {
        id: None,
        name: "ed".into(),
        email: None,
        status: None,
    });
    ed.set_attr("name", "Ed")?;

    step("add it and commit: INSERT, status from the server default, expire on commit");
    session.add(&ed)?;
    session.commit()?;

    step("read it after the commit: refresh");
    let status = ed.read()?.status.clone();
    record("(read)", format!("status = {status:?}"));

    step("change the email and commit: UPDATE");
    ed.set_attr("email", "ed@hooks.dev")?;
    session.commit()?;

    step("load it into an empty identity map: load");
    session.expunge_all();
    let loaded = session.get::<User>(1)?.ok_or("user 1 is gone")?;

    step("delete it and commit: DELETE");
    session.delete(&loaded)?;
    session.commit()?;
    Ok(std::mem::take(&mut TRACE.lock().unwrap().lines))
}
