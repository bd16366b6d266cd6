//! `DDLEvents`, fired for real: create/drop around SQLite's DDL (with
//! `sqlite_master` as the witness), attachment and naming conventions,
//! reflection, and `propagate` listeners following `Table::to_metadata`.
#![allow(
    unused_must_use,
    reason = "registrations on targets the test owns; a refusal would fail the assertions that follow"
)]

mod common;

use common::{Log, memory_engine};
use hooks::Modifiers;
use hooks_sql::schema::SchemaEventTarget;
use hooks_sql::{Column, ColumnType, Engine, MetaData, Table, UniqueConstraint, Value, ddl_events};

fn master_sql(engine: &Engine, name: &str) -> Option<String> {
    let conn = engine.connect().unwrap();
    let rows = conn
        .exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = ?",
            hooks_sql::params![name],
        )
        .unwrap();
    rows.first().map(|r| r.get::<String>(0).unwrap())
}

fn users(metadata: &MetaData) -> Table {
    Table::builder("users")
        .column(Column::new("id", ColumnType::Integer).primary_key(true))
        .column(Column::new("email", ColumnType::Text))
        .build(metadata)
        .unwrap()
}

#[test]
fn create_and_drop_events_bracket_sqlite_ddl_on_tables_and_metadata() {
    let engine = memory_engine();
    let metadata = MetaData::new();
    let table = users(&metadata);
    let log = Log::new();
    let l = log.clone();
    ddl_events::before_create.listen(&metadata, move |target, conn, kw| {
        assert!(target.as_metadata().is_some() && kw.tables().len() == 1 && kw.checkfirst());
        let n = conn
            .exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE name = 'users'",
                (),
            )
            .unwrap();
        l.push(format!(
            "before_create {target} exists={}",
            n.scalar().and_then(Value::as_i64) == Some(1)
        ));
    });
    let l = log.clone();
    ddl_events::before_create.listen(&table, move |target, conn, kw| {
        assert!(kw.is_metadata_operation() && conn.in_transaction());
        l.push(format!("before_create {target}"));
    });
    let l = log.clone();
    ddl_events::after_create.listen(&table, move |target, conn, _| {
        // Follow-up DDL in the same transaction.
        conn.exec_driver_sql("ALTER TABLE users ADD COLUMN created_at TEXT", ())
            .unwrap();
        l.push(format!("after_create {target}"));
    });
    let l = log.clone();
    ddl_events::after_create.listen(&metadata, move |target, _, _| {
        l.push(format!("after_create {target}"));
    });
    let l = log.clone();
    ddl_events::before_drop.listen(&table, move |t, _, kw| {
        assert!(!kw.is_metadata_operation());
        l.push(format!("before_drop {t}"));
    });
    let l = log.clone();
    ddl_events::after_drop.listen(&table, move |t, conn, _| {
        let gone = conn
            .exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE name = 'users'",
                (),
            )
            .unwrap();
        assert_eq!(gone.scalar().and_then(Value::as_i64), Some(0));
        l.push(format!("after_drop {t}"));
    });
    metadata.create_all(&engine, true).unwrap();
    let sql = master_sql(&engine, "users").unwrap();
    assert!(
        sql.contains("created_at TEXT"),
        "the listener's ALTER is in sqlite_master: {sql}"
    );
    table.drop(&engine, false).unwrap();
    assert_eq!(master_sql(&engine, "users"), None);
    assert_eq!(
        log.take(),
        [
            "before_create metadata exists=false",
            "before_create table users",
            "after_create table users",
            "after_create metadata",
            "before_drop table users",
            "after_drop table users",
        ],
        "table listeners do not see metadata events and the reverse"
    );
}

