#[hooks::events]
pub trait FormEvents {
    /// A value is cleaned or refused.
    #[event(retval, fallible)]
    fn clean(#[retval] value: &str) -> String;
}

fn main() {}
