//! The soft-delete recipe of SQLAlchemy's ORM events guide, on `do_orm_execute`: a deleted
//! note is not removed, its `deleted` flag is set; one listener on the session adds
//! `deleted = 0` to every SELECT of `Note` (2.0-style `select`, `Session::select` and the
//! legacy `Query` alike), so no load ever sees a deleted note, while SQL text and the other
//! classes are left alone. Shared by `examples/soft_delete/main.rs` and
//! `tests/example_soft_delete.rs`, so the test checks the code the example runs.

use hooks_orm::{Criterion, Mapped, Obj, Session, SessionError, session_events as se};

/// A mapped note; `deleted` is 1 once soft-deleted.
#[derive(Mapped, Debug, Clone, PartialEq)]
#[mapped(table = "notes")]
pub(crate) struct Note {
    /// The primary key.
    #[column(primary_key)]
    pub(crate) id: Option<i64>,
    /// The note's text.
    pub(crate) body: String,
    /// 1 when soft-deleted, else 0.
    pub(crate) deleted: i64,
}

/// A new, unsaved note.
pub(crate) fn note(body: &str) -> Obj<Note> {
    Obj::new(Note {
        id: None,
        body: body.into(),
        deleted: 0,
    })
}

/// Listens for `do_orm_execute` on `session`: every SELECT of `Note` gets `deleted = 0`.
///
/// # Errors
///
/// The listen error (none for a live session).
pub(crate) fn install(session: &Session) -> Result<(), hooks::Error> {
    se::do_orm_execute.listen(session, |state| {
        // `with_loader_criteria` only touches SELECTs of `Note`: updates, deletes, text and
        // other classes pass as they are. The column exists, so it cannot fail.
        let _ = state.with_loader_criteria(Note::MAPPER, Criterion::eq("deleted", 0));
        None
    })?;
    Ok(())
}

/// Soft-deletes the notes matching `criterion`: an ORM UPDATE setting `deleted = 1`, which
/// also synchronizes the notes already loaded.
///
/// # Errors
///
/// The UPDATE's errors.
pub(crate) fn soft_delete(session: &Session, criterion: Criterion) -> Result<u64, SessionError> {
    let result = session.execute_orm(
        hooks_orm::update::<Note>()
            .values([("deleted", 1)])
            .filter(criterion),
    )?;
    Ok(result.rowcount().unwrap_or(0))
}
