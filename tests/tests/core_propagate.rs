//! Propagation: `hooks::copy_listeners` carries a target's instance listeners over to another
//! target — only `propagate` ones with `Carry::Propagated` (SQLAlchemy `PropagateTest`), every
//! one with `Carry::All` (a recreated pool); copies belong to the original registration, so
//! removing the original removes them (`RemovalTest.test_propagate`:
//! `["t1e1x", "t1e2x", "t2e1x"]`).

use hooks::{Carry, Class, Error, HasEvents, Modifiers};
use tests::Recorder;

/// A family whose listeners may be `propagate`.
#[hooks::events(propagate)]
pub trait PropEvents {
    /// One argument.
    fn event_one(x: &str);
    /// One argument.
    fn event_two(x: &str);
}

/// A family without `propagate`.
#[hooks::events]
pub trait PlainEvents {
    /// One argument.
    fn event_one(x: &str);
}

tests::targets!(PropEvents: Only, Removal, RemoveOnCopy, All, Twice, ClassNotCopied, Once);
tests::targets!(PlainEvents: Plain);

static REMOVAL: Recorder = Recorder::new();
fn listener(x: &str) {
    REMOVAL.push(x);
}

#[test]
fn carry_propagated_copies_only_propagate_listeners() {
    static CALLS: Recorder = Recorder::new();
    let t1 = Only::default();
    let t2 = Only::default();
    let _a = prop_events::event_one
        .listen_with(&t1, Modifiers::PROPAGATE, |x| {
            CALLS.push(format!("prop {x}"));
        })
        .unwrap();
    let _b = prop_events::event_one
        .listen(&t1, |x| CALLS.push(format!("plain {x}")))
        .unwrap();
    let _c = prop_events::event_two
        .listen(&t1, |x| CALLS.push(format!("two {x}")))
        .unwrap();
    hooks::copy_listeners::<dyn PropEvents, _>(&t1, &t2, Carry::Propagated);
    t2.dispatch().event_one("t2");
    t2.dispatch().event_two("t2");
    t1.dispatch().event_one("t1");
    assert_eq!(CALLS.take(), ["prop t2", "prop t1", "plain t1"]);
}

#[test]
fn removing_the_original_removes_its_copies() {
    let t1 = Removal::default();
    let t2 = Removal::default();
    let _a = prop_events::event_one
        .listen_with(&t1, Modifiers::PROPAGATE, listener)
        .unwrap();
    let _b = prop_events::event_two.listen(&t1, listener).unwrap();
    hooks::copy_listeners::<dyn PropEvents, _>(&t1, &t2, Carry::Propagated);
    t1.dispatch().event_one("t1e1x");
    t1.dispatch().event_two("t1e2x");
    t2.dispatch().event_one("t2e1x");
    t2.dispatch().event_two("t2e2x");
    prop_events::event_one.remove(&t1, listener).unwrap();
    prop_events::event_two.remove(&t1, listener).unwrap();
    t1.dispatch().event_one("t1e1y");
    t1.dispatch().event_two("t1e2y");
    t2.dispatch().event_one("t2e1y");
    t2.dispatch().event_two("t2e2y");
    assert_eq!(REMOVAL.take(), ["t1e1x", "t1e2x", "t2e1x"]);
    assert!(!prop_events::event_one.contains(&t2, listener));
}

#[test]
fn removing_a_copy_by_fn_or_the_handle_removes_the_registration_everywhere() {
    fn copied(x: &str) {
        COPIED.push(x);
    }
    static COPIED: Recorder = Recorder::new();
    static CALLS: Recorder = Recorder::new();
    let t1 = RemoveOnCopy::default();
    let t2 = RemoveOnCopy::default();
    let _h = prop_events::event_one
        .listen_with(&t1, Modifiers::PROPAGATE, copied)
        .unwrap();
    let h = prop_events::event_two
        .listen_with(&t1, Modifiers::PROPAGATE, |x| CALLS.push(x))
        .unwrap();
    hooks::copy_listeners::<dyn PropEvents, _>(&t1, &t2, Carry::Propagated);
    assert!(prop_events::event_one.contains(&t2, copied));
    prop_events::event_one.remove(&t2, copied).unwrap();
    assert!(!prop_events::event_one.contains(&t1, copied));
    h.remove().unwrap();
    assert_eq!(h.remove(), Err(Error::NotActive { event: h.event() }));
    t1.dispatch().event_one("t1");
    t2.dispatch().event_one("t2");
    t1.dispatch().event_two("t1");
    t2.dispatch().event_two("t2");
    assert_eq!(COPIED.take(), Vec::<String>::new());
    assert_eq!(CALLS.take(), Vec::<String>::new());
}

