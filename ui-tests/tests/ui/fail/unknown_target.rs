use hooks::listens_for;
use ui_tests::Shop;

#[listens_for(Shopp, "open")]
fn on_open(_shop: &Shop, _hour: u32) {}

fn main() {}
