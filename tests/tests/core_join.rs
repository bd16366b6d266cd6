//! Joined dispatch: a child target fires its own listeners (class level, then instance level),
//! then its parent's, read live at every fire (SQLAlchemy `JoinTest`, every case, and
//! `test_join_twice`: a join of a join).

use std::sync::Arc;

use hooks::{Class, HasEvents, Modifiers};
use tests::Recorder;

/// The family shared by factories and the elements they make.
#[hooks::events]
pub trait JoinEvents {
    /// Something happened to `target`.
    fn event_one(target: &str, arg: u32);
}

/// Declares a factory, an element joined to it, and a sub-element joined to the element.
macro_rules! join_fixture {
    ($($factory:ident, $element:ident, $sub:ident;)+) => {$(
        /// A parent.
        #[hooks::target(JoinEvents(events = events))]
        #[derive(Default)]
        pub struct $factory {
            events: hooks::Events<dyn JoinEvents>,
        }

        impl $factory {
            fn create(self: &Arc<Self>) -> $element {
                $element { events: hooks::Events::new(), parent: Arc::clone(self) }
            }
        }

        /// A child: fires its own listeners, then its factory's.
        #[hooks::target(JoinEvents(events = events, join = &*self.parent))]
        pub struct $element {
            events: hooks::Events<dyn JoinEvents>,
            parent: Arc<$factory>,
        }

        impl $element {
            fn run_event(&self, arg: u32) {
                self.dispatch().event_one("element", arg);
            }

            #[allow(dead_code)]
            fn create(self: &Arc<Self>) -> $sub {
                $sub { events: hooks::Events::new(), parent: Arc::clone(self) }
            }
        }

        /// A child of a child.
        #[hooks::target(JoinEvents(events = events, join = &*self.parent))]
        pub struct $sub {
            events: hooks::Events<dyn JoinEvents>,
            parent: Arc<$element>,
        }

        impl $sub {
            #[allow(dead_code)]
            fn run_event(&self, arg: u32) {
                self.dispatch().event_one("sub", arg);
            }
        }
    )+};
}

join_fixture! {
    F1, E1, S1;
    F2, E2, S2;
    F3, E3, S3;
    F4, E4, S4;
    F5, E5, S5;
    F6, E6, S6;
    F7, E7, S7;
    F8, E8, S8;
    F9, E9, S9;
    F10, E10, S10;
    F11, E11, S11;
    F12, E12, S12;
    F13, E13, S13;
}

fn recorder(calls: &'static Recorder, tag: &'static str) -> impl Fn(&str, u32) + Send + Sync {
    move |target, arg| calls.push(format!("{tag} {target} {arg}"))
}

#[test]
fn neither_has_listeners() {
    let f = Arc::new(F1::default());
    let e = f.create();
    e.run_event(1);
    assert!(!e.dispatch().raw().has_listeners::<join_events::event_one>());
}

#[test]
fn named_listener_on_parent_class_gets_child_events_by_name() {
    static CALLS: Recorder = Recorder::new();
    let _h = join_events::event_one
        .listen_named(Class::<F2>::new(), Modifiers::NONE, |args| {
            CALLS.push(format!("target={} arg={}", args.target, args.arg));
        })
        .unwrap();
    let f = Arc::new(F2::default());
    let e = f.create();
    e.run_event(1);
    e.run_event(2);
    assert_eq!(
        CALLS.take(),
        ["target=element arg=1", "target=element arg=2"]
    );
}

#[test]
fn parent_class_only() {
    static CALLS: Recorder = Recorder::new();
    let _h = join_events::event_one
        .listen(Class::<F3>::new(), recorder(&CALLS, "factory-class"))
        .unwrap();
    let f = Arc::new(F3::default());
    let e = f.create();
    e.run_event(1);
    e.run_event(2);
    e.run_event(3);
    assert_eq!(
        CALLS.take(),
        [
            "factory-class element 1",
            "factory-class element 2",
            "factory-class element 3"
        ]
    );
}

#[test]
fn parent_class_and_child_class() {
    static CALLS: Recorder = Recorder::new();
    let _p = join_events::event_one
        .listen(Class::<F4>::new(), recorder(&CALLS, "factory-class"))
        .unwrap();
    let _c = join_events::event_one
        .listen(Class::<E4>::new(), recorder(&CALLS, "element-class"))
        .unwrap();
    let f = Arc::new(F4::default());
    let e = f.create();
    e.run_event(1);
    e.run_event(2);
    assert_eq!(
        CALLS.take(),
        [
            "element-class element 1",
            "factory-class element 1",
            "element-class element 2",
            "factory-class element 2"
        ]
    );
    // The parent's own fires do not reach the child's listeners.
    f.dispatch().event_one("factory", 3);
    assert_eq!(CALLS.take(), ["factory-class factory 3"]);
}

