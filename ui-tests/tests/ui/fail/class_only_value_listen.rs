use ui_tests::{Ledger, stock_events};

fn main() {
    let ledger = Ledger;
    // A class-only target's values hold no listeners.
    let _ = stock_events::restock.listen(&ledger, |_, _| {});
}