#[test]
fn carry_all_copies_every_instance_listener_after_the_targets_own() {
    static CALLS: Recorder = Recorder::new();
    let t1 = All::default();
    let t2 = All::default();
    let _own = prop_events::event_one
        .listen(&t2, |x| CALLS.push(format!("own {x}")))
        .unwrap();
    let _a = prop_events::event_one
        .listen_with(&t1, Modifiers::PROPAGATE, |x| {
            CALLS.push(format!("prop {x}"));
        })
        .unwrap();
    let _b = prop_events::event_one
        .listen(&t1, |x| CALLS.push(format!("plain {x}")))
        .unwrap();
    let _c = prop_events::event_two
        .listen(&t1, |x| CALLS.push(format!("two {x}")))
        .unwrap();
    hooks::copy_listeners::<dyn PropEvents, _>(&t1, &t2, Carry::All);
    t2.dispatch().event_one("t2");
    t2.dispatch().event_two("t2");
    assert_eq!(CALLS.take(), ["own t2", "prop t2", "plain t2", "two t2"]);
}

#[test]
fn copying_twice_does_not_duplicate() {
    static CALLS: Recorder = Recorder::new();
    let t1 = Twice::default();
    let t2 = Twice::default();
    let _a = prop_events::event_one
        .listen_with(&t1, Modifiers::PROPAGATE, |x| CALLS.push(x))
        .unwrap();
    hooks::copy_listeners::<dyn PropEvents, _>(&t1, &t2, Carry::Propagated);
    hooks::copy_listeners::<dyn PropEvents, _>(&t1, &t2, Carry::Propagated);
    hooks::copy_listeners::<dyn PropEvents, _>(&t1, &t2, Carry::All);
    t2.dispatch().event_one("t2");
    assert_eq!(CALLS.take(), ["t2"]);
}

#[test]
fn class_level_listeners_are_not_copied_and_copying_from_nothing_allocates_nothing() {
    static CALLS: Recorder = Recorder::new();
    let _a = prop_events::event_one
        .listen_with(Class::<ClassNotCopied>::new(), Modifiers::PROPAGATE, |x| {
            CALLS.push(x);
        })
        .unwrap();
    let t1 = ClassNotCopied::default();
    let t2 = ClassNotCopied::default();
    hooks::copy_listeners::<dyn PropEvents, _>(&t1, &t2, Carry::All);
    assert!(!t2.events.is_allocated());
    t2.dispatch().event_one("t2");
    assert_eq!(CALLS.take(), ["t2"]);
}

#[test]
fn a_once_listener_fires_once_across_its_copies() {
    static CALLS: Recorder = Recorder::new();
    let t1 = Once::default();
    let t2 = Once::default();
    let h = prop_events::event_one
        .listen_with(&t1, Modifiers::PROPAGATE | Modifiers::ONCE, |x| {
            CALLS.push(x);
        })
        .unwrap();
    hooks::copy_listeners::<dyn PropEvents, _>(&t1, &t2, Carry::Propagated);
    t2.dispatch().event_one("t2");
    t1.dispatch().event_one("t1");
    t2.dispatch().event_one("t2 again");
    assert_eq!(CALLS.take(), ["t2"]);
    assert!(!h.is_active());
}

#[test]
fn propagate_is_refused_by_a_family_without_it() {
    static CALLS: Recorder = Recorder::new();
    let t = Plain::default();
    let err = plain_events::event_one
        .listen_with(&t, Modifiers::PROPAGATE, |x| CALLS.push(x))
        .unwrap_err();
    assert!(
        matches!(&err, Error::ModifierNotAccepted { modifier, .. } if modifier == "propagate"),
        "{err:?}"
    );
    t.dispatch().event_one("t");
    assert_eq!(CALLS.take(), Vec::<String>::new());
}
