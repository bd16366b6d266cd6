//! An `after_create` listener running an `ALTER TABLE` right after its
//! table was created, in the same transaction; `sqlite_master` shows it.
//!
//! `cargo run -p hooks-sql --example after_create_alter`

use hooks_sql::{Column, ColumnType, MetaData, Table, create_engine, ddl_events};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = create_engine("sqlite://")?;
    let metadata = MetaData::new();
    let users = Table::builder("users")
        .column(Column::new("id", ColumnType::Integer).primary_key(true))
        .column(Column::new("name", ColumnType::Text))
        .build(&metadata)?;
    let _h = ddl_events::after_create.listen(&users, |target, conn, _kw| {
        let table = target.as_table().expect("listening on a table");
        let sql = format!(
            "ALTER TABLE {} ADD COLUMN created_at TEXT DEFAULT CURRENT_TIMESTAMP",
            table.name()
        );
        println!("after_create {}: {sql}", table.name());
        conn.exec_driver_sql(&sql, ()).expect("alter");
    })?;
    metadata.create_all(&engine, false)?;

    let conn = engine.connect()?;
    let sql = conn
        .exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'users'", ())?
        .scalar()
        .and_then(|v| v.as_str().map(str::to_owned))
        .expect("created");
    println!("sqlite_master:\n{sql}");
    assert!(sql.contains("created_at TEXT DEFAULT CURRENT_TIMESTAMP"));
    Ok(())
}
