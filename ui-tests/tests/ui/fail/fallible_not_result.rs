// The family is still expanded without the event in error: its target and listeners of its
// other events compile, and the only error is the one on `bool`.
#[hooks::events]
pub trait DoorEvents {
    #[event(fallible)]
    fn unlock(by: u32) -> bool;
}

#[hooks::target(DoorEvents(events = events))]
pub struct Door {
    events: hooks::Events<dyn DoorEvents>,
}

fn main() {}
