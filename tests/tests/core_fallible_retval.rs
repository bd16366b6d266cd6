//! The `retval, fallible` contract (SQLAlchemy's "return a cleaned value, or raise to halt"):
//! a `retval` listener returns `Ok(new value)`, which the next listener receives, or `Err`,
//! which stops the chain and is what the fire returns instead of a value; a listener without
//! `retval` returns `Ok(())` to pass the value on, or `Err` to veto. The same four forms as
//! every event (positional or `named`, plain or `retval`), static and runtime.

use std::sync::Arc;

use hooks::{Class, DynListener, HasEvents, Modifiers};
use tests::Recorder;

/// Events whose listeners clean a value or veto the operation.
#[hooks::events]
pub trait CleanEvents {
    /// `value` may be replaced or refused; `key` is passed as is.
    #[event(retval, fallible)]
    fn set(key: &str, #[retval] value: &str) -> Result<String, String>;
    /// Two values replaced together, the contract written the other way round.
    #[event(fallible, retval)]
    fn pair(#[retval] a: u32, #[retval] b: u32) -> Result<(u32, u32), String>;
}

tests::targets!(
    CleanEvents: Chain,
    Veto,
    Empty,
    Static,
    Named,
    Pair,
    ByName
);

#[test]
fn each_listener_gets_the_previous_value_and_the_last_is_returned() {
    static CALLS: Recorder = Recorder::new();
    let t = Chain::default();
    let _class = clean_events::set
        .listen_retval(Class::<Chain>::new(), Modifiers::NONE, |key, v| {
            CALLS.push(format!("class {key}={v}"));
            Ok(v.trim().to_owned())
        })
        .unwrap();
    let _plain = clean_events::set
        .listen(&t, |key, v| {
            CALLS.push(format!("plain {key}={v}"));
            Ok(())
        })
        .unwrap();
    let _upper = clean_events::set
        .listen_retval(&t, Modifiers::NONE, |key, v| {
            CALLS.push(format!("upper {key}={v}"));
            Ok(v.to_uppercase())
        })
        .unwrap();
    assert_eq!(
        t.dispatch().set("name", " ada ".to_owned()),
        Ok("ADA".to_owned())
    );
    assert_eq!(
        CALLS.take(),
        ["class name= ada ", "plain name=ada", "upper name=ada"]
    );
}

#[test]
fn an_err_stops_the_chain_and_is_returned_instead_of_the_value() {
    static CALLS: Recorder = Recorder::new();
    let t = Veto::default();
    let _a = clean_events::set
        .listen_retval(&t, Modifiers::NONE, |_, v| {
            CALLS.push(format!("a {v}"));
            Ok(format!("{v}!"))
        })
        .unwrap();
    let _b = clean_events::set
        .listen(&t, |_, v| {
            CALLS.push(format!("b {v}"));
            if v.starts_with('x') {
                Err(format!("b refuses {v}"))
            } else {
                Ok(())
            }
        })
        .unwrap();
    let _c = clean_events::set
        .listen_retval(&t, Modifiers::NONE, |_, v| {
            CALLS.push(format!("c {v}"));
            Err(format!("c refuses {v}"))
        })
        .unwrap();
    assert_eq!(
        t.dispatch().set("k", "x".to_owned()),
        Err("b refuses x!".to_owned())
    );
    assert_eq!(CALLS.take(), ["a x", "b x!"]);
    assert_eq!(
        t.dispatch().set("k", "y".to_owned()),
        Err("c refuses y!".to_owned())
    );
    assert_eq!(CALLS.take(), ["a y", "b y!", "c y!"]);
}

#[test]
fn with_no_listener_the_value_comes_back_unchanged() {
    let t = Empty::default();
    assert_eq!(t.dispatch().set("k", "v".to_owned()), Ok("v".to_owned()));
    assert_eq!(t.dispatch().pair(1, 2), Ok((1, 2)));
}

#[hooks::listens_for(Static, "set", retval)]
fn static_digits_only(key: &str, value: &str) -> Result<String, String> {
    STATIC_SEEN.push(format!("digits {key}={value}"));
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        Err(format!("{key}: no digits in {value:?}"))
    } else {
        Ok(digits)
    }
}

#[hooks::listens_for(Static, "set")]
fn static_z_observer(key: &str, value: &str) -> Result<(), String> {
    STATIC_SEEN.push(format!("z observed {key}={value}"));
    Ok(())
}
static STATIC_SEEN: Recorder = Recorder::new();

#[test]
fn static_listeners_clean_and_veto() {
    let t = Static::default();
    assert_eq!(
        t.dispatch().set("phone", "555-0100".to_owned()),
        Ok("5550100".to_owned())
    );
    assert_eq!(
        STATIC_SEEN.take(),
        ["digits phone=555-0100", "z observed phone=5550100"]
    );
    assert_eq!(
        t.dispatch().set("phone", "none".to_owned()),
        Err("phone: no digits in \"none\"".to_owned())
    );
    assert_eq!(STATIC_SEEN.take(), ["digits phone=none"]);
}

#[test]
fn named_listeners_take_the_same_results() {
    static CALLS: Recorder = Recorder::new();
    let t = Named::default();
    let _a = clean_events::set
        .listen_named_retval(&t, Modifiers::NONE, |args| {
            CALLS.push(format!("named retval {}={}", args.key, args.value));
            Ok(format!("<{}>", args.value))
        })
        .unwrap();
    let _b = clean_events::set
        .listen_named(&t, Modifiers::NONE, |args| {
            CALLS.push(format!("named {}={}", args.key, args.value));
            Err("named veto".to_owned())
        })
        .unwrap();
    assert_eq!(
        t.dispatch().set("k", "v".to_owned()),
        Err("named veto".to_owned())
    );
    assert_eq!(CALLS.take(), ["named retval k=v", "named k=<v>"]);
}

#[test]
fn two_values_are_replaced_together() {
    let t = Pair::default();
    let _swap = clean_events::pair
        .listen_retval(&t, Modifiers::NONE, |a, b| Ok((b, a)))
        .unwrap();
    let _check = clean_events::pair
        .listen(&t, |a, b| {
            if a < b {
                Err(format!("{a} < {b}"))
            } else {
                Ok(())
            }
        })
        .unwrap();
    assert_eq!(t.dispatch().pair(1, 2), Ok((2, 1)));
    assert_eq!(t.dispatch().pair(2, 1), Err("1 < 2".to_owned()));
}

/// The by-name form of a `retval` `set` listener.
type SetRetval = Arc<dyn Fn(&str, &str) -> Result<String, String> + Send + Sync>;
/// The by-name form of a plain `set` listener.
type SetPlain = Arc<dyn Fn(&str, &str) -> Result<(), String> + Send + Sync>;

#[test]
fn by_name_listeners_take_the_form_the_modifiers_select() {
    let t = ByName::default();
    let listener: SetRetval = Arc::new(|_, v| Ok(format!("{v}+")));
    let _h =
        hooks::listen_by_name(&t, "set", DynListener::new(listener), Modifiers::RETVAL).unwrap();
    assert_eq!(t.dispatch().set("k", "v".to_owned()), Ok("v+".to_owned()));
    let plain: SetPlain = Arc::new(|_, v| Err(format!("no {v}")));
    let _p = hooks::listen_by_name(&t, "set", DynListener::new(plain), Modifiers::NONE).unwrap();
    assert_eq!(
        t.dispatch().set("k", "v".to_owned()),
        Err("no v+".to_owned())
    );
}
