#[hooks::events(propagates)]
pub trait DoorEvents {
    fn open(by: u32);
}

#[hooks::target(DoorEvents(events = events))]
pub struct Door {
    events: hooks::Events<dyn DoorEvents>,
}

#[hooks::listens_for(Door, "open")]
fn on_open(_by: u32) {}

fn main() {}
