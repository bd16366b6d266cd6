//! Removal (SQLAlchemy `RemovalTest`): class-level removal affects existing instances
//! (`test_clslevel`); removing what was never registered is a typed `Error::NotRegistered`
//! naming target, event and listener (`test_remove_not_listened`); the same fn on two targets is
//! removed independently (`test_two_subclasses_one_event`); removal by handle and by fn; a
//! capturing closure has no identity to remove by fn; the same fn twice is one registration
//! (`test_double_event_nonwrapped`).

use hooks::{Class, Error, HasEvents, Modifiers};
use tests::Recorder;

/// The events of this file's targets.
#[hooks::events]
pub trait RmEvents {
    /// One argument.
    fn event_one(x: &str);
    /// One argument.
    fn event_two(x: &str);
}

tests::targets!(
    RmEvents: ClsLevel,
    NotListened,
    SiblingA,
    SiblingB,
    ByHandle,
    ByFn,
    Capturing,
    DedupCls,
    DedupInst,
    InstPair,
    NonCapturing,
    Generic,
    Pointer,
    ManyChunks
);

static CLS_LEVEL: Recorder = Recorder::new();
fn cls_level(x: &str) {
    CLS_LEVEL.push(x);
}

#[test]
fn class_level_removal_affects_existing_instances() {
    let t = ClsLevel::default();
    rm_events::event_one
        .listen(Class::<ClsLevel>::new(), cls_level)
        .map(drop)
        .unwrap();
    t.dispatch().event_one("x");
    rm_events::event_one
        .remove(Class::<ClsLevel>::new(), cls_level)
        .unwrap();
    t.dispatch().event_one("y");
    ClsLevel::default().dispatch().event_one("z");
    assert_eq!(CLS_LEVEL.take(), ["x"]);
}

static NOT_LISTENED: Recorder = Recorder::new();
fn m1(x: &str) {
    NOT_LISTENED.push(format!("m1 {x}"));
}
fn m2(x: &str) {
    NOT_LISTENED.push(format!("m2 {x}"));
}

#[test]
fn removing_what_was_never_registered_is_not_registered() {
    let t = NotListened::default();
    rm_events::event_one.listen(&t, m1).map(drop).unwrap();
    rm_events::event_one
        .listen(Class::<NotListened>::new(), m2)
        .map(drop)
        .unwrap();

    let err = rm_events::event_two.remove(&t, m1).unwrap_err();
    assert!(
        matches!(&err, Error::NotRegistered { target, event, listener }
            if target == "an instance of NotListened" && event.name == "event_two"
                && event.family == "RmEvents" && listener.ends_with("::m1")),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "no listener `core_removal::m1` is registered for event \"event_two\" on an instance of \
         NotListened"
    );
    // Registered on the instance, not on the class; and the other way round.
    let err = rm_events::event_one
        .remove(Class::<NotListened>::new(), m1)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "no listener `core_removal::m1` is registered for event \"event_one\" on NotListened"
    );
    let err = hooks::remove(&t, rm_events::event_one, m2).unwrap_err();
    assert!(matches!(err, Error::NotRegistered { .. }), "{err:?}");

    // The refused removals changed nothing; the right ones succeed.
    t.dispatch().event_one("a");
    rm_events::event_one.remove(&t, m1).unwrap();
    hooks::remove(Class::<NotListened>::new(), rm_events::event_one, m2).unwrap();
    t.dispatch().event_one("b");
    assert_eq!(NOT_LISTENED.take(), ["m2 a", "m1 a"]);
    // Removed once: a second removal is refused.
    assert!(matches!(
        rm_events::event_one.remove(&t, m1),
        Err(Error::NotRegistered { .. })
    ));
}

static SIBLINGS: Recorder = Recorder::new();
fn shared(x: &str) {
    SIBLINGS.push(x);
}

#[test]
fn same_fn_on_two_targets_is_removed_independently() {
    rm_events::event_one
        .listen(Class::<SiblingA>::new(), shared)
        .map(drop)
        .unwrap();
    rm_events::event_one
        .listen(Class::<SiblingB>::new(), shared)
        .map(drop)
        .unwrap();
    let (a, b) = (SiblingA::default(), SiblingB::default());
    a.dispatch().event_one("a1");
    b.dispatch().event_one("b1");
    rm_events::event_one
        .remove(Class::<SiblingA>::new(), shared)
        .unwrap();
    a.dispatch().event_one("a2");
    b.dispatch().event_one("b2");
    assert!(!rm_events::event_one.contains(Class::<SiblingA>::new(), shared));
    assert!(rm_events::event_one.contains(Class::<SiblingB>::new(), shared));
    rm_events::event_one
        .remove(Class::<SiblingB>::new(), shared)
        .unwrap();
    a.dispatch().event_one("a3");
    b.dispatch().event_one("b3");
    assert_eq!(SIBLINGS.take(), ["a1", "b1", "b2"]);
}

