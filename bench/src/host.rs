//! Case 5, the host: a small prepared statement executed through `hooks-sql`'s `Connection`
//! with 0, 1 and 10 `before_cursor_execute` listeners, against raw `rusqlite` doing the same.
//!
//! Both halves are measured in the same round-robin run; [`PENDING`] switches the report to
//! "pending hooks-sql" should the host half have to be taken out again.

use std::hint::black_box;

use crate::harness::{Case, time};

/// The statement both halves execute: one parameter, one row, one column.
pub const SQL: &str = "SELECT ?1 + 1";

/// Why the `hooks-sql` half is not measured, or `None` once [`host_cases`] measures it.
pub const PENDING: Option<&str> = None;

/// Raw `rusqlite`: the statement from the statement cache (`prepare_cached`), and freshly
/// prepared each time (`prepare`, what a host that does not cache statements pays).
///
/// # Panics
///
/// If SQLite cannot open an in-memory database (the cases panic too if the statement fails).
pub fn raw_cases() -> Vec<Case> {
    let cached = rusqlite::Connection::open_in_memory().expect("in-memory SQLite");
    let fresh = rusqlite::Connection::open_in_memory().expect("in-memory SQLite");
    vec![
        Case::new("host/raw-rusqlite/prepare_cached", move |iters| {
            time(iters, || {
                let mut stmt = cached.prepare_cached(SQL).expect("prepare");
                let v: i64 = stmt
                    .query_row([black_box(7_i64)], |row| row.get(0))
                    .expect("query");
                black_box(v);
            })
        }),
        Case::new("host/raw-rusqlite/prepare", move |iters| {
            time(iters, || {
                let mut stmt = fresh.prepare(SQL).expect("prepare");
                let v: i64 = stmt
                    .query_row([black_box(7_i64)], |row| row.get(0))
                    .expect("query");
                black_box(v);
            })
        }),
    ]
}

/// The `hooks-sql` half: `Connection::exec_driver_sql` of the same statement on an in-memory
/// engine with 0, 1 and 10 trivial (non-`retval`) `before_cursor_execute` listeners on the
/// engine, fired through the connection's joined dispatch as SQLAlchemy does.
///
/// The host takes the statement from its per-connection statement cache, so the report compares
/// it with the raw `prepare_cached` case (the code a user would write by hand).
///
/// # Panics
///
/// If the engine cannot be created or a listener added (the cases panic too if the statement
/// fails).
pub fn host_cases() -> Vec<Case> {
    use hooks_sql::{Value, connection_events, create_engine};
    let mut cases = Vec::new();
    for n in [0_u64, 1, 10] {
        let engine = create_engine("sqlite://").expect("in-memory engine");
        for k in 0..n {
            let _handle = connection_events::before_cursor_execute
                .listen(
                    &engine,
                    move |_conn, _cursor, sql, _params, _context, _many| {
                        black_box(sql.len() as u64 ^ k);
                    },
                )
                .expect("listen");
        }
        let conn = engine.connect().expect("connect");
        cases.push(Case::new(format!("host/hooks-sql/{n}"), move |iters| {
            time(iters, || {
                let result = conn
                    .exec_driver_sql(SQL, vec![Value::Integer(black_box(7))])
                    .expect("execute");
                black_box(result);
            })
        }));
    }
    cases
}
