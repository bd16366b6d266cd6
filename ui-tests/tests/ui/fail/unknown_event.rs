use hooks::listens_for;
use ui_tests::Shop;

#[listens_for(Shop, "explode")]
fn on_explode(_shop: &Shop) {}

fn main() {}
