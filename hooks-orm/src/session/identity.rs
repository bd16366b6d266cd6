//! The session's objects: the identity map of persistent objects, the pending ones, the ones
//! marked for deletion, and what the current transaction flushed (its snapshot, restored on
//! rollback). Plain data: the session locks it only to read or write these lists, never
//! while an event fires.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use hooks_sql::Value;

use crate::mapper::MapperDef;
use crate::obj::Handle;
use crate::state::{IdentityKey, KeyValues};

#[derive(Default)]
pub(crate) struct Objects {
    /// Persistent objects by identity key, each with its place in `arrival`. The keys come
    /// from the program's own database, so a fast hasher (foldhash, seeded per process) is
    /// enough: `SipHash` was a tenth of a load of 1,000 rows.
    identity: HashMap<MapKey, (usize, Handle), foldhash::fast::RandomState>,
    /// The persistent objects in their order of arrival, for stable iteration. A removed one
    /// leaves a hole (removing is not a shift); the holes are swept out once they are half.
    arrival: Vec<Option<Handle>>,
    holes: usize,
    /// Pending objects, in `add` order (SQLAlchemy's insert order).
    pub(crate) new: Vec<Handle>,
    /// Persistent objects marked for deletion, in `delete` order.
    pub(crate) deleted: Vec<Handle>,
    /// Objects the transaction's flushes inserted (a rollback makes them transient).
    pub(crate) tx_inserted: Vec<Handle>,
    /// Objects the transaction's flushes deleted (a rollback restores them; a commit
    /// detaches them).
    pub(crate) tx_deleted: Vec<Handle>,
    /// The keys the transaction's flushes had the database generate (`last_insert_rowid`):
    /// a rollback takes them back with the rows, so a re-added object is inserted afresh.
    pub(crate) tx_generated_keys: Vec<GeneratedKey>,
    /// Per open nested transaction: the lengths of `tx_inserted` and `tx_deleted` when it
    /// began, so its rollback restores only what it flushed.
    pub(crate) marks: Vec<(usize, usize)>,
}

/// A column the database filled in on INSERT (it was NULL in the object): a generated key
/// or a server default.
pub(crate) struct GeneratedKey {
    pub(crate) obj: Handle,
    pub(crate) column: usize,
}

impl GeneratedKey {
    /// Puts the column back to NULL, as it was before the INSERT.
    pub(crate) fn take_back(&self) {
        // NULL was in the field before the INSERT: it fits.
        let _ = self.obj.store_loaded(&[(self.column, Value::Null)]);
    }
}

/// Removes from `keys` the generated keys of the objects in `objects`, for the caller to take
/// back once it no longer holds the session's lock.
pub(crate) fn split_keys_of(keys: &mut Vec<GeneratedKey>, objects: &[Handle]) -> Vec<GeneratedKey> {
    let (back, kept): (Vec<_>, Vec<_>) = std::mem::take(keys)
        .into_iter()
        .partition(|k| contains(objects, &k.obj));
    *keys = kept;
    back
}

pub(crate) fn contains(list: &[Handle], obj: &Handle) -> bool {
    list.iter().any(|h| h.addr() == obj.addr())
}

pub(crate) fn remove(list: &mut Vec<Handle>, obj: &Handle) -> bool {
    let before = list.len();
    list.retain(|h| h.addr() != obj.addr());
    list.len() != before
}

impl Objects {
    /// The persistent objects, in arrival order.
    pub(crate) fn persistent(&self) -> Vec<Handle> {
        self.arrival.iter().flatten().cloned().collect()
    }

    /// The persistent object of `key`.
    pub(crate) fn get(&self, key: &MapKey) -> Option<&Handle> {
        self.identity.get(key).map(|(_, h)| h)
    }

    /// Whether an object of `key` is persistent here.
    pub(crate) fn contains_key(&self, key: &MapKey) -> bool {
        self.identity.contains_key(key)
    }

    /// `obj` under `key`: a new key goes last in arrival order, a known one keeps its place.
    pub(crate) fn insert_identity(&mut self, key: MapKey, obj: Handle) {
        match self.identity.entry(key) {
            Entry::Occupied(mut known) => {
                let place = known.get().0;
                known.get_mut().1 = Arc::clone(&obj);
                self.arrival[place] = Some(obj);
            }
            Entry::Vacant(new) => {
                let place = self.arrival.len();
                self.arrival.push(Some(Arc::clone(&obj)));
                new.insert((place, obj));
            }
        }
    }

