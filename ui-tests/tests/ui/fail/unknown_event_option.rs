#[hooks::events]
pub trait DoorEvents {
    fn open(by: u32);
    #[event(halts)]
    fn knock(by: u32) -> bool;
}

#[hooks::target(DoorEvents(events = events))]
pub struct Door {
    events: hooks::Events<dyn DoorEvents>,
}

#[hooks::listens_for(Door, "open")]
fn on_open(_by: u32) {}

fn main() {}
