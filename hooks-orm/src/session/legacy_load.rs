//! Rows into objects for the SELECT paths ([`Session::select`], [`Session::execute_orm`] of
//! a `select`, [`Query`](crate::Query)), with the pre-1.0 `MapperEvents` at the points
//! SQLAlchemy's loader had them: `translate_row`, the identity lookup, `create_instance` and
//! `populate_instance` for a new object, `append_result`.

#![allow(deprecated, reason = "this file is where the pre-1.0 events fire")]

use hooks_sql::{Row, Value};

use super::identity::MapKey;
use super::{Session, SessionError, lock};
use crate::fire::mapper_dispatchers;
use crate::instance::LoadContext;
use crate::mapper::{Mapped, Mapper};
use crate::obj::{Obj, handle};
use crate::session::AnyInstance;

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
    rows: Vec<Row>,
) -> Result<Vec<Obj<T>>, SessionError> {
    let context = LoadContext::new(session);
    if listened(mapper) {
        return objects_listened(session, mapper, &context, rows);
    }
    lock(&session.inner.objects).reserve(rows.len());
    rows.into_iter()
        .map(|row| session.instance_from_row(row.into_values(), &context))
        .collect()
}

/// Whether any of the pre-1.0 loading events has a listener on `mapper`: only then does the
/// load keep each row after building its object, and each object boxed for `append_result`.
fn listened(mapper: &Mapper) -> bool {
    use crate::events::mapper_events::{
        append_result, create_instance, populate_instance, translate_row,
    };
    mapper_dispatchers(mapper).any(|events| {
        let raw = events.raw();
        raw.has_listeners::<translate_row>()
            || raw.has_listeners::<create_instance>()
            || raw.has_listeners::<populate_instance>()
            || raw.has_listeners::<append_result>()
    })
}

/// [`objects`] with the pre-1.0 loading events: `translate_row`, then the object, then
/// `append_result`, which may take the place of the default append.
fn objects_listened<T: Mapped + Send + Sync>(
    session: &Session,
    mapper: &Mapper,
    context: &QueryContext<'_>,
    rows: Vec<Row>,
) -> Result<Vec<Obj<T>>, SessionError> {
    let mut result: Vec<Box<AnyInstance>> = Vec::with_capacity(rows.len());
    for row in rows {
        let translated = mapper_dispatchers(mapper)
            .find_map(|events| events.translate_row(mapper, context, row.values()));
        let row = translated.unwrap_or_else(|| row.into_values());
        let obj = instance::<T>(session, mapper, context, row.clone())?;
        let stopped = mapper_dispatchers(mapper)
            .any(|events| events.append_result(mapper, context, &row, &obj, &mut result));
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
    row: Vec<Value>,
) -> Result<Obj<T>, SessionError> {
    let key = MapKey::of_row(T::MAPPER, &row)
        .filter(|key| !lock(&session.inner.objects).contains_key(key));
    let Some(key) = key else {
        // In the identity map, or a NULL key: the session's path (and its error).
        return session.instance_from_row(row, context);
    };
    let created = mapper_dispatchers(mapper)
        .find_map(|events| events.create_instance(mapper, context, &row, T::MAPPER));
    let (obj, created) = match created {
        Some(created) => (downcast::<T>(&*created, "create_instance")?, true),
        None => (Obj::built(T::from_values(row.clone())?), false),
    };
    let stopped = mapper_dispatchers(mapper)
        .any(|events| events.populate_instance(mapper, context, &row, &obj));
    let populate = stopped == EXT_CONTINUE;
    if created && populate {
        let columns: Vec<(usize, Value)> = row.into_iter().enumerate().collect();
        handle(&obj).store_loaded(&columns)?;
    }
    session.register_loaded(&obj, key, context)?;
    Ok(obj)
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
