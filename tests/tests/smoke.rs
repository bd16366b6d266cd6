use hooks::{Class, HasEvents, Modifiers};
use tests::Recorder;

static CALLS: Recorder = Recorder::new();

#[hooks::events]
pub trait TargetEvents {
    fn event_one(x: u32, y: u32);
    fn event_two(x: u32);
    #[event(retval)]
    fn rewrite(#[retval] s: &str) -> String;
}

#[hooks::target(TargetEvents(events = events))]
#[derive(Default)]
pub struct Target {
    events: hooks::Events<dyn TargetEvents>,
}

mod deep {
    mod deeper {
        use super::super::{CALLS, Target};
        #[hooks::listens_for(Target, "event_one")]
        fn static_one(x: u32, y: u32) {
            CALLS.push(format!("static {x} {y}"));
        }
        #[hooks::listens_for(Target, "rewrite", retval)]
        fn shout(s: &str) -> String {
            s.to_uppercase()
        }
    }
}

#[test]
fn smoke() {
    let t = Target::default();
    t.dispatch().event_one(1, 2);
    assert_eq!(CALLS.take(), ["static 1 2"]);
    let h = target_events::event_one
        .listen(Class::<Target>::new(), |x, y| CALLS.push(format!("class {x} {y}")))
        .unwrap();
    target_events::event_one
        .listen_with(&t, Modifiers::INSERT, |x, y| CALLS.push(format!("inst {x} {y}")))
        .unwrap();
    t.dispatch().event_one(3, 4);
    assert_eq!(CALLS.take(), ["static 3 4", "class 3 4", "inst 3 4"]);
    h.remove().unwrap();
    t.dispatch().event_one(5, 6);
    assert_eq!(CALLS.take(), ["static 5 6", "inst 5 6"]);
    assert_eq!(t.dispatch().rewrite("hi".to_owned()), "HI");
    for l in hooks::static_listeners() {
        println!("{l}");
    }
}
