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

/// An object's identity: its class and primary key values (SQLAlchemy's identity key).
#[derive(Clone)]
pub struct IdentityKey {
    class: &'static MapperDef,
    primary_key: KeyValues,
}

impl PartialEq for IdentityKey {
    /// Same class (by name: a class is one `MapperDef` per process) and same values.
    fn eq(&self, other: &Self) -> bool {
        self.class_name() == other.class_name()
            && self.module_path() == other.module_path()
            && self.primary_key == other.primary_key
    }
}

impl fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityKey")
            .field("module_path", &self.module_path())
            .field("class_name", &self.class_name())
            .field("primary_key", &self.primary_key())
            .finish()
    }
}

/// A key's values: one inline (a load or a flush keys every object, and almost every key
/// has one column), or several.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum KeyValues {
    One(Value),
    /// Zero, two or more values (never one: equal keys are stored alike).
    Many(Vec<Value>),
}

impl KeyValues {
    pub(crate) fn as_slice(&self) -> &[Value] {
        match self {
            KeyValues::One(value) => std::slice::from_ref(value),
            KeyValues::Many(values) => values,
        }
    }
}

impl FromIterator<Value> for KeyValues {
    fn from_iter<I: IntoIterator<Item = Value>>(values: I) -> Self {
        let mut values = values.into_iter();
        let Some(first) = values.next() else {
            return KeyValues::Many(Vec::new());
        };
        match values.next() {
            None => KeyValues::One(first),
            Some(second) => KeyValues::Many([first, second].into_iter().chain(values).collect()),
        }
    }
}

impl IdentityKey {
    /// The key of `class` with these primary key values.
    pub fn new(class: &'static MapperDef, primary_key: Vec<Value>) -> Self {
        Self::of_values(class, primary_key.into_iter().collect())
    }

    pub(crate) fn of_values(class: &'static MapperDef, primary_key: KeyValues) -> Self {
        IdentityKey { class, primary_key }
    }

    /// The primary key values, in column order.
    pub fn primary_key(&self) -> &[Value] {
        self.primary_key.as_slice()
    }

    /// The mapped class's name (`User`).
    pub fn class_name(&self) -> &'static str {
        self.class.class_name
    }

    /// The module the class is declared in (`module_path!()`).
    pub fn module_path(&self) -> &'static str {
        self.class.module_path
    }
}

impl fmt::Display for IdentityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "({}::{}, {:?})",
            self.module_path(),
            self.class_name(),
            self.primary_key()
        )
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
    /// The column values as last loaded or flushed.
    pub(crate) committed: Committed,
    /// Per column: written since the last load or flush.
    pub(crate) modified: ColumnFlags,
    /// Per column: expired, to be reloaded on the next read.
    pub(crate) expired: ColumnFlags,
    /// The load run that last populated it (see [`LoadContext`](crate::LoadContext)).
    pub(crate) load_run: Option<u64>,
}

impl InstanceState {
    pub(crate) fn new(columns: usize) -> Self {
        InstanceState {
            session_id: None,
            key: None,
            deleted: false,
            committed: Committed::default(),
            modified: ColumnFlags::new(columns),
            expired: ColumnFlags::new(columns),
            load_run: None,
        }
    }

    /// The state of an object just built from its row: persistent under `key` in session
    /// `session_id`, its fields its committed state, populated by load run `load_run`.
    pub(crate) fn loaded(columns: usize, key: IdentityKey, session_id: u64, load_run: u64) -> Self {
        InstanceState {
            session_id: Some(session_id),
            key: Some(key),
            committed: Committed::current(),
            load_run: Some(load_run),
            ..InstanceState::new(columns)
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
        self.modified.any()
    }

    /// Whether column `column` is expired.
    pub fn is_expired(&self, column: usize) -> bool {
        self.expired.get(column)
    }

    /// Whether any column is expired.
    pub fn any_expired(&self) -> bool {
        self.expired.any()
    }

    /// The committed value of column `column`, if the object was loaded or flushed.
    pub fn committed_value(&self, column: usize) -> Option<&Value> {
        // Only the live state, behind the object's lock, goes without a copy: `Obj::inspect`
        // copies the values into the state it returns.
        self.committed.copy.as_ref()?.get(column)
    }

    /// The history of column `column`, given its `current` value.
    pub fn history(&self, column: usize, current: &Value) -> History {
        let unchanged = || History {
            unchanged: vec![current.clone()],
            ..History::default()
        };
        if self.committed.is_current() {
            return unchanged();
        }
        match self.committed_value(column) {
            None => History {
                added: vec![current.clone()],
                ..History::default()
            },
            Some(old) if !self.modified.get(column) || old == current => unchanged(),
            Some(old) => History {
                added: vec![current.clone()],
                unchanged: Vec::new(),
                deleted: vec![old.clone()],
            },
        }
    }

    /// After a load or a flush: the current values are the committed state, nothing is
    /// modified or expired.
    pub(crate) fn commit_all(&mut self) {
        self.modified.fill(false);
        self.expired.fill(false);
        self.committed = Committed::current();
    }

    /// After `columns` were read from the database: they are committed. `stored` tells
    /// whether the object's fields took them; `current` gives its values, for the copy of
    /// the committed state that is needed when they did not or when other columns changed.
    pub(crate) fn commit_columns(
        &mut self,
        columns: &[(usize, Value)],
        stored: bool,
        current: impl FnOnce() -> Vec<Value>,
    ) {
        if stored && self.committed.copy.is_none() {
            // The fields hold what the database does, and no other column was written since
            // the last load or flush (the first write copies the committed state).
            self.committed = Committed::current();
            return;
        }
        let committed = self.committed.values_mut(current);
        for (column, value) in columns {
            if let Some(slot) = committed.get_mut(*column) {
                slot.clone_from(value);
            }
        }
    }

    /// Column `column` is expired and its unflushed change discarded.
    pub(crate) fn expire_column(&mut self, column: usize) {
        self.expired.set(column, true);
        self.modified.set(column, false);
    }

    /// Expires every column and discards pending changes (SQLAlchemy's `_expire`).
    pub(crate) fn expire_all(&mut self) {
        self.modified.fill(false);
        self.expired.fill(true);
    }
}

/// An object's committed state: the column values as last loaded or flushed.
///
/// A load or a flush leaves the fields holding exactly those values, so it records that
/// instead of a copy; the first write since copies them (`obj::erased::keep_committed`),
/// which is when the history needs them apart.
#[derive(Debug, Clone, Default)]
pub(crate) struct Committed {
    /// Loaded or flushed at least once.
    known: bool,
    /// The values, copied before the first write since the last load or flush; `None` while
    /// the fields hold them.
    copy: Option<Vec<Value>>,
}

impl Committed {
    /// The fields' current values are the committed ones.
    pub(crate) fn current() -> Self {
        Committed {
            known: true,
            copy: None,
        }
    }

