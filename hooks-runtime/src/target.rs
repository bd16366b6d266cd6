//! Targets: the types and values listeners attach to, and how they resolve.

use std::any::TypeId;
use std::marker::PhantomData;
use std::ops::Deref;

use crate::dispatch::Dispatch;
use crate::{Events, Family, FamilyInfo};

/// A type that listeners can name: declared with `#[hooks::target]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an event target",
    label = "not declared with `#[hooks::target]`",
    note = "declare the type with `#[hooks::target(SomeEvents(events = field))]` to make it a target"
)]
pub trait Target: 'static + Sized {
    /// The type's name as users write it.
    const NAME: &'static str;
    /// The families the type accepts, for the by-name API.
    const FAMILIES: &'static [crate::dynamic::FamilyAccess<Self>];
}

/// A target that accepts the events of family `F`, directly or by resolving to another target
/// (an `Engine` accepts pool events by resolving to its `Pool`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not accept the events of `{F}`",
    label = "this target does not accept these events",
    note = "the families a target accepts are listed in its `#[hooks::target(...)]`"
)]
pub trait Accepts<F: ?Sized + Family>: Target {
    /// The target takes listeners of `F` at class level only (`Family(class_only)`): its
    /// values hold none, and `listen(&value, …)` does not compile ([`InstanceAccepts`]).
    const CLASS_ONLY: bool = false;
    /// The target that really holds the listeners.
    type Resolved: HasEvents<F>;
    /// The instance that really holds the listeners (`engine` → `engine.pool()`).
    fn resolve(&self) -> impl Deref<Target = Self::Resolved> + '_;
}

/// A target whose values take listeners of family `F` (their own, or those of the target they
/// resolve to): every target of `F` except a class-only one (`Family(class_only)`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` takes listeners of `{F}` at class level only",
    label = "a value of a class-only target holds no listeners",
    note = "listen on the type: `hooks::Class::<{Self}>::new()`"
)]
pub trait InstanceAccepts<F: ?Sized + Family>: Accepts<F> {}

/// A target that holds listeners of family `F` itself, and fires them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not hold listeners of `{F}`",
    label = "no `Events` storage for this family",
    note = "name the storage field in `#[hooks::target(Family(events = field))]`"
)]
pub trait HasEvents<F: ?Sized + Family>: Target + Sync {
    /// The class-level listeners (every instance, present and future).
    fn class_slots() -> &'static F::Slots;
    /// The class's own storage when it fires with no instance ([`Class::dispatch`]): never
    /// holds listeners (nothing registers on it), only the class's exec-once states.
    fn class_events() -> &'static Events<F>;
    /// This instance's own listeners.
    fn events(&self) -> &Events<F>;
    /// The parent whose listeners fire after this target's own (a connection joins its engine).
    fn join(&self) -> Option<&dyn Join<F>> {
        None
    }
    /// The typed dispatcher to fire this target's events through.
    #[inline]
    fn dispatch(&self) -> F::Dispatcher<'_> {
        Dispatch::new(Self::class_slots(), self.events(), self.join()).into()
    }
}

/// A parent in a joined dispatch (implemented for every [`HasEvents`] target).
pub trait Join<F: ?Sized + Family>: Sync {
    /// The parent's own dispatch, read live at every fire.
    fn joined(&self) -> Dispatch<'_, F>;
}

impl<F: ?Sized + Family, T: HasEvents<F>> Join<F> for T {
    #[inline]
    fn joined(&self) -> Dispatch<'_, F> {
        Dispatch::new(T::class_slots(), self.events(), self.join())
    }
}

/// A target type as a whole: listeners added through it apply to every instance, present and
/// future (SQLAlchemy's class-level listeners).
///
/// ```ignore
/// pool_events::checkout.listen(hooks::Class::<Pool>::new(), on_checkout)?;
/// ```
pub struct Class<T>(PhantomData<fn() -> T>);

impl<T> Class<T> {
    /// The class-level target `T`.
    #[must_use]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> Default for Class<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Clone for Class<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Class<T> {}

impl<T: Target> std::fmt::Debug for Class<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Class<{}>", T::NAME)
    }
}