#[test]
fn same_fn_on_two_instances_is_removed_independently() {
    static CALLS: Recorder = Recorder::new();
    fn inst(x: &str) {
        CALLS.push(x);
    }
    let (t1, t2) = (InstPair::default(), InstPair::default());
    let h1 = rm_events::event_one.listen(&t1, inst).unwrap();
    let h2 = rm_events::event_one.listen(&t2, inst).unwrap();
    assert_ne!(h1, h2);
    rm_events::event_one.remove(&t1, inst).unwrap();
    t1.dispatch().event_one("t1");
    t2.dispatch().event_one("t2");
    assert_eq!(CALLS.take(), ["t2"]);
    assert!(!h1.is_active());
    assert!(h2.is_active());
}

#[test]
fn removal_by_handle() {
    static CALLS: Recorder = Recorder::new();
    let t = ByHandle::default();
    let h = rm_events::event_one
        .listen(&t, |x| CALLS.push(format!("inst {x}")))
        .unwrap();
    let c = rm_events::event_one
        .listen(Class::<ByHandle>::new(), |x| {
            CALLS.push(format!("class {x}"));
        })
        .unwrap();
    assert_eq!(h.event().name, "event_one");
    assert!(h.is_active() && c.is_active());
    t.dispatch().event_one("1");
    h.remove().unwrap();
    c.remove().unwrap();
    assert!(!h.is_active() && !c.is_active());
    t.dispatch().event_one("2");
    assert_eq!(CALLS.take(), ["class 1", "inst 1"]);
    let err = h.remove().unwrap_err();
    assert_eq!(err, Error::NotActive { event: h.event() });
    assert_eq!(
        err.to_string(),
        "the listener of event \"event_one\" is no longer registered"
    );
}

static BY_FN: Recorder = Recorder::new();
fn by_fn(x: &str) {
    BY_FN.push(x);
}

#[test]
fn removal_by_fn_and_the_handle_then_inactive() {
    let t = ByFn::default();
    let h = rm_events::event_one.listen(&t, by_fn).unwrap();
    assert!(rm_events::event_one.contains(&t, by_fn));
    assert!(hooks::contains(&t, rm_events::event_one, by_fn));
    assert!(!rm_events::event_two.contains(&t, by_fn));
    t.dispatch().event_one("1");
    rm_events::event_one.remove(&t, by_fn).unwrap();
    assert!(!h.is_active());
    assert!(!rm_events::event_one.contains(&t, by_fn));
    assert_eq!(h.remove(), Err(Error::NotActive { event: h.event() }));
    t.dispatch().event_one("2");
    assert_eq!(BY_FN.take(), ["1"]);
}

#[test]
fn capturing_closure_cannot_be_removed_by_fn_only_by_handle() {
    static CALLS: Recorder = Recorder::new();
    let t = Capturing::default();
    let tag = String::from("captured");
    let listener = move |x: &str| CALLS.push(format!("{tag} {x}"));
    let h = rm_events::event_one.listen(&t, listener.clone()).unwrap();
    let err = rm_events::event_one
        .remove(&t, listener.clone())
        .unwrap_err();
    assert!(
        matches!(&err, Error::NoIdentity { listener } if listener.contains("core_removal")),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("remove it with the handle `listen` returned")
    );
    assert!(!rm_events::event_one.contains(&t, listener.clone()));
    t.dispatch().event_one("1");
    // Each registration of a capturing closure is a new one.
    let h2 = rm_events::event_one.listen(&t, listener).unwrap();
    assert_ne!(h, h2);
    t.dispatch().event_one("2");
    h.remove().unwrap();
    t.dispatch().event_one("3");
    h2.remove().unwrap();
    t.dispatch().event_one("4");
    assert_eq!(
        CALLS.take(),
        ["captured 1", "captured 2", "captured 2", "captured 3"]
    );
}

#[test]
fn non_capturing_closure_is_removed_by_fn() {
    static CALLS: Recorder = Recorder::new();
    let t = NonCapturing::default();
    let listener = |x: &str| CALLS.push(x);
    let _h = rm_events::event_one.listen(&t, listener).unwrap();
    t.dispatch().event_one("1");
    assert!(rm_events::event_one.contains(&t, listener));
    rm_events::event_one.remove(&t, listener).unwrap();
    t.dispatch().event_one("2");
    assert_eq!(CALLS.take(), ["1"]);
}

#[test]
fn generic_fns_differ_by_instantiation() {
    static CALLS: Recorder = Recorder::new();
    fn tagged<const N: u8>(x: &str) {
        CALLS.push(format!("{N} {x}"));
    }
    let t = Generic::default();
    let h1 = rm_events::event_one.listen(&t, tagged::<1>).unwrap();
    let h2 = rm_events::event_one.listen(&t, tagged::<2>).unwrap();
    assert_ne!(h1, h2);
    rm_events::event_one.remove(&t, tagged::<1>).unwrap();
    t.dispatch().event_one("x");
    assert_eq!(CALLS.take(), ["2 x"]);
}

