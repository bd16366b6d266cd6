#![deny(dead_code)]

use hooks::listens_for;
use ui_tests::Shop;

// The event is unknown: the one error is that, not also "fn `on_open` is never used".
#[listens_for(Shop, "opened")]
fn on_open(_shop: &Shop, _hour: u32) {}

fn main() {}
