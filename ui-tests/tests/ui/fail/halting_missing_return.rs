use hooks::listens_for;
use ui_tests::Shop;

#[listens_for(Shop, "knock")]
fn answer(_shop: &Shop) {}

fn main() {}
