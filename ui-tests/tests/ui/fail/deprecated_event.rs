#![deny(deprecated)]

use hooks::listens_for;
use ui_tests::Shop;

#[listens_for(Shop, "close")]
fn on_close(_shop: &Shop) {}

fn main() {}
