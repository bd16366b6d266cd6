#[hooks::events]
pub trait VaultEvents {
    /// Claims the vault.
    #[event(halting, fallible)]
    fn claim(n: u32) -> bool;
}

fn main() {}
