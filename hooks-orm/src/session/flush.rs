//! The unit-of-work flush, reduced from SQLAlchemy's `Session._flush`, `UOWTransaction`
//! and `persistence.py`: `before_flush`, the plan (per mapper: saves, then deletes in
//! reverse), per batch **all** `before_insert`/`before_update` before any statement, the
//! UPDATEs (changed columns only) then INSERTs (`last_insert_rowid` for a NULL integer key;
//! consecutive objects leaving out the same columns as one `executemany`, where SQLAlchemy
//! sends one statement per object on SQLite: each set's rowid keys its object),
//! **all** `after_insert`/`after_update` after them, the DELETE batches, `after_flush`, the
//! state transitions (`persistent_to_deleted`, `pending_to_persistent`),
//! `after_flush_postexec`. Any error rolls the transaction back and leaves the objects'
//! values as they were.

use std::cmp::Ordering as CmpOrdering;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use hooks_sql::{Connection, Params, Value};

use super::context::FlushContext;
use super::fire::{self, Persistence, Transition};
use super::identity::{self, GeneratedKey, MapKey};
use super::objects::key_clause;
use super::{Session, SessionError, lock};
use crate::mapper::{Mapper, MapperDef};
use crate::obj::Handle;
use crate::state::{IdentityKey, KeyValues};

/// One mapper's share of the flush.
struct Batch {
    mapper: Arc<Mapper>,
    inserts: Vec<Handle>,
    updates: Vec<Handle>,
    deletes: Vec<Handle>,
}

/// Clears the flushing flag when the flush returns, on every path.
struct Flushing<'a> {
    session: &'a Session,
}

impl Drop for Flushing<'_> {
    fn drop(&mut self) {
        self.session.inner.flushing.store(false, Ordering::Release);
    }
}

impl Session {
    /// Writes the pending, dirty and deleted objects to the database in the current
    /// transaction (autobegun if needed); see the module docs of `hooks_orm` for the events.
    /// The INSERTs of one class's new objects that leave out the same columns (the generated
    /// key, say) run as one `executemany`: Core's `before_cursor_execute` and
    /// `after_execute` fire once for them, with every parameter set, and each object's key
    /// is its set's rowid.
    ///
    /// # Errors
    ///
    /// [`SessionError::AlreadyFlushing`] from inside a flush; a `before_flush` listener's
    /// error (nothing ran); a persistence listener's, `after_flush`'s or a statement's error:
    /// the transaction is rolled back (`after_rollback`, pending objects become transient)
    /// and stays inactive until [`rollback`](Session::rollback).
    pub fn flush(&self) -> Result<(), SessionError> {
        if self.inner.flushing.swap(true, Ordering::AcqRel) {
            return Err(SessionError::AlreadyFlushing);
        }
        let _flushing = Flushing { session: self };
        if self.is_clean() {
            return Ok(());
        }
        let ctx = FlushContext { session: self };
        fire::before_flush(self, &ctx)?;
        self.prepare_relationships()?;
        let batches = self.plan()?;
        if batches.is_empty() {
            return Ok(());
        }
        let conn = self.connection()?;
        let mut undo = Vec::new();
        let outcome = execute_plan(&ctx, &conn, &batches, &mut undo)
            .and_then(|()| fire::after_flush(self, &ctx))
            .and_then(|()| {
                self.finalize(&batches);
                fire::after_flush_postexec(self, &ctx)
            });
        if let Err(error) = outcome {
            for key in undo.iter().rev() {
                key.take_back();
            }
            self.fail_flush();
            return Err(error);
        }
        lock(&self.inner.objects).tx_generated_keys.extend(undo);
        Ok(())
    }

    fn fail_flush(&self) {
        if let Some(transaction) = self.current_transaction() {
            transaction.fail_flush(self);
        }
    }

    /// Nothing is pending, dirty or deleted.
    pub(crate) fn is_clean(&self) -> bool {
        {
            let objects = lock(&self.inner.objects);
            if !objects.new.is_empty() || !objects.deleted.is_empty() {
                return false;
            }
        }
        self.dirty_handles().is_empty()
    }

