//! Rows into objects for the SELECT paths ([`Session::select`], [`Session::execute_orm`] of
//! a `select`, [`Query`](crate::Query)), with the pre-1.0 `MapperEvents` at the points
//! SQLAlchemy's loader had them: `translate_row`, the identity lookup, `create_instance` and
//! `populate_instance` for a new object, `append_result`.

#![allow(deprecated, reason = "this file is where the pre-1.0 events fire")]

use std::sync::Arc;

use hooks_sql::{Row, Value};

use super::fire::{self, Transition};
use super::identity::MapKey;
use super::{Session, SessionError, lock};
use crate::fire::mapper_dispatchers;
use crate::instance::LoadContext;
use crate::mapper::{Mapped, Mapper};
use crate::obj::{Obj, handle};
use crate::session::AnyInstance;
use crate::state::IdentityKey;

/// A pre-1.0 listener's "go on" (SQLAlchemy's `EXT_CONTINUE`): `false` for the halting
/// `bool` events (`populate_instance`, `append_result`); `None` for those that answer
/// with a value.
pub const EXT_CONTINUE: bool = false;

/// A pre-1.0 listener's "stop here" (SQLAlchemy's `EXT_STOP`): `true` stops the chain and
/// skips the default step.
pub const EXT_STOP: bool = true;

/// What the pre-1.0 loading events get as their `context` (SQLAlchemy's `QueryContext`): the
/// same load run the instance events (`load`, `refresh`) see.
pub type QueryContext<'a> = LoadContext<'a>;

/// The objects of `rows` (all of `T`'s columns), in order, through the identity map.
pub(crate) fn objects<T: Mapped + Send + Sync>(
    session: &Session,
    mapper: &Mapper,
    rows: &[Row],
) -> Result<Vec<Obj<T>>, SessionError> {
    let context = LoadContext::new(session);
    let mut result: Vec<Box<AnyInstance>> = Vec::with_capacity(rows.len());
    for row in rows {
        let translated = mapper_dispatchers(mapper)
            .find_map(|events| events.translate_row(mapper, &context, row.values()));
        let row = translated.as_deref().unwrap_or(row.values());
        let obj = instance::<T>(session, mapper, &context, row)?;
        let stopped = mapper_dispatchers(mapper)
            .any(|events| events.append_result(mapper, &context, row, &obj, &mut result));
        if stopped == EXT_CONTINUE {
            result.push(Box::new(obj));
        }
    }
    result
        .into_iter()
        .map(|obj| downcast::<T>(&*obj, "append_result"))
        .collect()
}

/// The object of one row: the identity map's (its expired attributes filled), else a new
/// one: `create_instance` (a listener's object, or one built from the row), then
/// `populate_instance` (whose `EXT_STOP` leaves a listener's object as the listener made it).
fn instance<T: Mapped + Send + Sync>(
    session: &Session,
    mapper: &Mapper,
    context: &QueryContext<'_>,
    row: &[Value],
) -> Result<Obj<T>, SessionError> {
    let key = key_of::<T>(row).filter(|key| !lock(&session.inner.objects).contains_key(key));
    let Some(key) = key else {
        // In the identity map, or a NULL key: the session's path (and its error).
        return session.instance_from_row(row, context);
    };
    let created = mapper_dispatchers(mapper)
        .find_map(|events| events.create_instance(mapper, context, row, T::MAPPER));
    let (obj, created) = match created {
        Some(created) => (downcast::<T>(&*created, "create_instance")?, true),
        None => (Obj::built(T::from_values(row)?), false),
    };
    let stopped = mapper_dispatchers(mapper)
        .any(|events| events.populate_instance(mapper, context, row, &obj));
    let populate = stopped == EXT_CONTINUE;
    if created && populate {
        let columns: Vec<(usize, Value)> = row.iter().cloned().enumerate().collect();
        handle(&obj).store_loaded(&columns)?;
    }
    register::<T>(session, &obj, key, context)?;
    Ok(obj)
}

/// A new object joins the identity map under `key`, its row's (SQLAlchemy's `_instance` for
/// a new identity), its current values its committed state.
fn register<T: Mapped + Send + Sync>(
    session: &Session,
    obj: &Obj<T>,
    key: MapKey,
    context: &LoadContext<'_>,
) -> Result<(), SessionError> {
    let h = handle(obj);
    {
        let mut st = obj.state();
        st.key = Some(IdentityKey::new(T::MAPPER, key.values().to_vec()));
        st.session_id = Some(session.inner.id);
        st.commit_all(h.current_values());
        st.load_run = Some(context.run_id());
    }
    h.set_owner(Arc::downgrade(&session.inner));
    lock(&session.inner.objects).insert_identity(key, Arc::clone(&h));
    crate::instance::load(obj, context)?;
    fire::transition(session, Transition::LoadedAsPersistent, &h);
    Ok(())
}

/// The identity key of a row of all `T`'s columns; `None` when a key column is NULL.
fn key_of<T: Mapped>(row: &[Value]) -> Option<MapKey> {
    let pk: Vec<Value> = (T::MAPPER.columns.iter().zip(row))
        .filter(|(c, _)| c.primary_key)
        .map(|(_, v)| v.clone())
        .collect();
    let complete = pk.len() == T::MAPPER.primary_key().count() && !pk.iter().any(Value::is_null);
    complete.then(|| MapKey::new(T::MAPPER, pk))
}

fn downcast<T: Mapped + Send + Sync>(
    obj: &AnyInstance,
    from: &'static str,
) -> Result<Obj<T>, SessionError> {
    obj.downcast_ref::<Obj<T>>()
        .cloned()
        .ok_or(SessionError::WrongClass {
            expected: T::MAPPER.class_name,
            from,
        })
}
