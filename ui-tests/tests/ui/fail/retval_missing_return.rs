use hooks::listens_for;
use ui_tests::Shop;

#[listens_for(Shop, "greet", retval)]
fn shout(_shop: &Shop, greeting: &str) {
    let _ = greeting.to_uppercase();
}

fn main() {}
