//! Every contract and form, in a crate denying warnings: the expansions add none.
#![deny(warnings)]

use hooks::HasEvents;
use ui_tests::{Counter, Declined, Shop, Warehouse, shop_events, stock_events};

static CALLS: Counter = Counter::new();

#[hooks::listens_for(Shop, "open")]
fn on_open(_shop: &Shop, _hour: u32) {
    CALLS.hit();
}

#[hooks::listens_for(Shop, "knock", insert)]
fn answer(_shop: &Shop) -> bool {
    CALLS.hit();
    true
}

#[hooks::listens_for(Shop, "pay")]
fn limit(_shop: &Shop, amount: u64) -> Result<(), Declined> {
    CALLS.hit();
    if amount > 100 {
        Err(Declined(format!("{amount} is too much")))
    } else {
        Ok(())
    }
}

#[hooks::listens_for(Shop, "greet", retval)]
fn shout(_shop: &Shop, greeting: &str) -> String {
    CALLS.hit();
    greeting.to_uppercase()
}

#[hooks::listens_for(Shop, "greet", named)]
fn overhear(args: shop_events::GreetArgs<'_>) {
    // Static listeners run sorted by name: `overhear` sees the greeting before `shout`.
    assert_eq!(args.greeting, "hello");
    CALLS.hit();
}

#[hooks::listens_for(Shop, "install", once)]
fn install(_shop: &Shop) {
    CALLS.hit();
}

#[hooks::listens_for(Warehouse, "StockEvents.restock", propagate)]
fn restock(item: &str, count: u32) {
    assert_eq!((item, count), ("nails", 10));
    CALLS.hit();
}

fn main() {
    let shop = Shop::default();
    let events = shop.dispatch();
    events.open(&shop, 9);
    assert!(events.knock(&shop));
    assert_eq!(
        events.pay(&shop, 500),
        Err(Declined("500 is too much".to_owned()))
    );
    assert_eq!(events.greet(&shop, "hello".to_owned()), "HELLO");
    events.install(&shop);
    events.install(&shop);
    assert_eq!(CALLS.get(), 6);
    let warehouse = Warehouse::default();
    warehouse.dispatch().restock("nails", 10);
    assert_eq!(CALLS.get(), 7);
    assert!(events.raw().has_listeners::<shop_events::open>());
    assert!(
        warehouse
            .dispatch()
            .raw()
            .has_listeners::<stock_events::restock>()
    );
}