    /// The batches, per mapper in class order: saves (new, then dirty by key) and deletes.
    fn plan(&self) -> Result<Vec<Batch>, SessionError> {
        let (new, deleted) = {
            let objects = lock(&self.inner.objects);
            (objects.new.clone(), objects.deleted.clone())
        };
        let mut dirty: Vec<Handle> = self
            .dirty_handles()
            .into_iter()
            .filter(|h| !identity::contains(&deleted, h))
            .collect();
        dirty.sort_by(compare_keys);
        let mut batches: Vec<Batch> = Vec::new();
        let all = new
            .iter()
            .map(|h| (h, 0))
            .chain(dirty.iter().map(|h| (h, 1)));
        for (obj, kind) in all.chain(deleted.iter().map(|h| (h, 2))) {
            let mapper = self.mapper_of(obj.class())?;
            let index = batches.iter().position(|b| Arc::ptr_eq(&b.mapper, &mapper));
            let index = index.unwrap_or_else(|| {
                batches.push(Batch {
                    mapper,
                    inserts: Vec::new(),
                    updates: Vec::new(),
                    deletes: Vec::new(),
                });
                batches.len() - 1
            });
            let batch = &mut batches[index];
            [&mut batch.inserts, &mut batch.updates, &mut batch.deletes][kind]
                .push(Arc::clone(obj));
        }
        batches.sort_by_key(|b| b.mapper.class().qualified_name());
        super::flush_order::sort(&mut batches, |b| b.mapper.class());
        Ok(batches)
    }

    /// SQLAlchemy's `finalize_flush_changes`: the deleted objects first
    /// (`persistent_to_deleted`), then the saved ones get their keys and committed state
    /// (`pending_to_persistent` for the inserted ones).
    fn finalize(&self, batches: &[Batch]) {
        for obj in batches.iter().flat_map(|b| &b.deletes) {
            self.mark_deleted(obj);
        }
        // The newly keyed objects join the identity map and leave the pending list in one
        // pass after the loop (nothing fires inside it): one `retain` per object made a flush
        // of n objects O(n²).
        let inserts = batches.iter().map(|b| b.inserts.len()).sum();
        let mut keyed: Vec<(MapKey, Handle)> = Vec::with_capacity(inserts);
        for obj in batches
            .iter()
            .flat_map(|b| b.inserts.iter().chain(&b.updates))
        {
            let key = IdentityKey::of_values(obj.class(), primary_key(obj, obj.current_values()));
            let mut st = obj.state();
            st.commit_all();
            if st.key.is_none() {
                st.key = Some(key.clone());
                drop(st);
                keyed.push((MapKey::from(key), Arc::clone(obj)));
            } else {
                st.key = Some(key);
            }
        }
        if !keyed.is_empty() {
            let addresses: HashSet<usize> = keyed.iter().map(|(_, obj)| obj.addr()).collect();
            let mut objects = lock(&self.inner.objects);
            objects.reserve(keyed.len());
            objects.new.retain(|h| !addresses.contains(&h.addr()));
            for (key, obj) in keyed {
                objects.tx_inserted.push(Arc::clone(&obj));
                objects.insert_identity(key, obj);
            }
        }
        for obj in batches.iter().flat_map(|b| &b.inserts) {
            fire::transition(self, Transition::PendingToPersistent, obj);
        }
    }
}

/// The saves per mapper, parents first, each batch's foreign keys synced from its parents'
/// keys first; then the deletes in reverse order.
fn execute_plan(
    ctx: &FlushContext<'_>,
    conn: &Connection,
    batches: &[Batch],
    undo: &mut Vec<GeneratedKey>,
) -> Result<(), SessionError> {
    for batch in batches {
        let saved: Vec<&Handle> = batch.inserts.iter().chain(&batch.updates).collect();
        ctx.session
            .sync_foreign_keys(batch.mapper.class(), &saved)?;
        save_batch(ctx, conn, batch, undo)?;
    }
    for batch in batches.iter().rev() {
        delete_batch(conn, batch)?;
    }
    Ok(())
}

