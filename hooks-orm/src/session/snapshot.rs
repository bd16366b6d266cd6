//! What a transaction's end does to the session's objects (SQLAlchemy's
//! `SessionTransaction._remove_snapshot` and `_restore_snapshot`): a commit expires them and
//! detaches the deleted ones; a rollback sends the objects it inserted back to transient,
//! restores the ones it deleted and expires the rest.

use std::sync::Arc;

use super::fire::{self, Transition};
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
            (
                objects.persistent(),
                std::mem::take(&mut objects.tx_deleted),
            )
        };
        if self.inner.options.expire_on_commit {
            for obj in &persistent {
                obj.state().expire_all();
            }
        }
        self.detach_states(&deleted, false);
    }

    /// After a rollback: pending objects and the ones this transaction inserted become
    /// transient (`pending_to_transient`, `persistent_to_transient`); the ones it deleted
    /// are persistent again (`deleted_to_persistent`), the ones marked for deletion
    /// unmarked; every persistent object is expired.
    pub(crate) fn restore_snapshot(&self, nested: bool) {
        let (to_expunge, restored) = {
            let mut objects = lock(&self.inner.objects);
            let (inserted_from, deleted_from) = match (nested, objects.marks.last()) {
                (true, Some(mark)) => *mark,
                _ => (0, 0),
            };
            let mut to_expunge = std::mem::take(&mut objects.new);
            let inserted = objects.tx_inserted.split_off(inserted_from);
            for obj in &inserted {
                if let Some(key) = obj.state().key.as_ref() {
                    objects.remove_identity(&key.map_key());
                }
            }
            to_expunge.extend(inserted);
            objects.deleted.clear();
            let restored = objects.tx_deleted.split_off(deleted_from);
            for obj in &restored {
                if let Some(key) = obj.state().key.as_ref() {
                    objects.insert_identity(key.map_key(), Arc::clone(obj));
                }
            }
            (to_expunge, restored)
        };
        self.detach_states(&to_expunge, true);
        self.revert_deletions(&restored);
        let persistent = lock(&self.inner.objects).persistent();
        for obj in &persistent {
            obj.state().expire_all();
        }
    }

    fn revert_deletions(&self, restored: &[Handle]) {
        for obj in restored {
            obj.state().deleted = false;
            fire::transition(self, Transition::DeletedToPersistent, obj);
        }
    }
}
