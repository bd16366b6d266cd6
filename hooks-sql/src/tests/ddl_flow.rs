use super::{Probe, memory_engine};
use crate::events::ddl_events;
use crate::{Column, ColumnType, MetaData, PrimaryKey, Table, UniqueConstraint};

fn users(metadata: &MetaData) -> Table {
    Table::builder("users")
        .column(Column::new("id", ColumnType::Integer).primary_key(true))
        .column(Column::new("email", ColumnType::Text))
        .constraint(UniqueConstraint::new(["email"]))
        .build(metadata)
        .unwrap()
}

#[test]
fn building_a_table_fires_attach_events_in_order() {
    let metadata = MetaData::new();
    let p = Probe::ddl();
    users(&metadata);
    assert_eq!(
        p.take(),
        [
            "before_parent_attach table users -> metadata",
            "before_parent_attach column id -> table users",
            "after_parent_attach column id -> table users",
            "before_parent_attach column email -> table users",
            "after_parent_attach column email -> table users",
            "before_parent_attach primary_key (id) -> table users",
            "after_parent_attach primary_key (id) -> table users",
            "before_parent_attach unique (email) -> table users",
            "after_parent_attach unique (email) -> table users",
            "after_parent_attach table users -> metadata"
        ]
    );
}

#[test]
fn invalid_definitions_fire_no_event() {
    let metadata = MetaData::new();
    let p = Probe::ddl();
    let err = Table::builder("t")
        .column(Column::new("a", ColumnType::Integer))
        .constraint(PrimaryKey::new(["b"]))
        .build(&metadata)
        .unwrap_err();
    assert!(err.to_string().contains("unknown column `b`"), "{err}");
    assert!(p.take().is_empty() && metadata.tables().is_empty());
}

#[test]
fn create_all_nests_table_events_inside_metadata_events() {
    let engine = memory_engine();
    let metadata = MetaData::new();
    users(&metadata);
    Table::builder("posts")
        .column(Column::new("id", ColumnType::Integer))
        .build(&metadata)
        .unwrap();
    let conn = engine.connect().unwrap();
    Table::reflect("users", &MetaData::new(), &conn).unwrap_err();
    conn.exec_driver_sql("CREATE TABLE posts (id INTEGER)", ())
        .unwrap();
    let p = Probe::on(&engine);
    metadata.create_all(&conn, true).unwrap();
    let log: Vec<String> = p
        .take_coarse()
        .into_iter()
        .filter(|e| e.contains("create") || e.contains("execute"))
        .collect();
    assert_eq!(
        log,
        [
            "before_create metadata",
            "before_create table users",
            "before_execute",
            "after_execute",
            "after_create table users",
            "after_create metadata"
        ],
        "with checkfirst, the existing `posts` gets no event"
    );
    metadata.drop_all(&conn, false).unwrap();
    let drops: Vec<String> = p
        .take_coarse()
        .into_iter()
        .filter(|e| e.contains("drop"))
        .collect();
    assert_eq!(
        drops,
        [
            "before_drop metadata",
            "before_drop table posts",
            "after_drop table posts",
            "before_drop table users",
            "after_drop table users",
            "after_drop metadata"
        ]
    );
}

#[test]
fn column_reflect_changes_shape_the_reflected_table() {
    let engine = memory_engine();
    let conn = engine.connect().unwrap();
    conn.exec_driver_sql(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, Label TEXT, CONSTRAINT uq_label UNIQUE (Label))",
        (),
    )
    .unwrap();
    let p = Probe::ddl();
    let metadata = MetaData::new();
    ddl_events::column_reflect
        .listen(&metadata, |_, table, info| {
            assert_eq!(table.name(), "t");
            info.name = info.name.to_lowercase();
            if info.name == "label" {
                info.column_type = ColumnType::Varchar(Some(10));
                info.nullable = false;
            }
        })
        .unwrap();
    let table = Table::reflect("t", &metadata, &conn).unwrap();
    assert_eq!(table.column_names(), ["id", "label"]);
    let label = table.column("label").unwrap();
    assert_eq!(
        (label.column_type(), label.is_nullable()),
        (ColumnType::Varchar(Some(10)), false)
    );
    let uq = &table.unique_constraints()[0];
    assert_eq!(
        (uq.name().as_deref(), uq.columns()),
        (Some("uq_label"), vec!["label".to_owned()])
    );
    assert_eq!(table.primary_key().columns(), ["id"]);
    let log = p.take_coarse();
    let reflect_at = log
        .iter()
        .position(|e| e == "column_reflect Label")
        .unwrap();
    let attach_at = log
        .iter()
        .position(|e| e == "before_parent_attach column label -> table t")
        .unwrap();
    assert!(
        reflect_at < attach_at,
        "column_reflect runs before the Column is built: {log:?}"
    );
}

#[test]
fn to_metadata_attaches_copies() {
    let source = MetaData::new();
    let table = users(&source);
    table.unique_constraints()[0].set_name(Some("uq_email".into()));
    let target = MetaData::new();
    let p = Probe::ddl();
    let copy = table.to_metadata(&target).unwrap();
    assert!(!copy.same_table(&table));
    assert!(
        !copy
            .column("id")
            .unwrap()
            .same_column(&table.column("id").unwrap())
    );
    assert_eq!(
        copy.unique_constraints()[0].name().as_deref(),
        Some("uq_email")
    );
    assert_eq!(p.take().len(), 10, "the copy fires its own attach events");
    assert!(
        table.to_metadata(&target).unwrap().same_table(&copy),
        "an existing table is returned"
    );
}
