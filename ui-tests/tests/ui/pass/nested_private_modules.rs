//! Listeners in nested private modules register like any other.

use ui_tests::{Counter, Shop};

static CALLS: Counter = Counter::new();

mod outer {
    mod inner {
        use hooks::listens_for;
        use ui_tests::Shop;

        #[listens_for(Shop, "open")]
        fn on_open(_shop: &Shop, _hour: u32) {
            super::super::CALLS.hit();
        }

        mod deepest {
            #[hooks::listens_for(ui_tests::Shop, "open", insert)]
            fn first(_shop: &ui_tests::Shop, _hour: u32) {
                crate::CALLS.hit();
            }
        }
    }
}

fn main() {
    let shop = Shop::default();
    hooks::HasEvents::dispatch(&shop).open(&shop, 9);
    assert_eq!(CALLS.get(), 2);
}
