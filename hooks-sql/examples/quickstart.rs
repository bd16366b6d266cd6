//! The tour: an engine on a SQLite file, listeners registered both with
//! `#[hooks::listens_for]` and at runtime, tables created, statements run in
//! transactions, an error handled, the pool disposed and a table reflected,
//! with a readable trace of every event that fired.
//!
//! `cargo run -p hooks-sql --example quickstart`
// The runtime listeners live as long as their targets (the engine, the
// metadata, the process); their handles would only be needed to remove them.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use hooks::Modifiers;
use hooks_sql::schema::SchemaEventTarget;
use hooks_sql::{
    Column, ColumnType, Connection, ConnectionRecord, DbapiConnection, Engine, Error,
    ExecutionOptions, MetaData, Table, UniqueConstraint, connection_events as conn_ev,
    create_engine, ddl_events as ddl_ev, dialect_events as dialect_ev, named_params, params,
    pool_events as pool_ev, text,
};

// ------------------------------------------------------------------ tracing

static DEPTH: AtomicUsize = AtomicUsize::new(1);
static FIRED: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

/// One trace line: `event` with its key arguments, indented by nesting
/// (`before_*` opens a level that the matching `after_*` closes).
fn trace(event: &'static str, details: impl AsRef<str>) {
    FIRED.lock().unwrap().push(event);
    if event.starts_with("after_") && event != "after_parent_attach" {
        DEPTH.fetch_sub(1, Ordering::SeqCst);
    }
    let depth = DEPTH.load(Ordering::SeqCst);
    let line = format!(
        "{:indent$}{event:<24} {}",
        "",
        details.as_ref(),
        indent = depth * 2
    );
    println!("{}", line.trim_end());
    if event.starts_with("before_") && event != "before_parent_attach" {
        DEPTH.fetch_add(1, Ordering::SeqCst);
    }
    if event == "handle_error" {
        // The failed cursor execution has no `after_cursor_execute`.
        DEPTH.fetch_sub(1, Ordering::SeqCst);
    }
}

fn step(title: &str) {
    DEPTH.store(1, Ordering::SeqCst);
    println!("\n▶ {title}");
}

fn short(sql: &str) -> String {
    let flat = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 60 {
        format!("{}…", flat.chars().take(59).collect::<String>())
    } else {
        flat
    }
}

// ------------------------------------------- static listeners (#[listens_for])

/// Every pool's first connection: the place for one-time setup.
#[hooks::listens_for(Engine, "first_connect")]
fn first_connect(dbapi: &DbapiConnection, _record: &ConnectionRecord) -> Result<(), Error> {
    trace("first_connect", format!("dbapi#{}", dbapi.id()));
    Ok(())
}

/// Every new DBAPI connection: enable foreign keys, as SQLite wants per connection.
#[hooks::listens_for(Engine, "connect")]
fn connect(dbapi: &DbapiConnection, record: &ConnectionRecord) -> Result<(), Error> {
    // `?`: a failing PRAGMA aborts the checkout with its error.
    dbapi.with_raw(|raw| raw.execute_batch("PRAGMA foreign_keys = ON"))?;
    trace(
        "connect",
        format!(
            "dbapi#{} record#{} (PRAGMA foreign_keys = ON)",
            dbapi.id(),
            record.id()
        ),
    );
    Ok(())
}

#[hooks::listens_for(Connection, "begin")]
fn begin(_conn: &Connection) {
    trace("begin", "");
}

#[hooks::listens_for(Connection, "commit")]
fn commit(_conn: &Connection) {
    trace("commit", "");
}

#[hooks::listens_for(Connection, "rollback")]
fn rollback(_conn: &Connection) {
    trace("rollback", "");
}

/// A naming convention, for every unique constraint.
#[hooks::listens_for(UniqueConstraint, "after_parent_attach")]
fn name_unique(target: SchemaEventTarget<'_>, parent: SchemaEventTarget<'_>) {
    if let (Some(uq), Some(table)) = (target.as_unique_constraint(), parent.as_table()) {
        uq.set_name(Some(format!(
            "uq_{}_{}",
            table.name(),
            uq.columns().join("_")
        )));
        trace(
            "after_parent_attach",
            format!(
                "{target} -> {parent}, named {}",
                uq.name().unwrap_or_default()
            ),
        );
    }
}

// ---------------------------------------------------------- runtime listeners