#[test]
fn parent_class_child_instance_apply_after() {
    static CALLS: Recorder = Recorder::new();
    let _p = join_events::event_one
        .listen(Class::<F5>::new(), recorder(&CALLS, "factory-class"))
        .unwrap();
    let f = Arc::new(F5::default());
    let e = f.create();
    e.run_event(1);
    let _c = join_events::event_one
        .listen(&e, recorder(&CALLS, "element"))
        .unwrap();
    e.run_event(2);
    e.run_event(3);
    assert_eq!(
        CALLS.take(),
        [
            "factory-class element 1",
            "element element 2",
            "factory-class element 2",
            "element element 3",
            "factory-class element 3"
        ]
    );
}

#[test]
fn parent_class_child_instance_apply_before() {
    static CALLS: Recorder = Recorder::new();
    let _p = join_events::event_one
        .listen(Class::<F6>::new(), recorder(&CALLS, "factory-class"))
        .unwrap();
    let f = Arc::new(F6::default());
    let e = f.create();
    let _c = join_events::event_one
        .listen(&e, recorder(&CALLS, "element"))
        .unwrap();
    e.run_event(1);
    e.run_event(2);
    e.run_event(3);
    let expected: Vec<String> = (1..=3)
        .flat_map(|i| {
            [
                format!("element element {i}"),
                format!("factory-class element {i}"),
            ]
        })
        .collect();
    assert_eq!(CALLS.take(), expected);
}

#[test]
fn parent_instance_child_class_apply_before() {
    static CALLS: Recorder = Recorder::new();
    let _c = join_events::event_one
        .listen(Class::<E7>::new(), recorder(&CALLS, "element-class"))
        .unwrap();
    let f = Arc::new(F7::default());
    let _p = join_events::event_one
        .listen(&*f, recorder(&CALLS, "factory"))
        .unwrap();
    let e = f.create();
    e.run_event(1);
    e.run_event(2);
    assert_eq!(
        CALLS.take(),
        [
            "element-class element 1",
            "factory element 1",
            "element-class element 2",
            "factory element 2"
        ]
    );
}

#[test]
fn parent_instance_listener_added_after_the_child_exists_is_seen() {
    static CALLS: Recorder = Recorder::new();
    let _c = join_events::event_one
        .listen(Class::<E8>::new(), recorder(&CALLS, "element-class"))
        .unwrap();
    let f = Arc::new(F8::default());
    let e = f.create();
    e.run_event(1);
    let _p = join_events::event_one
        .listen(&*f, recorder(&CALLS, "factory"))
        .unwrap();
    e.run_event(2);
    assert_eq!(
        CALLS.take(),
        [
            "element-class element 1",
            "element-class element 2",
            "factory element 2"
        ]
    );
}

#[test]
fn parent_instance_and_child_instance() {
    static CALLS: Recorder = Recorder::new();
    let f = Arc::new(F9::default());
    let _p = join_events::event_one
        .listen(&*f, recorder(&CALLS, "factory"))
        .unwrap();
    let e = f.create();
    let _c = join_events::event_one
        .listen(&e, recorder(&CALLS, "element"))
        .unwrap();
    e.run_event(1);
    // A sibling element sees the factory's listener only.
    let sibling = f.create();
    sibling.run_event(2);
    assert_eq!(
        CALLS.take(),
        [
            "element element 1",
            "factory element 1",
            "factory element 2"
        ]
    );
}

#[test]
fn parent_events_child_no_events() {
    static CALLS: Recorder = Recorder::new();
    let _c = join_events::event_one
        .listen(Class::<E10>::new(), recorder(&CALLS, "element-class"))
        .unwrap();
    let f = Arc::new(F10::default());
    let e = f.create();
    e.run_event(1);
    assert_eq!(CALLS.take(), ["element-class element 1"]);
}

#[test]
fn every_level_in_order_and_insert_stays_within_its_level() {
    static CALLS: Recorder = Recorder::new();
    let f = Arc::new(F11::default());
    let e = f.create();
    let _factory = join_events::event_one
        .listen_with(&*f, Modifiers::INSERT, recorder(&CALLS, "factory"))
        .unwrap();
    let _factory_class = join_events::event_one
        .listen_with(
            Class::<F11>::new(),
            Modifiers::INSERT,
            recorder(&CALLS, "factory-class"),
        )
        .unwrap();
    let _element = join_events::event_one
        .listen(&e, recorder(&CALLS, "element"))
        .unwrap();
    let _element_class = join_events::event_one
        .listen(Class::<E11>::new(), recorder(&CALLS, "element-class"))
        .unwrap();
    e.run_event(1);
    assert_eq!(
        CALLS.take(),
        [
            "element-class element 1",
            "element element 1",
            "factory-class element 1",
            "factory element 1"
        ]
    );
}

