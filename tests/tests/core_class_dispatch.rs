//! Firing on a type with no instance (`Class::<T>::new().dispatch()`): the class-level
//! listeners only, static then runtime in the documented order, never an instance's; an
//! exec-once event runs once per class; `dispatch_joined` then runs a parent's listeners, as a
//! joined target does (SQLAlchemy fires `before_configured` on the `Mapper` class this way).

use hooks::{Class, HasEvents, Modifiers};
use tests::Recorder;

/// Events a host fires on a type as well as on values.
#[hooks::events]
pub trait TypeEvents {
    /// An ordinary event.
    fn ping(n: u32);
    /// Runs once per target: per class when fired on the class.
    #[event(exec_once)]
    fn first(n: u32);
}

tests::targets!(TypeEvents: Plain, Static, Once, Child, Parent);

#[test]
fn a_class_fire_runs_class_listeners_and_no_instance_listeners() {
    static CALLS: Recorder = Recorder::new();
    let value = Plain::default();
    let _class = type_events::ping
        .listen(Class::<Plain>::new(), |n| CALLS.push(format!("class {n}")))
        .unwrap();
    let _own = type_events::ping
        .listen(&value, |n| CALLS.push(format!("instance {n}")))
        .unwrap();
    let _first = type_events::ping
        .listen_with(Class::<Plain>::new(), Modifiers::INSERT, |n| {
            CALLS.push(format!("inserted {n}"));
        })
        .unwrap();
    Class::<Plain>::new().dispatch::<dyn TypeEvents>().ping(1);
    assert_eq!(CALLS.take(), ["inserted 1", "class 1"]);
    value.dispatch().ping(2);
    assert_eq!(CALLS.take(), ["inserted 2", "class 2", "instance 2"]);
}

#[hooks::listens_for(Static, "ping")]
fn static_ping(n: u32) {
    STATIC_SEEN.push(format!("static {n}"));
}
static STATIC_SEEN: Recorder = Recorder::new();

#[test]
fn a_class_fire_runs_static_listeners() {
    let _runtime = type_events::ping
        .listen(Class::<Static>::new(), |n| {
            STATIC_SEEN.push(format!("runtime {n}"));
        })
        .unwrap();
    Class::<Static>::new().dispatch::<dyn TypeEvents>().ping(3);
    assert_eq!(STATIC_SEEN.take(), ["static 3", "runtime 3"]);
}

#[test]
fn exec_once_runs_once_per_class_on_class_fires() {
    static CALLS: Recorder = Recorder::new();
    let _h = type_events::first
        .listen(Class::<Once>::new(), |n| CALLS.push(format!("first {n}")))
        .unwrap();
    let class = || Class::<Once>::new().dispatch::<dyn TypeEvents>();
    class().first(1);
    class().first(2);
    assert_eq!(CALLS.take(), ["first 1"]);
    // An instance keeps its own exec-once state.
    Once::default().dispatch().first(3);
    assert_eq!(CALLS.take(), ["first 3"]);
}

#[test]
fn a_joined_class_fire_runs_the_parent_after_the_class() {
    static CALLS: Recorder = Recorder::new();
    let parent = Parent::default();
    let _p = type_events::ping
        .listen(&parent, |n| CALLS.push(format!("parent {n}")))
        .unwrap();
    let _c = type_events::ping
        .listen(Class::<Child>::new(), |n| {
            CALLS.push(format!("child class {n}"));
        })
        .unwrap();
    Class::<Child>::new()
        .dispatch_joined::<dyn TypeEvents>(&parent)
        .ping(4);
    assert_eq!(CALLS.take(), ["child class 4", "parent 4"]);
}
