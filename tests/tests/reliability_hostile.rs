//! Hostile input to the by-name API, generated with proptest: arbitrary event names (known,
//! qualified, misspelt, empty, any Unicode), targets (class, a shared instance, a fresh one),
//! listener types (every form, of the right and the wrong signature, and non-callables) and
//! modifier sets (core bits and arbitrary family-modifier names). Never a panic; a refused call
//! is a typed error and leaves the registry as it was (checked by firing every event and by
//! `contains`); an accepted one is registered, fires, and its removal restores the registry.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use hooks::{Class, DynListener, Error, HasEvents, ListenerHandle, Modifiers};
use proptest::prelude::*;
use tests::Recorder;

static CALLS: Recorder = Recorder::new();

/// A family with one event of each contract and a family modifier.
#[hooks::events(modifiers(raw))]
pub trait HostileEvents {
    /// Plain (its name is also declared by [`SideEvents`]).
    fn plain(x: u32);
    /// Retval.
    #[event(retval)]
    fn rewrite(#[retval] s: &str) -> String;
    /// Halting.
    #[event(halting)]
    fn stop(x: u32) -> bool;
    /// Fallible.
    #[event(fallible)]
    fn check(x: u32) -> Result<(), String>;
    /// Exec-once.
    #[event(exec_once)]
    fn boot(x: u32);
}

/// A second family of the same target, sharing the name `plain`.
#[hooks::events]
pub trait SideEvents {
    /// Plain, ambiguous unqualified.
    fn plain(x: u32);
    /// Only here.
    fn extra(x: u32);
}

/// The target.
#[hooks::target(HostileEvents(events = events), SideEvents(events = side))]
#[derive(Default)]
pub struct Hostile {
    events: hooks::Events<dyn HostileEvents>,
    side: hooks::Events<dyn SideEvents>,
}

#[hooks::listens_for(Hostile, "check")]
fn resident_check(x: u32) -> Result<(), String> {
    CALLS.push(format!("static check {x}"));
    Ok(())
}

fn resident_extra(x: u32) {
    CALLS.push(format!("resident extra {x}"));
}

fn stranger(_: u32) {}

const KNOWN: [&str; 9] = [
    "plain",
    "rewrite",
    "stop",
    "check",
    "boot",
    "extra",
    "HostileEvents.plain",
    "SideEvents.plain",
    "SideEvents.extra",
];

/// Fires every event of both families on `t`; what ran, in order.
fn fire_all(t: &Hostile) -> Vec<String> {
    let h = HasEvents::<dyn HostileEvents>::dispatch(t);
    let s = HasEvents::<dyn SideEvents>::dispatch(t);
    h.plain(1);
    let rewritten = h.rewrite("in".to_owned());
    let stopped = h.stop(2);
    let checked = h.check(3);
    h.boot(4);
    s.plain(5);
    s.extra(6);
    let mut out = CALLS.take();
    out.push(format!(
        "rewrite -> {rewritten}, stop -> {stopped}, check -> {checked:?}"
    ));
    out
}

/// Fires the event `handle` listens to, on `t`; whether listener `k` ran.
fn fires_listener(t: &Hostile, handle: &ListenerHandle, k: usize) -> bool {
    let info = handle.event();
    let h = HasEvents::<dyn HostileEvents>::dispatch(t);
    let s = HasEvents::<dyn SideEvents>::dispatch(t);
    match (info.family, info.name) {
        ("HostileEvents", "plain") => h.plain(7),
        ("HostileEvents", "rewrite") => drop(h.rewrite("x".to_owned())),
        ("HostileEvents", "stop") => drop(h.stop(7)),
        ("HostileEvents", "check") => drop(h.check(7)),
        ("HostileEvents", "boot") => h.boot(7),
        ("SideEvents", "plain") => s.plain(7),
        ("SideEvents", "extra") => s.extra(7),
        other => panic!("unexpected event {other:?}"),
    }
    CALLS.take().contains(&format!("L{k}"))
}

/// Listener candidate `k`: every accepted form of every event, wrong signatures, non-callables.
fn candidate(k: usize) -> DynListener {
    fn mark(k: usize) {
        CALLS.push(format!("L{k}"));
    }
    match k {
        0 => DynListener::new((|_| mark(0)) as fn(u32)),
        1 => DynListener::new(Arc::new(|_| mark(1)) as Arc<dyn Fn(u32) + Send + Sync>),
        2 => DynListener::new(
            (|_| {
                mark(2);
                false
            }) as fn(u32) -> bool,
        ),
        3 => DynListener::new(
            (|_| {
                mark(3);
                Ok(())
            }) as fn(u32) -> Result<(), String>,
        ),
        4 => DynListener::new(
            (|s| {
                mark(4);
                s.to_owned()
            }) as fn(&str) -> String,
        ),
        5 => DynListener::new(Arc::new(|s: &str| {
            mark(5);
            s.to_owned()
        }) as Arc<dyn Fn(&str) -> String + Send + Sync>),
        6 => DynListener::new(()),
        7 => DynListener::new(String::from("not a listener")),
        8 => DynListener::new((|_| mark(8)) as fn(u64)),
        9 => DynListener::new((|_| mark(9)) as fn(hostile_events::PlainArgs<'_>)),
        10 => DynListener::new((|_| mark(10)) as fn(side_events::ExtraArgs<'_>)),
        11 => DynListener::new(Arc::new(|_| {
            mark(11);
            false
        }) as Arc<dyn Fn(u32) -> bool + Send + Sync>),
        _ => DynListener::new((|_| mark(12)) as fn(&str)),
    }
}

#[derive(Debug, Clone, Copy)]
enum Where {
    Class,
    Shared,
    Fresh,
}

#[derive(Debug, Clone)]
enum Op {
    Listen {
        listener: usize,
        bits: u8,
        names: Vec<String>,
    },
    RemoveStranger,
    RemoveClosure,
    Contains,
}

fn event_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(KNOWN.to_vec()).prop_map(str::to_owned),
        1 => proptest::sample::select(vec![
            "", ".", "plain.", ".plain", "Nope.plain", "HostileEvents.extra", "PLAIN",
            "plian", "HostileEvents.", "SideEvents.boot", "plain\0", "pla in",
        ])
        .prop_map(str::to_owned),
        2 => "[a-zA-Z_.]{0,16}",
        1 => "\\PC{0,12}",
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let any_names = proptest::collection::vec(
        prop_oneof![
            proptest::sample::select(vec![
                "raw",
                "once",
                "insert",
                "retval",
                "named",
                "propagate",
                "bogus",
                "",
            ])
            .prop_map(str::to_owned),
            "\\PC{0,6}",
        ],
        0..6,
    );
    let names = prop_oneof![
        3 => Just(Vec::new()),
        1 => proptest::collection::vec(
            proptest::sample::select(vec!["raw", "once", "insert"]).prop_map(str::to_owned),
            0..3,
        ),
        2 => any_names,
    ];
    // Mostly the modifiers every event accepts (none, insert, once), sometimes any.
    let bits = prop_oneof![2 => proptest::sample::select(vec![0u8, 2, 4, 6]), 1 => 0..32u8];
    prop_oneof![
        6 => (0..13usize, bits, names).prop_map(|(listener, bits, names)| Op::Listen { listener, bits, names }),
        1 => Just(Op::RemoveStranger),
        1 => Just(Op::RemoveClosure),
        1 => Just(Op::Contains),
    ]
}

fn target_strategy() -> impl Strategy<Value = Where> {
    prop_oneof![Just(Where::Class), Just(Where::Shared), Just(Where::Fresh)]
}

/// Builds the modifier set; a typed error when it holds too many family modifiers.
fn modifiers(bits: u8, names: &[String]) -> Result<Modifiers, Error> {
    let core = [
        Modifiers::RETVAL,
        Modifiers::INSERT,
        Modifiers::ONCE,
        Modifiers::NAMED,
        Modifiers::PROPAGATE,
    ];
    let mut m = core
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .fold(Modifiers::NONE, |m, (_, c)| m | *c);
    for name in names {
        let name: &'static str = Box::leak(name.clone().into_boxed_str());
        m = m.with_name(name)?;
    }
    Ok(m)
}

fn is_known(event: &str) -> bool {
    KNOWN.contains(&event)
}

struct World {
    shared: Hostile,
    accepted: std::sync::atomic::AtomicUsize,
    refused: std::sync::atomic::AtomicUsize,
}

impl World {
    fn new() -> Self {
        let world = Self {
            shared: Hostile::default(),
            accepted: std::sync::atomic::AtomicUsize::new(0),
            refused: std::sync::atomic::AtomicUsize::new(0),
        };
        let _ = side_events::extra
            .listen(&world.shared, resident_extra)
            .unwrap();
        let _ = hostile_events::plain
            .listen(Class::<Hostile>::new(), |x| {
                CALLS.push(format!("class plain {x}"));
            })
            .unwrap();
        let _ = hostile_events::rewrite
            .listen_retval(&world.shared, Modifiers::NONE, |s| format!("<{s}>"))
            .unwrap();
        let _ = hostile_events::stop
            .listen(&world.shared, |x| {
                CALLS.push(format!("stop {x}"));
                false
            })
            .unwrap();
        world
    }

    /// Everything observable: what fires on the shared instance and on a fresh one, and what
    /// `contains` says.
    fn observe(&self) -> (Vec<String>, Vec<String>, [bool; 3]) {
        let fresh = Hostile::default();
        (
            fire_all(&self.shared),
            fire_all(&fresh),
            [
                hooks::contains_by_name(&self.shared, "extra", &resident_extra).unwrap(),
                hooks::contains_by_name(Class::<Hostile>::new(), "check", &resident_check).unwrap(),
                hooks::contains_by_name(&self.shared, "SideEvents.plain", &stranger).unwrap(),
            ],
        )
    }
}

fn listen(
    world: &World,
    at: Where,
    fresh: &Hostile,
    event: &str,
    l: DynListener,
    m: Modifiers,
) -> Result<ListenerHandle, Error> {
    match at {
        Where::Class => hooks::listen_by_name(Class::<Hostile>::new(), event, l, m),
        Where::Shared => hooks::listen_by_name(&world.shared, event, l, m),
        Where::Fresh => hooks::listen_by_name(fresh, event, l, m),
    }
}

fn check_error(event: &str, err: &Error) {
    assert!(!err.to_string().is_empty());
    if !is_known(event) {
        assert!(
            matches!(err, Error::UnknownEvent { .. }),
            "{event:?}: {err:?}"
        );
    }
    if event == "plain" {
        assert!(matches!(err, Error::AmbiguousEvent { .. }), "{err:?}");
    }
}

fn run_op(world: &World, at: Where, event: &str, op: &Op) {
    let before = world.observe();
    let fresh = Hostile::default();
    match op {
        Op::Listen {
            listener,
            bits,
            names,
        } => {
            let result = match modifiers(*bits, names) {
                Err(e) => {
                    assert!(matches!(e, Error::TooManyModifiers { .. }), "{e:?}");
                    return;
                }
                Ok(m) => catch_unwind(AssertUnwindSafe(|| {
                    listen(world, at, &fresh, event, candidate(*listener), m)
                }))
                .expect("listen_by_name panicked"),
            };
            match result {
                Err(e) => {
                    world
                        .refused
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    check_error(event, &e);
                    assert!(
                        !HasEvents::<dyn HostileEvents>::events(&fresh).is_allocated()
                            && !HasEvents::<dyn SideEvents>::events(&fresh).is_allocated(),
                        "a refused call allocated storage"
                    );
                }
                Ok(handle) => {
                    world
                        .accepted
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    assert!(is_known(event) && event != "plain", "accepted {event:?}");
                    let probe = Hostile::default();
                    let on = match at {
                        Where::Class => &probe,
                        Where::Shared => &world.shared,
                        Where::Fresh => &fresh,
                    };
                    // The shared instance's exec-once event has run already.
                    let runs = !(matches!(at, Where::Shared) && handle.event().name == "boot");
                    if runs {
                        assert!(
                            fires_listener(on, &handle, *listener),
                            "accepted but did not fire"
                        );
                    }
                    if let Err(e) = handle.remove() {
                        assert!(matches!(e, Error::NotActive { .. }) && runs, "{e:?}");
                    }
                }
            }
        }
        Op::RemoveStranger => {
            let r = catch_unwind(AssertUnwindSafe(|| {
                hooks::remove_by_name(&world.shared, event, &stranger)
            }))
            .unwrap();
            let err = r.expect_err("a listener never registered was removed");
            check_error(event, &err);
            if is_known(event) && event != "plain" {
                assert!(matches!(err, Error::NotRegistered { .. }), "{err:?}");
            }
        }
        Op::RemoveClosure => {
            let captured = String::new();
            let closure = move |_: u32| {
                let _ = captured.len();
            };
            let r = catch_unwind(AssertUnwindSafe(|| {
                hooks::remove_by_name(Class::<Hostile>::new(), event, &closure)
            }))
            .unwrap();
            check_error(event, &r.expect_err("a capturing closure has no identity"));
        }
        Op::Contains => {
            let r = catch_unwind(AssertUnwindSafe(|| {
                hooks::contains_by_name(&world.shared, event, &resident_extra)
            }))
            .unwrap();
            match r {
                Ok(found) => assert_eq!(found, event == "extra" || event == "SideEvents.extra"),
                Err(e) => check_error(event, &e),
            }
        }
    }
    assert_eq!(world.observe(), before, "the registry changed");
}

/// One test, one world: the class-level listeners and the call log are process-wide.
#[test]
fn by_name_api_never_panics_and_refusals_change_nothing() {
    let world = World::new();
    let cases = if std::env::var_os("HOOKS_STRESS_HEAVY").is_some() {
        20_000
    } else {
        2_048
    };
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let result = runner.run(
        &(target_strategy(), event_name(), op()),
        |(at, event, op)| {
            run_op(&world, at, &event, &op);
            Ok(())
        },
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    // The generated inputs reach both outcomes: the property is not vacuous.
    let accepted = world.accepted.load(std::sync::atomic::Ordering::Relaxed);
    let refused = world.refused.load(std::sync::atomic::Ordering::Relaxed);
    println!("hostile: {cases} cases, {accepted} listens accepted, {refused} refused");
    assert!(
        accepted > 5 && refused > 50,
        "{accepted} accepted, {refused} refused"
    );
}
