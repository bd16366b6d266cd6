//! [`InstanceState`]: what the ORM knows about one mapped object (SQLAlchemy's
//! `InstanceState`, `orm/state.py`): which of the five states it is in, its identity key, the
//! column values last loaded or flushed, which attributes were written since and which are
//! expired, and the session it belongs to.

use std::fmt;

use hooks_sql::Value;

use crate::mapper::MapperDef;

/// The five states of a mapped object, derived as SQLAlchemy derives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectState {
    /// In no session, never flushed (no identity key).
    Transient,
    /// In a session, not flushed yet (no identity key).
    Pending,
    /// In a session, with an identity key: its row exists.
    Persistent,
    /// Its row was deleted by a flush; it leaves the session when the transaction ends.
    Deleted,
    /// Has an identity key, in no session.
    Detached,
}

/// An object's identity: its table and primary key values (SQLAlchemy's identity key).
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityKey {
    /// The mapped class's `module::Class`.
    pub class: String,
    /// The primary key values, in column order.
    pub primary_key: Vec<Value>,
}

impl IdentityKey {
    /// The key of `class` with these primary key values.
    pub fn new(class: &MapperDef, primary_key: Vec<Value>) -> Self {
        IdentityKey {
            class: qualified_name(class),
            primary_key,
        }
    }
}

/// [`MapperDef::qualified_name`] without the formatting machinery: every flushed or loaded
/// object gets a key, so this runs once per object.
fn qualified_name(class: &MapperDef) -> String {
    let mut name = String::with_capacity(class.module_path.len() + 2 + class.class_name.len());
    name.push_str(class.module_path);
    name.push_str("::");
    name.push_str(class.class_name);
    name
}

impl fmt::Display for IdentityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {:?})", self.class, self.primary_key)
    }
}

/// The history of one attribute since the object was last loaded or flushed
/// (SQLAlchemy's `History`): at most one value in each list, as for a scalar attribute.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    /// The value written since, if it differs from the committed one (or the object was
    /// never flushed).
    pub added: Vec<Value>,
    /// The current value, when it is the committed one.
    pub unchanged: Vec<Value>,
    /// The committed value the write replaced.
    pub deleted: Vec<Value>,
}

impl History {
    /// Whether the attribute changed: the UPDATE's SET list is the attributes that did.
    pub fn has_changes(&self) -> bool {
        !self.added.is_empty() || !self.deleted.is_empty()
    }
}

/// The ORM's bookkeeping for one object, read through [`Obj::inspect`](crate::Obj::inspect).
#[derive(Debug, Clone)]
pub struct InstanceState {
    pub(crate) session_id: Option<u64>,
    pub(crate) key: Option<IdentityKey>,
    /// The row was deleted by a flush (SQLAlchemy's `_deleted`).
    pub(crate) deleted: bool,
    /// The column values as last loaded or flushed; `None` before the first flush.
    pub(crate) committed: Option<Vec<Value>>,
    /// Per column: written since the last load or flush.
    pub(crate) modified: Vec<bool>,
    /// Per column: expired, to be reloaded on the next read.
    pub(crate) expired: Vec<bool>,
    /// The load run that last populated it (see [`LoadContext`](crate::LoadContext)).
    pub(crate) load_run: Option<u64>,
}

impl InstanceState {
    pub(crate) fn new(columns: usize) -> Self {
        InstanceState {
            session_id: None,
            key: None,
            deleted: false,
            committed: None,
            modified: vec![false; columns],
            expired: vec![false; columns],
            load_run: None,
        }
    }

    /// The id of the load run that last populated the object
    /// ([`LoadContext::run_id`](crate::LoadContext::run_id)); `None` if no load did.
    pub fn load_run(&self) -> Option<u64> {
        self.load_run
    }

    /// Which of the five states the object is in.
    pub fn state(&self) -> ObjectState {
        match (self.session_id.is_some(), self.key.is_some(), self.deleted) {
            (true, true, true) => ObjectState::Deleted,
            (true, true, false) => ObjectState::Persistent,
            (true, false, _) => ObjectState::Pending,
            (false, true, _) => ObjectState::Detached,
            (false, false, _) => ObjectState::Transient,
        }
    }

    /// Its identity key, once flushed or loaded.
    pub fn identity_key(&self) -> Option<&IdentityKey> {
        self.key.as_ref()
    }

    /// Whether any attribute was written since the last load or flush.
    pub fn is_modified(&self) -> bool {
        self.modified.iter().any(|m| *m)
    }

    /// Whether column `column` is expired.
    pub fn is_expired(&self, column: usize) -> bool {
        self.expired.get(column).copied().unwrap_or(false)
    }

    /// Whether any column is expired.
    pub fn any_expired(&self) -> bool {
        self.expired.iter().any(|e| *e)
    }

    /// The committed value of column `column`, if the object was loaded or flushed.
    pub fn committed_value(&self, column: usize) -> Option<&Value> {
        self.committed.as_ref().and_then(|c| c.get(column))
    }

    /// The history of column `column`, given its `current` value.
    pub fn history(&self, column: usize, current: &Value) -> History {
        let committed = self.committed_value(column);
        let modified = self.modified.get(column).copied().unwrap_or(false);
        match committed {
            None => History {
                added: vec![current.clone()],
                ..History::default()
            },
            Some(old) if !modified || old == current => History {
                unchanged: vec![current.clone()],
                ..History::default()
            },
            Some(old) => History {
                added: vec![current.clone()],
                unchanged: Vec::new(),
                deleted: vec![old.clone()],
            },
        }
    }

    /// After a load or a flush: `values` are the committed state, nothing is modified or
    /// expired.
    pub(crate) fn commit_all(&mut self, values: Vec<Value>) {
        self.modified.iter_mut().for_each(|m| *m = false);
        self.expired.iter_mut().for_each(|e| *e = false);
        self.committed = Some(values);
    }

    /// Expires every column and discards pending changes (SQLAlchemy's `_expire`).
    pub(crate) fn expire_all(&mut self) {
        self.modified.iter_mut().for_each(|m| *m = false);
        self.expired.iter_mut().for_each(|e| *e = true);
    }
}
