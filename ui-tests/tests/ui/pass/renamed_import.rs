//! The crate imported under another name: `#[ev::listens_for]` works as `#[hooks::listens_for]`.

use hooks as ev;
use ui_tests::{Counter, Shop};

static CALLS: Counter = Counter::new();

#[ev::listens_for(Shop, "open")]
fn on_open(_shop: &Shop, hour: u32) {
    assert_eq!(hour, 9);
    CALLS.hit();
}

fn main() {
    let shop = Shop::default();
    ev::HasEvents::dispatch(&shop).open(&shop, 9);
    assert_eq!(CALLS.get(), 1);
}
