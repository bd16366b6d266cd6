//! Mixins, SQLAlchemy's `propagate=True` on an unmapped base (`test/orm/test_events.py`
//! `MapperEventsTest.test_propagate`, `InstanceEventsTest` with mixins, the lifecycle guide's
//! timestamps): a `#[derive(Mixin)]` marker's class-level listeners fire for every class that
//! names it in `mixins(…)`, after the class's own and before the `Mapper` type's, for the
//! mapper, instance and attribute events; a class that does not name it never sees them; a
//! static listener with `propagate` and a runtime one without both reach the classes; a
//! mixin's `before_insert` writes through `AnyObj` what the INSERT stores (SQLite the witness).

mod object_trace;

use std::sync::Mutex;

use hooks::{Class, Modifiers};
use hooks_orm::{
    AnyInstance, ListenerError, Mapped, Mapper, Mixin, Obj, Registry, SessionOptions,
    attribute_events as ae, instance_events as ie, mapper_events as me,
};
use hooks_sql::{Connection, Value};
use object_trace::{committed, database_mapping};

#[derive(Mixin)]
struct Stamped;

#[derive(Mixin)]
struct Named;

#[derive(Mapped, Debug)]
#[mapped(table = "posts", mixins(Stamped, Named))]
struct Post {
    #[column(primary_key)]
    id: Option<i64>,
    title: String,
    stamp: Option<String>,
}

#[derive(Mapped, Debug)]
#[mapped(table = "tags", mixins(Stamped))]
struct Tag {
    #[column(primary_key)]
    id: Option<i64>,
    stamp: Option<String>,
}

#[derive(Mapped, Debug)]
#[mapped(table = "plain")]
struct Plain {
    #[column(primary_key)]
    id: Option<i64>,
    stamp: Option<String>,
}

/// One trace for the static listener and the runtime ones, so their order shows.
static TRACE: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn push(line: impl Into<String>) {
    TRACE.lock().unwrap().push(line.into());
}

fn take() -> Vec<String> {
    std::mem::take(&mut *TRACE.lock().unwrap())
}

/// SQLAlchemy's spelling: a mixin listener with `propagate`. It stamps whatever class it
/// reaches through `AnyObj`.
#[hooks::listens_for(Stamped, "before_insert", propagate)]
fn stamp(mapper: &Mapper, _: &Connection, target: &AnyInstance) -> Result<(), ListenerError> {
    TRACE.lock().unwrap().push(format!(
        "Stamped before_insert {}",
        mapper.class().class_name
    ));
    let obj = mapper
        .class()
        .any_obj(target)
        .expect("an object of the mapper's class");
    assert_eq!(obj.class().class_name, mapper.class().class_name);
    obj.set_value("stamp", Value::Text("stamped".into()))
        .map_err(ListenerError::from_error)
}

fn class_order_listeners() {
    me::before_insert
        .listen(Class::<Post>::new(), |_, _, _| {
            push("Post before_insert");
            Ok(())
        })
        .unwrap();
    me::before_insert
        .listen(Class::<Named>::new(), |m, _, _| {
            push(format!("Named before_insert {}", m.class().class_name));
            Ok(())
        })
        .unwrap();
    me::before_insert
        .listen(Class::<Mapper>::new(), |m, _, _| {
            push(format!("Mapper before_insert {}", m.class().class_name));
            Ok(())
        })
        .unwrap();
    ie::init
        .listen_with(Class::<Stamped>::new(), Modifiers::PROPAGATE, |c, _| {
            push(format!("Stamped init {}", c.class_name));
        })
        .unwrap();
    ae::set
        .listen(Class::<Named>::new(), |_, value, _, i| {
            push(format!("Named set {}.{} {value:?}", i.class, i.key));
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_mixin_s_listeners_fire_for_every_class_naming_it_between_its_own_and_the_mapper_s() {
    let db = database_mapping("mixins", SessionOptions::new(), |registry: &Registry| {
        registry.map::<Post>().unwrap();
        registry.map::<Tag>().unwrap();
        registry.map::<Plain>().unwrap();
    });
    class_order_listeners();

    let post = Obj::new(Post {
        id: None,
        title: "a".into(),
        stamp: None,
    });
    let tag = Obj::new(Tag {
        id: None,
        stamp: None,
    });
    let plain = Obj::new(Plain {
        id: None,
        stamp: None,
    });
    post.set_attr("title", "b").unwrap();
    plain.set_attr("stamp", "mine").unwrap();
    assert_eq!(
        take(),
        [
            "Stamped init Post",
            "Stamped init Tag",
            r#"Named set Post.title Text("b")"#
        ],
        "Plain names no mixin"
    );

    for obj in [&post as &dyn std::any::Any, &tag, &plain] {
        if let Some(post) = obj.downcast_ref::<Obj<Post>>() {
            db.session.add(post).unwrap();
        } else if let Some(tag) = obj.downcast_ref::<Obj<Tag>>() {
            db.session.add(tag).unwrap();
        } else if let Some(plain) = obj.downcast_ref::<Obj<Plain>>() {
            db.session.add(plain).unwrap();
        }
    }
    db.session.commit().unwrap();
    assert_eq!(
        take(),
        [
            "Mapper before_insert Plain",
            "Post before_insert",
            "Stamped before_insert Post",
            r#"Named set Post.stamp Text("stamped")"#,
            "Named before_insert Post",
            "Mapper before_insert Post",
            "Stamped before_insert Tag",
            "Mapper before_insert Tag",
        ],
        "per class: its own, its mixins in order, the Mapper type's"
    );
    assert_eq!(
        committed(&db, "SELECT id, title, stamp FROM posts"),
        [r#"[Integer(1), Text("b"), Text("stamped")]"#]
    );
    assert_eq!(
        committed(&db, "SELECT id, stamp FROM tags"),
        [r#"[Integer(1), Text("stamped")]"#]
    );
    assert_eq!(
        committed(&db, "SELECT id, stamp FROM plain"),
        [r#"[Integer(1), Text("mine")]"#]
    );
}