fn primary_key(obj: &Handle, values: Vec<Value>) -> KeyValues {
    (obj.class().columns.iter().zip(values))
        .filter(|(c, _)| c.primary_key)
        .map(|(_, value)| value)
        .collect()
}

/// The committed key of a persistent object (what its row is found by).
fn committed_key(obj: &Handle) -> Vec<Value> {
    obj.state()
        .key
        .as_ref()
        .map(|k| k.primary_key().to_vec())
        .unwrap_or_default()
}

fn compare_keys(a: &Handle, b: &Handle) -> CmpOrdering {
    let (ka, kb) = (committed_key(a), committed_key(b));
    for (x, y) in ka.iter().zip(&kb) {
        let order = match (x, y) {
            (Value::Integer(x), Value::Integer(y)) => x.cmp(y),
            (Value::Text(x), Value::Text(y)) => x.cmp(y),
            (Value::Real(x), Value::Real(y)) => x.total_cmp(y),
            _ => x.type_name().cmp(y.type_name()),
        };
        if order != CmpOrdering::Equal {
            return order;
        }
    }
    CmpOrdering::Equal
}

/// SQLAlchemy's `_save_obj` for one mapper: every `before_insert`, then every
/// `before_update`, then the UPDATEs, the INSERTs, then every `after_insert` and
/// `after_update`.
fn save_batch(
    ctx: &FlushContext<'_>,
    conn: &Connection,
    batch: &Batch,
    undo: &mut Vec<GeneratedKey>,
) -> Result<(), SessionError> {
    let mapper = &*batch.mapper;
    for obj in &batch.inserts {
        fire::persistence(Persistence::BeforeInsert, mapper, conn, obj)?;
    }
    for obj in &batch.updates {
        fire::persistence(Persistence::BeforeUpdate, mapper, conn, obj)?;
    }
    for obj in &batch.updates {
        update_row(conn, obj)?;
    }
    insert_rows(ctx, conn, &batch.inserts, undo)?;
    for obj in &batch.inserts {
        fire::persistence(Persistence::AfterInsert, mapper, conn, obj)?;
    }
    for obj in &batch.updates {
        fire::persistence(Persistence::AfterUpdate, mapper, conn, obj)?;
    }
    Ok(())
}

/// One object's INSERT before it runs: its values but the columns left to the database,
/// a NULL key column, which the database generates (`last_insert_rowid`, written back onto
/// the object), and NULL columns with a server default, which it fills and `RETURNING`
/// reads back (`refresh_flush`).
struct InsertRow<'a> {
    obj: &'a Handle,
    params: Vec<Value>,
    /// The key column the database generates.
    generated: Option<usize>,
    /// The columns a server default fills, read back by `RETURNING`.
    defaulted: Vec<usize>,
}

impl<'a> InsertRow<'a> {
    fn of(obj: &'a Handle) -> Result<Self, SessionError> {
        let class = obj.class();
        let values = obj.current_values();
        let mut row = InsertRow {
            obj,
            params: Vec::new(),
            generated: None,
            defaulted: Vec::new(),
        };
        for (i, (column, value)) in class.columns.iter().zip(&values).enumerate() {
            if !value.is_null() {
                continue;
            }
            if column.primary_key {
                row.generated = Some(i);
            } else if column.server_default.is_some() {
                row.defaulted.push(i);
            }
        }
        row.params = if row.generated.is_none() && row.defaulted.is_empty() {
            values
        } else {
            (values.into_iter().enumerate())
                .filter(|(i, _)| !row.leaves_out(*i))
                .map(|(_, value)| value)
                .collect()
        };
        // Only a lone integer key is a rowid SQLite generates.
        if row.generated.is_some() && class.primary_key().count() != 1 {
            return Err(SessionError::NullIdentityKey {
                class: class.class_name,
            });
        }
        Ok(row)
    }

