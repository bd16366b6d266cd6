//! The by-name API: listeners registered, found and removed by the event's name as a string;
//! every misuse is a typed error (`UnknownEvent` with a suggestion, `WrongListenerType`,
//! `ModifierNotAccepted`, `NoIdentity`, `NotRegistered`), and a refused call changes nothing.

use std::sync::Arc;

use hooks::{Class, DynListener, Error, HasEvents, Modifiers};
use tests::Recorder;

/// The events of this file's targets.
#[hooks::events(modifiers(raw))]
pub trait NameEvents {
    /// Two arguments.
    fn connect(id: u32, name: &str);
    /// A retval event.
    #[event(retval)]
    fn rewrite(#[retval] s: &str) -> String;
    /// A fallible event.
    #[event(fallible)]
    fn checkout(id: u32) -> Result<(), String>;
}

tests::targets!(
    NameEvents: Forms,
    Unknown,
    WrongType,
    Modifier,
    Remove,
    Custom,
    Overflow,
    ClassLevel
);

/// The by-name form of a `connect` listener.
type ConnectListener = Arc<dyn Fn(u32, &str) + Send + Sync>;

fn recorder(calls: &'static Recorder, tag: &'static str) -> DynListener {
    let l: ConnectListener = Arc::new(move |id, name| calls.push(format!("{tag} {id} {name}")));
    DynListener::new(l)
}

static FORMS: Recorder = Recorder::new();
fn plain_fn(id: u32, name: &str) {
    FORMS.push(format!("fn {id} {name}"));
}
// The named form takes its arguments struct by value.
#[allow(clippy::needless_pass_by_value)]
fn named_fn(args: name_events::ConnectArgs<'_>) {
    FORMS.push(format!("named fn id={} name={}", args.id, args.name));
}

#[test]
fn every_listener_form_by_name() {
    let t = Forms::default();
    let _a = hooks::listen_by_name(
        &t,
        "connect",
        DynListener::new(plain_fn as fn(u32, &str)),
        Modifiers::NONE,
    )
    .unwrap();
    let _b =
        hooks::listen_by_name(&t, "connect", recorder(&FORMS, "arc"), Modifiers::NONE).unwrap();
    let _c = hooks::listen_by_name(
        &t,
        "connect",
        DynListener::new(named_fn as fn(name_events::ConnectArgs<'_>)),
        Modifiers::NAMED,
    )
    .unwrap();
    let named: Arc<dyn Fn(name_events::ConnectArgs<'_>) + Send + Sync> =
        Arc::new(|args| FORMS.push(format!("named arc id={}", args.id)));
    let _d =
        hooks::listen_by_name(&t, "connect", DynListener::new(named), Modifiers::NAMED).unwrap();
    let _e = hooks::listen_by_name(
        &t,
        "connect",
        recorder(&FORMS, "inserted"),
        Modifiers::INSERT,
    )
    .unwrap();
    t.dispatch().connect(1, "db");
    assert_eq!(
        FORMS.take(),
        [
            "inserted 1 db",
            "fn 1 db",
            "arc 1 db",
            "named fn id=1 name=db",
            "named arc id=1"
        ]
    );

    let upper: Arc<dyn Fn(&str) -> String + Send + Sync> = Arc::new(str::to_uppercase);
    let _r =
        hooks::listen_by_name(&t, "rewrite", DynListener::new(upper), Modifiers::RETVAL).unwrap();
    let exclaim = (|s: &str| format!("{s}!")) as fn(&str) -> String;
    let _s =
        hooks::listen_by_name(&t, "rewrite", DynListener::new(exclaim), Modifiers::RETVAL).unwrap();
    assert_eq!(t.dispatch().rewrite("hi".to_owned()), "HI!");

    let refuse: Arc<dyn Fn(u32) -> Result<(), String> + Send + Sync> =
        Arc::new(|id| Err(format!("no {id}")));
    let h =
        hooks::listen_by_name(&t, "checkout", DynListener::new(refuse), Modifiers::NONE).unwrap();
    assert_eq!(t.dispatch().checkout(3), Err("no 3".to_owned()));
    assert_eq!(h.event().name, "checkout");
    h.remove().unwrap();
    assert_eq!(t.dispatch().checkout(3), Ok(()));
}

#[test]
fn class_level_by_name() {
    static CALLS: Recorder = Recorder::new();
    let h = hooks::listen_by_name(
        Class::<ClassLevel>::new(),
        "connect",
        recorder(&CALLS, "class"),
        Modifiers::NONE,
    )
    .unwrap();
    ClassLevel::default().dispatch().connect(1, "a");
    h.remove().unwrap();
    ClassLevel::default().dispatch().connect(2, "b");
    assert_eq!(CALLS.take(), ["class 1 a"]);
}

#[test]
fn unknown_name_suggests_the_closest_and_changes_nothing() {
    static CALLS: Recorder = Recorder::new();
    let t = Unknown::default();
    let err =
        hooks::listen_by_name(&t, "conect", recorder(&CALLS, "x"), Modifiers::NONE).unwrap_err();
    assert_eq!(
        err,
        Error::UnknownEvent {
            target: "Unknown",
            event: "conect".to_owned(),
            suggestion: Some("connect"),
            available: vec!["connect", "rewrite", "checkout"],
        }
    );
    assert_eq!(
        err.to_string(),
        "`Unknown` has no event named \"conect\"; did you mean \"connect\"? \
         (events of `Unknown`: connect, rewrite, checkout)"
    );
    // Nothing close: no suggestion.
    let err =
        hooks::listen_by_name(&t, "zzzzzzzz", recorder(&CALLS, "x"), Modifiers::NONE).unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnknownEvent {
                suggestion: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains("did you mean"));
    // The other by-name calls refuse the name the same way.
    assert!(matches!(
        hooks::remove_by_name(&t, "conect", &plain_fn),
        Err(Error::UnknownEvent {
            suggestion: Some("connect"),
            ..
        })
    ));
    assert!(matches!(
        hooks::contains_by_name(&t, "conect", &plain_fn),
        Err(Error::UnknownEvent { .. })
    ));
    t.dispatch().connect(1, "a");
    assert_eq!(CALLS.take(), Vec::<String>::new());
    assert!(!t.events.is_allocated());
}

#[test]
fn wrong_listener_type_is_refused_and_changes_nothing() {
    static CALLS: Recorder = Recorder::new();
    let t = WrongType::default();
    // Wrong argument types.
    let wrong: Arc<dyn Fn(u32) + Send + Sync> = Arc::new(|x| CALLS.push(format!("{x}")));
    let err =
        hooks::listen_by_name(&t, "connect", DynListener::new(wrong), Modifiers::NONE).unwrap_err();
    assert!(
        matches!(&err, Error::WrongListenerType { event, found, .. }
            if event.name == "connect" && found.contains("dyn")),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("does not fit event \"connect\" of `NameEvents`"),
        "{message}"
    );
    assert!(message.contains("fn(u32, &str)"), "{message}");
    // Not a listener at all.
    let err =
        hooks::listen_by_name(&t, "connect", DynListener::new(()), Modifiers::NONE).unwrap_err();
    assert!(
        matches!(err, Error::WrongListenerType { found: "()", .. }),
        "{err:?}"
    );
    // A plain listener where `named` expects the named form, and the other way round.
    let err =
        hooks::listen_by_name(&t, "connect", recorder(&CALLS, "x"), Modifiers::NAMED).unwrap_err();
    assert!(
        matches!(&err, Error::WrongListenerType { expected, .. } if expected.contains("ConnectArgs")),
        "{err:?}"
    );
    let err = hooks::listen_by_name(
        &t,
        "connect",
        DynListener::new(named_fn as fn(name_events::ConnectArgs<'_>)),
        Modifiers::NONE,
    )
    .unwrap_err();
    assert!(matches!(err, Error::WrongListenerType { .. }), "{err:?}");
    // A plain listener of a retval event given `retval`.
    let observer: Arc<dyn Fn(&str) + Send + Sync> = Arc::new(|s| CALLS.push(s));
    let err = hooks::listen_by_name(&t, "rewrite", DynListener::new(observer), Modifiers::RETVAL)
        .unwrap_err();
    assert!(matches!(err, Error::WrongListenerType { .. }), "{err:?}");

    t.dispatch().connect(1, "a");
    assert_eq!(t.dispatch().rewrite("s".to_owned()), "s");
    assert_eq!(CALLS.take(), Vec::<String>::new());
    assert!(!t.events.is_allocated());
}

#[test]
fn inapplicable_modifier_is_refused_and_changes_nothing() {
    static CALLS: Recorder = Recorder::new();
    let t = Modifier::default();
    let err =
        hooks::listen_by_name(&t, "connect", recorder(&CALLS, "x"), Modifiers::RETVAL).unwrap_err();
    assert!(
        matches!(&err, Error::ModifierNotAccepted { event, modifier }
            if event.name == "connect" && modifier == "retval"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "event \"connect\" of `NameEvents` does not accept modifier `retval` \
         (accepted: insert, once, named, raw)"
    );
    let err = hooks::listen_by_name(&t, "connect", recorder(&CALLS, "x"), Modifiers::PROPAGATE)
        .unwrap_err();
    assert!(
        matches!(&err, Error::ModifierNotAccepted { modifier, .. } if modifier == "propagate"),
        "{err:?}"
    );
    let bogus = Modifiers::NONE.custom("bogus").unwrap();
    let err = hooks::listen_by_name(&t, "connect", recorder(&CALLS, "x"), bogus).unwrap_err();
    assert!(
        matches!(&err, Error::ModifierNotAccepted { modifier, .. } if modifier == "bogus"),
        "{err:?}"
    );
    t.dispatch().connect(1, "a");
    assert_eq!(CALLS.take(), Vec::<String>::new());
    assert!(!t.events.is_allocated());
}

#[test]
fn family_modifier_is_accepted_by_name() {
    static CALLS: Recorder = Recorder::new();
    let t = Custom::default();
    let raw = Modifiers::NONE.with_name("raw").unwrap();
    assert!(raw.has_custom("raw"));
    let _h = hooks::listen_by_name(&t, "connect", recorder(&CALLS, "raw"), raw).unwrap();
    t.dispatch().connect(1, "a");
    assert_eq!(CALLS.take(), ["raw 1 a"]);
}

#[test]
fn modifier_sets_are_equal_whatever_the_order_names_were_added() {
    let a = Modifiers::ONCE.custom("raw").unwrap().custom("b").unwrap();
    let b = Modifiers::NONE.custom("b").unwrap().custom("raw").unwrap() | Modifiers::ONCE;
    assert_eq!(a, b);
    assert_eq!(a.to_string(), "once, b, raw");
    let mut seen = std::collections::HashSet::new();
    seen.insert(a);
    assert!(seen.contains(&b));
}

#[test]
fn a_fifth_family_modifier_lost_by_bitor_is_refused_at_listen() {
    static CALLS: Recorder = Recorder::new();
    let four = ["a", "b", "c", "d"]
        .into_iter()
        .try_fold(Modifiers::NONE, Modifiers::custom)
        .unwrap();
    assert_eq!(
        Modifiers::NONE.custom("e").and_then(|m| m.custom("f")),
        Ok(Modifiers::NONE.custom("f").unwrap().custom("e").unwrap())
    );
    assert_eq!(
        four.custom("e"),
        Err(Error::TooManyModifiers { limit: 4 }),
        "the checked adder refuses the fifth"
    );
    let five = four | Modifiers::NONE.custom("e").unwrap();
    let t = Overflow::default();
    let err = hooks::listen_by_name(&t, "connect", recorder(&CALLS, "x"), five).unwrap_err();
    assert_eq!(err, Error::TooManyModifiers { limit: 4 });
    assert_eq!(
        err.to_string(),
        "a listener carries at most 4 family-declared modifiers"
    );
    t.dispatch().connect(1, "a");
    assert_eq!(CALLS.take(), Vec::<String>::new());
}

static REMOVE: Recorder = Recorder::new();
fn removable(id: u32, name: &str) {
    REMOVE.push(format!("removable {id} {name}"));
}

#[test]
fn remove_and_contains_by_name() {
    let t = Remove::default();
    assert_eq!(
        hooks::contains_by_name(&t, "connect", &removable),
        Ok(false)
    );
    let err = hooks::remove_by_name(&t, "connect", &removable).unwrap_err();
    assert!(
        matches!(&err, Error::NotRegistered { target, event, listener }
            if target == "an instance of Remove" && event.name == "connect"
                && listener.ends_with("removable")),
        "{err:?}"
    );
    let _h = name_events::connect.listen(&t, removable).unwrap();
    assert_eq!(hooks::contains_by_name(&t, "connect", &removable), Ok(true));
    assert_eq!(
        hooks::contains_by_name(Class::<Remove>::new(), "connect", &removable),
        Ok(false)
    );
    assert_eq!(
        hooks::contains_by_name(&t, "NameEvents.connect", &removable),
        Ok(true)
    );
    t.dispatch().connect(1, "a");
    hooks::remove_by_name(&t, "connect", &removable).unwrap();
    assert_eq!(
        hooks::contains_by_name(&t, "connect", &removable),
        Ok(false)
    );
    t.dispatch().connect(2, "b");
    assert_eq!(REMOVE.take(), ["removable 1 a"]);

    let tag = String::from("captures");
    let capturing = move |_: u32, _: &str| drop(tag.clone());
    let err = hooks::remove_by_name(&t, "connect", &capturing).unwrap_err();
    assert!(matches!(err, Error::NoIdentity { .. }), "{err:?}");
    assert_eq!(
        hooks::contains_by_name(&t, "connect", &capturing),
        Ok(false)
    );
}
