//! Persistence events on the mapped class itself (SQLAlchemy's
//! `event.listen(User, "before_insert", fn)`): a static and a runtime class-level listener
//! fire in the flush before the registry's, for their class alone. The class is this test's
//! own: class-level listeners are process-wide.

use std::sync::Mutex;

use hooks::Class;
use hooks_orm::{ListenerError, Mapped, Obj, Registry, Session, SessionOptions, mapper_events};

static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn push(line: String) {
    SEEN.lock().unwrap().push(line);
}

#[derive(Mapped)]
#[mapped(table = "stamped")]
struct Stamped {
    #[column(primary_key)]
    id: Option<i64>,
    created: Option<String>,
}

#[derive(Mapped)]
#[mapped(table = "plain")]
struct Plain {
    #[column(primary_key)]
    id: Option<i64>,
}

#[hooks::listens_for(Stamped, "before_insert")]
fn stamp(
    _mapper: &hooks_orm::Mapper,
    _connection: &hooks_sql::Connection,
    target: &hooks_orm::AnyInstance,
) -> Result<(), ListenerError> {
    push("static before_insert".into());
    let stamped = target.downcast_ref::<Obj<Stamped>>().expect("a Stamped");
    stamped
        .set_attr("created", "now")
        .map_err(ListenerError::from_error)
}

#[test]
fn class_listeners_fire_in_the_flush_first_and_for_their_class_only() {
    let registry = Registry::new();
    registry.map::<Stamped>().unwrap();
    registry.map::<Plain>().unwrap();
    registry.configure().unwrap();
    let _runtime = mapper_events::after_insert
        .listen(Class::<Stamped>::new(), |_, _, _| {
            push("runtime after_insert".into());
        })
        .unwrap();
    mapper_events::after_insert
        .listen(&registry, |mapper, _, _| {
            push(format!("registry after_insert {}", mapper.table()));
        })
        .unwrap();
    let engine = hooks_sql::create_engine("sqlite://").unwrap();
    registry.create_all(&engine).unwrap();
    let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));
    session.add(&Obj::new(Plain { id: None })).unwrap();
    let stamped = Obj::new(Stamped {
        id: None,
        created: None,
    });
    session.add(&stamped).unwrap();
    session.flush().unwrap();
    assert_eq!(
        *SEEN.lock().unwrap(),
        [
            "registry after_insert plain",
            "static before_insert",
            "runtime after_insert",
            "registry after_insert stamped",
        ]
    );
    let row = session.execute("SELECT created FROM stamped", ()).unwrap();
    assert_eq!(row.scalar().and_then(|v| v.as_str()), Some("now"));
}
