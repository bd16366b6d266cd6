//! Schema, DDL and reflection, checked against `sqlite_master`.

mod common;

use common::{Witness, file_engine};
use hooks_sql::{
    Column, ColumnType, EngineOptions, Error, MetaData, PrimaryKey, Table, UniqueConstraint,
    create_engine, named_params,
};

fn metadata_with_tables() -> MetaData {
    let metadata = MetaData::new();
    Table::builder("users")
        .column(Column::new("id", ColumnType::Integer).primary_key(true))
        .column(Column::new("email", ColumnType::Varchar(Some(80))).nullable(false))
        .column(Column::new("score", ColumnType::Float).with_default("0"))
        .constraint(UniqueConstraint::new(["email"]))
        .build(&metadata)
        .unwrap();
    Table::builder("pairs")
        .column(Column::new("a", ColumnType::Integer))
        .column(Column::new("b", ColumnType::Text))
        .constraint(PrimaryKey::new(["b", "a"]).named("pk_pairs"))
        .build(&metadata)
        .unwrap();
    metadata
}

fn master_tables(engine: &hooks_sql::Engine) -> Vec<String> {
    let conn = engine.connect().unwrap();
    let result = conn
        .exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
            (),
        )
        .unwrap();
    result
        .rows()
        .iter()
        .map(|r| r.get::<String>(0).unwrap())
        .collect()
}

#[test]
fn create_all_emits_create_table_and_commits() {
    let (engine, _) = file_engine("create-all", &EngineOptions::new());
    let metadata = metadata_with_tables();
    let users = metadata.table("users").unwrap();
    users.unique_constraints()[0].set_name(Some("uq_users_email".into()));
    let conn = engine.connect().unwrap();
    let witness = Witness::install(&conn.dbapi_connection().unwrap());
    metadata.create_all(&conn, false).unwrap();
    conn.commit().unwrap();
    let statements = witness.take();
    assert_eq!(statements.first().map(String::as_str), Some("BEGIN"));
    assert_eq!(
        statements[1],
        "CREATE TABLE \"users\" (\n\t\"id\" INTEGER NOT NULL,\n\t\"email\" VARCHAR(80) NOT NULL,\
         \n\t\"score\" FLOAT DEFAULT 0,\n\tPRIMARY KEY (\"id\"),\n\tCONSTRAINT \"uq_users_email\" UNIQUE (\"email\")\n)"
    );
    assert!(statements[2].starts_with("CREATE TABLE \"pairs\""));
    assert_eq!(witness.commits(), 1);
    assert_eq!(master_tables(&engine), ["pairs", "users"]);
}

#[test]
fn checkfirst_skips_existing_and_missing_tables() {
    let engine = create_engine("sqlite://").unwrap();
    let metadata = metadata_with_tables();
    metadata
        .table("users")
        .unwrap()
        .create(&engine, false)
        .unwrap();
    assert!(
        metadata.create_all(&engine, false).is_err(),
        "users exists already"
    );
    metadata.create_all(&engine, true).unwrap();
    assert_eq!(master_tables(&engine), ["pairs", "users"]);
    metadata
        .table("pairs")
        .unwrap()
        .drop(&engine, false)
        .unwrap();
    metadata.drop_all(&engine, true).unwrap();
    assert!(master_tables(&engine).is_empty());
    metadata
        .table("users")
        .unwrap()
        .drop(&engine, true)
        .unwrap();
}

#[test]
fn reflection_round_trips_the_definition() {
    let engine = create_engine("sqlite://").unwrap();
    let source = metadata_with_tables();
    source.table("users").unwrap().unique_constraints()[0].set_name(Some("uq_email".into()));
    source.create_all(&engine, false).unwrap();
    let reflected = MetaData::new();
    let tables = reflected.reflect(&engine).unwrap();
    assert_eq!(tables.len(), 2);
    let users = reflected.table("users").unwrap();
    assert_eq!(users.column_names(), ["id", "email", "score"]);
    let email = users.column("email").unwrap();
    assert_eq!(
        (email.column_type(), email.is_nullable()),
        (ColumnType::Varchar(Some(80)), false)
    );
    assert_eq!(
        users.column("score").unwrap().default().as_deref(),
        Some("0")
    );
    assert!(users.column("id").unwrap().is_primary_key());
    let uq = &users.unique_constraints()[0];
    assert_eq!(
        (uq.name().as_deref(), uq.columns()),
        (Some("uq_email"), vec!["email".to_owned()])
    );
    let pairs = reflected.table("pairs").unwrap();
    assert_eq!(
        pairs.primary_key().columns(),
        ["b", "a"],
        "key order, not column order"
    );
    assert!(
        reflected.reflect(&engine).unwrap().is_empty(),
        "known tables are not reflected twice"
    );
}

#[test]
fn reflecting_a_missing_table_is_an_error() {
    let engine = create_engine("sqlite://").unwrap();
    let metadata = MetaData::new();
    let err = Table::reflect("ghost", &metadata, &engine).unwrap_err();
    assert!(matches!(err, Error::NoSuchTable(ref t) if t == "ghost"));
    assert!(metadata.tables().is_empty());
}

#[test]
fn insert_and_select_statements_from_a_table() {
    let engine = create_engine("sqlite://").unwrap();
    let metadata = metadata_with_tables();
    metadata.create_all(&engine, false).unwrap();
    let users = metadata.table("users").unwrap();
    let conn = engine.connect().unwrap();
    conn.execute(
        users.insert(),
        named_params! {"id" => 1, "email" => "a@x", "score" => 2.5},
    )
    .unwrap();
    let rows = conn.execute(users.select(), ()).unwrap();
    assert_eq!(rows.rows()[0].get_named::<String>("email").unwrap(), "a@x");
    let dup = conn.execute(
        users.insert(),
        named_params! {"id" => 2, "email" => "a@x", "score" => 0.0},
    );
    assert!(dup.is_err(), "the unique constraint is real");
}

#[test]
fn definitions_are_validated() {
    let metadata = metadata_with_tables();
    let again = Table::builder("users").build(&metadata).unwrap_err();
    assert!(matches!(again, Error::Argument(_)));
    let col = metadata.table("users").unwrap().column("id").unwrap();
    let err = Table::builder("other")
        .column(col)
        .build(&metadata)
        .unwrap_err();
    assert!(
        err.to_string().contains("already belongs to table `users`"),
        "{err}"
    );
    let twice = Table::builder("twice")
        .column(Column::new("a", ColumnType::Integer))
        .column(Column::new("a", ColumnType::Integer))
        .build(&metadata);
    assert!(twice.is_err() && metadata.table("twice").is_none());
}

#[test]
fn to_metadata_copies_columns_and_constraints() {
    let source = metadata_with_tables();
    let target = MetaData::new();
    let pairs = source.table("pairs").unwrap().to_metadata(&target).unwrap();
    assert!(pairs.metadata().unwrap().same_metadata(&target));
    assert_eq!(pairs.primary_key().name().as_deref(), Some("pk_pairs"));
    assert_eq!(pairs.primary_key().columns(), ["b", "a"]);
    assert!(
        pairs
            .column("a")
            .unwrap()
            .table()
            .unwrap()
            .same_table(&pairs)
    );
}
