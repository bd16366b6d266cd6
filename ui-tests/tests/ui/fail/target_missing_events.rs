use ui_tests::{ShopEvents, StockEvents};

#[hooks::target(ShopEvents(events = events), StockEvents)]
#[derive(Default)]
pub struct Kiosk {
    events: hooks::Events<dyn ShopEvents>,
}

fn main() {
    let kiosk = Kiosk::default();
    let shop = ui_tests::Shop::default();
    hooks::HasEvents::dispatch(&kiosk).open(&shop, 9);
}
