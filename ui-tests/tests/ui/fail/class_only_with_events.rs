#[hooks::events]
pub trait BellEvents {
    /// Rang.
    fn ring();
}

pub struct Bell {
    events: hooks::Events<dyn BellEvents>,
}

hooks::declare_target!(pub Bell: BellEvents(class_only, events = events));

fn main() {}
