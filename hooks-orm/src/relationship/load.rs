//! The lazy loads of relationships: a collection by its children's foreign key, through the
//! session's connection, the rows going through the identity map.

use hooks_sql::{Params, Value};

use super::RelatedHandle;
use crate::mapper::Mapped;
use crate::obj::{Obj, handle};
use crate::session::{Session, SessionError};

/// The lazy load of a collection with the child class erased: what a [`Relation`](super::Relation) gives
/// the session's cascades.
pub type ErasedLoader = fn(&Session, usize, &Value) -> Result<Vec<RelatedHandle>, SessionError>;

/// The children of class `C` whose column `fk` holds `parent_key`, in primary-key order
/// (SQLAlchemy's lazy loader: `SELECT … WHERE addresses.user_id = ?`).
pub(crate) fn load_children<C: Mapped + Send + Sync>(
    session: &Session,
    fk: usize,
    parent_key: &Value,
) -> Result<Vec<Obj<C>>, SessionError> {
    let class = C::MAPPER;
    let columns: Vec<&str> = class.columns.iter().map(|c| c.name).collect();
    let order: Vec<&str> = class.primary_key().collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE {} = ? ORDER BY {}",
        columns.join(", "),
        class.table,
        class.columns[fk].name,
        order.join(", ")
    );
    let result = session
        .connection()?
        .execute(sql.as_str(), Params::Positional(vec![parent_key.clone()]))?;
    let context = crate::LoadContext::new(session);
    result
        .into_rows()
        .into_iter()
        .map(|row| session.instance_from_row::<C>(row.into_values(), &context))
        .collect()
}

pub(crate) fn load_children_erased<C: Mapped + Send + Sync>(
    session: &Session,
    fk: usize,
    parent_key: &Value,
) -> Result<Vec<RelatedHandle>, SessionError> {
    Ok(load_children::<C>(session, fk, parent_key)?
        .iter()
        .map(|o| RelatedHandle(handle(o)))
        .collect())
}

/// A reference loads through [`Session::get`], typed: nothing to load erased.
#[allow(clippy::unnecessary_wraps, reason = "an `ErasedLoader`")]
pub(crate) fn load_nothing(
    _: &Session,
    _: usize,
    _: &Value,
) -> Result<Vec<RelatedHandle>, SessionError> {
    Ok(Vec::new())
}
