use ui_tests::ShopEvents;

// One error, on `event`; the listener below is not checked against a target in error, and
// firing still compiles.
#[hooks::target(ShopEvents(event = events))]
#[derive(Default)]
pub struct Kiosk {
    events: hooks::Events<dyn ShopEvents>,
}

#[hooks::listens_for(Kiosk, "open")]
fn on_open(_shop: &ui_tests::Shop, _hour: u32) {}

fn main() {
    let _ = Kiosk::default();
}