#[test]
fn after_parent_attach_names_unique_constraints_and_sqlite_keeps_the_name() {
    let engine = memory_engine();
    let metadata = MetaData::new();
    let uq = UniqueConstraint::new(["email"]);
    let log = Log::new();
    let l = log.clone();
    ddl_events::before_parent_attach.listen(&uq, move |target, parent| {
        assert!(target.as_unique_constraint().unwrap().table().is_none());
        l.push(format!("before {target} -> {parent}"));
    });
    let l = log.clone();
    ddl_events::after_parent_attach.listen(&uq, move |target, parent| {
        let (uq, table) = (
            target.as_unique_constraint().unwrap(),
            parent.as_table().unwrap(),
        );
        assert!(uq.table().unwrap().same_table(table));
        uq.set_name(Some(format!(
            "uq_{}_{}",
            table.name(),
            uq.columns().join("_")
        )));
        l.push(format!("after {target} -> {parent}"));
    });
    let email = Column::new("email", ColumnType::Text);
    let l = log.clone();
    ddl_events::after_parent_attach.listen(&email, move |target, parent| {
        assert!(matches!(parent, SchemaEventTarget::Table(_)));
        l.push(format!("after {target} -> {parent}"));
    });
    Table::builder("users")
        .column(Column::new("id", ColumnType::Integer).primary_key(true))
        .column(email)
        .constraint(uq.clone())
        .build(&metadata)
        .unwrap();
    assert_eq!(uq.name().as_deref(), Some("uq_users_email"));
    metadata.create_all(&engine, false).unwrap();
    let sql = master_sql(&engine, "users").unwrap();
    assert!(
        sql.contains("CONSTRAINT \"uq_users_email\" UNIQUE (\"email\")"),
        "{sql}"
    );
    assert_eq!(
        log.take(),
        [
            "after column email -> table users",
            "before unique (email) -> table users",
            "after unique (email) -> table users",
        ]
    );
    let reflected = Table::reflect("users", &MetaData::new(), &engine).unwrap();
    assert_eq!(
        reflected.unique_constraints()[0].name().as_deref(),
        Some("uq_users_email")
    );
}

#[test]
fn column_reflect_on_a_metadata_shapes_every_reflected_table() {
    let engine = memory_engine();
    engine
        .begin(|c| {
            c.exec_driver_sql("CREATE TABLE a (ID INTEGER PRIMARY KEY, Name TEXT)", ())?;
            c.exec_driver_sql("CREATE TABLE b (Code TEXT)", ())
                .map(drop)
        })
        .unwrap();
    let metadata = MetaData::new();
    let log = Log::new();
    let l = log.clone();
    ddl_events::column_reflect.listen(&metadata, move |inspector, table, info| {
        assert!(inspector.has_table(table.name()).unwrap());
        l.push(format!("{}.{}", table.name(), info.name));
        info.name = info.name.to_lowercase();
        if info.name == "name" {
            info.column_type = ColumnType::Varchar(Some(40));
        }
    });
    metadata.reflect(&engine).unwrap();
    assert_eq!(log.take(), ["a.ID", "a.Name", "b.Code"]);
    let a = metadata.table("a").unwrap();
    assert_eq!(a.column_names(), ["id", "name"]);
    assert_eq!(a.primary_key().columns(), ["id"]);
    assert_eq!(
        a.column("name").unwrap().column_type(),
        ColumnType::Varchar(Some(40))
    );
    assert_eq!(metadata.table("b").unwrap().column_names(), ["code"]);
}

#[test]
fn propagate_listeners_follow_to_metadata_copies() {
    let engine = memory_engine();
    let source = MetaData::new();
    let table = users(&source);
    let log = Log::new();
    let l = log.clone();
    let propagated = ddl_events::after_create
        .listen_with(&table, Modifiers::PROPAGATE, move |t, _, _| {
            l.push(format!("propagated {t}"));
        })
        .unwrap();
    let l = log.clone();
    ddl_events::after_create.listen(&table, move |t, _, _| l.push(format!("local {t}")));
    let l = log.clone();
    ddl_events::before_parent_attach.listen_with(&table, Modifiers::PROPAGATE, move |t, p| {
        l.push(format!("attach {t} -> {p}"));
    });
    let l = log.clone();
    ddl_events::after_parent_attach.listen_with(
        &table.column("email").unwrap(),
        Modifiers::PROPAGATE,
        move |t, p| l.push(format!("attach {t} -> {p}")),
    );
    let target = MetaData::new();
    let copy = table.to_metadata(&target).unwrap();
    assert!(!copy.same_table(&table));
    assert_eq!(
        log.take(),
        [
            "attach table users -> metadata",
            "attach column email -> table users"
        ],
        "copies carry the propagate listeners before they are attached"
    );
    target.create_all(&engine, false).unwrap();
    assert_eq!(
        log.take(),
        ["propagated table users"],
        "the non-propagate listener stayed behind"
    );
    propagated.remove().unwrap();
    copy.drop(&engine, false).unwrap();
    copy.create(&engine, false).unwrap();
    assert!(
        log.take().is_empty(),
        "removing the original removed its copy"
    );
}
