use hooks::listens_for;
use ui_tests::Shop;

#[listens_for(Shop, "open")]
fn on_open<T: Default>(_shop: &Shop, _hour: u32) {}

fn main() {}
