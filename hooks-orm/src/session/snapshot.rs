//! What a transaction's end does to the session's objects (SQLAlchemy's
//! `SessionTransaction._remove_snapshot` and `_restore_snapshot`): a commit expires them and
//! detaches the deleted ones; a rollback sends the objects it inserted back to transient,
//! restores the ones it deleted and expires the rest.

use std::sync::Arc;

use super::fire::{self, Transition};
use super::identity::{self, MapKey};
use super::{Session, lock};
use crate::obj::Handle;

impl Session {
    /// A nested transaction began: remember what the transaction flushed so far.
    pub(crate) fn push_snapshot_mark(&self) {
        let mut objects = lock(&self.inner.objects);
        let mark = (objects.tx_inserted.len(), objects.tx_deleted.len());
        objects.marks.push(mark);
    }

    /// A nested transaction ended: its flushes now belong to its parent.
    pub(crate) fn pop_snapshot_mark(&self) {
        lock(&self.inner.objects).marks.pop();
    }

    /// After a commit: the root expires every object (with `expire_on_commit`) and
    /// detaches the deleted ones (`deleted_to_detached`); a nested one hands its flushes to
    /// its parent.
    pub(crate) fn remove_snapshot(&self, nested: bool) {
        if nested {
            return;
        }
        let (persistent, deleted) = {
            let mut objects = lock(&self.inner.objects);
            objects.tx_inserted.clear();
            objects.tx_generated_keys.clear();
            (
                objects.persistent(),
                std::mem::take(&mut objects.tx_deleted),
            )
        };
        if self.inner.options.expire_on_commit {
            for obj in &persistent {
                crate::instance::expire_all(&**obj);
            }
        }
        self.detach_states(&deleted, false);
    }

    /// After a rollback: pending objects and the ones this transaction inserted become
    /// transient (`pending_to_transient`, `persistent_to_transient`); the ones it deleted
    /// are persistent again (`deleted_to_persistent`), the ones marked for deletion
    /// unmarked; every persistent object is expired.
    pub(crate) fn restore_snapshot(&self, nested: bool) {
        let (to_expunge, restored, generated) = {
            let mut objects = lock(&self.inner.objects);
            let (inserted_from, deleted_from) = match (nested, objects.marks.last()) {
                (true, Some(mark)) => *mark,
                _ => (0, 0),
            };
            let mut to_expunge = std::mem::take(&mut objects.new);
            let inserted = objects.tx_inserted.split_off(inserted_from);
            // The rows are gone, and with them the keys the database gave them.
            let generated = identity::split_keys_of(&mut objects.tx_generated_keys, &inserted);
            for obj in &inserted {
                if let Some(key) = MapKey::of(obj) {
                    objects.remove_identity(&key);
                }
            }
            objects.deleted.clear();
            // An object this transaction both inserted and deleted had no row before it: it
            // goes back to transient with the other inserted ones, not to persistent.
            let restored: Vec<Handle> = objects
                .tx_deleted
                .split_off(deleted_from)
                .into_iter()
                .filter(|obj| !identity::contains(&inserted, obj))
                .collect();
            for obj in &inserted {
                obj.state().deleted = false;
            }
            to_expunge.extend(inserted);
            for obj in &restored {
                if let Some(key) = MapKey::of(obj) {
                    objects.insert_identity(key, Arc::clone(obj));
                }
            }
            (to_expunge, restored, generated)
        };
        for key in generated.iter().rev() {
            key.take_back();
        }
        self.detach_states(&to_expunge, true);
        self.revert_deletions(&restored);
        let persistent = lock(&self.inner.objects).persistent();
        for obj in &persistent {
            crate::instance::expire_all(&**obj);
        }
    }

    fn revert_deletions(&self, restored: &[Handle]) {
        for obj in restored {
            obj.state().deleted = false;
            fire::transition(self, Transition::DeletedToPersistent, obj);
        }
    }
}