    /// Whether the statement leaves column `column` to the database.
    fn leaves_out(&self, column: usize) -> bool {
        Some(column) == self.generated || self.defaulted.contains(&column)
    }

    /// Per column: whether the statement leaves it to the database.
    fn left_out(&self) -> Vec<bool> {
        (0..self.obj.class().columns.len())
            .map(|i| self.leaves_out(i))
            .collect()
    }

    /// Whether this row and `next` can share one `executemany`: the same statement, and no
    /// `RETURNING`, whose rows an `executemany` does not keep.
    fn batches_with(&self, next: &InsertRow<'_>) -> bool {
        self.generated == next.generated && self.defaulted.is_empty() && next.defaulted.is_empty()
    }

    /// Writes the generated key back onto the object, remembering it for a rollback.
    fn store_key(&self, rowid: i64, undo: &mut Vec<GeneratedKey>) -> Result<(), SessionError> {
        if let Some(column) = self.generated {
            self.obj.store_loaded(&[(column, Value::Integer(rowid))])?;
            undo.push(GeneratedKey {
                obj: Arc::clone(self.obj),
                column,
            });
        }
        Ok(())
    }
}

/// The INSERTs of a batch, in order. Consecutive objects leaving out the same columns run as
/// one `executemany` (one statement's events, one prepared statement), whose result tells
/// each set's rowid; an object whose server defaults `RETURNING` reads back runs alone.
fn insert_rows(
    ctx: &FlushContext<'_>,
    conn: &Connection,
    objects: &[Handle],
    undo: &mut Vec<GeneratedKey>,
) -> Result<(), SessionError> {
    let mut rows = objects
        .iter()
        .map(InsertRow::of)
        .collect::<Result<Vec<_>, _>>()?;
    let mut text = InsertText::default();
    for run in rows.chunk_by_mut(|a, b| a.batches_with(b)) {
        let sql = text.for_row(&run[0]);
        match run {
            [row] => insert_one(ctx, conn, sql, row, undo)?,
            _ => insert_many(conn, sql, run, undo)?,
        }
    }
    Ok(())
}

/// The INSERT text of the last run, by the columns it left to the database: one class's
/// objects mostly leave the same ones, so the text is built once per batch, even for objects
/// whose `RETURNING` makes each a statement of its own.
#[derive(Default)]
struct InsertText {
    /// Per column: left out; empty before the first run.
    left_out: Vec<bool>,
    sql: String,
}

impl InsertText {
    fn for_row(&mut self, row: &InsertRow<'_>) -> &str {
        let left_out = row.left_out();
        if self.left_out.is_empty() || self.left_out != left_out {
            self.sql = insert_sql(row.obj.class(), &left_out);
            self.left_out = left_out;
        }
        &self.sql
    }
}

/// `INSERT INTO t (a, b) VALUES (?, ?)` of the columns not left out (`DEFAULT VALUES` if
/// none), `RETURNING` those left out for a server default.
fn insert_sql(class: &MapperDef, left_out: &[bool]) -> String {
    let names: Vec<&str> = (class.columns.iter().zip(left_out))
        .filter(|(_, out)| !**out)
        .map(|(c, _)| c.name)
        .collect();
    let mut sql = if names.is_empty() {
        format!("INSERT INTO {} DEFAULT VALUES", class.table)
    } else {
        let marks = vec!["?"; names.len()].join(", ");
        format!(
            "INSERT INTO {} ({}) VALUES ({marks})",
            class.table,
            names.join(", ")
        )
    };
    let returned: Vec<&str> = (class.columns.iter().zip(left_out))
        .filter(|(c, out)| **out && !c.primary_key)
        .map(|(c, _)| c.name)
        .collect();
    if !returned.is_empty() {
        sql = format!("{sql} RETURNING {}", returned.join(", "));
    }
    sql
}

