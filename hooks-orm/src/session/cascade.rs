//! The relationship cascades of the session (SQLAlchemy's `cascade_iterator`, reduced):
//! save-update on `add`, delete on `delete`, and the flush's share: delete-orphan, the
//! children of a deleted parent without delete cascade getting a NULL foreign key, and the
//! sync of each child's foreign key from its parent's key before the child's batch is
//! written (SQLAlchemy's `sync.populate`).

use std::sync::Arc;

use hooks_sql::Value;

use super::identity::MapKey;
use super::objects::Membership;
use super::{Session, SessionError, lock};
use crate::mapper::{Mapped, MapperDef};
use crate::obj::{Handle, Obj};
use crate::relationship::{RelatedHandle, RelationshipDef, RelationshipKind};
use crate::state::ObjectState;

/// What one relationship field of one object holds, read under its lock.
struct Held {
    related: Vec<Handle>,
    loaded: bool,
}

fn held(obj: &Handle, index: usize) -> Held {
    let mut out = Held {
        related: Vec::new(),
        loaded: false,
    };
    obj.with_relation(index, &mut |r| {
        out.related = r.related().into_iter().map(|h| h.0).collect();
        out.loaded = r.is_loaded();
    });
    out
}

/// The value of the column the foreign key `fk` of `child` references, on `parent`.
fn referenced_value(parent: &Handle, child: &MapperDef, fk: usize) -> Value {
    let class = parent.class();
    let column = child.columns[fk]
        .foreign_key
        .and_then(|target| target.split_once('.'))
        .map_or("id", |(_, column)| column);
    class
        .columns
        .iter()
        .position(|c| c.name == column)
        .map_or(Value::Null, |i| parent.current_values().swap_remove(i))
}

/// Writes `value` into the foreign key `fk` of `child` when it differs, marking it modified.
fn write_fk(child: &Handle, fk: usize, value: Value) -> Result<(), SessionError> {
    if child.current_values().get(fk) == Some(&value) {
        return Ok(());
    }
    crate::obj::store_modified(&**child, fk, value)
}

impl Session {
    /// The object of class `P` with key `key` in the identity map, without SQL.
    pub(crate) fn identity_get<P: Mapped + Send + Sync>(&self, key: Value) -> Option<Obj<P>> {
        let key = MapKey::new(P::MAPPER, vec![key]);
        let found = lock(&self.inner.objects).get(&key).cloned();
        found.and_then(|h| h.instance().downcast_ref::<Obj<P>>().cloned())
    }

    /// Save-update: the objects `obj`'s relationships hold join the session too.
    pub(crate) fn cascade_add(&self, obj: &Handle) -> Result<(), SessionError> {
        for (index, def) in obj.class().relationships.iter().enumerate() {
            if !def.cascade.save_update {
                continue;
            }
            for related in held(obj, index).related {
                if matches!(self.membership(&related), Membership::None) {
                    self.add_handle(&related)?;
                    self.cascade_add(&related)?;
                }
            }
        }
        Ok(())
    }

    /// The children of collection `index` of the persistent `parent`, loading it if needed.
    fn children(&self, parent: &Handle, index: usize) -> Result<Vec<Handle>, SessionError> {
        let now = held(parent, index);
        if now.loaded || parent.state().state() != ObjectState::Persistent {
            return Ok(now.related);
        }
        let def = &parent.class().relationships[index];
        let fk = def.foreign_key(parent.class())?;
        let key = referenced_value(parent, (def.target)(), fk);
        let mut loader = None;
        parent.with_relation(index, &mut |r| loader = Some(r.loader()));
        let Some(loader) = loader else {
            return Ok(Vec::new());
        };
        let children = loader(self, fk, &key)?;
        let handles: Vec<Handle> = children.iter().map(|h| Arc::clone(&h.0)).collect();
        let mut store = Some(children);
        parent.with_relation(index, &mut |r| {
            if let Some(children) = store.take() {
                r.store(children);
            }
        });
        Ok(handles)
    }

