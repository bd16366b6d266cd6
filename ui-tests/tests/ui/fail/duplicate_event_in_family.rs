#[hooks::events]
pub trait DoorEvents {
    fn open(by: u32);
    fn close();
    fn open(by: u64);
}

fn main() {}
