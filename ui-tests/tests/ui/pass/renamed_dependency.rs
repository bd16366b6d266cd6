//! The facade under another path, as with a renamed dependency (Cargo refuses a second name
//! for `hooks` in this crate's manifest, so the path is a re-export): `crate = path` on the
//! family and the target, and the listener takes the path from the target's table. `hooks`
//! names another crate here, so that an expansion naming `::hooks` would not build.

extern crate ui_tests as hooks;

use ui_tests::__hooks as renamed_hooks;

use ui_tests::Counter;

static CALLS: Counter = Counter::new();

pub struct Bell;

#[renamed_hooks::events(crate = ::ui_tests::__hooks)]
pub trait BellEvents {
    fn ring(bell: &Bell, times: u32);
    #[event(retval)]
    fn tune(bell: &Bell, #[retval] melody: &str) -> String;
}

#[renamed_hooks::target(BellEvents(events = events), crate = ::ui_tests::__hooks)]
#[derive(Default)]
pub struct Tower {
    events: renamed_hooks::Events<dyn BellEvents>,
}

#[renamed_hooks::listens_for(Tower, "ring")]
fn on_ring(_bell: &Bell, times: u32) {
    assert_eq!(times, 3);
    CALLS.hit();
}

#[renamed_hooks::listens_for(Tower, "tune", retval, named, crate = ::ui_tests::__hooks)]
fn on_tune(args: bell_events::TuneArgs<'_>) -> String {
    format!("{}!", args.melody)
}

fn main() {
    let tower = Tower::default();
    let dispatch = renamed_hooks::HasEvents::dispatch(&tower);
    dispatch.ring(&Bell, 3);
    assert_eq!(dispatch.tune(&Bell, "ding".to_owned()), "ding!");
    assert_eq!(CALLS.get(), 1);
    let _ = hooks::Counter::new();
}