/// The INSERT of one object, reading back its generated key and server defaults.
fn insert_one(
    ctx: &FlushContext<'_>,
    conn: &Connection,
    sql: &str,
    row: &mut InsertRow<'_>,
    undo: &mut Vec<GeneratedKey>,
) -> Result<(), SessionError> {
    let class = row.obj.class();
    let params = std::mem::take(&mut row.params);
    let result = conn.execute(sql, Params::Positional(params))?;
    row.store_key(result.last_insert_rowid(), undo)?;
    if let Some(values) = result.first().filter(|_| !row.defaulted.is_empty()) {
        let fetched: Vec<(usize, Value)> = (row.defaulted.iter().copied())
            .zip(values.values().iter().cloned())
            .collect();
        row.obj.store_loaded(&fetched)?;
        undo.extend(row.defaulted.iter().map(|&column| GeneratedKey {
            obj: Arc::clone(row.obj),
            column,
        }));
        let returned: Vec<&str> = (row.defaulted.iter())
            .map(|c| class.columns[*c].name)
            .collect();
        crate::instance::refresh_flush(&**row.obj, ctx, &returned);
    }
    Ok(())
}

/// The INSERTs of objects leaving out the same columns, as one `executemany`; each set's
/// rowid is its object's generated key. A `do_executemany` listener that ran the statement
/// itself leaves no rowids: the keys are unknown, which is an error (the flush rolls back).
fn insert_many(
    conn: &Connection,
    sql: &str,
    run: &mut [InsertRow<'_>],
    undo: &mut Vec<GeneratedKey>,
) -> Result<(), SessionError> {
    let class = run[0].obj.class();
    let sets = (run.iter_mut())
        .map(|row| Params::Positional(std::mem::take(&mut row.params)))
        .collect();
    let result = conn.execute_many(sql, sets)?;
    if run[0].generated.is_none() {
        return Ok(());
    }
    let rowids = result.rowids_per_set();
    if rowids.len() != run.len() {
        return Err(SessionError::NullIdentityKey {
            class: class.class_name,
        });
    }
    for (row, &rowid) in run.iter().zip(rowids) {
        row.store_key(rowid, undo)?;
    }
    Ok(())
}

/// The UPDATE of one object: the columns whose history has changes, none if none did.
fn update_row(conn: &Connection, obj: &Handle) -> Result<(), SessionError> {
    let class = obj.class();
    let values = obj.current_values();
    let (names, mut params): (Vec<String>, Vec<Value>) = {
        let st = obj.state();
        (class.columns.iter().zip(&values).enumerate())
            .filter(|(i, (_, v))| st.history(*i, v).has_changes())
            .map(|(_, (c, v))| (format!("{} = ?", c.name), v.clone()))
            .unzip()
    };
    if names.is_empty() {
        return Ok(());
    }
    params.extend(committed_key(obj));
    let sql = format!(
        "UPDATE {} SET {} WHERE {}",
        class.table,
        names.join(", "),
        key_clause(class)
    );
    let result = conn.execute(sql.as_str(), Params::Positional(params))?;
    check_matched(result.rowcount(), "UPDATE", class.table)
}

fn check_matched(
    rowcount: Option<u64>,
    statement: &'static str,
    table: &'static str,
) -> Result<(), SessionError> {
    match rowcount {
        Some(1) | None => Ok(()),
        Some(matched) => Err(SessionError::StaleData {
            statement,
            table,
            matched,
        }),
    }
}

/// SQLAlchemy's `_delete_obj` for one mapper: every `before_delete`, the DELETEs, every
/// `after_delete`.
fn delete_batch(conn: &Connection, batch: &Batch) -> Result<(), SessionError> {
    let mapper = &*batch.mapper;
    for obj in &batch.deletes {
        fire::persistence(Persistence::BeforeDelete, mapper, conn, obj)?;
    }
    for obj in &batch.deletes {
        let class = obj.class();
        let sql = format!("DELETE FROM {} WHERE {}", class.table, key_clause(class));
        let result = conn.execute(sql.as_str(), Params::Positional(committed_key(obj)))?;
        check_matched(result.rowcount(), "DELETE", class.table)?;
    }
    for obj in &batch.deletes {
        fire::persistence(Persistence::AfterDelete, mapper, conn, obj)?;
    }
    Ok(())
}
