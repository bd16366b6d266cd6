use hooks::listens_for;
use ui_tests::Shop;

#[listens_for(Shop, "open")]
fn on_open(_shop: &Shop, _hour: i64) {}

fn main() {}