    /// Whether the fields hold the committed values (nothing was written since).
    pub(crate) fn is_current(&self) -> bool {
        self.known && self.copy.is_none()
    }

    /// The committed values as a copy of their own, taken from `current` unless there is one.
    pub(crate) fn values_mut(&mut self, current: impl FnOnce() -> Vec<Value>) -> &mut Vec<Value> {
        self.known = true;
        self.copy.get_or_insert_with(current)
    }
}

/// One flag per column, packed into bits: a class of up to 64 columns allocates nothing.
#[derive(Debug, Clone)]
pub(crate) struct ColumnFlags {
    len: usize,
    /// Columns 0–63.
    low: u64,
    /// Columns from 64 on, 64 per word.
    high: Vec<u64>,
}

impl ColumnFlags {
    fn new(len: usize) -> Self {
        ColumnFlags {
            len,
            low: 0,
            high: vec![0; len.saturating_sub(64).div_ceil(64)],
        }
    }

    /// The word holding `column`'s flag (0 = `low`, n = `high[n - 1]`) and its bit; `None`
    /// for a column the class does not have.
    fn place(&self, column: usize) -> Option<(usize, u64)> {
        (column < self.len).then(|| (column / 64, 1 << (column % 64)))
    }

    fn word(&self, index: usize) -> Option<u64> {
        match index {
            0 => Some(self.low),
            n => self.high.get(n - 1).copied(),
        }
    }

    fn word_mut(&mut self, index: usize) -> Option<&mut u64> {
        match index {
            0 => Some(&mut self.low),
            n => self.high.get_mut(n - 1),
        }
    }

    /// The flag of `column`; `false` for a column the class does not have.
    pub(crate) fn get(&self, column: usize) -> bool {
        self.place(column)
            .and_then(|(index, bit)| Some(self.word(index)? & bit != 0))
            .unwrap_or(false)
    }

    /// Sets the flag of `column`; nothing for a column the class does not have.
    pub(crate) fn set(&mut self, column: usize, on: bool) {
        let Some((index, bit)) = self.place(column) else {
            return;
        };
        if let Some(word) = self.word_mut(index) {
            if on {
                *word |= bit;
            } else {
                *word &= !bit;
            }
        }
    }

    /// Every column's flag set to `on`.
    pub(crate) fn fill(&mut self, on: bool) {
        let all = |n: usize| if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
        if !on {
            self.low = 0;
            self.high.iter_mut().for_each(|w| *w = 0);
            return;
        }
        self.low = all(self.len);
        let mut left = self.len.saturating_sub(64);
        for word in &mut self.high {
            *word = all(left);
            left = left.saturating_sub(64);
        }
    }

    /// Whether any column's flag is set.
    pub(crate) fn any(&self) -> bool {
        self.low != 0 || self.high.iter().any(|w| *w != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::ColumnFlags;

    #[test]
    fn column_flags_hold_one_bit_per_column_past_the_first_word() {
        for len in [0, 1, 63, 64, 65, 130] {
            let mut flags = ColumnFlags::new(len);
            assert!(!flags.any());
            for column in 0..len {
                flags.set(column, true);
                assert!(flags.get(column), "{len} columns: {column}");
                assert!((0..len).filter(|c| *c != column).all(|c| !flags.get(c)));
                flags.set(column, false);
            }
            flags.set(len, true);
            assert!(!flags.get(len) && !flags.any(), "{len}: no such column");
            flags.fill(true);
            assert!((0..len).all(|c| flags.get(c)) && !flags.get(len));
            assert_eq!(flags.any(), len > 0);
            flags.fill(false);
            assert!(!flags.any());
        }
    }
}
