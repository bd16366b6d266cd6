//! Named calls: a `named` listener takes one struct whose fields are the event's arguments by
//! name (SQLAlchemy `NamedCallTest`: `test_kw_accept`, `test_partial_kw_accept`), also with
//! `retval`, statically or at runtime, and is removed by its fn (`test_remove_plain_named`).

// The named form takes its arguments struct by value.
#![allow(clippy::needless_pass_by_value)]

use hooks::{Class, HasEvents, Modifiers};
use tests::Recorder;

static STATIC_CALLS: Recorder = Recorder::new();

/// Events with several arguments.
#[hooks::events]
pub trait NamedEvents {
    /// Two arguments.
    fn event_one(x: u32, y: u32);
    /// Four arguments of different types.
    fn event_five(x: u32, y: &str, z: bool, q: &[u8]);
    /// A retval event: `prefix` is passed through, `text` is rewritten.
    #[event(retval)]
    fn rewrite(prefix: &str, #[retval] text: &str) -> String;
}

tests::targets!(NamedEvents: StaticNamed, RuntimeNamed, Partial, NamedRetval, RemoveNamed);

#[hooks::listens_for(StaticNamed, "event_one", named)]
fn static_named(args: named_events::EventOneArgs<'_>) {
    STATIC_CALLS.push(format!("x={} y={}", args.x, args.y));
}

#[hooks::listens_for(StaticNamed, "rewrite", named, retval)]
fn static_named_retval(args: named_events::RewriteArgs<'_>) -> String {
    format!("{}{}!", args.prefix, args.text)
}

#[test]
fn static_named_listener_gets_the_arguments_by_name() {
    let t = StaticNamed::default();
    t.dispatch().event_one(4, 5);
    assert_eq!(STATIC_CALLS.take(), ["x=4 y=5"]);
    assert_eq!(t.dispatch().rewrite("> ", "hi".to_owned()), "> hi!");
}

#[test]
fn runtime_named_listener_gets_the_arguments_by_name_in_order_with_plain_ones() {
    static CALLS: Recorder = Recorder::new();
    let t = RuntimeNamed::default();
    let _a = named_events::event_one
        .listen(&t, |x, y| CALLS.push(format!("plain {x} {y}")))
        .unwrap();
    let _b = named_events::event_one
        .listen_named(&t, Modifiers::NONE, |args| {
            CALLS.push(format!("named x={} y={}", args.x, args.y));
        })
        .unwrap();
    let _c = named_events::event_one
        .listen_named(Class::<RuntimeNamed>::new(), Modifiers::INSERT, |args| {
            CALLS.push(format!("class named x={} y={}", args.x, args.y));
        })
        .unwrap();
    t.dispatch().event_one(4, 5);
    assert_eq!(
        CALLS.take(),
        ["class named x=4 y=5", "plain 4 5", "named x=4 y=5"]
    );
}

#[test]
fn named_listener_may_use_only_some_arguments() {
    static CALLS: Recorder = Recorder::new();
    let t = Partial::default();
    let _h = named_events::event_five
        .listen_named(&t, Modifiers::NONE, |args| {
            CALLS.push(format!("z={} y={}", args.z, args.y));
        })
        .unwrap();
    let _all = named_events::event_five
        .listen_named(&t, Modifiers::NONE, |args| {
            CALLS.push(format!(
                "x={} y={} z={} q={:?}",
                args.x, args.y, args.z, args.q
            ));
        })
        .unwrap();
    t.dispatch().event_five(4, "five", true, &[7]);
    assert_eq!(CALLS.take(), ["z=true y=five", "x=4 y=five z=true q=[7]"]);
}

#[test]
fn named_retval_listener_rewrites_by_name() {
    let t = NamedRetval::default();
    let _a = named_events::rewrite
        .listen_named_retval(&t, Modifiers::NONE, |args| {
            format!("{}[{}]", args.prefix, args.text)
        })
        .unwrap();
    let _b = named_events::rewrite
        .listen_retval(&t, Modifiers::NONE, |_, text| text.to_uppercase())
        .unwrap();
    // The named retval listener sees the value the previous one produced.
    let _c = named_events::rewrite
        .listen_named_retval(&t, Modifiers::NONE, |args| format!("{}.", args.text))
        .unwrap();
    assert_eq!(t.dispatch().rewrite("p:", "abc".to_owned()), "P:[ABC].");
}

fn named_fn(args: named_events::EventOneArgs<'_>) {
    REMOVE_CALLS.push(format!("x={}", args.x));
}
static REMOVE_CALLS: Recorder = Recorder::new();

#[test]
fn named_listener_is_removed_by_its_fn() {
    let t = RemoveNamed::default();
    let _h = named_events::event_one
        .listen_named(&t, Modifiers::NONE, named_fn)
        .unwrap();
    assert!(named_events::event_one.contains(&t, named_fn));
    t.dispatch().event_one(1, 0);
    named_events::event_one.remove(&t, named_fn).unwrap();
    assert!(!named_events::event_one.contains(&t, named_fn));
    t.dispatch().event_one(2, 0);
    assert_eq!(REMOVE_CALLS.take(), ["x=1"]);
}
