//! [`FromTarget`]: how a static listener takes an event's target as its own type.
//!
//! A family passes the object an event is about in one erased type (an `#[target]` argument,
//! say `&dyn Any`), because every target of the family shares its dispatcher. A listener
//! registered on one class knows the object's type better: `#[listens_for]` hands it that
//! argument through this trait, so the listener may write `&Obj<User>` where the family says
//! `&dyn Any`, and rustc checks the type it wrote against the class it listens on.

/// A view of the erased target `E` of an event, as a listener registered on the class `C`
/// takes it.
///
/// Every reference `&E` is a view of itself, for any class: a listener may always take the
/// argument as the family declares it. A host adds the typed views of its classes (for
/// `hooks-orm`, `&Obj<User>` for a listener on `User`); the conversion may assume the object
/// is of class `C`, because the host fires a class's listeners with that class's objects only.
#[diagnostic::on_unimplemented(
    message = "a listener on `{C}` cannot take the event's target as `{Self}`",
    label = "not a view of `{C}`'s objects",
    note = "a host's typed view is for the class the listener is on (`hooks-orm`: `&Obj<User>` \
            on `User`); on any other target, take the object as the event declares it"
)]
pub trait FromTarget<'a, E: ?Sized, C: ?Sized>: Sized {
    /// The view of `erased`.
    fn from_target(erased: &'a E) -> Self;
}

impl<'a, E: ?Sized, C: ?Sized> FromTarget<'a, E, C> for &'a E {
    #[inline]
    fn from_target(erased: &'a E) -> Self {
        erased
    }
}
