//! A target may be declared in a fn body (a family may not: see `fail/family_in_fn_body.rs`),
//! and its listeners next to it.

use ui_tests::{Counter, ShopEvents};

static CALLS: Counter = Counter::new();

fn main() {
    #[hooks::target(ShopEvents(events = events))]
    #[derive(Default)]
    struct Kiosk {
        events: hooks::Events<dyn ShopEvents>,
    }

    #[hooks::listens_for(Kiosk, "install")]
    fn on_install(_shop: &ui_tests::Shop) {
        CALLS.hit();
    }

    let kiosk = Kiosk::default();
    hooks::HasEvents::dispatch(&kiosk).install(&ui_tests::Shop::default());
    assert_eq!(CALLS.get(), 1);
}
