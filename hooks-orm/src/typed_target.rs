//! A listener on a mapped class takes the event's object as `&Obj<User>`.
//!
//! The families pass the object erased ([`AnyInstance`]): `User`, `Order` and the `Mapper`
//! type share their dispatchers. `#[listens_for(User, …)]` hands a listener that argument
//! through [`hooks::FromTarget`], and the impl below is the typed view: rustc checks that a
//! listener on `User` takes `&Obj<User>`, not `&Obj<Order>`.

use crate::{AnyInstance, Mapped, Obj};

/// The class whose objects a target's listeners receive: the class itself for a class target,
/// the owner for a column's target (`User::phone`), declared by the derive.
///
/// An associated type, not an impl of a marker trait on `Obj<User>` per target: all those
/// impls would share one self type, and rustc checks every pair of them for overlap (50 mapped
/// structs of 8 columns took a second of coherence checking).
#[doc(hidden)]
pub trait ObjectClass {
    type Class;
}

impl<T: Mapped> ObjectClass for T {
    type Class = T;
}

#[diagnostic::do_not_recommend]
impl<'a, C> hooks::FromTarget<'a, AnyInstance, C> for &'a Obj<C::Class>
where
    C: ObjectClass,
    C::Class: Send + Sync + 'static,
{
    #[inline]
    fn from_target(erased: &'a AnyInstance) -> Self {
        // The class's dispatchers fire only with the class's objects (`fire.rs`): another
        // class here is a bug of this crate, not a listener's mistake to report.
        erased.downcast_ref::<Obj<C::Class>>().unwrap_or_else(|| {
            panic!(
                "hooks-orm fired a listener on `{}` with an object of another class",
                std::any::type_name::<C>()
            )
        })
    }
}
