//! A session's transactions on SQLite: autobegin, a write, a SAVEPOINT rolled back, a commit,
//! then a rollback with a SAVEPOINT still open; every session event printed as it fires,
//! with the Core events and SQL underneath, and the committed rows at the end.
//!
//! `cargo run -p hooks-orm --example session_events`

use hooks_orm::{Session, SessionError, SessionFactory, SessionTransaction, session_events as se};
use hooks_sql::{connection_events as ce, create_engine};

fn kind(tx: &SessionTransaction) -> &'static str {
    if tx.nested() { "nested" } else { "root" }
}

// A static listener on every session: checked at compile time, collected by the linker.
#[hooks::listens_for(Session, "after_transaction_create")]
fn created(_session: &Session, transaction: &SessionTransaction) {
    println!("  after_transaction_create  {}", kind(transaction));
}

fn listen_session(factory: &SessionFactory) -> Result<(), hooks::Error> {
    se::after_transaction_end.listen(factory, |_, tx| {
        println!("  after_transaction_end     {}", kind(tx));
    })?;
    se::after_begin.listen(factory, |_, tx, _conn| {
        println!("  after_begin               {}", kind(tx));
        Ok(())
    })?;
    se::before_commit.listen(factory, |_| {
        println!("  before_commit");
        Ok(())
    })?;
    se::after_commit.listen(factory, |_| println!("  after_commit"))?;
    se::after_rollback.listen(factory, |_| println!("  after_rollback"))?;
    se::after_soft_rollback.listen(factory, |_, tx| {
        println!("  after_soft_rollback       {}", kind(tx));
    })?;
    Ok(())
}

fn listen_core(engine: &hooks_sql::Engine) -> Result<(), hooks::Error> {
    ce::begin.listen(engine, |_| println!("    [core] begin"))?;
    ce::commit.listen(engine, |_| println!("    [core] commit"))?;
    ce::rollback.listen(engine, |_| println!("    [core] rollback"))?;
    ce::before_cursor_execute.listen(engine, |_, _, statement, _, _, _| {
        println!("    [core] {statement}");
    })?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = create_engine("sqlite://")?;
    let setup = engine.connect()?;
    setup.exec_driver_sql("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)", ())?;
    setup.commit()?;
    setup.close();
    let factory = SessionFactory::new(&engine);
    listen_session(&factory)?;
    listen_core(&engine)?;
    let session = factory.session();
    let insert = |name: &str| -> Result<(), SessionError> {
        session
            .execute(format!("INSERT INTO users (name) VALUES ('{name}')"), ())
            .map(drop)
    };

    println!("insert u1 (autobegin):");
    insert("u1")?;
    println!("begin_nested, insert u2, roll the savepoint back:");
    let savepoint = session.begin_nested()?;
    insert("u2")?;
    savepoint.rollback()?;
    println!("commit:");
    session.commit()?;
    println!("insert u3 inside a savepoint, then roll everything back:");
    session.begin_nested()?;
    insert("u3")?;
    session.rollback()?;

    println!("read back (a new transaction), close:");
    let names = session.execute("SELECT name FROM users ORDER BY id", ())?;
    session.close()?;
    let names: Vec<String> = names
        .rows()
        .iter()
        .map(|row| row.get::<String>(0))
        .collect::<Result<_, _>>()?;
    println!("committed rows: {names:?}");
    assert_eq!(names, ["u1"]);
    Ok(())
}