    /// Delete: the children of `parent`'s collections with `delete` cascade are deleted
    /// too (a pending one is expunged).
    pub(crate) fn cascade_delete(&self, parent: &Handle) -> Result<(), SessionError> {
        for (index, def) in parent.class().relationships.iter().enumerate() {
            if def.kind != RelationshipKind::OneToMany || !def.cascade.delete {
                continue;
            }
            for child in self.children(parent, index)? {
                self.delete_or_expunge(child)?;
            }
        }
        Ok(())
    }

    fn delete_or_expunge(&self, child: Handle) -> Result<(), SessionError> {
        if !matches!(self.membership(&child), Membership::Mine) {
            return Ok(());
        }
        if child.state().key.is_some() {
            self.delete_handle(&child)
        } else {
            self.forget(&child);
            self.detach_states(&[child], false);
            Ok(())
        }
    }

    /// The session's objects, new and persistent, not marked for deletion.
    fn live_objects(&self) -> Vec<Handle> {
        let objects = lock(&self.inner.objects);
        let deleted = objects.deleted.clone();
        (objects.new.iter().cloned())
            .chain(objects.persistent())
            .filter(|h| !deleted.iter().any(|d| d.addr() == h.addr()))
            .collect()
    }

    /// The flush's relationship work before the plan: delete-orphan, and NULL foreign keys
    /// for the children of deleted parents without delete cascade.
    pub(crate) fn prepare_relationships(&self) -> Result<(), SessionError> {
        let live = self.live_objects();
        for parent in &live {
            for (index, def) in parent.class().relationships.iter().enumerate() {
                let mut removed: Vec<RelatedHandle> = Vec::new();
                parent.with_relation(index, &mut |r| removed = r.take_removed());
                if !def.cascade.delete_orphan {
                    continue;
                }
                for orphan in removed {
                    if !has_parent(&live, def, &orphan) {
                        self.delete_or_expunge(orphan.0)?;
                    }
                }
            }
        }
        let deleted = lock(&self.inner.objects).deleted.clone();
        for parent in &deleted {
            for (index, def) in parent.class().relationships.iter().enumerate() {
                if def.kind != RelationshipKind::OneToMany || def.cascade.delete {
                    continue;
                }
                let fk = def.foreign_key(parent.class())?;
                for child in self.children(parent, index)? {
                    if !deleted.iter().any(|d| d.addr() == child.addr()) {
                        write_fk(&child, fk, Value::Null)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Before the batch of `class` is written: each object's foreign keys from its
    /// reference's parent and from the collections of the parents holding it, whose keys
    /// the earlier batches generated.
    pub(crate) fn sync_foreign_keys(
        &self,
        class: &'static MapperDef,
        batch: &[&Handle],
    ) -> Result<(), SessionError> {
        for obj in batch {
            for (index, def) in class.relationships.iter().enumerate() {
                if def.kind != RelationshipKind::ManyToOne {
                    continue;
                }
                if let Some(parent) = held(obj, index).related.first() {
                    let fk = def.foreign_key(class)?;
                    sync_one(parent, obj, class, fk)?;
                }
            }
        }
        for parent in self.live_objects() {
            for (index, def) in parent.class().relationships.iter().enumerate() {
                if def.kind != RelationshipKind::OneToMany || !(def.target)().same_class(class) {
                    continue;
                }
                let fk = def.foreign_key(parent.class())?;
                for child in held(&parent, index).related {
                    if batch.iter().any(|b| b.addr() == child.addr()) {
                        sync_one(&parent, &child, class, fk)?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The child's foreign key from the parent's key, once the parent has one.
fn sync_one(
    parent: &Handle,
    child: &Handle,
    class: &MapperDef,
    fk: usize,
) -> Result<(), SessionError> {
    let key = referenced_value(parent, class, fk);
    if key.is_null() {
        return Ok(());
    }
    write_fk(child, fk, key)
}

/// Whether a live object's relationship `def` (a collection) holds `child`.
fn has_parent(live: &[Handle], def: &RelationshipDef, child: &RelatedHandle) -> bool {
    live.iter().any(|parent| {
        let Some(index) = parent.class().relationships.iter().position(|r| r == def) else {
            return false;
        };
        let mut holds = false;
        parent.with_relation(index, &mut |r| holds = r.holds(child));
        holds
    })
}
