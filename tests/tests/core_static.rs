//! Static listeners (`#[listens_for]`): the fn stays callable and attributes stack
//! (SQLAlchemy `test_decorator`); their order is deterministic and documented — `insert` ones
//! first, each group by module path then fn name, whatever the declaration or link order — and
//! they come before runtime class-level listeners unless those are `insert`; the audit API lists
//! each with its module path, fn name, file and line.

use hooks::{Class, HasEvents, Modifiers};
use tests::Recorder;

static CALLS: Recorder = Recorder::new();
static STACKED: Recorder = Recorder::new();
static REMOVED: Recorder = Recorder::new();

/// The events of this file's targets.
#[hooks::events]
pub trait StaticEvents {
    /// One argument.
    fn ev(x: u32);
    /// Same signature as `ev`.
    fn ev2(x: u32);
}

tests::targets!(StaticEvents: Ordered, Stacked, Audited, Unlistened, Removable);

// Declared in an order unlike the documented one, across modules.
mod zeta {
    use super::{CALLS, Ordered};

    #[hooks::listens_for(Ordered, "ev")]
    fn a_zeta(x: u32) {
        CALLS.push(format!("zeta::a_zeta {x}"));
    }

    #[hooks::listens_for(Ordered, "ev", insert)]
    fn first_zeta(x: u32) {
        CALLS.push(format!("zeta::first_zeta {x}"));
    }
}

#[hooks::listens_for(Ordered, "ev")]
fn b_root(x: u32) {
    CALLS.push(format!("b_root {x}"));
}

mod alpha {
    use super::{CALLS, Ordered};

    pub(crate) mod inner {
        use super::super::{CALLS, Ordered};

        #[hooks::listens_for(Ordered, "ev")]
        fn a_inner(x: u32) {
            CALLS.push(format!("alpha::inner::a_inner {x}"));
        }
    }

    #[hooks::listens_for(Ordered, "ev")]
    fn z_alpha(x: u32) {
        CALLS.push(format!("alpha::z_alpha {x}"));
    }

    #[hooks::listens_for(Ordered, "ev", insert)]
    fn y_insert(x: u32) {
        CALLS.push(format!("alpha::y_insert {x}"));
    }
}

#[hooks::listens_for(Ordered, "ev")]
fn a_root(x: u32) {
    CALLS.push(format!("a_root {x}"));
}

/// Listens for two events: the attributes stack.
#[hooks::listens_for(Stacked, "ev")]
#[hooks::listens_for(Stacked, "ev2")]
fn both(x: u32) {
    STACKED.push(format!("both {x}"));
}

#[hooks::listens_for(Audited, "ev2", insert)]
fn audited(_: u32) {}
const AUDITED_LINE: u32 = line!() - 2;

/// The documented static order of `Ordered`'s `ev`.
const STATIC_ORDER: [&str; 7] = [
    "alpha::y_insert",
    "zeta::first_zeta",
    "a_root",
    "b_root",
    "alpha::z_alpha",
    "alpha::inner::a_inner",
    "zeta::a_zeta",
];

fn with_arg(names: &[&str], x: u32) -> Vec<String> {
    names.iter().map(|n| format!("{n} {x}")).collect()
}

#[test]
fn static_listeners_fire_insert_first_then_by_module_path_then_fn_name() {
    let t = Ordered::default();
    t.dispatch().ev(1);
    assert_eq!(CALLS.take(), with_arg(&STATIC_ORDER, 1));
    // Stable across fires and instances.
    Ordered::default().dispatch().ev(2);
    assert_eq!(CALLS.take(), with_arg(&STATIC_ORDER, 2));

    // Runtime class-level listeners come after the static ones, except `insert` ones, which
    // are first at the class level; instance-level listeners come after every class-level one.
    let _inst = static_events::ev
        .listen_with(&t, Modifiers::INSERT, |x| CALLS.push(format!("inst {x}")))
        .unwrap();
    let _late = static_events::ev
        .listen(Class::<Ordered>::new(), |x| {
            CALLS.push(format!("runtime {x}"));
        })
        .unwrap();
    let _first = static_events::ev
        .listen_with(Class::<Ordered>::new(), Modifiers::INSERT, |x| {
            CALLS.push(format!("runtime_insert {x}"));
        })
        .unwrap();
    t.dispatch().ev(3);
    let mut expected = vec!["runtime_insert"];
    expected.extend(STATIC_ORDER);
    expected.extend(["runtime", "inst"]);
    assert_eq!(CALLS.take(), with_arg(&expected, 3));
    // Another event of the same target has none of them.
    t.dispatch().ev2(4);
    assert_eq!(CALLS.take(), Vec::<String>::new());
}

#[test]
fn listens_for_leaves_the_fn_callable_and_stacks() {
    both(7);
    assert_eq!(STACKED.take(), ["both 7"]);
    let t = Stacked::default();
    t.dispatch().ev(1);
    t.dispatch().ev2(2);
    assert_eq!(STACKED.take(), ["both 1", "both 2"]);
    assert!(static_events::ev.contains(Class::<Stacked>::new(), both));
    assert!(static_events::ev2.contains(Class::<Stacked>::new(), both));
    // A static listener is a class-level one of its own target only.
    Unlistened::default().dispatch().ev(3);
    assert_eq!(STACKED.take(), Vec::<String>::new());
    assert!(!static_events::ev.contains(Class::<Unlistened>::new(), both));
}

