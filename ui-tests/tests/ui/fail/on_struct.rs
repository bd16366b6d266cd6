use hooks::listens_for;
use ui_tests::Shop;

#[listens_for(Shop, "open")]
struct OnOpen;

fn main() {
    let _ = OnOpen;
}
