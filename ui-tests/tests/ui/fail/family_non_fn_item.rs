#[hooks::events]
pub trait DoorEvents {
    fn open(by: u32);
    const LIMIT: u32;
}

fn main() {}