    /// Room for `additional` more persistent objects (a flush about to key its inserts).
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.identity.reserve(additional);
        self.arrival.reserve(additional);
    }

    pub(crate) fn remove_identity(&mut self, key: &MapKey) {
        if let Some((place, _)) = self.identity.remove(key) {
            self.arrival[place] = None;
            self.holes += 1;
            if self.holes > 32 && self.holes * 2 > self.arrival.len() {
                self.sweep_holes();
            }
        }
    }

    /// Closes the holes removals left in `arrival`, moving each object's place with it.
    fn sweep_holes(&mut self) {
        let mut moved = vec![0; self.arrival.len()];
        let mut next = 0;
        for (old, slot) in self.arrival.iter().enumerate() {
            if slot.is_some() {
                moved[old] = next;
                next += 1;
            }
        }
        self.arrival.retain(Option::is_some);
        for (place, _) in self.identity.values_mut() {
            *place = moved[*place];
        }
        self.holes = 0;
    }

    /// Whether `obj` is in the identity map (as itself, not another object of its key).
    pub(crate) fn holds(&self, obj: &Handle) -> bool {
        self.identity.values().any(|(_, h)| h.addr() == obj.addr())
    }

    /// Everything, for `expunge_all`: persistent, then pending, then flushed-deleted.
    pub(crate) fn take_all(&mut self) -> Vec<Handle> {
        let mut all: Vec<Handle> = std::mem::take(&mut self.arrival)
            .into_iter()
            .flatten()
            .collect();
        all.append(&mut self.new);
        all.append(&mut self.tx_deleted);
        *self = Objects {
            marks: std::mem::take(&mut self.marks),
            ..Objects::default()
        };
        all
    }
}

/// The identity map's key: an [`IdentityKey`] compared and hashed as its values are (a
/// string rendering of them cost a `format!` per object). Equal when the rendering
/// `module::Class[values]` was: same class names, same variants, floats by their bits
/// (`-0.0` is not `0.0`) but every NaN one.
#[derive(Debug, Clone)]
pub(crate) struct MapKey(IdentityKey);

impl MapKey {
    /// The key of `class` with these primary key values.
    pub(crate) fn new(class: &'static MapperDef, values: Vec<Value>) -> Self {
        MapKey(IdentityKey::new(class, values))
    }

    /// The key of a row of all `class`'s columns; `None` when a key column is NULL.
    pub(crate) fn of_row(class: &'static MapperDef, row: &[Value]) -> Option<Self> {
        let mut null = false;
        let values: KeyValues = (class.columns.iter().zip(row))
            .filter(|(column, _)| column.primary_key)
            .map(|(_, value)| {
                null |= value.is_null();
                value.clone()
            })
            .collect();
        let complete = values.as_slice().len() == class.primary_key().count();
        (complete && !null).then(|| MapKey(IdentityKey::of_values(class, values)))
    }

    /// The primary key values.
    pub(crate) fn values(&self) -> &[Value] {
        self.0.primary_key()
    }

    /// The object's identity key this is.
    pub(crate) fn identity(&self) -> &IdentityKey {
        &self.0
    }

    /// The key `obj` is in the identity map under, once it has one.
    pub(crate) fn of(obj: &Handle) -> Option<Self> {
        obj.state().key.clone().map(MapKey)
    }
}

impl From<IdentityKey> for MapKey {
    fn from(key: IdentityKey) -> Self {
        MapKey(key)
    }
}

impl PartialEq for MapKey {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&self.0, &other.0);
        a.class_name() == b.class_name()
            && a.module_path() == b.module_path()
            && a.primary_key().len() == b.primary_key().len()
            && (a.primary_key().iter())
                .zip(b.primary_key())
                .all(|(a, b)| same_value(a, b))
    }
}

impl Eq for MapKey {}

impl Hash for MapKey {
    /// The values only: keys of two classes with the same values share a bucket, which
    /// `eq` then tells apart; the class names would cost more to hash than they save.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.values().len().hash(state);
        for value in self.values() {
            match value {
                Value::Null => 0u8.hash(state),
                Value::Integer(i) => i.hash(state),
                Value::Real(r) => float_bits(*r).hash(state),
                Value::Text(t) => t.hash(state),
                Value::Blob(b) => b.hash(state),
            }
        }
    }
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Real(x), Value::Real(y)) => float_bits(*x) == float_bits(*y),
        _ => a == b,
    }
}

/// A float's identity: its bits, every NaN one (their `Debug` text is the same).
fn float_bits(x: f64) -> u64 {
    if x.is_nan() {
        f64::NAN.to_bits()
    } else {
        x.to_bits()
    }
}

#[cfg(test)]
mod tests {
    use super::{MapKey, same_value};
    use crate::mapper::MapperDef;
    use hooks_sql::Value;

    const fn class(module_path: &'static str) -> MapperDef {
        MapperDef {
            class_name: "User",
            module_path,
            table: "users",
            columns: &[],
            class_listeners: None,
            relationships: &[],
        }
    }

    static M: MapperDef = class("m");
    static N: MapperDef = class("n");

    #[test]
    fn keys_are_equal_when_their_rendering_was() {
        assert!(same_value(&Value::Real(f64::NAN), &Value::Real(-f64::NAN)));
        assert!(!same_value(&Value::Real(0.0), &Value::Real(-0.0)));
        assert!(!same_value(&Value::Integer(1), &Value::Real(1.0)));
        assert!(same_value(
            &Value::Text("a".into()),
            &Value::Text("a".into())
        ));
        let key = |class, values| MapKey::new(class, values);
        assert_eq!(
            key(&M, vec![Value::Integer(1)]),
            key(&M, vec![Value::Integer(1)])
        );
        assert_ne!(
            key(&M, vec![Value::Integer(1)]),
            key(&N, vec![Value::Integer(1)])
        );
        assert_ne!(
            key(&M, vec![Value::Integer(1)]),
            key(&M, vec![Value::Integer(2)])
        );
    }
}
