use hooks::listens_for;
use ui_tests::Shop;

#[listens_for(Shop, "pay")]
fn check(_shop: &Shop, _amount: u64) -> Result<(), String> {
    Ok(())
}

fn main() {}
