//! A real diesel `SqliteConnection` (bundled SQLite, in memory) with a
//! `HooksInstrumentation`: every event is recorded in order, and SQLite's
//! contents show the transactions did what the events say.

use std::sync::{Arc, Mutex};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use hooks_diesel::{
    DieselConnection, HooksInstrumentation, diesel_connection_events as events, target_of,
};

type Log = Arc<Mutex<Vec<String>>>;

fn push(log: &Log, entry: String) {
    log.lock().unwrap().push(entry);
}

/// Records every event of `target`, one line each.
fn record_all(target: &DieselConnection, log: &Log) {
    let l = Arc::clone(log);
    events::before_cursor_execute
        .listen(target, move |_, sql, binds| {
            push(&l, format!("before {sql} {binds}"));
        })
        .unwrap();
    let l = Arc::clone(log);
    events::after_cursor_execute
        .listen(target, move |_, sql, _| push(&l, format!("after {sql}")))
        .unwrap();
    let l = Arc::clone(log);
    events::handle_error
        .listen(target, move |_, sql, e| {
            push(&l, format!("handle_error {} {e}", sql.unwrap_or("-")));
        })
        .unwrap();
    let l = Arc::clone(log);
    events::begin
        .listen(target, move |_| push(&l, "begin".into()))
        .unwrap();
    let l = Arc::clone(log);
    events::commit
        .listen(target, move |_| push(&l, "commit".into()))
        .unwrap();
    let l = Arc::clone(log);
    events::rollback
        .listen(target, move |_| push(&l, "rollback".into()))
        .unwrap();
    let l = Arc::clone(log);
    events::savepoint
        .listen(target, move |_, depth| {
            push(&l, format!("savepoint {depth}"));
        })
        .unwrap();
    let l = Arc::clone(log);
    events::release_savepoint
        .listen(target, move |_, depth| {
            push(&l, format!("release_savepoint {depth}"));
        })
        .unwrap();
    let l = Arc::clone(log);
    events::rollback_savepoint
        .listen(target, move |_, depth| {
            push(&l, format!("rollback_savepoint {depth}"));
        })
        .unwrap();
}

/// An instrumented in-memory connection and its log.
fn connection() -> (SqliteConnection, Log) {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    conn.set_instrumentation(HooksInstrumentation::new());
    let log = Log::default();
    record_all(&target_of(&mut conn).unwrap(), &log);
    (conn, log)
}

fn names(conn: &mut SqliteConnection) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let rows: Vec<Name> = diesel::sql_query("SELECT name FROM t ORDER BY name")
        .load(conn)
        .unwrap();
    rows.into_iter().map(|n| n.name).collect()
}

#[test]
fn queries_transactions_and_savepoints_fire_in_diesels_order() {
    let (mut conn, log) = connection();
    conn.batch_execute("CREATE TABLE t (name TEXT)").unwrap();
    conn.transaction::<_, diesel::result::Error, _>(|c| {
        diesel::sql_query("INSERT INTO t (name) VALUES (?)")
            .bind::<Text, _>("a")
            .execute(c)?;
        c.transaction::<(), _, _>(|c| {
            diesel::sql_query("UPDATE t SET name = 'b'").execute(c)?;
            Err(diesel::result::Error::RollbackTransaction)
        })
        .unwrap_err();
        Ok(())
    })
    .unwrap();
    assert_eq!(
        *log.lock().unwrap(),
        [
            "before CREATE TABLE t (name TEXT) []",
            "after CREATE TABLE t (name TEXT)",
            "begin",
            "before BEGIN []",
            "after BEGIN",
            "before INSERT INTO t (name) VALUES (?) [\"a\"]",
            "after INSERT INTO t (name) VALUES (?)",
            "savepoint 2",
            "before SAVEPOINT diesel_savepoint_1 []",
            "after SAVEPOINT diesel_savepoint_1",
            "before UPDATE t SET name = 'b' []",
            "after UPDATE t SET name = 'b'",
            "rollback_savepoint 2",
            "before ROLLBACK TO SAVEPOINT diesel_savepoint_1 []",
            "after ROLLBACK TO SAVEPOINT diesel_savepoint_1",
            "commit",
            "before COMMIT []",
            "after COMMIT",
        ]
    );
    assert_eq!(
        names(&mut conn),
        ["a"],
        "the savepoint was rolled back, the transaction committed"
    );
}

#[test]
fn a_released_savepoint_and_a_rolled_back_transaction() {
    let (mut conn, log) = connection();
    conn.batch_execute("CREATE TABLE t (name TEXT)").unwrap();
    log.lock().unwrap().clear();
    let outer = conn.transaction::<(), _, _>(|c| {
        c.transaction::<_, diesel::result::Error, _>(|c| {
            diesel::sql_query("INSERT INTO t VALUES ('x')").execute(c)
        })?;
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(outer.is_err());
    assert!(
        names(&mut conn).is_empty(),
        "the whole transaction rolled back"
    );
    let transaction_events: Vec<String> = log
        .lock()
        .unwrap()
        .iter()
        .filter(|e| !e.starts_with("before") && !e.starts_with("after"))
        .cloned()
        .collect();
    assert_eq!(
        transaction_events,
        ["begin", "savepoint 2", "release_savepoint 2", "rollback"]
    );
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    _n: i64,
}

#[test]
fn a_failed_query_fires_handle_error_with_diesels_error() {
    let (mut conn, log) = connection();
    let seen = Arc::new(Mutex::new(None));
    let s = Arc::clone(&seen);
    events::handle_error
        .listen(&*target_of(&mut conn).unwrap(), move |_, _, e| {
            if let Some(diesel::result::Error::DatabaseError(_, info)) = e.downcast_ref() {
                *s.lock().unwrap() = Some(info.message().to_owned());
            }
        })
        .unwrap();
    let failed = diesel::sql_query("SELECT nope AS _n").load::<N>(&mut conn);
    assert!(failed.is_err());
    assert_eq!(
        *log.lock().unwrap(),
        [
            "before SELECT nope AS _n []",
            "handle_error SELECT nope AS _n no such column: nope"
        ]
    );
    assert_eq!(
        seen.lock().unwrap().as_deref(),
        Some("no such column: nope")
    );
}

#[test]
fn a_connection_without_hooks_instrumentation_has_no_target() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    assert!(target_of(&mut conn).is_none());
}
