//! A host re-exporting `hooks` (`crate = crate::__hooks` on its family and target): its users
//! name only the host. `hooks` is made to name another crate here, so that an expansion naming
//! `::hooks` would not build.

extern crate ui_tests as hooks;

use ui_tests::{Counter, Door};

static CALLS: Counter = Counter::new();

#[ui_tests::listens_for(Door, "ring")]
fn on_ring(_door: &Door) {
    CALLS.hit();
}

fn main() {
    Door::default().ring();
    assert_eq!(CALLS.get(), 1);
    let _ = hooks::Counter::new();
}
