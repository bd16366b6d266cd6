//! Registration at class level and instance level, and the order listeners fire in
//! (SQLAlchemy `EventsTest`: `test_register_class`, `test_register_instance`,
//! `test_register_class_instance`, `test_append_vs_insert_cls`/`_instance`, and the verified
//! cross-level order `[cls_insert, cls_a, inst_insert, inst_c]`).

use hooks::{Class, HasEvents, Modifiers};
use tests::Recorder;

/// The events every target of this file accepts.
#[hooks::events]
pub trait RegEvents {
    /// Two arguments.
    fn event_one(x: u32, y: u32);
    /// One argument.
    fn event_two(x: u32);
}

tests::targets!(RegEvents: ClassOnly, InstOnly, ClassInst, Order, InsertCls, InsertInst, Counted, Many);

#[test]
fn class_level_listener_fires_for_every_instance_of_that_event_only() {
    static CALLS: Recorder = Recorder::new();
    let before = ClassOnly::default();
    let _h = reg_events::event_one
        .listen(Class::<ClassOnly>::new(), |x, y| {
            CALLS.push(format!("one {x} {y}"));
        })
        .unwrap();
    let after = ClassOnly::default();
    before.dispatch().event_one(1, 2);
    after.dispatch().event_one(3, 4);
    after.dispatch().event_two(5);
    before.dispatch().event_two(6);
    assert_eq!(CALLS.take(), ["one 1 2", "one 3 4"]);
    assert!(
        before
            .dispatch()
            .raw()
            .has_listeners::<reg_events::event_one>()
    );
    assert!(
        !before
            .dispatch()
            .raw()
            .has_listeners::<reg_events::event_two>()
    );
}

#[test]
fn instance_level_listener_fires_for_that_instance_only() {
    static CALLS: Recorder = Recorder::new();
    let t1 = InstOnly::default();
    let _h = reg_events::event_one
        .listen(&t1, |x, y| CALLS.push(format!("t1 {x} {y}")))
        .unwrap();
    let t2 = InstOnly::default();
    t1.dispatch().event_one(1, 2);
    t2.dispatch().event_one(3, 4);
    t1.dispatch().event_two(5);
    assert_eq!(CALLS.take(), ["t1 1 2"]);
    assert!(t1.dispatch().raw().has_listeners::<reg_events::event_one>());
    assert!(!t2.dispatch().raw().has_listeners::<reg_events::event_one>());
    assert!(!t1.dispatch().raw().has_listeners::<reg_events::event_two>());
}

#[test]
fn class_level_listeners_added_later_apply_to_existing_instances() {
    static CALLS: Recorder = Recorder::new();
    let _c1 = reg_events::event_one
        .listen(Class::<ClassInst>::new(), |x, _| {
            CALLS.push(format!("c1 {x}"));
        })
        .unwrap();
    let t1 = ClassInst::default();
    let _i1 = reg_events::event_one
        .listen(&t1, |x, _| CALLS.push(format!("i1 {x}")))
        .unwrap();
    let t2 = ClassInst::default();
    t1.dispatch().event_one(1, 0);
    t2.dispatch().event_one(2, 0);
    assert_eq!(CALLS.take(), ["c1 1", "i1 1", "c1 2"]);

    // Added after both instances exist: seen by both, and by a new one.
    let _c2 = reg_events::event_one
        .listen(Class::<ClassInst>::new(), |x, _| {
            CALLS.push(format!("c2 {x}"));
        })
        .unwrap();
    let t3 = ClassInst::default();
    t1.dispatch().event_one(3, 0);
    t2.dispatch().event_one(4, 0);
    t3.dispatch().event_one(5, 0);
    assert_eq!(
        CALLS.take(),
        ["c1 3", "c2 3", "i1 3", "c1 4", "c2 4", "c1 5", "c2 5"]
    );
}

