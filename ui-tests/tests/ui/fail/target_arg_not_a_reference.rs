// The `#[target]` argument is the object the event is about, which a target's typed view
// replaces by a reference: it is declared as a shared reference, not a value.
#[hooks::events]
pub trait ShelfEvents {
    fn stocked(#[target] item: u32, count: u32);
}

#[hooks::target(ShelfEvents(events = events))]
pub struct Shelf {
    events: hooks::Events<dyn ShelfEvents>,
}

fn main() {}
