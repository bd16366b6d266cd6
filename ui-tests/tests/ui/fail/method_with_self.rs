use hooks::listens_for;
use ui_tests::Shop;

struct Audit;

impl Audit {
    #[listens_for(Shop, "open")]
    fn on_open(&self, _shop: &Shop, _hour: u32) {}
}

fn main() {
    Audit.on_open(&Shop::default(), 9);
}
