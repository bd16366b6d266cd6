//! The families of attribute targets (`#[listens_for(User::phone, "set")]`), one per column
//! type, so that a listener's value is the field's type and rustc checks it.
//!
//! `#[derive(Mapped)]` makes each `#[column(listen)]` column a target (`User::phone`) that
//! accepts the family of the column's type: a `String` column `StringAttributeEvents`, an `Option<i64>` one
//! `OptionI64AttributeEvents`. Their `set` and `modified` fire before the class-level
//! [`AttributeEvents`](crate::AttributeEvents), which then receive the value the attribute's
//! `retval` listeners returned (SQLAlchemy has only the attribute's listeners; the
//! class-level ones are this crate's addition). `target` is the object, as `&Obj<User>`.

use crate::error::ListenerError;
use crate::events::Initiator;
use crate::session::AnyInstance;

/// Declares the family of one column type.
macro_rules! attribute_family {
    ($($(#[$doc:meta])* $family:ident: $ty:ty;)*) => {$(
        $(#[$doc])*
        ///
        /// The events of one mapped attribute of this type (`#[listens_for(User::phone, "set")]`),
        /// fired by [`Obj::write_attribute`](crate::Obj::write_attribute) before the class's
        /// [`AttributeEvents`](crate::AttributeEvents).
        #[hooks::events(crate = crate::__private::hooks)]
        #[allow(clippy::ptr_arg, reason = "a listener takes the field's own type: `&String`")]
        pub trait $family {
            /// The attribute is about to be written: after its old value was read (and
            /// reloaded if expired), before the class-level `set` listeners and before the
            /// value is stored. A `retval` listener returns `Ok(new)`, which the next listener
            /// receives and which is stored; an `Err` vetoes the write: nothing is stored and
            /// the write returns [`SessionError::Listener`](crate::SessionError::Listener)
            /// with `event: "set"`.
            #[event(retval, fallible)]
            fn set(
                #[target] target: &AnyInstance,
                #[retval] value: &$ty,
                oldvalue: &$ty,
                initiator: &Initiator,
            ) -> Result<$ty, ListenerError>;

            /// The attribute was written and marked modified, before the class-level
            /// `modified` listeners.
            fn modified(#[target] target: &AnyInstance, initiator: &Initiator);
        }
    )*};
}

attribute_family! {
    /// A `String` column's.
    StringAttributeEvents: String;
    /// An `Option<String>` column's.
    OptionStringAttributeEvents: Option<String>;
    /// An `i64` column's.
    I64AttributeEvents: i64;
    /// An `Option<i64>` column's.
    OptionI64AttributeEvents: Option<i64>;
    /// An `i32` column's.
    I32AttributeEvents: i32;
    /// An `Option<i32>` column's.
    OptionI32AttributeEvents: Option<i32>;
    /// A `u32` column's.
    U32AttributeEvents: u32;
    /// An `Option<u32>` column's.
    OptionU32AttributeEvents: Option<u32>;
    /// A `bool` column's.
    BoolAttributeEvents: bool;
    /// An `Option<bool>` column's.
    OptionBoolAttributeEvents: Option<bool>;
    /// An `f64` column's.
    F64AttributeEvents: f64;
    /// An `Option<f64>` column's.
    OptionF64AttributeEvents: Option<f64>;
}
