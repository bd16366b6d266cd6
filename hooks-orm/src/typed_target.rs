//! A listener on a mapped class takes the event's object as `&Obj<User>`.
//!
//! The families pass the object erased ([`AnyInstance`]): `User`, `Order` and the `Mapper`
//! type share their dispatchers. `#[listens_for(User, …)]` hands a listener that argument
//! through [`hooks::FromTarget`], and the impl below is the typed view: rustc checks that a
//! listener on `User` takes `&Obj<User>`, not `&Obj<Order>`.

use crate::{AnyInstance, Mapped, Obj};

/// `Obj<T>` is the handle of class `T`'s objects: what makes `&Obj<T>` a view for listeners
/// on `T` only.
#[doc(hidden)]
pub trait HandleOf<C> {}

impl<T: Mapped> HandleOf<T> for Obj<T> {}

// `do_not_recommend`: a listener on `User` taking `&Obj<Order>` is told, on its type, that
// this is not a view of `User`'s objects; rustc does not walk it through this impl's bound.
#[diagnostic::do_not_recommend]
impl<'a, C, T> hooks::FromTarget<'a, AnyInstance, C> for &'a Obj<T>
where
    Obj<T>: HandleOf<C>,
    T: Send + Sync + 'static,
{
    #[inline]
    fn from_target(erased: &'a AnyInstance) -> Self {
        // The class's dispatchers fire only with the class's objects (`fire.rs`): another
        // class here is a bug of this crate, not a listener's mistake to report.
        erased.downcast_ref::<Obj<T>>().unwrap_or_else(|| {
            panic!(
                "hooks-orm fired a listener on `{}` with an object of another class",
                std::any::type_name::<C>()
            )
        })
    }
}
