//! [`InstanceEvents`]: a mapped object constructed, loaded, refreshed, expired, pickled.

use crate::error::ListenerError;
use crate::instance::{ConstructorArgs, ConstructorError, LoadContext, StateDict};
use crate::mapper::MapperDef;
use crate::session::{AnyInstance, FlushContext};

/// The life of one mapped object outside the session's transitions: SQLAlchemy's
/// `InstanceEvents`.
///
/// Listen on a mapped class (`hooks::Class::<User>::new()` or `#[listens_for(User, "load")]`:
/// its objects) or on the [`Mapper`](crate::Mapper) type (every mapped class); the class's
/// listeners run first. `target` is the object: a static listener on `User` takes it as
/// `&Obj<User>`, one on `Mapper` or a mixin erased (`target.downcast_ref::<Obj<User>>()`). No lock is held while a listener runs: it may read the
/// object and use its session.
///
/// Where the Rust shape differs from SQLAlchemy's:
/// - `init` fires after the constructor, not before: a Rust value is built whole before the
///   ORM sees it ([`Obj::new`](crate::Obj::new)), so the listener receives the constructed
///   value's attributes to change ([`ConstructorArgs`]), SQLAlchemy's `kwargs`. An object the
///   session loads, or [`Obj::from_state`](crate::Obj::from_state) rebuilds, fires no `init`.
/// - `init_failure` fires when the constructor given to [`Obj::try_new`](crate::Obj::try_new)
///   returns an error (SQLAlchemy's `__init__` raising); the error is returned after it.
/// - `first_init` fires once per class, for the first object built in the process, whether
///   constructed or loaded.
/// - `pickle` / `unpickle` go through `serde_json` ([`Obj::to_state`](crate::Obj::to_state),
///   [`Obj::from_state`](crate::Obj::from_state)) instead of Python's pickle.
/// - `resurrect` is declared for completeness, deprecated, and never fires (see its doc).
/// - `restore_load_context` is a modifier of `load` and `refresh`: see [`LoadContext`].
#[hooks::events(propagate, crate = crate::__private::hooks)]
pub trait InstanceEvents {
    /// The first object of the class is being built (SQLAlchemy's `first_init`, fired once
    /// per class): before its `init`, or before the first load of the class. Fires once per
    /// class and process; a listener that builds another object of the class does not fire it
    /// again. Threads that build the class's first objects at once do not wait for the one
    /// that fires it (SQLAlchemy's exec-once lock would): their `init` may run meanwhile.
    fn first_init(class_: &MapperDef);

    /// An object was constructed by [`Obj::new`](crate::Obj::new) or
    /// [`Obj::try_new`](crate::Obj::try_new): before it becomes an `Obj`, so the
    /// listener may change its attributes through `args` (read them with [`ConstructorArgs::get`],
    /// write them with [`ConstructorArgs::set`], or take the typed value with
    /// [`ConstructorArgs::downcast_mut`]). Not fired for loaded objects.
    fn init(class_: &MapperDef, args: &mut ConstructorArgs<'_>);

    /// The constructor given to [`Obj::try_new`](crate::Obj::try_new) failed: `error` is
    /// its error, which `try_new` returns after the listeners ran. No `init` fires then.
    fn init_failure(class_: &MapperDef, error: &ConstructorError);

    /// A new object was built from its first row: after its attributes and committed state
    /// are set and it entered the identity map, before `loaded_as_persistent`. An `Err`
    /// aborts the load ([`SessionError::Listener`](crate::SessionError::Listener), `event:
    /// "load"`); the object stays in the identity map as loaded.
    ///
    /// With the `restore_load_context` modifier, the load run recorded on the object
    /// ([`InstanceState::load_run`](crate::InstanceState::load_run)) is put back after the
    /// listener, even if it refreshed the object meanwhile.
    #[event(fallible, modifiers(restore_load_context))]
    fn load(#[target] target: &AnyInstance, context: &LoadContext<'_>)
    -> Result<(), ListenerError>;

    /// An object of the identity map was populated again from a row: its expired attributes
    /// reloaded on read, by [`Session::refresh`](crate::Session::refresh), by
    /// [`Session::get`](crate::Session::get) or a select finding it expired, an ORM UPDATE's
    /// synchronization ([`Synchronize`](crate::Synchronize), naming the columns set). `attrs` names the
    /// attributes reloaded, `None` when they were all (SQLAlchemy's convention). An `Err` aborts
    /// the load, as for `load`; `restore_load_context` as for `load`.
    #[event(fallible, modifiers(restore_load_context))]
    fn refresh(
        #[target] target: &AnyInstance,
        context: &LoadContext<'_>,
        attrs: Option<&[&str]>,
    ) -> Result<(), ListenerError>;

    /// The flush's INSERT fetched values the database generated for the object: the columns
    /// declared with `#[column(server_default = "...")]` left `None`, read back with
    /// `RETURNING`, named in `attrs`. Fires right after that INSERT, before the batch's
    /// `after_insert`. A generated primary key is not among them (SQLAlchemy's rule); an
    /// INSERT that generated nothing else does not fire it.
    fn refresh_flush(
        #[target] target: &AnyInstance,
        flush_context: &FlushContext<'_>,
        attrs: &[&str],
    );

    /// Attributes of the object were expired: after the state changed, so a listener that
    /// reads the object reloads them. `attrs` names them, `None` when all were
    /// ([`Session::expire`](crate::Session::expire), [`Session::expire_all`](crate::Session::expire_all),
    /// a commit with `expire_on_commit`, a rollback).
    fn expire(#[target] target: &AnyInstance, attrs: Option<&[&str]>);

    /// The object's state is being written out by [`Obj::to_state`](crate::Obj::to_state):
    /// `state_dict` holds what hooks-orm saves (`"columns"` and `"identity_key"`); a listener
    /// may add its own entries, which [`Obj::from_state`](crate::Obj::from_state) keeps for
    /// `unpickle`.
    fn pickle(#[target] target: &AnyInstance, state_dict: &mut StateDict);

    /// An object was rebuilt by [`Obj::from_state`](crate::Obj::from_state) from
    /// `state_dict` (with any entries `pickle` listeners added).
    fn unpickle(#[target] target: &AnyInstance, state_dict: &StateDict);

    /// Declared because SQLAlchemy's catalog still lists it; **never fires**. SQLAlchemy fired
    /// it when an object with pending changes was brought back from garbage collection by the
    /// mutable-attribute tracking it removed in 0.8. An `Obj` is reference-counted: a handle
    /// with pending changes is never collected, so there is nothing to resurrect.
    #[deprecated(note = "never fires: an `Obj` with pending changes is never collected")]
    fn resurrect(#[target] target: &AnyInstance);
}