#[test]
fn audit_lists_static_listeners_with_their_source_location() {
    let all = hooks::static_listeners();
    let audited = all
        .iter()
        .find(|l| l.target == "Audited")
        .expect("the static listener of `Audited` is listed");
    assert_eq!(audited.event, "ev2");
    assert_eq!(audited.family, "StaticEvents");
    assert_eq!(audited.listener, "audited");
    assert_eq!(audited.module_path, module_path!());
    assert_eq!(audited.module_path, "core_static");
    assert_eq!(audited.file, file!());
    assert_eq!(audited.line, AUDITED_LINE);
    assert_eq!(audited.modifier_names, ["insert"]);
    assert_eq!(audited.modifiers(), Modifiers::INSERT);
    assert_eq!(
        audited.to_string(),
        format!(
            "core_static::audited listens for Audited \"ev2\" (StaticEvents) at {}:{AUDITED_LINE} [insert]",
            file!()
        )
    );

    // Every `#[listens_for]` of this binary is listed (the stacked fn twice, the three
    // `Removable` ones, listed even after they are removed: the audit is of what was linked, and
    // the two of the `tests` library it links), in the documented order.
    let mut ours: Vec<(&str, &str, &str)> = all
        .iter()
        .map(|l| (l.module_path, l.listener, l.event))
        .collect();
    assert_eq!(ours.len(), 15);
    let listed = ours.clone();
    ours.sort_unstable();
    assert_eq!(listed, ours);
    assert_eq!(
        listed,
        [
            ("core_static", "a_root", "ev"),
            ("core_static", "audited", "ev2"),
            ("core_static", "b_root", "ev"),
            ("core_static", "both", "ev"),
            ("core_static", "both", "ev2"),
            ("core_static", "removable_a", "ev"),
            ("core_static", "removable_b", "ev"),
            ("core_static", "removable_c", "ev"),
            ("core_static::alpha", "y_insert", "ev"),
            ("core_static::alpha", "z_alpha", "ev"),
            ("core_static::alpha::inner", "a_inner", "ev"),
            ("core_static::zeta", "a_zeta", "ev"),
            ("core_static::zeta", "first_zeta", "ev"),
            ("tests::generated::listeners", "same_crate_saved", "saved"),
            (
                "tests::generated::listeners",
                "same_crate_touched",
                "touched"
            ),
        ]
    );
}

#[hooks::listens_for(Removable, "ev")]
fn removable_a(x: u32) {
    REMOVED.push(format!("static a {x}"));
}

#[hooks::listens_for(Removable, "ev")]
fn removable_b(x: u32) {
    REMOVED.push(format!("static b {x}"));
}

#[hooks::listens_for(Removable, "ev")]
fn removable_c(x: u32) {
    REMOVED.push(format!("static c {x}"));
}

/// Removing a `#[listens_for]` listener at runtime keeps every other listener in its place:
/// the runtime `insert` one first, the remaining static ones, then the appended ones — before
/// and after the static listeners are folded into the runtime list.
#[test]
fn a_static_listener_removed_at_runtime_leaves_the_order_intact() {
    let class = Class::<Removable>::new();
    let t = Removable::default();
    let _ = static_events::ev
        .listen_with(class, Modifiers::INSERT, |x| {
            REMOVED.push(format!("inserted {x}"));
        })
        .unwrap();
    let _ = static_events::ev
        .listen(class, |x| REMOVED.push(format!("appended {x}")))
        .unwrap();
    t.dispatch().ev(1);
    assert_eq!(
        REMOVED.take(),
        [
            "inserted 1",
            "static a 1",
            "static b 1",
            "static c 1",
            "appended 1"
        ]
    );

    assert!(static_events::ev.contains(class, removable_b));
    static_events::ev.remove(class, removable_b).unwrap();
    assert!(!static_events::ev.contains(class, removable_b));
    t.dispatch().ev(2);
    assert_eq!(
        REMOVED.take(),
        ["inserted 2", "static a 2", "static c 2", "appended 2"]
    );

    let _ = static_events::ev
        .listen_with(class, Modifiers::INSERT, |x| {
            REMOVED.push(format!("inserted later {x}"));
        })
        .unwrap();
    let _ = static_events::ev
        .listen(class, |x| REMOVED.push(format!("appended later {x}")))
        .unwrap();
    static_events::ev.remove(class, removable_a).unwrap();
    static_events::ev.remove(class, removable_c).unwrap();
    t.dispatch().ev(3);
    assert_eq!(
        REMOVED.take(),
        [
            "inserted later 3",
            "inserted 3",
            "appended 3",
            "appended later 3"
        ]
    );
    removable_b(4); // still an ordinary fn
    assert_eq!(REMOVED.take(), ["static b 4"]);
}
