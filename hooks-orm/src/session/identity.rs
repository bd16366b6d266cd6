//! The session's objects: the identity map of persistent objects, the pending ones, the ones
//! marked for deletion, and what the current transaction flushed (its snapshot, restored on
//! rollback). Plain data: the session locks it only to read or write these lists, never
//! while an event fires.

use std::collections::HashMap;

use hooks_sql::Value;

use crate::obj::Handle;

#[derive(Default)]
pub(crate) struct Objects {
    /// Persistent objects by identity key (`IdentityKey::map_key`), with their order of
    /// arrival for stable iteration.
    pub(crate) identity: HashMap<String, Handle>,
    pub(crate) arrival: Vec<String>,
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
        self.arrival
            .iter()
            .filter_map(|k| self.identity.get(k).cloned())
            .collect()
    }

    pub(crate) fn insert_identity(&mut self, key: String, obj: Handle) {
        if self.identity.insert(key.clone(), obj).is_none() {
            self.arrival.push(key);
        }
    }

    pub(crate) fn remove_identity(&mut self, key: &str) {
        if self.identity.remove(key).is_some() {
            self.arrival.retain(|k| k != key);
        }
    }

    /// Whether `obj` is in the identity map (as itself, not another object of its key).
    pub(crate) fn holds(&self, obj: &Handle) -> bool {
        self.identity.values().any(|h| h.addr() == obj.addr())
    }

    /// Everything, for `expunge_all`: persistent, then pending, then flushed-deleted.
    pub(crate) fn take_all(&mut self) -> Vec<Handle> {
        let mut all = self.persistent();
        all.append(&mut self.new);
        all.append(&mut self.tx_deleted);
        *self = Objects {
            marks: std::mem::take(&mut self.marks),
            ..Objects::default()
        };
        all
    }
}