impl<T> Class<T> {
    /// Fires family `F` with no instance: `T`'s class-level listeners (static and runtime)
    /// only. For events a host fires on a type rather than on a value (SQLAlchemy's
    /// `before_configured` on the `Mapper` class); an exec-once event runs once per class.
    ///
    /// ```ignore
    /// hooks::Class::<Mapper>::new().dispatch::<dyn MapperEvents>().before_configured();
    /// ```
    #[must_use]
    pub fn dispatch<F: ?Sized + Family>(self) -> F::Dispatcher<'static>
    where
        T: HasEvents<F>,
    {
        Dispatch::new(T::class_slots(), T::class_events(), None).into()
    }

    /// As [`dispatch`](Self::dispatch), then the listeners of `parent` (read live), as a
    /// joined target's: `T`'s class level first, then the parent's levels.
    #[must_use]
    pub fn dispatch_joined<F: ?Sized + Family>(self, parent: &dyn Join<F>) -> F::Dispatcher<'_>
    where
        T: HasEvents<F>,
    {
        Dispatch::new(T::class_slots(), T::class_events(), Some(parent)).into()
    }
}

/// The class-level target `T`: `hooks::class::<Pool>()`.
#[must_use]
pub const fn class<T>() -> Class<T> {
    Class::new()
}

/// Where a registration lands once the target is resolved.
pub struct Resolved<'a, F: ?Sized + Family> {
    pub(crate) class: &'static F::Slots,
    pub(crate) type_id: TypeId,
    pub(crate) type_name: &'static str,
    pub(crate) instance: Option<&'a Events<F>>,
}

impl<F: ?Sized + Family> Resolved<'_, F> {
    pub(crate) fn describe(&self) -> String {
        match self.instance {
            None => self.type_name.to_owned(),
            Some(_) => format!("an instance of {}", self.type_name),
        }
    }
}

/// Something `listen`, `remove` and `contains` accept as a target of family `F`: a
/// [`Class`] (every instance) or a reference to one instance.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be listened on for the events of `{F}`",
    label = "expected `&instance` or `hooks::Class::<Type>::new()` of a target accepting these events",
    note = "a target accepts a family when its `#[hooks::target(...)]` lists it; a family it takes `class_only` is listened on through `hooks::Class::<Type>::new()`, not a value"
)]
pub trait ListenTarget<F: ?Sized + Family> {
    /// Resolves the target and hands the result to `f`.
    fn with_resolved<R>(self, f: impl FnOnce(Resolved<'_, F>) -> R) -> R;
}

impl<F: ?Sized + Family, T: Accepts<F>> ListenTarget<F> for Class<T> {
    fn with_resolved<R>(self, f: impl FnOnce(Resolved<'_, F>) -> R) -> R {
        f(Resolved {
            class: <T::Resolved as HasEvents<F>>::class_slots(),
            type_id: TypeId::of::<T::Resolved>(),
            type_name: <T::Resolved as Target>::NAME,
            instance: None,
        })
    }
}

impl<F: ?Sized + Family, T: InstanceAccepts<F>> ListenTarget<F> for &T {
    fn with_resolved<R>(self, f: impl FnOnce(Resolved<'_, F>) -> R) -> R {
        with_instance(self, f)
    }
}

/// The registration target of one value: the instance storage of the target it resolves to.
pub(crate) fn with_instance<F: ?Sized + Family, T: Accepts<F>, R>(
    value: &T,
    f: impl FnOnce(Resolved<'_, F>) -> R,
) -> R {
    let resolved = T::resolve(value);
    f(Resolved {
        class: <T::Resolved as HasEvents<F>>::class_slots(),
        type_id: TypeId::of::<T::Resolved>(),
        type_name: <T::Resolved as Target>::NAME,
        instance: Some(resolved.events()),
    })
}

/// The name and family list of a target, for messages.
pub(crate) fn family_names<T: Target>() -> impl Iterator<Item = &'static FamilyInfo> {
    T::FAMILIES.iter().map(|f| f.family)
}
