#[hooks::events]
pub trait BellEvents {
    /// Rang.
    fn ring();
}

pub struct Bell;

hooks::declare_target!(pub Bell BellEvents(class_only));

fn main() {}
