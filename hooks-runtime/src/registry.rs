//! The write side: every `listen`, `remove` and `contains` goes through one process-wide lock.
//! Fires never take it (except once per class slot, the first time it fires).

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError, Weak};

use crate::instance::InstanceSlots;
use crate::slot::{Entry, Retired, Slot};
use crate::target::Resolved;
use crate::{Error, Event, EventInfo, EventVisitor, Family, HasEvents, Modifiers, StaticListener};

/// Identifies one registration; returned by every `listen`.
///
/// A registration is one listener everywhere it reached: copies made by propagation or by a
/// host carrying listeners over (a recreated pool) share its handle, and removing it removes
/// them all.
///
/// Dropping a handle does not remove the listener (as in SQLAlchemy, a listener stays until it
/// is removed); keep the handle of a closure that captures if you will want to remove it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ListenerHandle {
    id: u64,
    event: &'static EventInfo,
}

impl ListenerHandle {
    /// The event the listener listens to.
    #[must_use]
    pub fn event(&self) -> &'static EventInfo {
        self.event
    }

    /// Whether the listener is still registered (a `once` listener stops being so when it
    /// fires).
    #[must_use]
    pub fn is_active(&self) -> bool {
        lock().is_active(self.id)
    }

    /// Removes the listener everywhere it reached.
    ///
    /// # Errors
    ///
    /// [`Error::NotActive`] when it was already removed, or was `once` and has fired.
    pub fn remove(self) -> Result<(), Error> {
        let mut registry = lock();
        registry.purge_spent(&[]);
        if registry.remove(self.id) {
            Ok(())
        } else {
            Err(Error::NotActive { event: self.event })
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum TargetKey {
    Class(TypeId),
    Instance(u64),
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
struct Key {
    target: TargetKey,
    event: TypeId,
    listener: TypeId,
}

/// Where one registration's entry lives, so that it can be taken out again.
trait Location: Send + Sync {
    fn remove(&self, id: u64) -> Retired;
    fn instance(&self) -> Option<u64>;
    /// The instance is being dropped: forget the entry without touching its storage.
    fn detach(&self);
}

struct ClassLocation<E: Event>(&'static Slot<E>);

impl<E: Event> Location for ClassLocation<E> {
    fn remove(&self, id: u64) -> Retired {
        let retired = take_out(self.0, id);
        self.0.settle();
        retired
    }
    fn instance(&self) -> Option<u64> {
        None
    }
    fn detach(&self) {}
}

struct InstanceLocation<E: Event> {
    instance: u64,
    slots: Weak<InstanceSlots<E::Family>>,
    class: &'static Slot<E>,
}

impl<E: Event> Location for InstanceLocation<E> {
    fn remove(&self, id: u64) -> Retired {
        let retired = self
            .slots
            .upgrade()
            .map(|own| take_out(E::slot(&own.slots), id));
        self.class.drop_instance_registration();
        retired.unwrap_or_default()
    }
    fn instance(&self) -> Option<u64> {
        Some(self.instance)
    }
    fn detach(&self) {
        self.class.drop_instance_registration();
    }
}

fn take_out<E: Event>(slot: &Slot<E>, id: u64) -> Retired {
    let mut draft = if slot.has_static(id) {
        slot.fold_statics()
    } else {
        slot.draft()
    };
    draft.remove(id);
    slot.publish(draft)
}

fn put_in<E: Event>(slot: &Slot<E>, entry: Entry<E>, insert: bool) -> Retired {
    let mut draft = slot.draft();
    if insert {
        draft.push_front(entry);
    } else {
        draft.push_back(entry);
    }
    slot.publish(draft)
}

struct Registration {
    /// The event's count of registrations ([`Event::registrations`]).
    count: &'static AtomicUsize,
    listener: Option<TypeId>,
    keys: Vec<Key>,
    locations: Vec<Box<dyn Location>>,
    once: Option<Arc<AtomicBool>>,
}

impl Registration {
    fn is_spent(&self) -> bool {
        self.once.as_deref().is_some_and(crate::atomics::is_claimed)
    }

    /// Whether every instance the registration reached is one of `instances`.
    fn is_within(&self, instances: &[u64]) -> bool {
        self.locations
            .iter()
            .all(|l| l.instance().is_none_or(|i| instances.contains(&i)))
    }
}

/// The registry's maps: their keys are ids and types the program made, so a fast hasher
/// (foldhash, seeded per process) does; `SipHash` was a tenth of a `listen` or `remove`.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

pub(crate) struct Registry {
    next_id: u64,
    registrations: Map<u64, Registration>,
    by_key: Map<Key, u64>,
    by_instance: Map<u64, Vec<u64>>,
    once: Vec<u64>,
    statics: Vec<&'static StaticListener>,
    /// Snapshots replaced while the lock is held, dropped once it is released.
    trash: Vec<Retired>,
}

static REGISTRY: LazyLock<Mutex<Registry>> = LazyLock::new(|| Mutex::new(Registry::indexed()));

/// The registry, with the static listener index built on first use.
pub(crate) fn lock() -> Locked {
    Locked(Some(
        REGISTRY.lock().unwrap_or_else(PoisonError::into_inner),
    ))
}

/// The locked registry; on release, the snapshots it retired are dropped after the lock is
/// given back, so that listeners' captured state never drops under the lock.
pub(crate) struct Locked(Option<MutexGuard<'static, Registry>>);

impl std::ops::Deref for Locked {
    type Target = Registry;
    fn deref(&self) -> &Registry {
        self.0
            .as_deref()
            .unwrap_or_else(|| unreachable!("the guard lives until drop"))
    }
}

impl std::ops::DerefMut for Locked {
    fn deref_mut(&mut self) -> &mut Registry {
        self.0
            .as_deref_mut()
            .unwrap_or_else(|| unreachable!("the guard lives until drop"))
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        let trash = self.0.as_mut().map(|r| std::mem::take(&mut r.trash));
        drop(self.0.take());
        #[cfg(feature = "race-windows")]
        if trash.as_ref().is_some_and(|t| !t.is_empty()) {
            crate::race_windows::after_unlock();
        }
        drop(trash);
    }
}

/// Brings a class slot that has never fired up to date with the static index; returns its state.
#[cold]
#[inline(never)]
pub(crate) fn reconcile<E: Event>(slot: &Slot<E>) -> u8 {
    let _registry = lock();
    slot.settle();
    slot.state()
}

/// One more registration of an event (under the registry lock).
fn count_up(count: &AtomicUsize) {
    let now = match count.load(Ordering::Relaxed) {
        crate::UNKNOWN_REGISTRATIONS => 1,
        n => n + 1,
    };
    count.store(now, Ordering::Release);
}

/// One registration of an event fewer (under the registry lock).
fn count_down(count: &AtomicUsize) {
    let now = count.load(Ordering::Relaxed).saturating_sub(1);
    count.store(now, Ordering::Release);
}

/// Brings an event's count of registrations up to date with the static index, the first time
/// the event fires; returns it.
#[cold]
#[inline(never)]
pub(crate) fn reconcile_count<E: Event>() -> usize {
    let _registry = lock();
    let count = E::registrations();
    if count.load(Ordering::Relaxed) == crate::UNKNOWN_REGISTRATIONS {
        count.store(0, Ordering::Release);
    }
    count.load(Ordering::Relaxed)
}

/// Hands a static listener's installer access to the registry while the index is built; the
/// static listeners of each slot are gathered, then published once, as the slot's static slice.
pub struct Installer<'a> {
    registry: &'a mut Registry,
    pending: HashMap<usize, Box<dyn PendingStatics>>,
}

/// The static listeners gathered for one slot.
trait PendingStatics {
    fn publish(self: Box<Self>);
    fn as_any(&mut self) -> &mut dyn std::any::Any;
}

struct Pending<E: Event> {
    slot: &'static Slot<E>,
    entries: Vec<Entry<E>>,
}

impl<E: Event> PendingStatics for Pending<E> {
    fn publish(self: Box<Self>) {
        self.slot.set_statics(self.entries);
        self.slot.settle();
    }

    fn as_any(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

impl Installer<'_> {
    /// Registers a static listener on class-level target `T` (resolved), event `E`.
    pub fn install<T, E>(&mut self, callable: Arc<E::Callable>, meta: &'static StaticListener)
    where
        E: Event,
        T: HasEvents<E::Family>,
    {
        let slot = E::slot(T::class_slots());
        let target = Resolved::<E::Family> {
            class: T::class_slots(),
            type_id: TypeId::of::<T>(),
            type_name: T::NAME,
            instance: None,
        };
        let pending = self
            .pending
            .entry(std::ptr::from_ref(slot).addr())
            .or_insert_with(|| {
                Box::new(Pending::<E> {
                    slot,
                    entries: Vec::new(),
                })
            })
            .as_any()
            .downcast_mut::<Pending<E>>();
        let Some(pending) = pending else {
            unreachable!("a slot's address identifies its event type");
        };
        // A static listener needs no handle: it is found again by its fn.
        let _handle = self.registry.register::<E>(
            &target,
            callable,
            Some((meta.key)()),
            meta.modifiers(),
            |entry, insert| {
                if insert {
                    pending.entries.insert(0, entry);
                } else {
                    pending.entries.push(entry);
                }
                (Box::new(ClassLocation(slot)), Retired::default())
            },
        );
    }
}

impl Registry {
    fn indexed() -> Self {
        let mut registry = Self {
            next_id: 1,
            registrations: Map::default(),
            by_key: Map::default(),
            by_instance: Map::default(),
            once: Vec::new(),
            statics: crate::STATIC_LISTENERS.iter().collect(),
            trash: Vec::new(),
        };
        registry.statics.sort_by_key(|s| s.sort_key());
        // Ordinary listeners are appended in key order; `insert` ones are prepended in reverse
        // key order, so that both groups end up in key order with the `insert` group first.
        let statics = registry.statics.clone();
        let (inserted, appended): (Vec<&'static StaticListener>, Vec<_>) = statics
            .iter()
            .copied()
            .partition(|s| s.modifiers().contains(Modifiers::INSERT));
        let mut installer = Installer {
            registry: &mut registry,
            pending: HashMap::new(),
        };
        for meta in appended.into_iter().chain(inserted.into_iter().rev()) {
            (meta.install)(&mut installer, meta);
        }
        for pending in installer.pending.into_values() {
            pending.publish();
        }
        registry
    }

    pub(crate) fn statics(&self) -> &[&'static StaticListener] {
        &self.statics
    }

    fn key<E: Event>(target: &Resolved<'_, E::Family>, listener: TypeId) -> Key {
        let target = match target.instance {
            None => TargetKey::Class(target.type_id),
            Some(events) => TargetKey::Instance(events.slots_or_init().id),
        };
        Key {
            target,
            event: TypeId::of::<E>(),
            listener,
        }
    }

    pub(crate) fn add<E: Event>(
        &mut self,
        target: &Resolved<'_, E::Family>,
        callable: Arc<E::Callable>,
        listener: Option<TypeId>,
        modifiers: Modifiers,
    ) -> ListenerHandle {
        self.register::<E>(target, callable, listener, modifiers, |entry, insert| {
            Self::place::<E>(target, entry, insert)
        })
    }

    /// Records a registration; `place` puts its entry where it fires.
    fn register<E: Event>(
        &mut self,
        target: &Resolved<'_, E::Family>,
        callable: Arc<E::Callable>,
        listener: Option<TypeId>,
        modifiers: Modifiers,
        place: impl FnOnce(Entry<E>, bool) -> (Box<dyn Location>, Retired),
    ) -> ListenerHandle {
        let key = listener.map(|l| Self::key::<E>(target, l));
        if let Some(&id) = key.as_ref().and_then(|k| self.by_key.get(k))
            && !self.registrations[&id].is_spent()
        {
            return ListenerHandle { id, event: E::INFO };
        }
        let id = self.next_id;
        self.next_id += 1;
        let once = modifiers
            .contains(Modifiers::ONCE)
            .then(|| Arc::new(AtomicBool::new(false)));
        let entry = Entry {
            id,
            callable,
            once: once.clone(),
            modifiers,
        };
        let (location, retired) = place(entry, modifiers.contains(Modifiers::INSERT));
        self.trash.push(retired);
        if let Some(instance) = location.instance() {
            self.by_instance.entry(instance).or_default().push(id);
        }
        if let Some(key) = key {
            self.by_key.insert(key, id);
        }
        if once.is_some() {
            self.once.push(id);
        }
        let count = E::registrations();
        count_up(count);
        self.registrations.insert(
            id,
            Registration {
                count,
                listener,
                keys: key.into_iter().collect(),
                locations: vec![location],
                once,
            },
        );
        ListenerHandle { id, event: E::INFO }
    }

    fn place<E: Event>(
        target: &Resolved<'_, E::Family>,
        entry: Entry<E>,
        insert: bool,
    ) -> (Box<dyn Location>, Retired) {
        let class = E::slot(target.class);
        match target.instance {
            None => {
                let retired = put_in(class, entry, insert);
                class.settle();
                (Box::new(ClassLocation(class)), retired)
            }
            Some(events) => {
                let own = events.slots_or_init();
                let retired = put_in(E::slot(&own.slots), entry, insert);
                class.add_instance_registration();
                let location = InstanceLocation::<E> {
                    instance: own.id,
                    slots: Arc::downgrade(own),
                    class,
                };
                (Box::new(location), retired)
            }
        }
    }

    fn is_active(&self, id: u64) -> bool {
        self.registrations.get(&id).is_some_and(|r| !r.is_spent())
    }

    fn find<E: Event>(&self, target: &Resolved<'_, E::Family>, listener: TypeId) -> Option<u64> {
        // A lookup must not allocate an instance's storage just to find nothing there.
        if let Some(events) = target.instance
            && events.slots().is_none()
        {
            return None;
        }
        let id = *self.by_key.get(&Self::key::<E>(target, listener))?;
        self.is_active(id).then_some(id)
    }

    /// Takes a registration out of every place it reached.
    fn remove(&mut self, id: u64) -> bool {
        let Some(registration) = self.registrations.remove(&id) else {
            return false;
        };
        let spent = registration.is_spent();
        count_down(registration.count);
        for location in &registration.locations {
            let retired = location.remove(id);
            self.trash.push(retired);
            if let Some(instance) = location.instance() {
                self.unlink_instance(instance, id);
            }
        }
        for key in &registration.keys {
            self.by_key.remove(key);
        }
        if registration.once.is_some() {
            self.once.retain(|&o| o != id);
        }
        self.shrink();
        !spent
    }

    /// Gives memory back after a burst: a map that fell below a quarter of its capacity is
    /// shrunk to twice its length (amortised, so alternating listen/remove does not churn).
    fn shrink(&mut self) {
        fn fit<K: Eq + std::hash::Hash, V>(map: &mut Map<K, V>) {
            if map.len() * 4 < map.capacity() {
                map.shrink_to(map.len() * 2);
            }
        }
        fit(&mut self.registrations);
        fit(&mut self.by_key);
        fit(&mut self.by_instance);
        if self.once.len() * 4 < self.once.capacity() {
            self.once.shrink_to(self.once.len() * 2);
        }
    }

    fn unlink_instance(&mut self, instance: u64, id: u64) {
        if let Some(ids) = self.by_instance.get_mut(&instance) {
            // An instance's ids are pushed as they are made, so they are sorted unless a copy
            // brought older ones: the binary search finds it in the common case, the scan in
            // the other (an id is there once: a copy skips the ids a target holds).
            let at = ids
                .binary_search(&id)
                .ok()
                .or_else(|| ids.iter().position(|&i| i == id));
            if let Some(at) = at {
                ids.remove(at);
            }
            if ids.is_empty() {
                self.by_instance.remove(&instance);
            }
        }
    }

    /// Drops the `once` registrations that have fired (their entries were already inert), except
    /// those on an instance other than the ones this call acts on (those are purged by the fire
    /// that spent them, by a call on their instance, or by its drop).
    ///
    /// Purging edits the instance's snapshot, and the snapshot it retires (which holds the
    /// instance's other listeners) is dropped after the lock is released. Done from a thread
    /// that has nothing to do with the instance, that drop could race with the instance's own:
    /// `drop(target)` would return while another thread still held its listeners' captures. So
    /// only a call on the instance itself, or its drop, frees what an instance's listeners hold.
    pub(crate) fn purge_spent(&mut self, acting_on: &[u64]) {
        let spent: Vec<u64> = self
            .once
            .iter()
            .copied()
            .filter(|id| {
                self.registrations
                    .get(id)
                    .is_some_and(|r| r.is_spent() && r.is_within(acting_on))
            })
            .collect();
        for id in spent {
            self.remove(id);
        }
    }

    fn forget_instance(&mut self, instance: u64) {
        for id in self.by_instance.remove(&instance).unwrap_or_default() {
            let Some(registration) = self.registrations.get_mut(&id) else {
                continue;
            };
            registration.locations.retain(|l| {
                let here = l.instance() == Some(instance);
                if here {
                    l.detach();
                }
                !here
            });
            let gone: Vec<Key> = registration
                .keys
                .iter()
                .filter(|k| k.target == TargetKey::Instance(instance))
                .copied()
                .collect();
            registration
                .keys
                .retain(|k| k.target != TargetKey::Instance(instance));
            let empty = registration.locations.is_empty();
            for key in gone {
                self.by_key.remove(&key);
            }
            if empty {
                self.remove(id);
            }
        }
        self.shrink();
    }
}

/// Purges the spent `once` registrations of one instance, from a fire of that instance.
#[cold]
#[inline(never)]
pub(crate) fn purge_spent_of(instance: u64) {
    lock().purge_spent(&[instance]);
}

pub(crate) fn forget_instance(instance: u64) {
    lock().forget_instance(instance);
}

/// Registers a listener (the runtime half of every typed and by-name `listen`).
pub(crate) fn listen<E: Event>(
    target: &Resolved<'_, E::Family>,
    callable: Arc<E::Callable>,
    listener: Option<TypeId>,
    modifiers: Modifiers,
) -> Result<ListenerHandle, Error> {
    E::INFO.check_modifiers(&modifiers)?;
    let mut registry = lock();
    registry.purge_spent(acted_on(target).as_slice());
    Ok(registry.add::<E>(target, callable, listener, modifiers))
}

/// The instance a registry call on `target` acts on, if its storage exists.
fn acted_on<F: ?Sized + Family>(target: &Resolved<'_, F>) -> Option<u64> {
    target
        .instance
        .and_then(crate::Events::slots)
        .map(|own| own.id)
}

pub(crate) fn contains<E: Event>(target: &Resolved<'_, E::Family>, listener: TypeId) -> bool {
    lock().find::<E>(target, listener).is_some()
}

pub(crate) fn remove<E: Event>(
    target: &Resolved<'_, E::Family>,
    listener: TypeId,
    listener_name: &'static str,
) -> Result<(), Error> {
    let mut registry = lock();
    registry.purge_spent(acted_on(target).as_slice());
    match registry.find::<E>(target, listener) {
        Some(id) => {
            registry.remove(id);
            Ok(())
        }
        None => Err(Error::NotRegistered {
            target: target.describe(),
            event: E::INFO,
            listener: listener_name,
        }),
    }
}

/// Which listeners [`copy_listeners`] carries over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Carry {
    /// Every instance-level listener (a host recreating an object in place: a disposed pool).
    All,
    /// Only those registered with `propagate` (a host deriving a new object: a copied table).
    Propagated,
}

/// Copies `from`'s instance-level listeners of family `F` to `to`, which then fires them too.
///
/// The copies belong to the original registrations: removing one (by handle, or by fn on
/// either target) removes it everywhere, and a `once` listener fires once across all copies.
pub fn copy_listeners<F, T>(from: &T, to: &T, carry: Carry)
where
    F: ?Sized + Family,
    T: HasEvents<F>,
{
    let Some(source) = from.events().slots() else {
        return;
    };
    let mut registry = lock();
    let target = to.events().slots_or_init();
    registry.purge_spent(&[source.id, target.id]);
    F::visit_events(&mut CopyVisitor::<F> {
        registry: &mut registry,
        source,
        target,
        class: T::class_slots(),
        carry,
    });
}

struct CopyVisitor<'a, F: ?Sized + Family> {
    registry: &'a mut Registry,
    source: &'a Arc<InstanceSlots<F>>,
    target: &'a Arc<InstanceSlots<F>>,
    class: &'static F::Slots,
    carry: Carry,
}

impl<F: ?Sized + Family> EventVisitor<F> for CopyVisitor<'_, F> {
    fn visit<E: Event<Family = F>>(&mut self) {
        let present: Vec<u64> = E::slot(&self.target.slots)
            .entries()
            .iter()
            .map(|e| e.id)
            .collect();
        for entry in E::slot(&self.source.slots).entries() {
            let wanted = self.carry == Carry::All || entry.modifiers.contains(Modifiers::PROPAGATE);
            if !wanted || entry.is_spent() || present.contains(&entry.id) {
                continue;
            }
            if !self.registry.registrations.contains_key(&entry.id) {
                continue;
            }
            let id = entry.id;
            let class = E::slot(self.class);
            let retired = put_in(E::slot(&self.target.slots), entry, false);
            class.add_instance_registration();
            self.registry.trash.push(retired);
            let Some(registration) = self.registry.registrations.get_mut(&id) else {
                continue;
            };
            registration.locations.push(Box::new(InstanceLocation::<E> {
                instance: self.target.id,
                slots: Arc::downgrade(self.target),
                class,
            }));
            if let Some(listener) = registration.listener {
                let key = Key {
                    target: TargetKey::Instance(self.target.id),
                    event: TypeId::of::<E>(),
                    listener,
                };
                registration.keys.push(key);
                self.registry.by_key.insert(key, id);
            }
            self.registry
                .by_instance
                .entry(self.target.id)
                .or_default()
                .push(id);
        }
    }
}
