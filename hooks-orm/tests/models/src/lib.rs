//! Mapped structs declared in a crate of their own: `hooks-orm`'s tests map them through the
//! linker-collected list, proving the derive works across crates.

/// A mapped struct at the crate root.
#[derive(hooks_orm::Mapped)]
#[mapped(table = "orders")]
pub struct Order {
    /// The key.
    #[column(primary_key)]
    pub id: i64,
    /// The total, in cents.
    pub total: u32,
}

/// A module of its own.
pub mod lines {
    /// A mapped struct in a submodule.
    #[derive(hooks_orm::Mapped)]
    #[mapped(table = "order_lines")]
    pub struct OrderLine {
        /// The key.
        #[column(primary_key)]
        pub id: i64,
        /// The price.
        pub price: f64,
        /// Gift-wrapped.
        pub gift: bool,
    }
}
