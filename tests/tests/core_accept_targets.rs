//! Two families declaring the same event name: listeners are routed by target (SQLAlchemy
//! `AcceptTargetsTest.test_target_accept`), by type and by name; a target accepting both
//! families makes the bare name ambiguous, and `"Family.event"` picks one.

use std::sync::Arc;

use hooks::{Class, DynListener, Error, HasEvents, Modifiers};
use tests::Recorder;

/// The first family.
#[hooks::events]
pub trait OneEvents {
    /// Declared by both families.
    fn event_one(x: u32);
}

/// The second family, declaring the same event name.
#[hooks::events]
pub trait TwoEvents {
    /// Declared by both families.
    fn event_one(x: u32);
    /// Only here.
    fn event_two(x: u32);
}

// `Routed*` get class-level listeners in one test; the other tests fire `Target*` only, so a
// parallel test never sees another's class-level listener.
tests::targets!(OneEvents: TargetOne, RoutedOne);
tests::targets!(TwoEvents: TargetTwo, RoutedTwo);

/// A target accepting both families.
#[hooks::target(OneEvents(events = one), TwoEvents(events = two))]
#[derive(Default)]
pub struct Both {
    one: hooks::Events<dyn OneEvents>,
    two: hooks::Events<dyn TwoEvents>,
}

fn boxed(calls: &'static Recorder, tag: &'static str) -> DynListener {
    let l: Arc<dyn Fn(u32) + Send + Sync> = Arc::new(move |x| calls.push(format!("{tag} {x}")));
    DynListener::new(l)
}

#[test]
fn same_event_name_in_two_families_routes_by_target() {
    static CALLS: Recorder = Recorder::new();
    let _one = one_events::event_one
        .listen(Class::<RoutedOne>::new(), |x| {
            CALLS.push(format!("one {x}"));
        })
        .unwrap();
    let _two = hooks::listen_by_name(
        Class::<RoutedTwo>::new(),
        "event_one",
        boxed(&CALLS, "two"),
        Modifiers::NONE,
    )
    .unwrap();
    let t1 = RoutedOne::default();
    let t2 = RoutedTwo::default();
    t1.dispatch().event_one(1);
    t2.dispatch().event_one(2);
    assert_eq!(CALLS.take(), ["one 1", "two 2"]);

    let _three =
        hooks::listen_by_name(&t1, "event_one", boxed(&CALLS, "three"), Modifiers::NONE).unwrap();
    let _four = two_events::event_one
        .listen(&t2, |x| CALLS.push(format!("four {x}")))
        .unwrap();
    t1.dispatch().event_one(3);
    t2.dispatch().event_one(4);
    assert_eq!(CALLS.take(), ["one 3", "three 3", "two 4", "four 4"]);
}

#[test]
fn a_target_accepting_both_families_needs_the_qualified_name() {
    static CALLS: Recorder = Recorder::new();
    let both = Both::default();
    let err = hooks::listen_by_name(&both, "event_one", boxed(&CALLS, "bare"), Modifiers::NONE)
        .unwrap_err();
    assert_eq!(
        err,
        Error::AmbiguousEvent {
            target: "Both",
            event: "event_one".to_owned(),
            families: vec!["OneEvents", "TwoEvents"],
        }
    );
    assert_eq!(
        err.to_string(),
        "event \"event_one\" of `Both` is declared by several families (OneEvents, TwoEvents); \
         qualify it, e.g. \"OneEvents.event_one\""
    );
    HasEvents::<dyn OneEvents>::dispatch(&both).event_one(0);
    HasEvents::<dyn TwoEvents>::dispatch(&both).event_one(0);
    assert_eq!(CALLS.take(), Vec::<String>::new());

    // A name only one family declares needs no qualification.
    let _h2 =
        hooks::listen_by_name(&both, "event_two", boxed(&CALLS, "two"), Modifiers::NONE).unwrap();
    let _h1 = hooks::listen_by_name(
        &both,
        "OneEvents.event_one",
        boxed(&CALLS, "q1"),
        Modifiers::NONE,
    )
    .unwrap();
    let _h3 = hooks::listen_by_name(
        &both,
        "TwoEvents.event_one",
        boxed(&CALLS, "q2"),
        Modifiers::NONE,
    )
    .unwrap();
    HasEvents::<dyn OneEvents>::dispatch(&both).event_one(1);
    HasEvents::<dyn TwoEvents>::dispatch(&both).event_one(2);
    HasEvents::<dyn TwoEvents>::dispatch(&both).event_two(3);
    assert_eq!(CALLS.take(), ["q1 1", "q2 2", "two 3"]);

    // The typed API names the family through the event marker: never ambiguous.
    let _t = two_events::event_one
        .listen(&both, |x| CALLS.push(format!("typed {x}")))
        .unwrap();
    HasEvents::<dyn OneEvents>::dispatch(&both).event_one(4);
    HasEvents::<dyn TwoEvents>::dispatch(&both).event_one(5);
    assert_eq!(CALLS.take(), ["q1 4", "q2 5", "typed 5"]);
}

#[test]
fn a_name_of_another_family_is_unknown_for_the_target() {
    static CALLS: Recorder = Recorder::new();
    let t1 = TargetOne::default();
    let err =
        hooks::listen_by_name(&t1, "event_two", boxed(&CALLS, "x"), Modifiers::NONE).unwrap_err();
    assert!(
        matches!(&err, Error::UnknownEvent { target: "TargetOne", event, available, .. }
            if event == "event_two" && available == &["event_one"]),
        "{err:?}"
    );
    let err = hooks::listen_by_name(
        &t1,
        "TwoEvents.event_one",
        boxed(&CALLS, "x"),
        Modifiers::NONE,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnknownEvent {
                target: "TargetOne",
                ..
            }
        ),
        "{err:?}"
    );
    t1.dispatch().event_one(1);
    assert_eq!(CALLS.take(), Vec::<String>::new());
}