#[test]
fn class_level_runs_before_instance_level_and_insert_is_first_within_a_level() {
    static CALLS: Recorder = Recorder::new();
    let t = Order::default();
    // Registered instance level first, class level last: the levels still decide the order.
    let _a = reg_events::event_two
        .listen(&t, |_| CALLS.push("inst_c"))
        .unwrap();
    let _b = reg_events::event_two
        .listen_with(&t, Modifiers::INSERT, |_| CALLS.push("inst_insert"))
        .unwrap();
    let _c = reg_events::event_two
        .listen(Class::<Order>::new(), |_| CALLS.push("cls_a"))
        .unwrap();
    let _d = reg_events::event_two
        .listen_with(Class::<Order>::new(), Modifiers::INSERT, |_| {
            CALLS.push("cls_insert");
        })
        .unwrap();
    t.dispatch().event_two(0);
    assert_eq!(
        CALLS.take(),
        ["cls_insert", "cls_a", "inst_insert", "inst_c"]
    );
}

#[test]
fn append_vs_insert_at_class_level() {
    static CALLS: Recorder = Recorder::new();
    let t = InsertCls::default();
    let class = Class::<InsertCls>::new();
    let _one = reg_events::event_one
        .listen(class, |_, _| CALLS.push("one"))
        .unwrap();
    let _two = reg_events::event_one
        .listen(class, |_, _| CALLS.push("two"))
        .unwrap();
    let _three = reg_events::event_one
        .listen_with(class, Modifiers::INSERT, |_, _| CALLS.push("three"))
        .unwrap();
    let _four = reg_events::event_one
        .listen_with(class, Modifiers::INSERT, |_, _| CALLS.push("four"))
        .unwrap();
    t.dispatch().event_one(0, 0);
    assert_eq!(CALLS.take(), ["four", "three", "one", "two"]);
}

#[test]
fn append_vs_insert_at_instance_level() {
    static CALLS: Recorder = Recorder::new();
    let t = InsertInst::default();
    let _one = reg_events::event_one
        .listen(&t, |_, _| CALLS.push("one"))
        .unwrap();
    let _two = reg_events::event_one
        .listen(&t, |_, _| CALLS.push("two"))
        .unwrap();
    let _three = reg_events::event_one
        .listen_with(&t, Modifiers::INSERT, |_, _| CALLS.push("three"))
        .unwrap();
    t.dispatch().event_one(0, 0);
    assert_eq!(CALLS.take(), ["three", "one", "two"]);
}

#[test]
fn every_fire_calls_every_listener_with_the_fired_arguments() {
    static CALLS: Recorder = Recorder::new();
    let t = Counted::default();
    let _h = reg_events::event_one
        .listen(&t, |x, y| CALLS.push(format!("{x}+{y}")))
        .unwrap();
    for i in 0..3 {
        t.dispatch().event_one(i, i * 10);
    }
    assert_eq!(CALLS.take(), ["0+0", "1+10", "2+20"]);
}

/// Many listeners at one level (runtime lists are stored in chunks of 32): order holds across
/// chunk boundaries for appended and inserted listeners, and removals anywhere keep the rest in
/// place.
#[test]
fn order_holds_across_many_listeners_inserts_and_removals() {
    use std::sync::{Arc, Mutex};
    let calls = Arc::new(Mutex::new(Vec::new()));
    let record = |label: String| {
        let calls = Arc::clone(&calls);
        move |x: u32| calls.lock().unwrap().push(format!("{label} {x}"))
    };
    let class = Class::<Many>::new();
    let mut handles = Vec::new();
    for i in 0..100 {
        handles.push(
            reg_events::event_two
                .listen(class, record(format!("a{i}")))
                .unwrap(),
        );
    }
    for i in 0..40 {
        handles.push(
            reg_events::event_two
                .listen_with(class, Modifiers::INSERT, record(format!("i{i}")))
                .unwrap(),
        );
    }
    // Remove every third listener, from both lists.
    let removed: Vec<usize> = (0..handles.len()).step_by(3).collect();
    for &k in &removed {
        handles[k].remove().unwrap();
    }
    let t = Many::default();
    t.dispatch().event_two(1);
    let expected: Vec<String> = (0..40)
        .rev()
        .filter(|i| !removed.contains(&(100 + i)))
        .map(|i| format!("i{i} 1"))
        .chain(
            (0..100)
                .filter(|i| !removed.contains(i))
                .map(|i| format!("a{i} 1")),
        )
        .collect();
    assert_eq!(*calls.lock().unwrap(), expected);
}
