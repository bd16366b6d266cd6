//! A lazy load autoflushes, as every load (SQLAlchemy's lazy loader runs its query with
//! autoflush): a child added to the session with its foreign key set by hand, not through the
//! collection, is flushed before the parent's collection loads, so the collection holds it;
//! with autoflush off the SELECT runs alone and does not see it. SQLite's statements are the
//! witness.

#[path = "relationships_common/mod.rs"]
mod relationships_common;

use hooks_orm::SessionOptions;
use relationships_common::*;

/// The first words of each statement the session's engine runs, while the guard lives.
fn statements(session: &Session) -> (Trace, hooks::ScopedListener) {
    let trace = Trace::default();
    let t = trace.clone();
    let guard = hooks_sql::connection_events::before_cursor_execute
        .listen(session.engine(), move |_, _, sql, _, _, _| {
            push(
                &t,
                sql.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
            );
        })
        .unwrap()
        .scoped();
    (trace, guard)
}

fn emails(user: &Obj<User>) -> Vec<String> {
    let items = user
        .collection::<Address>("addresses")
        .unwrap()
        .items()
        .unwrap();
    items
        .iter()
        .map(|a| a.read().unwrap().email.clone())
        .collect()
}

#[test]
fn the_collection_s_load_flushes_pending_children_first_unless_autoflush_is_off() {
    let (registry, session, _witness) = database("lazy_autoflush");
    session.add(&user("jack")).unwrap();
    session.commit().unwrap();

    for autoflush in [true, false] {
        let options = SessionOptions::new()
            .registry(&registry)
            .autoflush(autoflush);
        let fresh = Session::with_options(session.engine(), options);
        let jack = fresh.get::<User>(1).unwrap().unwrap();
        let by_hand = address(if autoflush { "flushed" } else { "pending" });
        by_hand.set_attr("user_id", 1).unwrap();
        fresh.add(&by_hand).unwrap();
        let (trace, _guard) = statements(&fresh);
        let found = emails(&jack);
        if autoflush {
            assert_eq!(found, ["flushed"]);
            assert_eq!(take(&trace), ["INSERT INTO addresses", "SELECT id, email,"]);
        } else {
            assert!(found.is_empty(), "{found:?}");
            assert_eq!(take(&trace), ["SELECT id, email,"]);
        }
        fresh.rollback().unwrap();
    }
}
