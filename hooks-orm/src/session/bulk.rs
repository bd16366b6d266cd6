//! The synchronization of loaded objects after an ORM UPDATE or DELETE (SQLAlchemy's
//! `synchronize_session`, `bulk_persistence.py`): which objects of the identity map the
//! statement matched, found in memory or by a SELECT of their keys, and what happens to them.

use std::collections::HashSet;
use std::sync::Arc;

use hooks_sql::{CursorResult, Params, Value};

use super::criteria::where_clause;
use super::fire::{self, Transition};
use super::identity::{self, MapKey};
use super::statement::{OrmKind, OrmParts, Ran};
use super::{Session, SessionError, lock};
use crate::instance::LoadContext;
use crate::obj::Handle;

/// How an ORM UPDATE or DELETE brings the objects already loaded in the session up to date
/// (SQLAlchemy's `synchronize_session`). Only objects of the statement's class in the
/// identity map are looked at; the others are loaded fresh anyway.
///
/// An UPDATE gives the matched objects the new values as their loaded state: they are not
/// dirty, their history shows no change. A DELETE makes the matched objects deleted, as a
/// flush would (`persistent_to_deleted`; the commit detaches them). As for any write, do not
/// hold an object's [`read`](crate::Obj::read) guard across the statement: synchronizing
/// writes the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Synchronize {
    /// [`Evaluate`](Synchronize::Evaluate) when the criteria can be evaluated in memory,
    /// else [`Fetch`](Synchronize::Fetch) (SQLAlchemy's default, `'auto'`).
    #[default]
    Auto,
    /// Evaluates the criteria on each loaded object's current values, before the statement
    /// runs. An object whose criteria columns are expired cannot be told: an UPDATE expires
    /// the columns it sets on it, a DELETE expires it whole, so the next read reloads the
    /// truth. Criteria with SQL text, or comparing a column with a value of another kind
    /// (which SQLite would convert: a text `'1'` for an `INTEGER` column), are
    /// [`SessionError::NotEvaluable`](crate::SessionError::NotEvaluable), whether or not
    /// objects are loaded; nothing runs then.
    Evaluate,
    /// Selects the primary keys the criteria match before the statement runs (one more
    /// `SELECT`), and synchronizes the loaded objects with those keys.
    Fetch,
    /// Leaves the loaded objects as they are: they may be stale until expired or refreshed.
    None,
}

/// The loaded objects a statement will touch.
#[derive(Default)]
pub(crate) struct Matched {
    /// They match the criteria.
    objects: Vec<Handle>,
    /// Their criteria columns are expired: cannot be told in memory.
    unknown: Vec<Handle>,
}

impl Session {
    /// An ORM UPDATE or DELETE: run (through `do_orm_execute`), then synchronized.
    pub(crate) fn run_bulk(
        &self,
        parts: OrmParts,
        synchronize: Synchronize,
    ) -> Result<CursorResult, SessionError> {
        Ok(self.run_bulk_parts(parts, synchronize)?.0)
    }

    /// As [`run_bulk`](Session::run_bulk), with the statement as the listeners left it.
    pub(crate) fn run_bulk_parts(
        &self,
        parts: OrmParts,
        synchronize: Synchronize,
    ) -> Result<(CursorResult, OrmParts), SessionError> {
        let mut matched = Matched::default();
        let (result, ran) = self.run_orm_with(parts, |session, parts| {
            matched = session.matched(parts, synchronize)?;
            Ok(())
        })?;
        match ran {
            Ran::Executed(parts) => {
                self.synchronize(&parts, &matched)?;
                Ok((result, parts))
            }
            Ran::Answered(parts) => Ok((result, parts)),
        }
    }

    /// The loaded objects of the statement's class the statement matches.
    fn matched(&self, parts: &OrmParts, synchronize: Synchronize) -> Result<Matched, SessionError> {
        let class = parts.class();
        let evaluable = parts
            .criteria
            .iter()
            .all(|c| c.unevaluable(class).is_none());
        match synchronize {
            Synchronize::None => Ok(Matched::default()),
            Synchronize::Evaluate => self
                .evaluate_matched(parts)
                .map_err(|reason| SessionError::NotEvaluable { reason }),
            Synchronize::Auto if evaluable => match self.evaluate_matched(parts) {
                Ok(matched) => Ok(matched),
                Err(_) => self.fetch_matched(parts),
            },
            Synchronize::Auto | Synchronize::Fetch => self.fetch_matched(parts),
        }
    }

    /// The loaded objects of the statement's class, in arrival order.
    fn loaded_of(&self, parts: &OrmParts) -> Vec<Handle> {
        let class = parts.class();
        lock(&self.inner.objects)
            .persistent()
            .into_iter()
            .filter(|h| h.class().same_class(class))
            .collect()
    }

