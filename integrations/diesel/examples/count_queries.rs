//! Count and log every query of a diesel app with one listener of one line,
//! and assert how many statements a piece of code runs (Django's
//! `assertNumQueries`).
//!
//! `cargo run --example count_queries` (in `integrations/diesel`)

use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use hooks_diesel::DieselConnection;

static QUERIES: AtomicUsize = AtomicUsize::new(0);

#[hooks::listens_for(DieselConnection, "after_cursor_execute")]
fn count(_: &DieselConnection, statement: &str, parameters: &str) {
    println!(
        "query {}: {statement} {parameters}",
        QUERIES.fetch_add(1, Ordering::Relaxed) + 1
    );
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Runs `f` and checks it ran exactly `expected` statements.
fn assert_num_queries<R>(expected: usize, f: impl FnOnce() -> R) -> R {
    let before = QUERIES.load(Ordering::Relaxed);
    let result = f();
    let ran = QUERIES.load(Ordering::Relaxed) - before;
    assert_eq!(ran, expected, "expected {expected} statements, ran {ran}");
    result
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    hooks_diesel::install_default()?; // every connection from now on fires
    let mut conn = SqliteConnection::establish(":memory:")?;
    conn.batch_execute("CREATE TABLE users (name TEXT NOT NULL)")?;

    // BEGIN, two INSERTs, COMMIT: diesel runs its transaction statements as queries.
    assert_num_queries(4, || {
        conn.transaction::<_, diesel::result::Error, _>(|c| {
            for name in ["ada", "grace"] {
                diesel::sql_query("INSERT INTO users (name) VALUES (?)")
                    .bind::<Text, _>(name)
                    .execute(c)?;
            }
            Ok(())
        })
    })?;
    let users = assert_num_queries(1, || {
        diesel::sql_query("SELECT count(*) AS n FROM users").get_result::<Count>(&mut conn)
    })?;
    assert_eq!(users.n, 2);
    println!("{} queries in all", QUERIES.load(Ordering::Relaxed));
    assert_eq!(QUERIES.load(Ordering::Relaxed), 6);
    Ok(())
}
