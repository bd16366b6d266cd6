use hooks::listens_for;
use ui_tests::Shop;

#[listens_for(Shop, "restock")]
fn on_restock(_item: &str, _count: u32) {}

fn main() {}
