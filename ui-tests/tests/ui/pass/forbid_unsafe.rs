//! The expansion has no `unsafe`, so a crate forbidding it can use every macro.
#![forbid(unsafe_code)]

use hooks::HasEvents;
use ui_tests::{Counter, Shop};

static CALLS: Counter = Counter::new();

#[hooks::events]
pub trait BellEvents {
    fn ring(times: u32);
}

#[hooks::target(BellEvents(events = events))]
#[derive(Default)]
pub struct Bell {
    events: hooks::Events<dyn BellEvents>,
}

#[hooks::listens_for(Bell, "ring")]
fn on_ring(times: u32) {
    assert_eq!(times, 3);
    CALLS.hit();
}

#[hooks::listens_for(Shop, "open")]
fn on_open(_shop: &Shop, _hour: u32) {
    CALLS.hit();
}

fn main() {
    let bell = Bell::default();
    bell.dispatch().ring(3);
    let shop = Shop::default();
    shop.dispatch().open(&shop, 9);
    assert_eq!(CALLS.get(), 2);
}