/// Pool and dialect events, through the engine (= its pool and dialect).
fn listen_on_pool_and_dialect(engine: &Engine) -> Result<(), hooks::Error> {
    // Pool events, through the engine (= its pool, carried over dispose).
    pool_ev::checkout.listen(engine, |d, r, _| {
        trace("checkout", format!("dbapi#{} record#{}", d.id(), r.id()));
        Ok(())
    })?;
    pool_ev::reset.listen(engine, |d, _, s| {
        trace(
            "reset",
            format!(
                "dbapi#{} transaction_was_reset={}",
                d.id(),
                s.transaction_was_reset()
            ),
        );
    })?;
    pool_ev::checkin.listen(engine, |d, _| {
        trace(
            "checkin",
            d.map_or("(invalidated)".to_owned(), |d| format!("dbapi#{}", d.id())),
        );
    })?;
    pool_ev::close.listen(engine, |d, _| trace("close", format!("dbapi#{}", d.id())))?;
    // Dialect events.
    dialect_ev::do_connect.listen(engine, |_, _, cargs, _| {
        let path = std::path::Path::new(&cargs[0]);
        trace(
            "do_connect",
            path.file_name().unwrap_or_default().to_string_lossy(),
        );
        None
    })?;
    dialect_ev::do_executemany.listen(engine, |_, _, sets, _| {
        trace("do_executemany", format!("{} parameter sets", sets.len()));
        Ok(false)
    })?;
    Ok(())
}

fn listen_on_connections(engine: &Engine) -> Result<(), hooks::Error> {
    conn_ev::engine_connect.listen(engine, |_| trace("engine_connect", ""))?;
    conn_ev::engine_disposed.listen(engine, |_| trace("engine_disposed", ""))?;
    conn_ev::set_connection_execution_options.listen(engine, |_, opts| {
        let keys: Vec<_> = opts.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        trace("set_connection_execution_options", keys.join(", "));
    })?;
    conn_ev::before_execute.listen(engine, |c, stmt, many, params, _| {
        let shape = if many.is_empty() {
            format!("{} params", params.len())
        } else {
            format!("{} sets", many.len())
        };
        trace(
            "before_execute",
            format!("{} ({shape})", short(&stmt.compile(c.dialect()))),
        );
    })?;
    conn_ev::after_execute.listen(engine, |_, _, _, _, _, result| {
        trace(
            "after_execute",
            format!(
                "rowcount={:?} rows={}",
                result.rowcount(),
                result.rows().len()
            ),
        );
    })?;
    // A retval listener: tag every statement SQLite runs.
    conn_ev::before_cursor_execute.listen_retval(
        engine,
        Modifiers::NONE,
        |_, _, sql, params, _, many| {
            trace(
                "before_cursor_execute",
                format!("{}{}", short(sql), if many { " (many)" } else { "" }),
            );
            (format!("{sql} /* quickstart */"), params.clone())
        },
    )?;
    conn_ev::after_cursor_execute.listen(engine, |_, _, sql, _, _, _| {
        trace(
            "after_cursor_execute",
            short(sql.trim_end_matches(" /* quickstart */")),
        );
    })?;
    conn_ev::savepoint.listen(engine, |_, name| trace("savepoint", name))?;
    conn_ev::rollback_savepoint.listen(engine, |_, name, _| trace("rollback_savepoint", name))?;
    conn_ev::release_savepoint.listen(engine, |_, name, _| trace("release_savepoint", name))?;
    conn_ev::begin_twophase.listen(engine, |_, xid| trace("begin_twophase", xid))?;
    conn_ev::handle_error.listen(engine, |ctx| {
        let original = ctx.original_exception().to_string();
        trace("handle_error", format!("{} → replaced", short(&original)));
        ctx.set_chained_exception(Error::custom(format!(
            "friendly: {}",
            original.split(" (").next().unwrap_or_default()
        )));
        Ok(())
    })?;
    Ok(())
}

/// DDL events on the metadata and, by type, on every table.
fn listen_on_schema(metadata: &MetaData) -> Result<(), hooks::Error> {
    ddl_ev::before_create.listen(metadata, |t, _, kw| {
        trace(
            "before_create",
            format!("{t}: {} tables", kw.tables().len()),
        );
    })?;
    ddl_ev::after_create.listen(metadata, |t, _, _| trace("after_create", t.to_string()))?;
    ddl_ev::before_create.listen(hooks::Class::<Table>::new(), |t, _, _| {
        trace("before_create", t.to_string());
    })?;
    ddl_ev::after_create.listen(hooks::Class::<Table>::new(), |t, _, _| {
        trace("after_create", t.to_string());
    })?;
    ddl_ev::column_reflect.listen(hooks::Class::<Table>::new(), |_, table, info| {
        trace(
            "column_reflect",
            format!("{}.{} {:?}", table.name(), info.name, info.column_type),
        );
    })?;
    Ok(())
}