    fn evaluate_matched(&self, parts: &OrmParts) -> Result<Matched, String> {
        let class = parts.class();
        if let Some(reason) = parts.criteria.iter().find_map(|c| c.unevaluable(class)) {
            return Err(reason);
        }
        let columns: Vec<usize> = parts
            .criteria
            .iter()
            .flat_map(super::Criterion::columns)
            .filter_map(|name| class.columns.iter().position(|c| c.name == name))
            .collect();
        let mut matched = Matched::default();
        for obj in self.loaded_of(parts) {
            if columns.iter().any(|c| obj.state().is_expired(*c)) {
                matched.unknown.push(obj);
                continue;
            }
            let row = obj.current_values();
            let mut all = true;
            for criterion in &parts.criteria {
                all &= criterion.matches(class, &row)?;
            }
            if all {
                matched.objects.push(obj);
            }
        }
        Ok(matched)
    }

    /// `SELECT <key> FROM <table> WHERE <criteria>`, before the statement runs.
    fn fetch_matched(&self, parts: &OrmParts) -> Result<Matched, SessionError> {
        let class = parts.class();
        let key: Vec<&str> = class.primary_key().collect();
        let (mut sql, mut params) = (
            format!("SELECT {} FROM {}", key.join(", "), class.table),
            Vec::new(),
        );
        where_clause(&parts.criteria, &mut sql, &mut params);
        let rows = self
            .connection()?
            .execute(sql.as_str(), Params::Positional(params))?;
        let keys: HashSet<MapKey> = rows
            .rows()
            .iter()
            .map(|row| MapKey::new(class, row.values().to_vec()))
            .collect();
        let objects = self
            .loaded_of(parts)
            .into_iter()
            .filter(|obj| MapKey::of(obj).is_some_and(|k| keys.contains(&k)))
            .collect();
        Ok(Matched {
            objects,
            unknown: Vec::new(),
        })
    }

    /// After the statement ran: the matched objects take its effect. An updated object's
    /// `refresh` names the columns the UPDATE set (SQLAlchemy fires it there with no query
    /// context; here the synchronization is a load run of its own); an object that could not
    /// be matched has them expired (`expire`).
    fn synchronize(&self, parts: &OrmParts, matched: &Matched) -> Result<(), SessionError> {
        match parts.kind {
            OrmKind::Update => {
                let columns = set_columns(parts);
                let names: Vec<&str> = (columns.iter())
                    .map(|(column, _)| parts.class().columns[*column].name)
                    .collect();
                let context = LoadContext::new(self);
                for obj in &matched.objects {
                    store_synchronized(obj, &columns);
                    crate::instance::refresh(&**obj, &context, Some(&names))?;
                }
                for obj in &matched.unknown {
                    {
                        let mut st = obj.state();
                        for (column, _) in &columns {
                            st.expire_column(*column);
                        }
                    }
                    crate::instance::expire(&**obj, Some(&names));
                }
            }
            OrmKind::Delete => {
                for obj in &matched.objects {
                    self.mark_deleted(obj);
                }
                for obj in &matched.unknown {
                    crate::instance::expire_all(&**obj);
                }
            }
            OrmKind::Select | OrmKind::Count => {}
        }
        Ok(())
    }

    /// The row is gone: the object leaves the identity map and becomes deleted, as a flush
    /// leaves it (SQLAlchemy's `_remove_newly_deleted`); for a flush's DELETE and a bulk one.
    pub(super) fn mark_deleted(&self, obj: &Handle) {
        {
            let mut objects = lock(&self.inner.objects);
            if let Some(key) = MapKey::of(obj) {
                objects.remove_identity(&key);
            }
            identity::remove(&mut objects.deleted, obj);
            objects.tx_deleted.push(Arc::clone(obj));
        }
        obj.state().deleted = true;
        fire::transition(self, Transition::PersistentToDeleted, obj);
    }
}

/// The UPDATE's values by column index.
fn set_columns(parts: &OrmParts) -> Vec<(usize, Value)> {
    let class = parts.class();
    parts
        .values
        .iter()
        .filter_map(|(name, value)| {
            class
                .columns
                .iter()
                .position(|c| c.name == *name)
                .map(|i| (i, value.clone()))
        })
        .collect()
}

/// The new values become the object's loaded state: stored, committed, neither modified nor
/// expired.
fn store_synchronized(obj: &Handle, columns: &[(usize, Value)]) {
    // A value that does not fit the field leaves that field as it was; expiring it makes
    // the next read load what the database holds.
    let stored = obj.store_loaded(columns).is_ok();
    let mut st = obj.state();
    st.commit_columns(columns, stored, || obj.current_values());
    for (column, _) in columns {
        st.modified.set(*column, false);
        st.expired.set(*column, !stored);
    }
}
