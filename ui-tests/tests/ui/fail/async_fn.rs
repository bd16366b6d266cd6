use hooks::listens_for;
use ui_tests::Shop;

#[listens_for(Shop, "open")]
async fn on_open(_shop: &Shop, _hour: u32) {}

fn main() {}