#[test]
fn join_of_a_join() {
    static CALLS: Recorder = Recorder::new();
    let f = Arc::new(F12::default());
    let outer = Arc::new(f.create());
    let inner = outer.create();
    let _f = join_events::event_one
        .listen(&*f, recorder(&CALLS, "factory"))
        .unwrap();
    let _o = join_events::event_one
        .listen(&*outer, recorder(&CALLS, "outer"))
        .unwrap();
    let _i = join_events::event_one
        .listen(&inner, recorder(&CALLS, "inner"))
        .unwrap();
    // The inner listener fires only for the inner element; the outer one for both.
    inner.run_event(1);
    outer.run_event(2);
    assert_eq!(
        CALLS.take(),
        [
            "inner sub 1",
            "outer sub 1",
            "factory sub 1",
            "outer element 2",
            "factory element 2"
        ]
    );
    // Listeners added to the middle of the chain later are seen by the inner element.
    let _c = join_events::event_one
        .listen(Class::<E12>::new(), recorder(&CALLS, "outer-class"))
        .unwrap();
    inner.run_event(3);
    assert_eq!(
        CALLS.take(),
        [
            "inner sub 3",
            "outer-class sub 3",
            "outer sub 3",
            "factory sub 3"
        ]
    );
}

/// A target that may join a parent of its own type (an option engine joins its engine).
#[hooks::target(JoinEvents(events = events, join = self.parent.as_deref()))]
#[derive(Default)]
pub struct Node {
    events: hooks::Events<dyn JoinEvents>,
    parent: Option<Arc<Node>>,
}

impl Node {
    fn child(self: &Arc<Self>) -> Arc<Self> {
        Arc::new(Node {
            events: hooks::Events::new(),
            parent: Some(Arc::clone(self)),
        })
    }
}

#[test]
fn a_class_level_listener_runs_once_per_fire_through_joins_of_its_own_type() {
    static CALLS: Recorder = Recorder::new();
    let root = Arc::new(Node::default());
    let middle = root.child();
    let leaf = middle.child();
    let _c = join_events::event_one
        .listen(Class::<Node>::new(), recorder(&CALLS, "class"))
        .unwrap();
    let _r = join_events::event_one
        .listen(&*root, recorder(&CALLS, "root"))
        .unwrap();
    let _l = join_events::event_one
        .listen(&*leaf, recorder(&CALLS, "leaf"))
        .unwrap();
    leaf.dispatch().event_one("leaf", 1);
    middle.dispatch().event_one("middle", 2);
    root.dispatch().event_one("root", 3);
    // Each level's own listeners from the innermost out; the class level once, with the
    // outermost level of the type, before that level's instance listeners.
    assert_eq!(
        CALLS.take(),
        [
            "leaf leaf 1",
            "class leaf 1",
            "root leaf 1",
            "class middle 2",
            "root middle 2",
            "class root 3",
            "root root 3",
        ]
    );
    // `once` on the class level is spent by one fire, not one per joined level.
    let _o = join_events::event_one
        .listen_with(
            Class::<Node>::new(),
            Modifiers::ONCE,
            recorder(&CALLS, "once"),
        )
        .unwrap();
    leaf.dispatch().event_one("leaf", 4);
    leaf.dispatch().event_one("leaf", 5);
    let once: Vec<_> = CALLS
        .take()
        .into_iter()
        .filter(|c| c.starts_with("once"))
        .collect();
    assert_eq!(once, ["once leaf 4"]);
}

#[test]
fn a_type_between_two_levels_of_another_keeps_its_class_level_once() {
    static CALLS: Recorder = Recorder::new();
    // S13 → E13 → F13: three types, each class level runs once, at its own level.
    let f = Arc::new(F13::default());
    let e = Arc::new(f.create());
    let s = e.create();
    let _f = join_events::event_one
        .listen(Class::<F13>::new(), recorder(&CALLS, "F"))
        .unwrap();
    let _e = join_events::event_one
        .listen(Class::<E13>::new(), recorder(&CALLS, "E"))
        .unwrap();
    let _s = join_events::event_one
        .listen(Class::<S13>::new(), recorder(&CALLS, "S"))
        .unwrap();
    s.run_event(1);
    e.run_event(2);
    assert_eq!(
        CALLS.take(),
        [
            "S sub 1",
            "E sub 1",
            "F sub 1",
            "E element 2",
            "F element 2"
        ]
    );
}
