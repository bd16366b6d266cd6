//! Result contracts: `retval` chains (each listener gets the previous one's value, a listener
//! without `retval` passes it through, the final value is returned), `halting` (the first
//! `true`/`Some` stops the chain and is returned), `fallible` (the first `Err` stops the chain
//! and is returned).

use hooks::{Class, Error, HasEvents, Modifiers};
use tests::Recorder;

/// Events of every contract.
#[hooks::events]
pub trait ContractEvents {
    /// `sql` and `params` may be rewritten; `conn` is passed as is.
    #[event(retval)]
    fn before(conn: u32, #[retval] sql: &str, #[retval] params: &[i64]) -> (String, Vec<i64>);
    /// One rewritable value.
    #[event(retval)]
    fn rewrite(#[retval] s: &str) -> String;
    /// `true` stops the chain.
    #[event(halting)]
    fn knock(x: u32) -> bool;
    /// `Some` stops the chain.
    #[event(halting)]
    fn lookup(key: &str) -> Option<String>;
    /// `Err` stops the chain.
    #[event(fallible)]
    fn check(x: u32) -> Result<(), String>;
}

tests::targets!(
    ContractEvents: Chain,
    Tuple,
    Static,
    PassThrough,
    Knock,
    Lookup,
    Check,
    CheckOk
);

#[hooks::listens_for(Static, "rewrite", retval)]
fn static_upper(s: &str) -> String {
    s.to_uppercase()
}

#[hooks::listens_for(Static, "rewrite")]
fn static_observer(s: &str) {
    STATIC_SEEN.push(format!("observed {s}"));
}
static STATIC_SEEN: Recorder = Recorder::new();

#[hooks::listens_for(Static, "rewrite")]
fn static_z_observer(s: &str) {
    STATIC_SEEN.push(format!("z observed {s}"));
}

#[test]
fn retval_chain_feeds_each_listener_the_previous_value() {
    static CALLS: Recorder = Recorder::new();
    let t = Chain::default();
    let _a = contract_events::rewrite
        .listen_retval(&t, Modifiers::NONE, |s| {
            CALLS.push(format!("a got {s}"));
            format!("{s}-a")
        })
        .unwrap();
    let _plain = contract_events::rewrite
        .listen(&t, |s| CALLS.push(format!("plain got {s}")))
        .unwrap();
    let _b = contract_events::rewrite
        .listen_retval(&t, Modifiers::NONE, |s| {
            CALLS.push(format!("b got {s}"));
            format!("{s}-b")
        })
        .unwrap();
    let _c = contract_events::rewrite
        .listen_retval(Class::<Chain>::new(), Modifiers::NONE, |s| {
            CALLS.push(format!("class got {s}"));
            format!("{s}-class")
        })
        .unwrap();
    assert_eq!(t.dispatch().rewrite("v".to_owned()), "v-class-a-b");
    assert_eq!(
        CALLS.take(),
        [
            "class got v",
            "a got v-class",
            "plain got v-class-a",
            "b got v-class-a"
        ]
    );
}

#[test]
fn retval_with_two_values_and_a_passed_argument() {
    let t = Tuple::default();
    let _a = contract_events::before
        .listen_retval(&t, Modifiers::NONE, |conn, sql, params| {
            (format!("/* conn {conn} */ {sql}"), params.to_vec())
        })
        .unwrap();
    let _b = contract_events::before
        .listen_retval(&t, Modifiers::NONE, |_, sql, params| {
            let mut p = params.to_vec();
            p.push(42);
            (sql.to_owned(), p)
        })
        .unwrap();
    assert_eq!(
        t.dispatch().before(7, "select ?".to_owned(), vec![1]),
        ("/* conn 7 */ select ?".to_owned(), vec![1, 42])
    );
}

#[test]
fn retval_with_no_or_only_passing_listeners_returns_the_input() {
    static CALLS: Recorder = Recorder::new();
    let t = PassThrough::default();
    assert_eq!(t.dispatch().rewrite("same".to_owned()), "same");
    let _plain = contract_events::rewrite
        .listen(&t, |s| CALLS.push(s))
        .unwrap();
    assert_eq!(t.dispatch().rewrite("same".to_owned()), "same");
    assert_eq!(CALLS.take(), ["same"]);
}

#[test]
fn static_retval_and_plain_listeners() {
    let t = Static::default();
    assert_eq!(t.dispatch().rewrite("hi".to_owned()), "HI");
    // In the documented static order: `static_observer`, `static_upper`, `static_z_observer`.
    assert_eq!(STATIC_SEEN.take(), ["observed hi", "z observed HI"]);
}

#[test]
fn halting_stops_at_the_first_true() {
    static CALLS: Recorder = Recorder::new();
    let t = Knock::default();
    assert!(!t.dispatch().knock(0));
    let _a = contract_events::knock
        .listen(&t, |x| {
            CALLS.push(format!("a {x}"));
            false
        })
        .unwrap();
    let _b = contract_events::knock
        .listen(&t, |x| {
            CALLS.push(format!("b {x}"));
            x > 1
        })
        .unwrap();
    let _c = contract_events::knock
        .listen(&t, |x| {
            CALLS.push(format!("c {x}"));
            true
        })
        .unwrap();
    assert!(t.dispatch().knock(5));
    assert_eq!(CALLS.take(), ["a 5", "b 5"]);
    assert!(t.dispatch().knock(1));
    assert_eq!(CALLS.take(), ["a 1", "b 1", "c 1"]);
}

#[test]
fn halting_stops_at_the_first_some_and_returns_it() {
    static CALLS: Recorder = Recorder::new();
    let t = Lookup::default();
    assert_eq!(t.dispatch().lookup("k"), None);
    let _a = contract_events::lookup
        .listen(&t, |k| {
            CALLS.push(format!("a {k}"));
            (k == "a").then(|| "from a".to_owned())
        })
        .unwrap();
    let _b = contract_events::lookup
        .listen(&t, |k| {
            CALLS.push(format!("b {k}"));
            Some(format!("from b for {k}"))
        })
        .unwrap();
    let _c = contract_events::lookup
        .listen(&t, |k| {
            CALLS.push(format!("c {k}"));
            Some("from c".to_owned())
        })
        .unwrap();
    assert_eq!(t.dispatch().lookup("a"), Some("from a".to_owned()));
    assert_eq!(t.dispatch().lookup("z"), Some("from b for z".to_owned()));
    assert_eq!(CALLS.take(), ["a a", "a z", "b z"]);
}

#[test]
fn fallible_stops_at_the_first_err_and_returns_it() {
    static CALLS: Recorder = Recorder::new();
    let t = Check::default();
    let _a = contract_events::check
        .listen(&t, |x| {
            CALLS.push(format!("a {x}"));
            Ok(())
        })
        .unwrap();
    let _b = contract_events::check
        .listen(&t, |x| {
            CALLS.push(format!("b {x}"));
            if x % 2 == 0 {
                Err(format!("b refuses {x}"))
            } else {
                Ok(())
            }
        })
        .unwrap();
    let _c = contract_events::check
        .listen(&t, |x| {
            CALLS.push(format!("c {x}"));
            Err(format!("c refuses {x}"))
        })
        .unwrap();
    assert_eq!(t.dispatch().check(2), Err("b refuses 2".to_owned()));
    assert_eq!(CALLS.take(), ["a 2", "b 2"]);
    assert_eq!(t.dispatch().check(3), Err("c refuses 3".to_owned()));
    assert_eq!(CALLS.take(), ["a 3", "b 3", "c 3"]);
}

#[test]
fn fallible_with_every_listener_ok_is_ok() {
    let t = CheckOk::default();
    assert_eq!(t.dispatch().check(1), Ok(()));
    let _a = contract_events::check.listen(&t, |_| Ok(())).unwrap();
    let _b = contract_events::check.listen(&t, |_| Ok(())).unwrap();
    assert_eq!(t.dispatch().check(1), Ok(()));
}

#[test]
fn retval_is_refused_by_events_without_the_contract() {
    let t = CheckOk::default();
    let err = contract_events::check
        .listen_with(&t, Modifiers::RETVAL, |_| Ok(()))
        .unwrap_err();
    assert!(
        matches!(&err, Error::ModifierNotAccepted { event, modifier }
            if event.name == "check" && modifier == "retval"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "event \"check\" of `ContractEvents` does not accept modifier `retval` \
         (accepted: insert, once, named)"
    );
    // `retval` through the plain method of a retval event names the right method.
    let err = contract_events::rewrite
        .listen_with(&t, Modifiers::RETVAL, |_| {})
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::WrongForm {
                modifier: "retval",
                method: "listen_retval",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(t.dispatch().check(1), Ok(()));
    assert_eq!(t.dispatch().rewrite("x".to_owned()), "x");
}

/// An event both halting and fallible: a listener may claim the operation or abort it.
#[hooks::events]
pub trait ClaimEvents {
    /// `Ok(true)` claims, `Err` aborts.
    #[event(halting, fallible)]
    fn claim(n: u32) -> Result<bool, String>;
    /// `Ok(Some(_))` claims with a value.
    #[event(halting, fallible)]
    fn supply(n: u32) -> Result<Option<u32>, String>;
}

/// A target of `ClaimEvents`.
#[hooks::target(ClaimEvents(events = events))]
#[derive(Default)]
pub struct Claimer {
    events: hooks::Events<dyn ClaimEvents>,
}

#[test]
fn halting_fallible_stops_at_the_first_claim_or_error() {
    let calls = std::sync::Arc::new(Recorder::new());
    let t = Claimer::default();
    assert_eq!(t.dispatch().claim(0), Ok(false), "no listener: not claimed");
    let c = std::sync::Arc::clone(&calls);
    claim_events::claim
        .listen(&t, move |n| {
            c.push(format!("pass {n}"));
            Ok(false)
        })
        .unwrap();
    let c = std::sync::Arc::clone(&calls);
    claim_events::claim
        .listen(&t, move |n| {
            c.push(format!("judge {n}"));
            match n {
                1 => Ok(true),
                2 => Err(format!("refused {n}")),
                _ => Ok(false),
            }
        })
        .unwrap();
    let c = std::sync::Arc::clone(&calls);
    claim_events::claim
        .listen(&t, move |n| {
            c.push(format!("last {n}"));
            Ok(false)
        })
        .unwrap();
    assert_eq!(t.dispatch().claim(1), Ok(true));
    assert_eq!(calls.take(), ["pass 1", "judge 1"]);
    assert_eq!(t.dispatch().claim(2), Err("refused 2".to_owned()));
    assert_eq!(calls.take(), ["pass 2", "judge 2"]);
    assert_eq!(t.dispatch().claim(3), Ok(false));
    assert_eq!(calls.take(), ["pass 3", "judge 3", "last 3"]);
}

#[test]
fn halting_fallible_with_options_returns_the_first_value() {
    let t = Claimer::default();
    assert_eq!(t.dispatch().supply(5), Ok(None));
    claim_events::supply.listen(&t, |_| Ok(None)).unwrap();
    claim_events::supply
        .listen(&t, |n| Ok(Some(n * 2)))
        .unwrap();
    claim_events::supply
        .listen(&t, |_| Err("never reached".to_owned()))
        .unwrap();
    assert_eq!(t.dispatch().supply(5), Ok(Some(10)));
}