// --------------------------------------------------------------------- main

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("hooks-sql-quickstart-{}", std::process::id()));
    // A leftover of an earlier run whose process had the same id.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite:///{}", dir.join("quickstart.db").display());
    println!("hooks-sql quickstart: every event below was fired by the library, on {url}");

    step("create_engine, define tables, register runtime listeners");
    let engine = create_engine(&url)?;
    let metadata = MetaData::new();
    let users = Table::builder("users")
        .column(Column::new("id", ColumnType::Integer).primary_key(true))
        .column(Column::new("email", ColumnType::Text).nullable(false))
        .constraint(UniqueConstraint::new(["email"]))
        .build(&metadata)?;
    listen_on_pool_and_dialect(&engine)?;
    listen_on_connections(&engine)?;
    listen_on_schema(&metadata)?;

    step("metadata.create_all(&engine)");
    metadata.create_all(&engine, true)?;

    step("insert in a transaction: engine.begin(...)");
    engine.begin(|conn| {
        conn.execute(
            users.insert(),
            named_params! {"id" => 1, "email" => "ada@example.org"},
        )?;
        conn.execute_many(
            text("INSERT INTO users (id, email) VALUES (?, ?)"),
            vec![params![2, "bob@example.org"], params![3, "eve@example.org"]],
        )
    })?;

    step("a savepoint rolled back, then commit");
    let conn = engine.connect()?;
    conn.execution_options(ExecutionOptions::new().with("app", "quickstart"));
    conn.execute(
        text("UPDATE users SET email = upper(email) WHERE id = 1"),
        (),
    )?;
    let sp = conn.begin_nested()?;
    conn.execute(text("DELETE FROM users"), ())?;
    sp.rollback()?;
    conn.commit()?;

    step("an error, replaced by handle_error");
    let err = conn
        .exec_driver_sql("SELECT * FROM no_such_table", ())
        .unwrap_err();
    println!("  → the caller gets: {err}");
    conn.rollback()?;

    step("two-phase commit (SQLite has none)");
    let err = conn.begin_twophase(Some("xid-1")).unwrap_err();
    println!("  → {err}");
    drop(conn);

    step("engine.dispose(): the pool is recreated, listeners carried over");
    engine.dispose();
    let count = engine
        .connect()?
        .exec_driver_sql("SELECT count(*) FROM users", ())?;

    step("reflect the table back");
    let reflected = Table::reflect("users", &MetaData::new(), &engine)?;

    check(
        count.scalar().and_then(hooks_sql::Value::as_i64),
        &reflected,
        &err,
    );
    Ok(())
}

/// What the tour showed, checked.
fn check(count: Option<i64>, reflected: &Table, err: &Error) {
    assert_eq!(count, Some(3));
    assert_eq!(
        reflected.unique_constraints()[0].name().as_deref(),
        Some("uq_users_email")
    );
    assert!(err.to_string().contains("two-phase"));
    let fired: BTreeSet<&str> = FIRED.lock().unwrap().iter().copied().collect();
    for event in [
        "first_connect",
        "connect",
        "checkout",
        "reset",
        "checkin",
        "close",
        "do_connect",
        "do_executemany",
        "engine_connect",
        "engine_disposed",
        "set_connection_execution_options",
        "before_execute",
        "after_execute",
        "before_cursor_execute",
        "after_cursor_execute",
        "begin",
        "commit",
        "rollback",
        "savepoint",
        "rollback_savepoint",
        "begin_twophase",
        "handle_error",
        "before_create",
        "after_create",
        "after_parent_attach",
        "column_reflect",
    ] {
        assert!(fired.contains(event), "`{event}` did not fire");
    }
    let first = FIRED
        .lock()
        .unwrap()
        .iter()
        .filter(|e| **e == "first_connect")
        .count();
    assert_eq!(
        first, 2,
        "once per pool: the original and the recreated one"
    );
    println!(
        "\n{} events fired, {} distinct; listeners registered statically: {}",
        FIRED.lock().unwrap().len(),
        fired.len(),
        hooks::static_listeners()
            .iter()
            .filter(|l| l.module_path.starts_with("quickstart"))
            .count()
    );
}
