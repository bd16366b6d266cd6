//! The per-event count of registrations that lets a fire of an event nobody listens to return
//! after one load, however deep the target's joins: it follows every registration and removal,
//! counts static listeners once the index is consulted, and survives copies and dropped
//! instances.

use std::sync::atomic::Ordering;

use hooks::__private::UNKNOWN_REGISTRATIONS;
use hooks::{Carry, Class, Event, HasEvents, Modifiers};

/// This file's family (its events are used by no other test binary).
#[hooks::events(propagate)]
pub trait InterestEvents {
    /// Listened to by a static listener.
    fn watched(x: u32);
    /// Listened to only at runtime.
    fn quiet(x: u32);
}

tests::targets!(InterestEvents: Watched, Quiet);

#[hooks::listens_for(Watched, "watched")]
fn static_watcher(_: u32) {}

fn count<E: Event>() -> usize {
    E::registrations().load(Ordering::Relaxed)
}

#[test]
fn registrations_are_counted_through_listen_copy_remove_and_drop() {
    assert_eq!(count::<interest_events::quiet>(), UNKNOWN_REGISTRATIONS);
    let first = Quiet::default();
    first.dispatch().quiet(1); // consults the index: nothing listens
    assert_eq!(count::<interest_events::quiet>(), 0);

    let class = interest_events::quiet
        .listen(Class::<Quiet>::new(), |_| {})
        .unwrap();
    let own = interest_events::quiet
        .listen_with(&first, Modifiers::PROPAGATE, |_| {})
        .unwrap();
    assert_eq!(count::<interest_events::quiet>(), 2);

    // A copy belongs to its registration: no new count; dropping the source keeps the copy.
    let second = Quiet::default();
    hooks::copy_listeners::<dyn InterestEvents, Quiet>(&first, &second, Carry::Propagated);
    assert_eq!(count::<interest_events::quiet>(), 2);
    drop(first);
    assert_eq!(count::<interest_events::quiet>(), 2);
    assert!(own.is_active());

    own.remove().unwrap();
    class.remove().unwrap();
    assert_eq!(count::<interest_events::quiet>(), 0);

    // Dropping the only instance holding a registration forgets it.
    let third = Quiet::default();
    let _ = interest_events::quiet.listen(&third, |_| {}).unwrap();
    assert_eq!(count::<interest_events::quiet>(), 1);
    drop(third);
    assert_eq!(count::<interest_events::quiet>(), 0);
}

#[test]
fn static_listeners_are_counted_once_the_index_is_consulted() {
    Watched::default().dispatch().watched(1);
    assert_eq!(count::<interest_events::watched>(), 1);
    assert!(
        Watched::default()
            .dispatch()
            .raw()
            .has_listeners::<interest_events::watched>()
    );
}