static DEDUP_CLS: Recorder = Recorder::new();
fn dedup_cls(x: &str) {
    DEDUP_CLS.push(x);
}

#[test]
fn same_fn_twice_at_class_level_is_one_registration() {
    let class = Class::<DedupCls>::new();
    let h1 = rm_events::event_one.listen(class, dedup_cls).unwrap();
    let h2 = rm_events::event_one.listen(class, dedup_cls).unwrap();
    // With modifiers too: still the existing registration, which keeps its place.
    let h3 = rm_events::event_one
        .listen_with(class, Modifiers::INSERT, dedup_cls)
        .unwrap();
    assert_eq!(h1, h2);
    assert_eq!(h1, h3);
    let t = DedupCls::default();
    t.dispatch().event_one("x");
    assert_eq!(DEDUP_CLS.take(), ["x"]);
    rm_events::event_one.remove(class, dedup_cls).unwrap();
    t.dispatch().event_one("y");
    assert_eq!(DEDUP_CLS.take(), Vec::<String>::new());
    assert!(matches!(
        rm_events::event_one.remove(class, dedup_cls),
        Err(Error::NotRegistered { .. })
    ));
}

static DEDUP_INST: Recorder = Recorder::new();
fn dedup_inst(x: &str) {
    DEDUP_INST.push(x);
}

#[test]
fn same_fn_twice_at_instance_level_is_one_registration() {
    let t = DedupInst::default();
    let h1 = rm_events::event_one.listen(&t, dedup_inst).unwrap();
    let h2 = rm_events::event_one.listen(&t, dedup_inst).unwrap();
    assert_eq!(h1, h2);
    t.dispatch().event_one("x");
    assert_eq!(DEDUP_INST.take(), ["x"]);
    rm_events::event_one.remove(&t, dedup_inst).unwrap();
    t.dispatch().event_one("y");
    assert_eq!(DEDUP_INST.take(), Vec::<String>::new());
    // After removal the fn can be registered again, as a new registration.
    let h3 = rm_events::event_one.listen(&t, dedup_inst).unwrap();
    assert_ne!(h1, h3);
    t.dispatch().event_one("z");
    assert_eq!(DEDUP_INST.take(), ["z"]);
}

#[test]
fn a_fn_pointer_has_no_identity() {
    static CALLS: Recorder = Recorder::new();
    fn pointed(x: &str) {
        CALLS.push(x);
    }
    let t = Pointer::default();
    let pointer: fn(&str) = pointed;
    let h = rm_events::event_one.listen(&t, pointer).unwrap();
    // The fn item and the pointer are different listeners to `remove`: the pointer has no
    // identity at all, and the fn item was never registered.
    assert!(matches!(
        rm_events::event_one.remove(&t, pointer),
        Err(Error::NoIdentity { .. })
    ));
    assert!(matches!(
        rm_events::event_one.remove(&t, pointed),
        Err(Error::NotRegistered { .. })
    ));
    t.dispatch().event_one("x");
    h.remove().unwrap();
    t.dispatch().event_one("y");
    assert_eq!(CALLS.take(), ["x"]);
}

/// Removal across many chunks of a slot's lists: listeners put in front (`insert`) and at the
/// back, removed by handle in an order unrelated to their registration; after each removal the
/// fire order is exactly the registration model's (the search for the removed entry must find
/// it in a list that is not sorted by registration, as well as in one that is).
#[test]
fn removal_from_many_chunks_keeps_the_order_of_the_rest() {
    static CALLS: Recorder = Recorder::new();
    let t = ManyChunks::default();
    let mut model: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    let mut handles = Vec::new();
    for k in 0..150 {
        let insert = k % 3 == 0;
        let modifiers = if insert {
            Modifiers::INSERT
        } else {
            Modifiers::NONE
        };
        let handle = rm_events::event_one
            .listen_with(&t, modifiers, move |_| CALLS.push(k.to_string()))
            .unwrap();
        if insert {
            model.push_front(k);
        } else {
            model.push_back(k);
        }
        handles.push(Some(handle));
    }
    let fired = || {
        t.dispatch().event_one("x");
        CALLS.take()
    };
    let expected = |model: &std::collections::VecDeque<usize>| -> Vec<String> {
        model.iter().map(ToString::to_string).collect()
    };
    assert_eq!(fired(), expected(&model));
    // A stride coprime with 150 visits every listener once, far from registration order.
    for step in 0..150 {
        let k = (step * 47 + 11) % 150;
        handles[k].take().unwrap().remove().unwrap();
        model.retain(|&m| m != k);
        if step % 10 == 0 || model.len() < 5 {
            assert_eq!(fired(), expected(&model), "after removing {k}");
        }
    }
    assert!(fired().is_empty());
}
